"""A findings list whose order and count come from the column snapshot: each page is one query by id.

Sorting the findings that match a filter the indexes do not lead with (severity=high sorted by
priority, a tool, an EPSS band…) makes the database read and sort every match, hundreds of
milliseconds at a million findings. The snapshot holds the sort keys of the priority and severity
orders, so the page's ids are a partial sort of the matching rows in NumPy (argpartition: linear in
the matches), and the page's rows are fetched by primary key, fresh from the database (a finding
that changed since the snapshot shows as it is now; the change moved the version, so the next
request counts from a new snapshot).
"""

from __future__ import annotations

import numpy as np
from django.db.models import QuerySet

from ramparts.vulns.facet_columns import FacetColumns
from ramparts.vulns.models import Finding

_ID_BITS = 48  # ids below 2**48; severity and priority (0-4) above them, in one int64 key


def sort_keys(columns: FacetColumns, sort: str) -> np.ndarray | None:
    """One int64 per finding whose descending order is SORTS[sort]'s, or None for sorts not held here
    (last seen needs each import's time; the finding number has its own unique index)."""
    if sort not in _ORDERS:
        return None
    if sort not in columns.derived:  # once per snapshot: a page then costs a mask and a partial sort
        columns.derived[sort] = _ORDERS[sort](columns)
    return columns.derived[sort]


def _packed(columns: FacetColumns, major: str, minor: str) -> np.ndarray:
    """(major desc, minor desc, id desc) in one int64, ids below 2**48 and the two 0-4 (else a rank)."""
    high, low = (getattr(columns, name).astype(np.int64) for name in (major, minor))
    if len(columns) and (columns.id.max() >= 1 << _ID_BITS or max(high.max(), low.max()) >= 1 << 7):
        return _rank(-high, -low, -columns.id)
    return (high << (_ID_BITS + 7)) | (low << _ID_BITS) | columns.id


def _rank(*keys: np.ndarray) -> np.ndarray:
    """Descending key of the ascending order by `keys`, the first the most significant."""
    order = np.lexsort(keys[::-1])
    key = np.empty(len(order), dtype=np.int64)
    key[order] = np.arange(len(order) - 1, -1, -1, dtype=np.int64)
    return key


def _epss(columns: FacetColumns) -> np.ndarray:
    unknown = np.isnan(columns.epss)  # last, as in SQL (nulls_last)
    return _rank(unknown, -np.where(unknown, 0.0, columns.epss), -columns.id)


_ORDERS = {
    "priority": lambda c: _packed(c, "priority", "severity"),
    "severity": lambda c: _packed(c, "severity", "priority"),
    "due": lambda c: _rank(c.sla_due, -c.priority.astype(np.int64), c.id),  # no SLA is NO_DAY: last
    "first_seen": lambda c: _rank(c.first_seen, c.id),
    "epss": _epss,
}


class SnapshotRows:
    """Sliceable and countable like the QuerySet it stands for (Paginator and the API take either)."""

    def __init__(self, queryset: QuerySet[Finding], ids: np.ndarray, keys: np.ndarray) -> None:
        self._queryset, self._ids, self._keys = queryset, ids, keys

    def count(self) -> int:
        return len(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def __getitem__(self, item: slice) -> list[Finding]:
        start, stop, step = item.indices(len(self._ids))
        if start >= stop or step != 1:
            return []
        top = np.argpartition(-self._keys, stop - 1)[:stop] if stop < len(self._keys) else np.arange(len(self._keys))
        ranked = top[np.argsort(-self._keys[top], kind="stable")]
        page = self._ids[ranked[start:stop]].tolist()
        # No ORDER BY (the page is put in order here), so that the ids are looked up by primary key.
        found = {f.pk: f for f in self._queryset.filter(pk__in=page).order_by()}
        return [found[pk] for pk in page if pk in found]  # one deleted since the snapshot is left out
