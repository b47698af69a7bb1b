"""A guard against deeply nested JSON, for the streaming parsers.

ijson's cost per event grows with the nesting depth (it builds the event's path), so a small file
of nested brackets ("[[[[...]]]]", 50,000 deep) costs seconds, and a megabyte of them hours. The
guard sits between ijson and the file and refuses documents nested deeper than MAX_DEPTH before
ijson sees the chunk.

Ordinary files pay little: each chunk is reduced to its brackets (C speed) and the nesting is
measured on those, ignoring strings. Only when that rough measure looks deep (brackets inside
strings can fool it) does the guard count exactly, skipping strings, from the start of the document.
"""

from __future__ import annotations

import re
from typing import BinaryIO

from .base import ParseError

MAX_DEPTH = 512
_SUSPECT = 256  # rough nesting that triggers the exact count
_STRING_END = re.compile(rb'[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)  # the rest of a string after its opening quote
_NOT_BRACKET = bytes(sorted(set(range(256)) - set(b"[]{}")))
_PAIR = re.compile(rb"\{\}|\[\]")


def _nesting(brackets: bytes, limit: int) -> tuple[int, int, int]:
    """(levels nested inside the chunk, closers of earlier levels, new open levels), measured by
    removing innermost pairs layer by layer, up to `limit` layers."""
    layers = 0
    while layers <= limit:
        shorter = _PAIR.sub(b"", brackets)
        if len(shorter) == len(brackets):
            break
        brackets = shorter
        layers += 1
    # what is left closes earlier levels, then opens new ones: "]]}[{[" (mismatches are ijson's to report)
    closers = len(brackets) - len(brackets.lstrip(b"]}"))
    return layers, closers, len(brackets) - closers


def _odd_backslash(data: bytes) -> bytes:
    """A trailing backslash that escapes the first byte of the next chunk, if any."""
    run = len(data) - len(data.rstrip(b"\\"))
    return b"\\" if run % 2 else b""


class DepthGuard:
    """A read-only file wrapper for ijson: read() checks each chunk's nesting before passing it on."""

    def __init__(self, raw: BinaryIO, *, source: str, fmt: str) -> None:
        self._raw = raw
        self._source = source
        self._fmt = fmt
        self._start = raw.tell()
        self._rough = 0
        self._exact = False
        self._depth = 0
        self._in_string = False
        self._carry = b""

    def tell(self) -> int:
        return self._raw.tell()

    def seek(self, pos: int, whence: int = 0) -> int:
        return self._raw.seek(pos, whence)

    def read(self, size: int = -1) -> bytes:
        chunk = self._raw.read(size)
        if not chunk:
            return chunk
        if not self._exact:
            layers, closers, openers = _nesting(chunk.translate(None, _NOT_BRACKET), _SUSPECT)
            peak = self._rough + layers
            self._rough = max(0, self._rough - closers) + openers
            if max(peak, self._rough) > _SUSPECT:
                self._go_exact(self._raw.tell() - len(chunk))
        if self._exact:
            self._check(chunk)
        return chunk

    def _go_exact(self, upto: int) -> None:
        """Count exactly from the start of the document up to `upto` (where this chunk begins)."""
        self._exact = True
        here = self._raw.tell()
        self._raw.seek(self._start)
        remaining = upto - self._start
        while remaining > 0:
            part = self._raw.read(min(remaining, 1 << 16))
            if not part:
                break
            remaining -= len(part)
            self._check(part)
        self._raw.seek(here)

    def _check(self, chunk: bytes) -> None:
        data = self._carry + chunk
        self._carry = b""
        pos = 0
        if self._in_string:
            end = _STRING_END.match(data)
            if end is None:  # the whole chunk is inside one string
                self._carry = _odd_backslash(data)
                return
            pos = end.end()
            self._in_string = False
        # Skip the strings one after the other (a regex search would retry from every quote:
        # quadratic on strings full of escaped quotes).
        outside: list[bytes] = []
        while True:
            quote = data.find(b'"', pos)
            if quote == -1:
                outside.append(data[pos:])
                break
            outside.append(data[pos:quote])
            end = _STRING_END.match(data, quote + 1)
            if end is None:  # a string that goes on in the next chunk
                self._in_string = True
                self._carry = _odd_backslash(data)
                break
            pos = end.end()
        layers, closers, openers = _nesting(b"".join(outside).translate(None, _NOT_BRACKET), MAX_DEPTH)
        if self._depth + layers > MAX_DEPTH or self._depth - closers + openers > MAX_DEPTH:
            raise ParseError(
                f"JSON nested more than {MAX_DEPTH} levels deep",
                source=self._source,
                format=self._fmt,
                position=f"about byte {self._raw.tell() - self._start}",
            )
        self._depth = max(0, self._depth - closers) + openers
