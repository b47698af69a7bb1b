"""Daily counts of open findings per business unit and priority: the burn-down chart's data.

`snapshot_findings()` replaces today's rows with one GROUP BY over the open findings; run it after
imports and feed updates (cheap, idempotent) and daily (`ramparts findings daily`).
"""

import datetime as dt

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from ramparts.vulns.models import Finding, FindingSnapshot


def snapshot_findings(*, day: dt.date | None = None) -> int:
    """Record today's open findings (or `day`'s, for tests and back-fills). Returns the rows written."""
    day = day or timezone.now().date()
    rows = (
        Finding.objects.filter(status=Finding.Status.OPEN)
        .values("business_unit_id", "priority")
        .annotate(
            open=Count("id"),
            overdue=Count("id", filter=Q(sla_due__lt=day)),
            kev=Count("id", filter=Q(kev_date_added__isnull=False)),
        )
        .order_by()
    )
    snapshots = [
        FindingSnapshot(
            date=day,
            business_unit_id=r["business_unit_id"],
            priority=r["priority"],
            open=r["open"],
            overdue=r["overdue"],
            kev=r["kev"],
        )
        for r in rows
    ]
    with transaction.atomic():
        FindingSnapshot.objects.filter(date=day).delete()
        FindingSnapshot.objects.bulk_create(snapshots)
    return len(snapshots)
