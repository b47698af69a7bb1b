"""Per-version snapshots of the findings, shared between a host's processes through files.

A snapshot (facet columns, searchable texts) is built once per findings version (ramparts.vulns.cache):
by the warming task after a change, or else by the first request that needs it. It is stored in the data
directory, one file per database and version, and kept in each process until the version moves.

Exactness: the version is read before and after the rows; a write in between bumps it in the same
transaction as its data, so a snapshot read across a change is thrown away instead of stored.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import threading
import time
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.db import connection

from ramparts.vulns.cache import TTL_SECONDS, Delta, delta, version

_ABANDONED_SECONDS = 86_400
_IDS_PER_QUERY = 1_000
_PATCH_CHAIN = 8  # changes in a row patched from one snapshot; beyond, it is built again


class Snapshot(Protocol):
    @property
    def version(self) -> int: ...

    def save(self, path: Path) -> None: ...


class Shelf[S: Snapshot]:
    """This process's snapshot of one kind (the current version's only: a million findings are tens
    of MB), read from the shared file or built, and stored for the other processes.

    `patch(snapshot, at_version, delta)`: the snapshot of `at_version` from the one of the version
    before and what changed since (cache.delta), or None when it cannot tell (then the snapshot is
    built): after a triage or a small import, milliseconds instead of reading every finding.
    """

    def __init__(
        self,
        kind: str,
        build: Callable[[int], S],
        load: Callable[[Path], S],
        patch: Callable[[S, int, Delta], S | None],
    ) -> None:
        self.kind = kind
        self._build, self._load, self._patch = build, load, patch
        self._held: S | None = None
        self._held_since = 0.0  # monotonic time it was read or built; like the file, good for TTL_SECONDS
        self._lock = threading.Lock()

    def current(self, *, build_if_missing: bool = True, share_patched: bool = False) -> S | None:
        """The snapshot of the current findings version: this process's, the shared file, patched
        from the version before, or built now.

        A built snapshot is stored for the other processes; a patched one only with `share_patched`
        (the warming task): a request does not wait ~50 ms for a file that takes others as long to
        patch themselves."""
        at_version = version()
        held = self._held_at(at_version)
        if held is not None:
            if share_patched and not fresh(self.path(at_version)):
                _store(held, self.path(at_version))  # patched here, by a request of this process
            return held
        path = self.path(at_version)
        snapshot = self._read(path) if fresh(path) else None
        if snapshot is None:
            snapshot = self._patched(at_version, _PATCH_CHAIN)
            share = share_patched or snapshot is None
            if snapshot is None:
                if not build_if_missing:
                    return None
                snapshot = self._build(at_version)
            if version() != at_version:
                return None  # the findings changed while they were read: not this version's
            if share:
                _store(snapshot, path)
        with self._lock:
            self._held, self._held_since = snapshot, time.monotonic()
        return snapshot

    def _held_at(self, at_version: int) -> S | None:
        held = self._held
        if held is not None and held.version == at_version and time.monotonic() - self._held_since < TTL_SECONDS:
            return held
        return None

    def _patched(self, at_version: int, chain: int) -> S | None:
        """From the version before, held or in its file (or itself patched: a few changes in a row)."""
        change = delta(at_version)
        if change is None:
            return None
        path = self.path(change.before)
        base = self._held_at(change.before)
        if base is None and fresh(path):
            base = self._read(path)
        if base is None and chain > 1:
            base = self._patched(change.before, chain - 1)
        return self._patch(base, at_version, change) if base is not None else None

    def forget(self) -> None:
        """Drop this process's snapshot, so that the next one comes from the shared file (tests)."""
        with self._lock:
            self._held = None

    def path(self, at_version: int) -> Path:
        """One file per database and version. An in-memory database (tests) is its process's alone."""
        d = connection.settings_dict
        where = f"{connection.vendor}|{d.get('HOST')}|{d.get('PORT')}|{d['NAME']}"
        if connection.vendor == "sqlite" and getattr(connection, "is_in_memory_db", lambda: False)():
            where += f"|{os.getpid()}"
        database = hashlib.sha256(where.encode()).hexdigest()[:16]
        return Path(settings.DATA_DIR) / "snapshots" / f"{self.kind}-{database}-{at_version}.npz"

    def _read(self, path: Path) -> S | None:
        try:
            return self._load(path)
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
            return None  # removed meanwhile, or damaged: build instead


def rows_by_id(select: str, params: list, ids: Sequence[int]) -> list[tuple]:
    """The rows `select` (SELECT … FROM the findings table, no WHERE) gives for these ids: a patch's reads."""
    rows: list[tuple] = []
    with connection.cursor() as cursor:
        for chunk in itertools.batched(ids, _IDS_PER_QUERY):
            cursor.execute(f"{select} WHERE id IN ({', '.join(['%s'] * len(chunk))})", [*params, *chunk])
            rows.extend(cursor.fetchall())
    return rows


def fresh(path: Path, seconds: float = TTL_SECONDS) -> bool:
    """Exists and is younger than the cache's TTL, which bounds the age of anything counted from the
    findings should a write path ever forget to bump the version."""
    try:
        return time.time() - path.stat().st_mtime < seconds
    except OSError:
        return False


def _store(snapshot: Snapshot, path: Path) -> None:
    """Write beside, then rename (readers never see half a file); drop the database's older versions
    of the kind and any other database's that nobody has written for a day (test databases, a renamed one)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.partial")
        snapshot.save(partial)
        os.replace(partial, path)
        this_database = path.name.rsplit("-", 1)[0] + "-"
        kind = this_database.split("-", 1)[0]
        for old in path.parent.glob(f"{kind}-*"):
            if old != path and (old.name.startswith(this_database) or not fresh(old, _ABANDONED_SECONDS)):
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only data directory: this process keeps its own snapshot
