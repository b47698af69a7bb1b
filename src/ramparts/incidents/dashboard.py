"""The incidents widget on the home dashboard: open incidents and the most urgent regulatory clocks."""

from typing import Any

from django.utils import timezone

from ramparts.core.dashboard import Widget, register
from ramparts.incidents import selectors
from ramparts.incidents.engine.clocks import ClockState
from ramparts.incidents.models import Phase
from ramparts.incidents.services.regulatory import clocks_of

SHOWN = 6
LIVE = (ClockState.LATE, ClockState.DUE_SOON, ClockState.UPCOMING)


def incident_summary(user) -> dict[str, Any]:
    now = timezone.now()
    open_incidents = list(
        selectors.visible_to(user)
        .exclude(phase=Phase.CLOSED)
        .prefetch_related("notices")
        .order_by("-severity", "-declared_at")[:200]
    )
    clocks = []
    for incident in open_incidents:
        for clock in clocks_of(incident, now=now, notices=list(incident.notices.all())):
            if clock.status.state in LIVE:
                clocks.append((clock.deadline.due, incident, clock))
    clocks.sort(key=lambda t: t[0] or now)
    return {
        "open": open_incidents[:SHOWN],
        "open_total": len(open_incidents),
        "late": sum(1 for _, _, c in clocks if c.status.state is ClockState.LATE),
        "clocks": [(i, c) for _, i, c in clocks[:SHOWN]],
    }


register(
    Widget(
        key="incidents",
        title="Incidents",
        template="incidents/_widget.html",
        context=incident_summary,
        action="incidents.view",
        order=40,
    )
)
