"""The policies widget on the home dashboard (found by ramparts.core.dashboard.autodiscover)."""

import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from ramparts.core.dashboard import Widget, register
from ramparts.policies import selectors
from ramparts.policies.models import PolicyException, PolicyVersion


def policy_summary(user) -> dict[str, Any]:
    today = timezone.localdate()
    soon = today + dt.timedelta(days=selectors.REVIEW_SOON_DAYS)
    live = Q(current_version__isnull=False, retired_at__isnull=True)
    counts = selectors.policies_visible_to(user).aggregate(
        published=Count("id", filter=live),
        overdue=Count("id", filter=live & Q(next_review_on__lt=today)),
        due_soon=Count("id", filter=live & Q(next_review_on__gte=today, next_review_on__lte=soon)),
    )
    counts["in_approval"] = PolicyVersion.objects.filter(
        status=PolicyVersion.Status.IN_APPROVAL, policy__in=selectors.policies_visible_to(user)
    ).count()
    approved = PolicyException.Status.APPROVED
    counts |= selectors.exceptions_visible_to(user).aggregate(
        active_exceptions=Count("id", filter=Q(status=approved, expires_on__gte=today)),
        requested_exceptions=Count("id", filter=Q(status=PolicyException.Status.REQUESTED)),
        expired_exceptions=Count(
            "id", filter=Q(status=PolicyException.Status.EXPIRED) | Q(status=approved, expires_on__lt=today)
        ),
    )
    return {"data": counts}


register(
    Widget(
        key="policies",
        title="Policies",
        template="policies/_widget.html",
        context=policy_summary,
        action="policies.view",
        order=75,
    )
)
