"""Progress of a running import, for the upload page's progress bar.

The import writes in one transaction, and on SQLite that transaction holds the only write lock
until it commits: a progress row updated from another transaction would wait for it. Progress is
therefore written to a small JSON file next to the stored upload (atomically replaced, at most
every half second); the page reads the file while the import runs, and the row once it is done.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import orjson

Callback = Callable[[str, int], None]  # (phase, bytes read)
PHASES = ("queued", "hashing", "parsing", "closing", "enriching", "done")


def noop(phase: str, done: int) -> None:
    return None


class Throttled:
    """Calls `callback` on each phase change and at most every `interval` seconds within a phase."""

    def __init__(self, callback: Callback, interval: float = 0.5) -> None:
        self.callback, self.interval = callback, interval
        self.phase, self.last = "", 0.0

    def __call__(self, phase: str, done: int) -> None:
        now = time.monotonic()
        if phase != self.phase or now - self.last >= self.interval:
            self.phase, self.last = phase, now
            self.callback(phase, done)


def progress_path(upload_path: str | os.PathLike) -> Path:
    return Path(f"{upload_path}.progress")


def file_writer(upload_path: str | os.PathLike) -> Callback:
    target = progress_path(upload_path)
    scratch = target.with_suffix(".progress.tmp")

    def write(phase: str, done: int) -> None:
        scratch.write_bytes(orjson.dumps({"phase": phase, "bytes_read": done}))
        os.replace(scratch, target)

    return write


def read(upload_path: str | os.PathLike) -> dict | None:
    try:
        data = orjson.loads(progress_path(upload_path).read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None
    return data if isinstance(data, dict) else None
