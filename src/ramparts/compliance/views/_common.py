"""What the compliance pages share."""

from ramparts.compliance.engine.coverage import Coverage
from ramparts.core import charts


def coverage_bars(cov: Coverage, depth: int, *, summary: str, url: str = "") -> charts.BarChart:
    """Coverage % per group (depth 0: function/family; 1: category) as horizontal bars."""
    bars = [
        charts.Bar(
            label=t.label or t.key,
            value=t.percent,
            css="chart-good" if t.percent >= 80 else "chart-warn" if t.percent >= 40 else "chart-tolerance",
            url=f"{url}?group={t.key.split('/')[-1]}" if url else "",
        )
        for t in cov.depth(depth)
        if t.applicable
    ]
    return charts.bar_chart(bars, value_format=lambda v: f"{v:.0f}%", summary=summary, label_width=260)


def status_badge(status: str | None) -> str:
    return {
        "implemented": "badge-ok",
        "partial": "badge-warn",
        "not_implemented": "badge-danger",
        "not_applicable": "badge-muted",
    }.get(status or "", "badge-muted")
