"""The findings' facet dimensions as NumPy columns: one snapshot per findings version.

Counting a million findings per facet in SQL takes seconds whatever the indexes, because every
matching row is visited once per dimension. The same counts over ten columns in memory take
milliseconds, for any combination of filters. The snapshot is built once per findings version
(ramparts.vulns.cache): by the warming task after a change, or else by the first request that needs
it. It is shared between processes through the cache and kept in each process until the version moves.

Exactness: the version is read before and after the rows; a write in between bumps it in the same
transaction as its data, so a snapshot read across a change is thrown away instead of stored.
"""

from __future__ import annotations

import io
import threading
import time
from dataclasses import dataclass

import numpy as np
from django.core.cache import cache
from django.db import connection

from ramparts.vulns.cache import TTL_SECONDS, version
from ramparts.vulns.models import Finding

STATUS_CODES: tuple[str, ...] = tuple(Finding.Status.values)
NO_ID = -1
NO_DAY = int(np.datetime64("9999-12-31", "D").astype(np.int64))  # a finding without SLA is never overdue
_CHUNK = 100_000
_ARRAYS = (
    "status", "severity", "priority", "kev", "epss", "tool", "system", "unit", "assignee", "first_seen", "sla_due",
)  # fmt: skip
_DTYPES = {
    "status": np.uint8, "severity": np.uint8, "priority": np.uint8, "kev": np.bool_, "epss": np.float64,
    "tool": np.int32, "system": np.int32, "unit": np.int32, "assignee": np.int32, "first_seen": np.int64,
    "sla_due": np.int32,
}  # fmt: skip
# first_seen in microseconds since the epoch (UTC) and sla_due in days since the epoch, per vendor:
# SQLite keeps both as ISO text, which NumPy parses exactly; PostgreSQL computes them.
_TIME_SQL = {
    "sqlite": ("first_seen", f"COALESCE(sla_due, '{np.datetime64(NO_DAY, 'D')}')"),
    "postgresql": (
        "(EXTRACT(EPOCH FROM first_seen) * 1000000)::bigint",
        f"COALESCE(sla_due - DATE '1970-01-01', {NO_DAY})",
    ),
}


@dataclass(frozen=True, eq=False)
class FacetColumns:
    """One row per finding; ids are NO_ID where null, epss NaN where unknown, tool an index into `tools`."""

    version: int
    tools: tuple[str, ...]
    status: np.ndarray
    severity: np.ndarray
    priority: np.ndarray
    kev: np.ndarray
    epss: np.ndarray
    tool: np.ndarray
    system: np.ndarray
    unit: np.ndarray
    assignee: np.ndarray
    first_seen: np.ndarray
    sla_due: np.ndarray

    def __len__(self) -> int:
        return len(self.status)

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        arrays: dict = {"version": np.int64(self.version), "tools": np.array(self.tools, dtype=str), **self._arrays()}
        np.savez(buffer, **arrays)
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> FacetColumns:
        with np.load(io.BytesIO(data), allow_pickle=False) as stored:
            arrays = {name: stored[name] for name in _ARRAYS}
            return cls(version=int(stored["version"]), tools=tuple(str(t) for t in stored["tools"]), **arrays)

    def _arrays(self) -> dict[str, np.ndarray]:
        return {name: getattr(self, name) for name in _ARRAYS}


def build(at_version: int) -> FacetColumns:
    """Read every finding's facet dimensions (a few seconds at a million findings)."""
    first_seen_sql, sla_due_sql = _TIME_SQL["postgresql" if connection.vendor == "postgresql" else "sqlite"]
    status_sql = " ".join(f"WHEN '{value}' THEN {code}" for code, value in enumerate(STATUS_CODES))
    # Constants of this module only: nothing from a request reaches this text.
    sql = (
        f"SELECT CASE status {status_sql} ELSE 255 END, severity, priority, kev_date_added IS NOT NULL,"  # noqa: S608
        f" epss_score, tool, COALESCE(system_id, {NO_ID}), business_unit_id, COALESCE(assignee_id, {NO_ID}),"
        f" {first_seen_sql}, {sla_due_sql} FROM {Finding._meta.db_table}"
    )
    tool_codes: dict[str, int] = {}
    chunks: dict[str, list[np.ndarray]] = {name: [] for name in _ARRAYS}
    with connection.cursor() as cursor:
        cursor.execute(sql)
        while rows := cursor.fetchmany(_CHUNK):
            values = dict(zip(_ARRAYS, zip(*rows, strict=True), strict=True))
            values["tool"] = tuple(tool_codes.setdefault(t, len(tool_codes)) for t in values["tool"])
            for name, column in values.items():
                chunks[name].append(_array(name, column))
    arrays = {
        name: np.concatenate(parts) if parts else np.empty(0, dtype=_DTYPES[name]) for name, parts in chunks.items()
    }
    return FacetColumns(version=at_version, tools=tuple(tool_codes), **arrays)


def _array(name: str, column: tuple) -> np.ndarray:
    if connection.vendor != "postgresql" and name == "first_seen":
        return np.array(column, dtype="datetime64[us]").astype(np.int64)
    if connection.vendor != "postgresql" and name == "sla_due":
        return np.array(column, dtype="datetime64[D]").astype(np.int32)
    return np.array(column, dtype=_DTYPES[name])


# This process's snapshot: a million findings are ~40 MB, so one is kept, the current version's.
_held: FacetColumns | None = None
_held_since = 0.0
_lock = threading.Lock()


def current(*, build_if_missing: bool = True) -> FacetColumns | None:
    """The snapshot of the current findings version: this process's, the cache's, or built now."""
    global _held, _held_since
    at_version = version()
    held = _held
    if held is not None and held.version == at_version and time.monotonic() - _held_since < TTL_SECONDS:
        return held
    key = _key(at_version)
    data = cache.get(key)
    if data is not None:
        columns = FacetColumns.from_bytes(data)
    elif build_if_missing:
        columns = build(at_version)
        if version() != at_version:
            return None  # the findings changed while they were read: not this version's
        cache.set(key, columns.to_bytes(), TTL_SECONDS)
    else:
        return None
    with _lock:
        _held, _held_since = columns, time.monotonic()
    return columns


def forget() -> None:
    """Drop this process's snapshot (tests that rewrite the database under one version)."""
    global _held
    with _lock:
        _held = None


def _key(at_version: int) -> str:
    return f"vulns:facet-columns:{connection.settings_dict['NAME']}:{at_version}"
