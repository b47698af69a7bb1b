"""What the risk module addresses to one person: the treatment actions they own, still open."""

from django.urls import reverse
from django.utils import timezone

from ramparts.core.personal import Item, register
from ramparts.risk.models import TreatmentAction
from ramparts.risk.selectors import OPEN_ACTION_STATUSES

SHOWN = 50


@register
def treatment_actions(user) -> list[Item]:
    """Open actions owned by the user, whatever their role: owning the action is what counts.
    Links lead to the risk for those who may see it, else to the personal page itself."""
    from ramparts.core.permissions import user_can

    today = timezone.localdate()
    rows = (
        TreatmentAction.objects.filter(owner=user, status__in=OPEN_ACTION_STATUSES)
        .select_related("plan__risk")
        .order_by("due", "id")[:SHOWN]
    )
    can_see = user_can(user, "risk.view")
    return [
        Item(
            kind="Risk action",
            title=f"{a.title} ({a.plan.risk.ref})",
            url=reverse("risk:detail", args=[a.plan.risk.ref]) if can_see else reverse("home"),
            due=a.due,
            detail=f"{a.get_status_display()} · {a.plan.risk.title}",
            overdue=a.due is not None and a.due < today,
        )
        for a in rows
    ]
