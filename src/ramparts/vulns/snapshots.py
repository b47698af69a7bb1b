"""Daily counts of open findings per business unit and priority: the burn-down chart's data.

`snapshot_findings()` replaces the day's rows with counts from the findings' column snapshot
(facet_columns): the warming task records today's after every change of the findings, and
`ramparts findings daily` once a day, whether or not anything changed.
"""

import datetime as dt

import numpy as np
from django.db import transaction
from django.utils import timezone

from ramparts.vulns import facet_columns
from ramparts.vulns.cache import version
from ramparts.vulns.facet_columns import STATUS_CODES
from ramparts.vulns.models import Finding, FindingSnapshot

_OPEN = STATUS_CODES.index(Finding.Status.OPEN)
_EPOCH = dt.date(1970, 1, 1)


def snapshot_findings(*, day: dt.date | None = None) -> int:
    """Record today's open findings (or `day`'s, for tests and back-fills). Returns the rows written."""
    day = day or timezone.now().date()
    columns = facet_columns.current()
    if columns is None:  # changed while it was read: count from a read of our own
        columns = facet_columns.build(version())
    open_ = columns.status == _OPEN
    units, priorities = columns.unit[open_].astype(np.int64), columns.priority[open_].astype(np.int64)
    groups, group_of = np.unique(units * 256 + priorities, return_inverse=True)
    counts = {
        "open": np.bincount(group_of, minlength=len(groups)),
        "overdue": np.bincount(group_of, weights=columns.sla_due[open_] < (day - _EPOCH).days, minlength=len(groups)),
        "kev": np.bincount(group_of, weights=columns.kev[open_], minlength=len(groups)),
    }
    snapshots = [
        FindingSnapshot(
            date=day,
            business_unit_id=int(group) // 256,
            priority=int(group) % 256,
            **{name: int(values[i]) for name, values in counts.items()},
        )
        for i, group in enumerate(groups.tolist())
    ]
    with transaction.atomic():
        FindingSnapshot.objects.filter(date=day).delete()
        FindingSnapshot.objects.bulk_create(snapshots)
    return len(snapshots)
