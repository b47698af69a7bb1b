"""Reading CSV/XLSX uploads into rows of cells, and writing rows out as CSV, XLSX or JSON.

Readers keep each row's line number (a quoted cell may span lines), refuse what they cannot read
with a reason a person understands, and never evaluate anything. Writers neutralise cells that a
spreadsheet would run as a formula (CSV/formula injection) by prefixing a quote; readers remove
that quote again, so an export re-imports unchanged.
"""

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import orjson
from django.conf import settings

from ramparts.core.errors import Problem, ValidationFailed

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_ROWS = 200_000  # a compressed XLSX can hold far more rows than its size suggests
FORMATS = ("csv", "xlsx", "json")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


class Row(dict):
    """A row of cells by column name, with the line it came from."""

    line: int = 0


def _fail(reason: str, line: int | None = None, filename: str = "") -> ValidationFailed:
    where = f"{filename}: " if filename else ""
    return ValidationFailed(f"{where}{reason}", [Problem(reason, line, None)])


def check_size(size: int, filename: str = "") -> None:
    limit = settings.RAMPARTS_MAX_UPLOAD_BYTES
    if size > limit:
        raise _fail(f"the file is {size / 1e6:.1f} MB; the limit is {limit / 1e6:.1f} MB", None, filename)


def detect_format(data: bytes, filename: str = "") -> str:
    name = filename.lower()
    if data[:4] == b"PK\x03\x04" or name.endswith((".xlsx", ".xlsm")):
        return "xlsx"
    if name.endswith(".json") or data.lstrip()[:1] == b"[":
        return "json"
    if name.endswith(".xls"):
        raise _fail("old .xls workbooks are not read; save the file as .xlsx or CSV UTF-8", None, filename)
    return "csv"


def read_table(data: bytes, filename: str = "", fmt: str | None = None) -> list[Row]:
    """Rows of a CSV (UTF-8, with or without BOM) or XLSX file. Raises ValidationFailed."""
    check_size(len(data), filename)
    fmt = fmt or detect_format(data, filename)
    readers = {"xlsx": _read_xlsx, "json": _read_json, "csv": _read_csv}
    rows = readers[fmt](data, filename)
    if not rows:
        raise _fail("the file has a header but no rows", 2, filename)
    return rows


def unneutralise(cell: str) -> str:
    if len(cell) > 1 and cell[0] == "'" and cell[1] in "=+-@\t\r":
        return cell[1:]
    return cell


def _header(cells: Sequence[Any], filename: str) -> list[str]:
    header = [("" if c is None else str(c)).strip() for c in cells]
    while header and not header[-1]:
        header.pop()
    if not header:
        raise _fail("the file is empty (the first line must name the columns)", 1, filename)
    seen: set[str] = set()
    for name in header:
        key = name.lower()
        if key in seen:
            raise _fail(f"the column {name!r} appears twice in the header", 1, filename)
        seen.add(key)
    return header


def _read_csv(data: bytes, filename: str) -> list[Row]:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise _fail("the file is UTF-16 text; save it as 'CSV UTF-8'", 1, filename)
    if b"\x00" in data[:4096]:
        raise _fail("this is not a CSV text file (it contains binary data)", None, filename)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _fail(
            f"the file is not UTF-8 text; save it as 'CSV UTF-8' (byte 0x{data[exc.start]:02x} cannot be read)",
            line,
            filename,
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)  # Excel writes ';' in some locales
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[Row] = []
    problems: list[Problem] = []
    try:
        header = _header(next(reader, []), filename)
        start = reader.line_num + 1
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
                problems.append(Problem(f"has {len(cells)} cells but the header names {len(header)}", line, None))
                continue
            row = Row(zip(header, (unneutralise(c) for c in cells), strict=False))
            row.update({name: "" for name in header[len(cells) :]})
            row.line = line
            rows.append(row)
            _check_rows(rows, filename)
    except csv.Error as exc:
        raise _fail(f"the CSV is malformed: {exc}", reader.line_num, filename) from None
    if problems:
        raise ValidationFailed(f"{filename or 'the file'}: rows do not match the header.", problems)
    return rows


def _read_json(data: bytes, filename: str) -> list[Row]:
    """A JSON array of objects, as the JSON export writes; a row's `line` is its position (1 = first)."""
    from ramparts.inventory.importexport.columns import to_cell

    try:
        items = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise _fail(f"the JSON is malformed: {exc}", None, filename) from None
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise _fail("a JSON import is an array of objects, one per row", None, filename)
    if not items:
        raise _fail("the file has no rows", None, filename)
    rows = []
    for number, item in enumerate(items, start=1):
        row = Row({str(k): to_cell(v) for k, v in item.items()})
        row.line = number
        rows.append(row)
    return rows


def _check_rows(rows: list[Row], filename: str) -> None:
    if len(rows) > MAX_ROWS:
        raise _fail(f"the file has more than {MAX_ROWS:,} rows; split it into several files", None, filename)


def _xlsx_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unneutralise(str(value))


def _read_xlsx(data: bytes, filename: str) -> list[Row]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise _fail(f"this is not a readable XLSX workbook ({exc.__class__.__name__})", None, filename) from None
    try:
        sheet = workbook.worksheets[0]
        lines = sheet.iter_rows(values_only=True)
        header = _header(next(lines, ()), filename)
        rows: list[Row] = []
        for number, cells in enumerate(lines, start=2):
            values = [_xlsx_cell(c) for c in cells]
            if not any(v.strip() for v in values):
                continue
            row = Row(zip(header, values, strict=False))
            row.update({name: "" for name in header[len(values) :]})
            row.line = number
            rows.append(row)
            _check_rows(rows, filename)
        return rows
    finally:
        workbook.close()


# --- writing ------------------------------------------------------------------------------------


def neutralise(cell: str) -> str:
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def write_table(columns: Sequence[str], rows: Iterable[Mapping[str, str]], fmt: str) -> bytes:
    if fmt == "json":
        return orjson.dumps([{c: row.get(c, "") for c in columns} for row in rows], option=orjson.OPT_INDENT_2)
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("export")
        sheet.append(list(columns))
        for row in rows:
            sheet.append([neutralise(row.get(c, "")) for c in columns])
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()
    if fmt != "csv":
        raise ValidationFailed(
            f"Unknown format {fmt!r}.", [Problem(f"choose from {', '.join(FORMATS)}", None, "format")]
        )
    out_text = io.StringIO(newline="")
    writer = csv.writer(out_text, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([neutralise(row.get(c, "")) for c in columns])
    return out_text.getvalue().encode("utf-8")
