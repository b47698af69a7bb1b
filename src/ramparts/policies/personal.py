"""Policies awaiting the person's acknowledgement, for the personal home's "Assigned to you"."""

import datetime as dt

from django.utils import timezone

from ramparts.core.permissions import user_can
from ramparts.core.personal import Item, register
from ramparts.policies import selectors

SHOWN = 50
ACKNOWLEDGE_WITHIN_DAYS = 30  # people are asked to acknowledge within a month of publication


@register
def policies_to_acknowledge(user) -> list[Item]:
    if not user_can(user, "policies.acknowledge"):
        return []
    items = []
    today = timezone.localdate()
    for policy in selectors.my_pending(user)[:SHOWN]:
        version = policy.current_version
        assert version is not None  # addressed policies are published
        published = timezone.localtime(version.published_at).date() if version.published_at else today
        due = published + dt.timedelta(days=ACKNOWLEDGE_WITHIN_DAYS)
        items.append(
            Item(
                kind="Policy",
                title=f"Acknowledge {policy.title} (version {version.label})",
                url=f"/policies/mine/{policy.ref}/",
                due=due,
                overdue=due < today,
                detail=f"{policy.ref} · {policy.get_kind_display()} · please read it and acknowledge it",
            )
        )
    return items
