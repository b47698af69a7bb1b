"""Open findings assigned to a person, for their personal home (soonest due first)."""

from django.urls import reverse
from django.utils import timezone

from ramparts.core.permissions import user_can
from ramparts.core.personal import Item, register
from ramparts.vulns.models import Finding

SHOWN = 50


@register
def findings_assigned(user) -> list[Item]:
    if not user_can(user, "vulns.view"):
        return []
    today = timezone.now().date()
    rows = (
        Finding.objects.filter(assignee=user, status=Finding.Status.OPEN)
        .only("number", "title", "sla_due", "priority", "cve")
        .order_by("sla_due", "-priority", "id")[:SHOWN]
    )
    return [
        Item(
            kind="Finding",
            title=f"{f.ref} {f.title}"[:200],
            url=reverse("vulns:finding_detail", args=[f.ref]),
            due=f.sla_due,
            detail=" · ".join(x for x in (f.priority_label if f.priority else "", f.cve) if x),
            overdue=bool(f.sla_due and f.sla_due < today),
        )
        for f in rows
    ]
