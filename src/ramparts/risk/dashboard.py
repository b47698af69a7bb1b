"""The risk widget on the home dashboard: appetite breaches, top risks by ALE, treatment due,
acceptances expiring soon (found by ramparts.core.dashboard.autodiscover)."""

import datetime as dt
from typing import Any

from django.utils import timezone

from ramparts.core.dashboard import Widget, register
from ramparts.risk import selectors
from ramparts.risk.evaluation import Judge

TOP = 5
BREACHES_SHOWN = 8


def risk_summary(user) -> dict[str, Any]:
    judge = Judge()
    risks = list(selectors.risk_list(user).exclude(status="closed"))
    breaches = [(r, v) for r in risks if not getattr(r, "accepted", False) and (v := judge.verdict(r)).breach]
    top = sorted((r for r in risks if r.ale is not None), key=lambda r: -(r.ale or 0))[:TOP]
    soon = timezone.now() + dt.timedelta(days=30)
    return {
        "total": len(risks),
        "breaches": breaches[:BREACHES_SHOWN],
        "breach_count": len(breaches),
        "top": top,
        "residual_ale": sum(r.ale or 0 for r in risks),
        "overdue": selectors.actions(user, overdue_only=True).count(),
        "expiring": selectors.acceptances(user)
        .filter(revoked_at__isnull=True, expires_at__gt=timezone.now(), expires_at__lte=soon)
        .count(),
    }


register(
    Widget(
        key="risks",
        title="Risks",
        template="risk/_widget.html",
        context=risk_summary,
        action="risk.view",
        order=60,
        wide=True,
    )
)
