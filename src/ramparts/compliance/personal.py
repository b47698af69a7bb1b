"""What compliance asks of one person: controls they own that are not yet implemented, and the
assessments waiting for their sign-off (found by ramparts.core.personal.autodiscover)."""

from django.urls import reverse

from ramparts.compliance.models import Assessment, Control
from ramparts.core.permissions import user_can
from ramparts.core.personal import Item, register


@register
def controls_and_signoffs(user) -> list[Item]:
    # The links lead to compliance pages: people who cannot read them get nothing from here.
    if not user_can(user, "compliance.view"):
        return []
    items = []
    controls = (
        Control.objects.filter(owner__user=user)
        .exclude(status=Control.Status.IMPLEMENTED)
        .only("number", "name", "status")
        .order_by("number")[:50]
    )
    for control in controls:
        items.append(
            Item(
                kind="Control",
                title=f"{control.ref} {control.name}",
                url=reverse("compliance:control_detail", args=[control.ref]),
                detail=f"you own it; {control.get_status_display()}",
            )
        )
    reviews = Assessment.objects.filter(reviewer=user, state=Assessment.State.IN_PROGRESS).only("number", "name")[:50]
    for assessment in reviews:
        items.append(
            Item(
                kind="Sign-off",
                title=f"{assessment.ref} {assessment.name}",
                url=reverse("compliance:assessment_detail", args=[assessment.ref]),
                detail="waiting for your review",
            )
        )
    return items
