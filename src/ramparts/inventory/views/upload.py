"""Reading an uploaded CSV or XLSX file into rows of cells, with clear problems for bad files.

Kept to what the web page needs; when the import package offers a reader, the page uses it."""

import csv
import io
from collections.abc import Mapping

from django.conf import settings

from ramparts.core.errors import Problem


class UploadError(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def read_upload(upload) -> list[Mapping[str, str]]:
    try:
        from ramparts.inventory.importexport import reading  # type: ignore[attr-defined]
    except ImportError:
        reading = None
    limit = getattr(settings, "RAMPARTS_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
    if upload.size > limit:
        raise UploadError([Problem(f"the file is {upload.size} bytes; the limit is {limit} bytes")])
    data = upload.read()
    name = (upload.name or "").lower()
    if reading is not None and hasattr(reading, "read_rows"):
        try:
            return list(reading.read_rows(data, filename=name))
        except Exception as exc:  # their reader names line and column in its message
            problems = getattr(exc, "problems", None) or [Problem(str(exc))]
            raise UploadError(problems) from None
    if name.endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        return _xlsx(data)
    return _csv(data)


def _csv(data: bytes) -> list[Mapping[str, str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UploadError([Problem("the file is not UTF-8 text: save it as CSV UTF-8 and try again", line)]) from None
    try:
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        table = list(reader)
    except csv.Error as exc:
        raise UploadError([Problem(f"the file is not valid CSV ({exc})")]) from None
    return _rows(table)


def _xlsx(data: bytes) -> list[Mapping[str, str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise UploadError([Problem("the file is not a readable XLSX workbook")]) from None
    sheet = book.worksheets[0]
    table = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    return _rows(table)


def _rows(table: list[list[str]]) -> list[Mapping[str, str]]:
    # Trailing blank lines are dropped; blank lines in the middle stay, so line numbers match the file.
    while table and not any(cell.strip() for cell in table[-1]):
        table.pop()
    if not table:
        raise UploadError([Problem("the file is empty: the first line must name the columns")])
    header = [h.strip() for h in table[0]]
    problems = []
    rows: list[Mapping[str, str]] = []
    for index, row in enumerate(table[1:], start=2):
        if len(row) > len(header):
            problems.append(Problem(f"has {len(row)} cells but the header has {len(header)} columns", index))
            continue
        rows.append(dict(zip(header, [*row, *[""] * (len(header) - len(row))], strict=True)))
    if problems:
        raise UploadError(problems)
    return rows
