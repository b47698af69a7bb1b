"""Review reminders: the owner of a policy whose review falls due soon (or is overdue) is told once
per due date. Run daily (`ramparts policies remind`)."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from ramparts.core import audit
from ramparts.core.models import User
from ramparts.core.roles import Role
from ramparts.notifications.services import notify
from ramparts.policies.models import Policy
from ramparts.policies.services._common import record

REMIND_DAYS_BEFORE = 30


@dataclass(frozen=True)
class Reminder:
    policy: str
    due: dt.date
    overdue: bool
    recipients: list[str]


def _recipients(policy: Policy) -> list[User]:
    """The owner; a policy without an active owner falls to its unit's security managers."""
    if policy.owner is not None and policy.owner.is_active:
        return [policy.owner]
    managers = User.objects.filter(is_active=True, role=Role.SECURITY_MANAGER).filter(
        business_units=policy.business_unit_id
    )
    return list(managers.order_by("username"))


def policies_remind(*, today: dt.date | None = None, days_before: int = REMIND_DAYS_BEFORE) -> list[Reminder]:
    today = today or timezone.localdate()
    due = (
        Policy.objects.filter(
            current_version__isnull=False,
            retired_at__isnull=True,
            next_review_on__lte=today + dt.timedelta(days=days_before),
        )
        .select_related("owner")
        .order_by("next_review_on", "number")
    )
    sent = []
    for policy in due:
        due_on = policy.next_review_on
        if due_on is None or policy.review_reminded_for == due_on:
            continue
        with transaction.atomic():
            people = _recipients(policy)
            overdue = due_on < today
            when = "was due" if overdue else "is due"
            notify(
                event="policy.review_due",
                recipients=people,
                subject=f"Review of {policy.ref} {policy.title} {when} on {due_on:%d %b %Y}",
                body=f"{policy.title} {when} for review on {due_on:%d %B %Y}. Read it, change it "
                "through a new version if needed, or mark it reviewed as it stands.",
                link=f"/policies/{policy.ref}/",
                payload={"policy": policy.ref, "due": due_on.isoformat(), "overdue": overdue},
            )
            Policy.objects.filter(pk=policy.pk).update(review_reminded_for=due_on)
            record(None, policy, audit.Action.UPDATE, {"review_reminded_for": [None, due_on]})
        sent.append(Reminder(policy.ref, due_on, overdue, [u.username for u in people]))
    return sent
