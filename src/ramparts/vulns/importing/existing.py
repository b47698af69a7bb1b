"""The findings already stored in the scopes a file touches, held as sorted NumPy arrays.

About 25 bytes per stored finding (16-byte fingerprint, id, status, a "seen" flag), loaded once
per scope with one streaming query: a re-import of 1M findings compares fingerprints in memory
with vectorised binary searches, and memory stays far below the file's size.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from django.db import connection

from ramparts.vulns.models import Finding

OPEN, FIXED, JUDGED = 0, 1, 2  # JUDGED: a person's decision (false positive, risk accepted...) a scan never changes
_STATUS = {Finding.Status.OPEN.value: OPEN, Finding.Status.FIXED.value: FIXED}
_FETCH = 50_000
FINGERPRINT_DTYPE = "S16"
_EMPTY = np.zeros(0, dtype=FINGERPRINT_DTYPE)


class ScopeIndex:
    __slots__ = ("fingerprints", "ids", "seen", "statuses")

    def __init__(self, fingerprints: np.ndarray, ids: np.ndarray, statuses: np.ndarray) -> None:
        order = np.argsort(fingerprints, kind="stable")
        self.fingerprints = fingerprints[order]
        self.ids = ids[order]
        self.statuses = statuses[order]
        self.seen = np.zeros(len(ids), dtype=bool)

    def mark(self, fingerprints: np.ndarray) -> np.ndarray:
        """Mark the stored findings among `fingerprints` as seen; returns the mask of those found."""
        if not len(self.ids):
            return np.zeros(len(fingerprints), dtype=bool)
        pos = np.minimum(np.searchsorted(self.fingerprints, fingerprints), len(self.ids) - 1)
        found = self.fingerprints[pos] == fingerprints
        self.seen[pos[found]] = True
        return found


class ExistingIndex:
    def __init__(self) -> None:
        self.scopes: dict[int, ScopeIndex] = {}

    def load(self, scopes: Iterable[int]) -> None:
        """Load the scopes not loaded yet (one query per 500 scopes)."""
        missing = [s for s in dict.fromkeys(scopes) if s not in self.scopes]
        for i in range(0, len(missing), 500):
            self._load(missing[i : i + 500])

    def _load(self, scopes: Sequence[int]) -> None:
        table = connection.ops.quote_name(Finding._meta.db_table)
        marks = ", ".join(["%s"] * len(scopes))
        sql = f"SELECT scope_id, fingerprint, id, status FROM {table} WHERE scope_id IN ({marks})"  # noqa: S608 - bound values
        parts: dict[int, list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = {s: [] for s in scopes}
        with connection.cursor() as cursor:
            cursor.execute(sql, list(scopes))
            while rows := cursor.fetchmany(_FETCH):
                grouped: dict[int, tuple[list, list, list]] = {}
                for scope, fp, pk, status in rows:
                    fps, ids, sts = grouped.setdefault(scope, ([], [], []))
                    fps.append(fp if fp.__class__ is bytes else bytes(fp))  # memoryview: some drivers
                    ids.append(pk)
                    sts.append(_STATUS.get(status, JUDGED))
                for scope, (fps, ids, sts) in grouped.items():
                    arrays = (
                        np.array(fps, dtype=FINGERPRINT_DTYPE),
                        np.array(ids, dtype=np.int64),
                        np.array(sts, dtype=np.int8),
                    )
                    parts[scope].append(arrays)
        for scope, chunks in parts.items():
            if chunks:
                self.scopes[scope] = ScopeIndex(*(np.concatenate([c[i] for c in chunks]) for i in range(3)))
            else:
                self.scopes[scope] = ScopeIndex(_EMPTY, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int8))

    def mark(self, scope: int, fingerprints: np.ndarray) -> np.ndarray:
        return self.scopes[scope].mark(fingerprints)

    def outcome(self, *, complete: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(unchanged ids, reopened ids, closed ids) once the whole file has been marked."""
        unchanged, reopened, closed = [], [], []
        for index in self.scopes.values():
            seen, statuses = index.seen, index.statuses
            unchanged.append(index.ids[seen & (statuses != FIXED)])
            reopened.append(index.ids[seen & (statuses == FIXED)])
            if complete:
                closed.append(index.ids[~seen & (statuses == OPEN)])
        join = lambda arrays: np.concatenate(arrays) if arrays else np.zeros(0, dtype=np.int64)  # noqa: E731
        return join(unchanged), join(reopened), join(closed)
