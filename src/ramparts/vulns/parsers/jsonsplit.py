"""The elements of one big JSON array, cut apart at C speed and decoded one at a time.

Streaming parsers (ijson) pass every token through a state machine; for a report made of one
huge array of similar objects (Trivy's `Results`) it is much faster to find where each element
starts with `bytes.find` and hand each element's bytes to a C decoder (msgspec, orjson).

How the cut is found and why it is sound:

- The array is located (`"Results": [` or a top-level `[`) and the document before it is checked
  with ijson: `prefix + []}` must be one valid object whose last key is that array's key and
  which has no other member of that name (a nested "Results" earlier in the file, or a duplicate,
  fails the check).
- The first element must be an object; the bytes from its `{` to the end of its first key (say
  `{\\n      "Target"`, whatever the indentation) are the pattern that starts every element.
  A match preceded by `,` (and whitespace) is a candidate end of the current element.
- The bytes from the element's start to that comma are decoded. JSON's grammar is unambiguous: a
  slice that starts an element and decodes as one complete value is exactly that element. A slice
  that the decoder finds truncated was cut too early (a nested object with the same first key):
  the next candidate is tried. The pattern can never start inside a string (it holds a bare `"`).
- Anything else (a syntax error, an element larger than MAX_ELEMENT, too many false cuts, a
  document that goes on after the array) hands over to ijson, resumed from the current element's
  first byte behind a synthetic `{"Results":[`: the rest of the document, including its errors
  and their positions, is then read exactly as the streaming parser always did.

Memory: one chunk (CHUNK bytes, grown only while one element is larger) plus one decoded element.

Differences from ijson, on purpose: integers beyond 64 bits (and -2**63) are read (yajl refuses
them); nesting is limited by msgspec's recursion limit (about 1000) inside an element, instead of
the depth guard's 512 (a RecursionError hands over to ijson, whose guard then refuses the file).
The guard still covers everything ijson reads here (the members before the array, the resume).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

import msgspec
import orjson

from .base import ParseError
from .depthguard import DepthGuard
from .jsonstream import _JSON_ERRORS, BUF_SIZE, _ijson, first, json_error, text

CHUNK = 8 * 1024 * 1024
TAIL = CHUNK  # the end of the file searched for members after the array
MAX_ELEMENT = 256 * 1024 * 1024  # a bigger element goes to ijson (which holds it whole too)
MAX_FALSE_CUTS = 16  # per element; then ijson takes over (hostile nesting, not Trivy output)
_MAX_KEY_TRIES = 8
_MAX_WS = 4096  # whitespace before a candidate: more is not looked at (the cut is then missed: ijson)
_WS = b" \t\r\n"
# What a decoder raises on bytes that are not one complete, valid JSON value.
DECODE_ERRORS = (msgspec.DecodeError, orjson.JSONDecodeError, UnicodeDecodeError, ValueError, RecursionError)


def truncated(exc: BaseException) -> bool:
    """The decoder stopped at the end of the bytes: the slice ends inside the value."""
    return isinstance(exc, msgspec.DecodeError) and str(exc) == "Input data was truncated"


class ArrayScan:
    """One array, located and checked by open_array(); items() yields its decoded elements."""

    def __init__(self, stream: BinaryIO, start: int, buf: bytearray, first: int, key: str | None, **kw: Any) -> None:
        self._stream = stream
        self._start = start  # the document's first byte in the stream
        self._buf = buf  # bytes read so far, from the document's first byte
        self._first = first  # index in buf of the first element's "{"
        self._key = key
        self._pattern: bytes = kw["pattern"]
        self._chunk: int = kw["chunk"]
        self._source: str = kw["source"]
        self._fmt: str = kw["fmt"]
        self.members: list[tuple[str, Any]] = kw["members"]  # top-level members before the array
        self.prefix_end: int = kw["prefix_end"]  # bytes of the document before the array's "["
        self._assumed_absent: list[str] = []  # keys taken as absent by absent_after_prefix()
        self._window = 0

    def absent_after_prefix(self, key: str) -> bool:
        """Whether top-level member `key` can be taken as absent when it is not among `members`.

        Reading the whole file for it would cost a pass; instead the last TAIL bytes, where members
        after the array are (Trivy writes none), are searched for its name or any escape (which
        needs a backslash). Found: False (the caller looks it up exactly). Not found: True, and if
        the array turns out to end before that window, _resume() checks the bytes in between."""
        patterns = (orjson.dumps(key), b"\\")
        here = self._stream.tell()
        try:
            end = self._stream.seek(0, 2)
            window = max(self._start + self.prefix_end, end - TAIL)
            self._stream.seek(window)
            tail = self._stream.read(end - window)
        finally:
            self._stream.seek(here)
        if any(p in tail for p in patterns):
            return False
        self._assumed_absent.append(key)
        self._window = window
        return True

    def _check_assumed(self, offset: int) -> None:
        """Before ijson reads the rest from `offset`: the keys taken as absent must not occur there
        (only the part before the window searched at the start remains to be checked)."""
        if not self._assumed_absent or self._start + offset >= self._window:
            return
        for key in self._assumed_absent:
            here = self._stream.tell()
            try:
                self._stream.seek(self._start + offset)
                rest = _Spliced(b"{" + orjson.dumps(self._key or "") + b":[", self._stream, self._start + offset)
                value = first(rest, key, source=self._source, fmt=self._fmt)  # type: ignore[arg-type]
            except ParseError:
                continue  # the document is broken there: ijson's own error follows
            finally:
                self._stream.seek(here)
            if value is not None and text(value):
                raise ParseError(
                    f"{key} comes after the array, more than {TAIL // (1024 * 1024)} MiB before the end of the"
                    " file, where it is not looked for; put it before the array",
                    source=self._source,
                    format=self._fmt,
                    position=f"after byte {offset}",
                )

    def items(self, decode: Callable[[Any], Any]) -> Iterator[Any]:
        """decode(bytes-like) -> value, raising one of DECODE_ERRORS on anything but one whole value.

        Yields decode()'s values, or, once ijson has taken over, ijson's (dicts and lists)."""
        # One buffer, refilled in place (readinto): no new 8 MiB object, and no page faults, per chunk.
        data = self._buf
        self._buf = bytearray()
        filled, base, start = len(data), 0, self._first
        pattern, size = self._pattern, len(self._pattern)
        search, false_cuts = start + 1, 0
        view = memoryview(data)
        while True:
            found = data.find(pattern, search, filled)
            if found < 0:
                if filled - start > MAX_ELEMENT:
                    view.release()
                    yield from self._resume(base + start)
                    return
                keep = filled - start  # the start of an element: moved to the front
                data[:keep] = data[start:filled]
                base, search, start = base + start, max(search, filled - size + 1) - start, 0
                if len(data) - keep < self._chunk // 2:  # an element larger than the buffer: grow it
                    view.release()
                    data.extend(bytes(self._chunk))
                    view = memoryview(data)
                got = self._fill(view[keep:])
                filled = keep + got
                if not got:
                    break
                continue
            search = found + 1
            low = max(start, found - _MAX_WS)
            before = data[low:found].rstrip(_WS)
            if not before.endswith(b","):
                continue  # "[{" or ":{": a nested object, not the next element
            end = low + len(before) - 1  # the comma
            try:
                value = decode(view[start:end])
            except DECODE_ERRORS as exc:
                if truncated(exc) and false_cuts < MAX_FALSE_CUTS:
                    false_cuts += 1
                    continue
                view.release()
                yield from self._resume(base + start)
                return
            yield value
            start, false_cuts = found, 0
        view.release()
        yield from self._last(bytes(data[start:filled]), base + start, decode)

    def _fill(self, into: memoryview) -> int:
        return _fill(self._stream, into)

    def _last(self, tail: bytes, offset: int, decode: Callable[[Any], Any]) -> Iterator[Any]:
        """The last element, then "]" and (for a member) "}": the usual end of the document."""
        rest = tail.rstrip(_WS)
        if self._key is not None and rest.endswith(b"}"):
            rest = rest[:-1].rstrip(_WS)
        elif self._key is not None:
            rest = b""
        if rest.endswith(b"]"):
            try:
                value = decode(rest[:-1])
            except DECODE_ERRORS:
                pass
            else:
                yield value
                return
        yield from self._resume(offset)  # more members after the array, or an error: ijson reads the rest

    def _resume(self, offset: int) -> Iterator[Any]:
        """ijson from the element at `offset` (from the document start) to the end of the document."""
        head = b"[" if self._key is None else b"{" + orjson.dumps(self._key) + b":["
        path = "item" if self._key is None else f"{self._key}.item"
        self._check_assumed(offset)
        spliced = _Spliced(head, self._stream, self._start + offset)
        guard = DepthGuard(spliced, source=self._source, fmt=self._fmt)  # type: ignore[arg-type]
        try:
            yield from _ijson.items(guard, path, use_float=True, buf_size=BUF_SIZE)
        except ParseError as exc:  # the depth guard: its position counts from the synthetic head
            exc.position = f"about byte {spliced.real() - self._start}"
            raise
        except _JSON_ERRORS as exc:
            self._stream.seek(spliced.real())
            raise json_error(exc, self._stream, self._start, source=self._source, fmt=self._fmt) from None


class _Spliced:
    """`head` followed by the stream's bytes from `offset`: the rest of a document for ijson."""

    def __init__(self, head: bytes, raw: BinaryIO, offset: int) -> None:
        self._head, self._raw, self._offset, self._pos = head, raw, offset, 0

    def read(self, size: int = -1) -> bytes:
        n = len(self._head)
        if self._pos < n:
            out = self._head[self._pos :] if size < 0 else self._head[self._pos : self._pos + size]
        else:
            self._raw.seek(self._offset + self._pos - n)
            out = self._raw.read(size)
        self._pos += len(out)
        return out

    def tell(self) -> int:
        return self._pos

    def seek(self, pos: int, whence: int = 0) -> int:
        self._pos = pos
        return pos

    def real(self) -> int:
        """The position in the underlying stream."""
        return self._offset + max(0, self._pos - len(self._head))


def _fill(stream: BinaryIO, into: memoryview) -> int:
    readinto = getattr(stream, "readinto", None)
    if readinto is not None:
        return int(readinto(into) or 0)
    block = stream.read(len(into))
    into[: len(block)] = block
    return len(block)


def _skip_ws(buf: bytes | bytearray, i: int) -> int:
    n = len(buf)
    while i < n and buf[i] in _WS:
        i += 1
    return i


def open_array(
    stream: BinaryIO, *, key: str | None, source: str, fmt: str, chunk: int | None = None
) -> ArrayScan | None:
    """The array at top-level member `key` (None: the document is the array), ready to split;
    None when the document does not have the expected shape in its first chunk (the caller then
    rewinds and streams with ijson). Raises ParseError only for nesting beyond the depth guard."""
    chunk = chunk or CHUNK
    start = stream.tell()
    buf = bytearray(chunk)  # read in place: the one buffer items() goes on refilling
    with memoryview(buf) as view:
        size = _fill(stream, view)
    del buf[size:]
    members: list[tuple[str, Any]] = []
    if key is None:
        at = _skip_ws(buf, 0)
        if buf[at : at + 1] != b"[":
            return None
        opened = at + 1
    else:
        located = _locate(buf, key, source, fmt)
        if located is None:
            return None
        opened, members = located
    first = _skip_ws(buf, opened)
    if buf[first : first + 1] != b"{":
        return None  # an empty array, or elements that are not objects: not worth a fast path
    quote = _skip_ws(buf, first + 1)
    close = buf.find(b'"', quote + 1, quote + 258)
    if buf[quote : quote + 1] != b'"' or close < 0 or b"\\" in buf[quote:close] or quote - first > _MAX_WS:
        return None
    return ArrayScan(
        stream,
        start,
        buf,
        first,
        key,
        pattern=bytes(buf[first : close + 1]),
        chunk=chunk,
        source=source,
        fmt=fmt,
        members=members,
        prefix_end=opened - 1,
    )


def _locate(buf: bytearray, key: str, source: str, fmt: str) -> tuple[int, list[tuple[str, Any]]] | None:
    """(index after the array's "[", the members before it) for the top-level `key`, checked."""
    name = orjson.dumps(key)
    at = 0
    for _ in range(_MAX_KEY_TRIES):
        at = buf.find(name, at)
        if at < 0:
            return None
        at += len(name)
        colon = _skip_ws(buf, at)
        if buf[colon : colon + 1] != b":":
            continue
        bracket = _skip_ws(buf, colon + 1)
        if buf[bracket : bracket + 1] != b"[":
            continue
        members = _members(bytes(buf[: colon + 1]) + b"[]}", source, fmt)
        if members is None:
            continue
        found = [k for k, _ in members if k == key]
        if found != [key] or members[-1] != (key, []):
            return None  # another member of that name: ijson would read both
        return bracket + 1, members[:-1]
    return None


def _members(document: bytes, source: str, fmt: str) -> list[tuple[str, Any]] | None:
    """The top-level members of `document` read by ijson (the reference, behind the depth guard
    as always), or None if it is not one valid object."""
    if not document.lstrip(_WS).startswith(b"{"):
        return None
    guard = DepthGuard(io.BytesIO(document), source=source, fmt=fmt)
    try:
        return list(_ijson.kvitems(guard, "", use_float=True, buf_size=BUF_SIZE))
    except _JSON_ERRORS:
        return None
