"""The compliance widget of the home dashboard: coverage per framework and the open gaps."""

from typing import Any

from ramparts.compliance import selectors
from ramparts.compliance.derivation import framework_coverage
from ramparts.compliance.models import Assessment
from ramparts.compliance.selectors import ControlFilters
from ramparts.core.dashboard import Widget, register

FRAMEWORKS_SHOWN = 5


def compliance_summary(user) -> dict[str, Any]:
    coverages = framework_coverage(user)
    coverages.sort(key=lambda c: (not c.framework.built_in, -c.tally.percent))
    return {
        "coverages": coverages[:FRAMEWORKS_SHOWN],
        "n_frameworks": len(coverages),
        "n_controls": selectors.control_list(user).count(),
        "n_orphans": selectors.control_list(user, filters=ControlFilters(gap="no_tool_no_owner")).count(),
        "open_assessments": selectors.assessment_list(user).filter(state=Assessment.State.IN_PROGRESS).count(),
    }


register(
    Widget(
        key="compliance",
        title="Compliance",
        template="compliance/_widget.html",
        context=compliance_summary,
        action="compliance.view",
        order=70,
    )
)
