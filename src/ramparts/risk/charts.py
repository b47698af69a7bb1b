"""The risk module's charts, built from stored numbers with ramparts.core.charts (server-side SVG)."""

from collections.abc import Sequence

from ramparts.core import charts
from ramparts.risk.engine.matrix import Matrix
from ramparts.risk.models import Risk


def lec_chart(amounts: Sequence[float], probabilities: Sequence[float], tolerance: Sequence[dict], *, name: str):
    """The loss exceedance curve on a log money axis, with the tolerance curve overlaid."""
    points = [(a, p) for a, p in zip(amounts, probabilities, strict=True) if a > 0]
    series = [charts.Series(name, points, step=True)]
    if tolerance:
        series.append(
            charts.Series(
                "Tolerance", [(t["loss"], t["probability"]) for t in tolerance], css="chart-tolerance", dashed=True
            )
        )
    return charts.line_chart(
        series,
        x_log=True,
        x_format=charts.money,
        y_format=charts.percent,
        x_label="annual loss ≥",
        y_label="probability",
        y_min=0,
        summary=f"Loss exceedance curve of {name}: the chance of losing at least each amount in a year",
    )


def top_risks_chart(risks: Sequence[Risk]):
    bars = [
        charts.Bar(f"{r.ref} {r.title[:40]}", r.ale or 0, low=r.p5, high=r.p95, url=f"/risk/{r.ref}/") for r in risks
    ]
    return charts.bar_chart(
        bars, value_format=charts.money, summary="Top risks by annual loss expectancy, with P5–P95 whiskers"
    )


def trend_chart(rows: Sequence[tuple]):
    series = [charts.Series("Residual ALE", [(day, ale) for day, ale, _ in rows])] if rows else []
    return charts.line_chart(
        series, y_format=charts.money, y_min=0, y_label="residual ALE", summary="Residual exposure over time"
    )


def heat_map(matrix: Matrix, counts: dict, *, stage: str, title: str):
    heat = charts.heat_map(
        counts,
        row_labels=[b.label for b in matrix.likelihood],
        column_labels=[b.label for b in matrix.impact],
        level_of=lambda r, c: matrix.slug(matrix.level(r, c)),
        url_of=lambda r, c: f"/risk/?stage={stage}&likelihood={r}&impact={c}",
    )
    return {"map": heat, "title": title}
