"""Streaming JSON helpers shared by the JSON parsers.

- `items()` / `walk()` stream values out of big documents with ijson's C backend (yajl2_c), so
  memory follows one item, not the file.
- `load()` reads a small document whole with orjson.
- Every JSON error becomes a ParseError with a position ("line 17 column 3 (byte 412)").
- `text()`, `as_dict()`, ... coerce values read from untrusted JSON: a parser never trusts a type.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

import ijson
import orjson

from .base import ParseError
from .depthguard import DepthGuard

try:
    _ijson: Any = ijson.get_backend("yajl2_c")
except ImportError:  # pragma: no cover - the pure-Python backend is slower but equivalent
    _ijson = ijson

BACKEND = _ijson.backend_name if hasattr(_ijson, "backend_name") else str(_ijson.backend)
BUF_SIZE = 64 * 1024  # measured: no faster above; smaller buffers stay in cache
# Documents read whole (small formats) and error re-reads stop here; big scans stream instead.
LOAD_LIMIT = 512 * 1024 * 1024
EXACT_POSITION_LIMIT = 32 * 1024 * 1024
_JSON_ERRORS = (ijson.JSONError, ijson.common.IncompleteJSONError, UnicodeDecodeError, ValueError, OverflowError)


# ---------------------------------------------------------------- streams


def seekable(stream: BinaryIO) -> BinaryIO:
    """The stream itself when it can seek, else a spooled copy (parsers may read twice)."""
    try:
        if stream.seekable():
            return stream
    except (AttributeError, OSError, ValueError):
        pass
    spool = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115 - returned to caller
    while chunk := stream.read(BUF_SIZE):
        spool.write(chunk)
    spool.seek(0)
    return spool  # type: ignore[return-value]


def _position_of(stream: BinaryIO, start: int) -> str:
    """Position of a JSON syntax error. Small documents are re-read with orjson for the exact
    line and column (error path only); for big ones that would cost memory, so the position is
    where the streaming parser stopped (the error lies in the last buffer it read)."""
    try:
        stopped = stream.tell()
        if stopped - start > EXACT_POSITION_LIMIT:
            return f"about byte {stopped - start} (the error is in the last {BUF_SIZE // 1024} KiB read)"
        stream.seek(start)
        data = stream.read(EXACT_POSITION_LIMIT + 1)
    except (OSError, ValueError):
        return ""
    try:
        orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        return _orjson_position(exc)
    return ""


def _orjson_position(exc: orjson.JSONDecodeError) -> str:
    return f"line {exc.lineno} column {exc.colno} (byte {exc.pos})"


def json_error(exc: BaseException, stream: BinaryIO | None, start: int, *, source: str, fmt: str) -> ParseError:
    position = _position_of(stream, start) if stream is not None else ""
    reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
    if "premature EOF" in reason:
        reason = f"the JSON ends early (truncated file?): {reason}"
    return ParseError(f"invalid JSON: {reason}", source=source, format=fmt, position=position)


# ---------------------------------------------------------------- readers


def load(stream: BinaryIO, *, source: str, fmt: str, limit: int = LOAD_LIMIT) -> Any:
    """Read a whole (small) JSON document with orjson."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise ParseError(f"document larger than {limit} bytes", source=source, format=fmt)
    if not data.strip():
        raise ParseError("the file is empty", source=source, format=fmt, position="byte 0")
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise ParseError(
            f"invalid JSON: {exc.msg}", source=source, format=fmt, position=_orjson_position(exc)
        ) from None


def _guard(stream: BinaryIO, source: str, fmt: str) -> Any:
    return DepthGuard(stream, source=source, fmt=fmt)


def items(stream: BinaryIO, prefix: str, *, source: str, fmt: str) -> Iterator[Any]:
    """Stream every value at `prefix` (ijson syntax: "Results.item"), built in C."""
    start = stream.tell()
    try:
        yield from _ijson.items(_guard(stream, source, fmt), prefix, use_float=True, buf_size=BUF_SIZE)
    except _JSON_ERRORS as exc:
        raise json_error(exc, stream, start, source=source, fmt=fmt) from None


def kvitems(stream: BinaryIO, prefix: str, *, source: str, fmt: str) -> Iterator[tuple[str, Any]]:
    """Stream the (key, value) members of every object at `prefix`, each value built in C."""
    start = stream.tell()
    try:
        yield from _ijson.kvitems(_guard(stream, source, fmt), prefix, use_float=True, buf_size=BUF_SIZE)
    except _JSON_ERRORS as exc:
        raise json_error(exc, stream, start, source=source, fmt=fmt) from None


def first(stream: BinaryIO, prefix: str, *, source: str, fmt: str) -> Any:
    """The first value at `prefix` (None if absent); stops reading as soon as it is found."""
    start = stream.tell()
    gen = _ijson.items(_guard(stream, source, fmt), prefix, use_float=True, buf_size=BUF_SIZE)
    try:
        return next(gen, None)
    except _JSON_ERRORS as exc:
        raise json_error(exc, stream, start, source=source, fmt=fmt) from None
    finally:
        del gen
        stream.seek(start)


MARK = object()  # walk() yields (prefix, MARK) when an object at a marked prefix starts


def walk(
    stream: BinaryIO, wanted: Iterable[str], *, marks: Iterable[str] = (), source: str, fmt: str
) -> Iterator[tuple[str, Any]]:
    """Yield (prefix, value) for every value at one of `wanted`, in document order, plus
    (prefix, MARK) at the start of each object at one of `marks` (e.g. each SARIF run).

    Events pass through Python here, so this is for formats whose structure needs several
    prefixes at once (SARIF); the hot paths use items()/kvitems().
    """
    want = frozenset(wanted)
    mark = frozenset(marks)
    start = stream.tell()
    builder: Any = None
    depth = 0
    target = ""
    try:
        for prefix, event, value in _ijson.parse(_guard(stream, source, fmt), use_float=True, buf_size=BUF_SIZE):
            if builder is not None:
                builder.event(event, value)
                if event == "start_map" or event == "start_array":
                    depth += 1
                elif event == "end_map" or event == "end_array":
                    depth -= 1
                    if depth == 0:
                        yield target, builder.value
                        builder = None
                continue
            if prefix in mark and event == "start_map":
                yield prefix, MARK
            if prefix in want and event != "map_key" and not event.startswith("end_"):
                if event == "start_map" or event == "start_array":
                    builder = ijson.ObjectBuilder()
                    builder.event(event, value)
                    depth = 1
                    target = prefix
                else:
                    yield prefix, value
    except _JSON_ERRORS as exc:
        raise json_error(exc, stream, start, source=source, fmt=fmt) from None


# ---------------------------------------------------------------- coercion of untrusted values


def text(value: Any, limit: int = 1_000_000) -> str:
    """A string for any JSON scalar; "" for null, objects and arrays."""
    if isinstance(value, str):
        return value if len(value) <= limit else value[:limit]
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float):
        return str(value)
    return ""


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def integer(value: Any, *, low: int = 0, high: int = 2**31 - 1) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit() and len(value) < 12:
        value = int(value)
    if isinstance(value, int) and low <= value <= high:
        return value
    return None


def number(value: Any, *, low: float = 0.0, high: float = 1e9) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return None
    if isinstance(value, int | float) and low <= value <= high:
        return float(value)
    return None


def texts(value: Any, limit: int = 1000) -> tuple[str, ...]:
    """Non-empty strings from a list (or a single string), at most `limit` of them."""
    if isinstance(value, str):
        return (value,) if value else ()
    return tuple(s for s in (text(v) for v in as_list(value)[:limit]) if s)


_CWE = re.compile(r"(?i)CWE[-_ ]?(\d{1,6})")
_CVE = re.compile(r"(?i)^CVE-\d{4}-\d{4,}$")


def cwe_id(value: Any) -> int | None:
    """CWE number from 'CWE-79', 'CWE-79: Improper...', 79 or '79'."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 0 < value < 10**6 else None
    s = text(value, 200)
    if s.isdigit() and len(s) < 7:
        return int(s) or None
    m = _CWE.search(s)
    return int(m.group(1)) if m else None


def first_cwe(values: Any) -> int | None:
    for v in as_list(values) if not isinstance(values, str | int) else [values]:
        n = cwe_id(v)
        if n:
            return n
    return None


def is_cve(value: str) -> bool:
    return bool(_CVE.match(value))


def split_ids(ids: Iterable[str]) -> tuple[str, tuple[str, ...]]:
    """(first CVE, other ids in order, without duplicates) from a list of advisory ids."""
    cve = ""
    others: list[str] = []
    for i in ids:
        if not i:
            continue
        if not cve and is_cve(i):
            cve = i.upper()
        elif i not in others and i.upper() != cve:
            others.append(i)
    return cve, tuple(others)


class Occurrences:
    """Tells apart results whose line-independent identity is the same (identical code at two
    places in one file): the first place is occurrence 0, the next distinct line 1, and so on.
    A result repeated at the same line keeps its number, so true duplicates still merge."""

    def __init__(self) -> None:
        self._lines: dict[tuple[str, ...], list[int | None]] = {}

    def index(self, key: tuple[str, ...], line: int | None) -> int:
        lines = self._lines.setdefault(key, [])
        if line in lines:
            return lines.index(line)
        lines.append(line)
        return len(lines) - 1
