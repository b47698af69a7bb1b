"""The vulnerability widget on the home dashboard: open by priority, KEV hits, overdue."""

from ramparts.core.dashboard import Widget, register
from ramparts.vulns.selectors import summary

register(
    Widget(
        key="vulns",
        title="Vulnerabilities",
        template="vulns/_widget.html",
        context=summary,
        action="vulns.view",
        order=50,
        wide=True,
    )
)
