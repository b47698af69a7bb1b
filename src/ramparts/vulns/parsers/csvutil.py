"""CSV reading shared by the Nessus and OpenVAS CSV parsers.

Encoding: UTF-8, with or without a byte-order mark. Anything else (UTF-16 from Excel, latin-1
bytes that are not valid UTF-8) is refused with the line where decoding failed, rather than
guessed: a wrong guess silently corrupts titles and hosts.

Columns are matched by name, case- and space-insensitively, through an alias table; the error for
a missing required column names the column and the aliases that would satisfy it.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator, Mapping
from typing import BinaryIO

from .base import ParseError
from .detect import strip_bom

MAX_FIELD = 16 * 1024 * 1024  # Nessus "Plugin Output" cells can be large
MAX_COLUMNS = 512


def header_names(head: bytes) -> list[str]:
    """Normalised column names of the first CSV line of `head` (for sniffers; never raises)."""
    try:
        body = strip_bom(head)
        if body[:2] in (b"\xff\xfe", b"\xfe\xff"):
            body = body.decode("utf-16", "replace").encode("utf-8")
        elif body[1:2] == b"\x00":  # UTF-16-LE without a BOM: read it, so parse() can refuse it by name
            body = body[: len(body) // 2 * 2].decode("utf-16-le", "replace").encode("utf-8")
        line = body.split(b"\n", 1)[0].rstrip(b"\r").decode("utf-8", "replace")
        row = next(csv.reader([line]), [])
        return [norm(c) for c in row]
    except Exception:
        return []


def norm(name: str) -> str:
    return " ".join(name.replace("\ufeff", "").strip().lower().split())


def _refuse_encoding(head: bytes, source: str, fmt: str) -> None:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or (len(head) > 3 and head[1:2] == b"\x00"):
        raise ParseError(
            "the file is UTF-16 text; export or save the CSV as UTF-8", source=source, format=fmt, position="byte 0"
        )
    if b"\x00" in head[:8192]:
        raise ParseError(
            "binary content, not CSV text", source=source, format=fmt, position=f"byte {head.index(b'\x00')}"
        )


class Rows:
    """Iterate a CSV file as (line number, {canonical column: value}) after checking the header."""

    def __init__(
        self,
        stream: BinaryIO,
        *,
        source: str,
        fmt: str,
        columns: Mapping[str, tuple[str, ...]],
        required: tuple[str, ...],
        one_of: tuple[tuple[str, ...], ...] = (),
    ) -> None:
        self.source, self.fmt = source, fmt
        try:
            start = stream.tell()
            head = stream.read(8192)
            stream.seek(start)
        except (OSError, ValueError) as exc:
            raise ParseError(f"cannot read the file ({exc})", source=source, format=fmt) from exc
        if not strip_bom(head).strip():
            raise ParseError("the file is empty", source=source, format=fmt, position="byte 0")
        _refuse_encoding(head, source, fmt)
        self._physical = 0
        self._reader = csv.reader(self._lines(stream), strict=False)
        header = self._next() or []
        if len(header) > MAX_COLUMNS:
            raise ParseError(
                f"{len(header)} columns: too many for a scan export", source=source, format=fmt, position="line 1"
            )
        names = [norm(h) for h in header]
        self.index: dict[str, int] = {}
        for key, aliases in columns.items():
            for alias in aliases:
                if alias in names:
                    self.index[key] = names.index(alias)
                    break
        missing = [k for k in required if k not in self.index]
        missing += [" or ".join(group) for group in one_of if not any(k in self.index for k in group)]
        if missing:
            wanted = "; ".join(
                f"{m!r} (header {' / '.join(repr(a) for a in columns.get(m, (m,)))})" if m in columns else repr(m)
                for m in missing
            )
            raise ParseError(f"missing required column(s): {wanted}", source=source, format=fmt, position="line 1")
        self.width = len(header)

    def _lines(self, stream: BinaryIO) -> Iterator[str]:
        """Decoded physical lines, so a decoding error is reported at its own line."""
        while raw := stream.readline(MAX_FIELD):
            self._physical += 1
            if self._physical == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[3:]
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError:
                raise ParseError(
                    "the file is not valid UTF-8 (latin-1 or another encoding?); export or save the CSV as UTF-8",
                    source=self.source,
                    format=self.fmt,
                    position=f"line {self._physical}",
                ) from None

    def _next(self) -> list[str] | None:
        previous = csv.field_size_limit(MAX_FIELD)
        try:
            return next(self._reader, None)
        except csv.Error as exc:
            raise ParseError(
                f"malformed CSV: {exc}", source=self.source, format=self.fmt, position=f"line {self._reader.line_num}"
            ) from None
        finally:
            csv.field_size_limit(previous)

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        while (row := self._next()) is not None:
            if not any(c.strip() for c in row):
                continue  # blank lines and all-empty rows (Tenable.sc pads exports with them)
            line = self._reader.line_num
            yield line, {k: (row[i].strip() if i < len(row) else "") for k, i in self.index.items()}
