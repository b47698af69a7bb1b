"""Streaming parser for FIRST EPSS daily CSV files (plain or .gz).

Format (https://www.first.org/epss/data_stats): the first line is a comment
``#model_version:v2025.03.14,score_date:2025-11-16T00:00:00+0000``, then the header
``cve,epss,percentile``, then one row per CVE with scores in [0, 1].
"""

from __future__ import annotations

import gzip
import io
import math
import re
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO

from ramparts.vulns.feeds.errors import FeedError

CVE_RE = re.compile(r"^CVE-\d{4}-\d{4,}$")
HEADER = ["cve", "epss", "percentile"]


@dataclass(frozen=True, slots=True)
class EpssScore:
    cve: str
    score: float
    percentile: float


@dataclass(frozen=True, slots=True)
class EpssMeta:
    model_version: str
    score_date: datetime


class EpssFeed:
    """Reads the comment and header eagerly; `scores()` then streams the rows once."""

    def __init__(self, stream: IO[str], source: str = "<stream>") -> None:
        self._stream = stream
        self.source = source
        self._line = 0
        self.meta = self._read_meta()
        self._read_header()

    def _next_line(self) -> str | None:
        try:
            line = self._stream.readline()
        except (UnicodeDecodeError, EOFError, OSError, zlib.error) as exc:
            raise FeedError(self.source, f"line {self._line + 1}", f"unreadable: {exc}") from None
        if not line:
            return None
        self._line += 1
        return line.rstrip("\r\n")

    def _fail(self, reason: str) -> FeedError:
        return FeedError(self.source, f"line {self._line}", reason)

    def _read_meta(self) -> EpssMeta:
        line = self._next_line()
        if line is None or not line.startswith("#"):
            raise FeedError(self.source, "line 1", "missing '#model_version:...,score_date:...' comment")
        fields: dict[str, str] = {}
        for part in line[1:].split(","):
            key, sep, value = part.partition(":")
            if sep:
                fields[key.strip()] = value.strip()
        if "model_version" not in fields or "score_date" not in fields:
            raise self._fail("comment lacks model_version or score_date")
        try:
            score_date = datetime.strptime(fields["score_date"], "%Y-%m-%dT%H:%M:%S%z")
        except ValueError:
            raise self._fail(f"score_date is not a timestamp: {fields['score_date']!r}") from None
        return EpssMeta(model_version=fields["model_version"], score_date=score_date)

    def _read_header(self) -> None:
        line = self._next_line()
        if line is None or [c.strip().lower() for c in line.split(",")] != HEADER:
            raise FeedError(self.source, "line 2", "expected header 'cve,epss,percentile'")

    def _number(self, text: str, name: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise self._fail(f"{name} is not a number: {text!r}") from None
        if math.isnan(value) or not 0.0 <= value <= 1.0:
            raise self._fail(f"{name} must be between 0 and 1: {text!r}")
        return value

    def scores(self) -> Iterator[EpssScore]:
        while (line := self._next_line()) is not None:
            if not line.strip():
                continue
            parts = line.split(",")
            if len(parts) != 3:
                raise self._fail(f"expected 3 fields, got {len(parts)}")
            cve = parts[0].strip().upper()
            if not CVE_RE.match(cve):
                raise self._fail(f"not a CVE identifier: {parts[0]!r}")
            yield EpssScore(cve, self._number(parts[1], "epss"), self._number(parts[2], "percentile"))


@contextmanager
def open_epss(path: Path | str) -> Iterator[EpssFeed]:
    """Open a plain or gzip-compressed (.gz) EPSS file: `with open_epss(p) as feed: feed.scores()`."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as raw, io.TextIOWrapper(raw, encoding="utf-8", newline="") as text:
        yield EpssFeed(text, str(path))
