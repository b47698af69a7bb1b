import datetime as dt

import pytest
from django.template.loader import render_to_string

from ramparts.core import charts


def test_nice_ticks_are_round_and_cover_the_range():
    assert charts.nice_ticks(0, 237.4) == [0, 50, 100, 150, 200, 250]
    assert charts.nice_ticks(3, 7, count=4) == [3, 4, 5, 6, 7]


def test_log_ticks_are_powers_of_ten_around_the_range():
    assert charts.log_ticks(3_000, 2_500_000) == [1e3, 1e4, 1e5, 1e6, 1e7]


@pytest.mark.parametrize(
    ("value", "text"),
    [(950, "$950"), (12_000, "$12k"), (3_400_000, "$3.4M"), (1_200_000_000, "$1.2B"), (45_000_000, "$45M")],
)
def test_money_is_short(value, text):
    assert charts.money(value) == text


def test_percent():
    assert charts.percent(0.1) == "10%"
    assert charts.percent(0.0012) == "0.12%"


def test_a_log_axis_places_decades_evenly_and_drops_non_positive_points():
    chart = charts.line_chart(
        [charts.Series("LEC", [(0, 1.0), (1_000, 0.5), (10_000, 0.2), (100_000, 0.05)])],
        x_log=True,
        x_format=charts.money,
    )
    positions = [t.position for t in chart.x_ticks]
    gaps = {round(b - a, 1) for a, b in zip(positions, positions[1:], strict=False)}
    assert len(gaps) == 1, "decades must be equally spaced on a log axis"
    assert [t.label for t in chart.x_ticks] == ["$1k", "$10k", "$100k"]
    assert chart.series[0].path.count("L") == 2  # the point at x=0 has no place on a log axis


def test_y_grows_upwards():
    chart = charts.line_chart([charts.Series("s", [(0, 0), (1, 10)])])
    coords = [tuple(map(float, p[1:].split(","))) for p in chart.series[0].path.split()]
    assert coords[1][1] < coords[0][1]


def test_stacked_series_rest_on_the_ones_before():
    first = charts.Series("critical", [(0, 2), (1, 2)])
    second = charts.Series("high", [(0, 3), (1, 1)])
    chart = charts.line_chart([first, second], stacked=True, y_min=0, y_max=10)
    top_of_second = chart.series[1].path.split()[0]
    # 2 + 3 = 5 out of 10: half-way up the plot.
    y = float(top_of_second.split(",")[1])
    assert y == pytest.approx(chart.bottom - chart.plot_height / 2)
    assert chart.series[1].area.endswith("Z")


def test_dates_make_a_date_axis_and_a_table():
    start = dt.date(2026, 1, 1)
    points = [(start + dt.timedelta(days=d), d) for d in range(0, 60, 5)]
    chart = charts.line_chart([charts.Series("open", points)])
    assert chart.x_ticks and all(any(m in t.label for m in ("Jan", "Feb", "Mar")) for t in chart.x_ticks)
    assert chart.table_rows[0][0] == "2026-01-01"


def test_no_points_is_an_empty_chart():
    assert charts.line_chart([charts.Series("s", [])]).empty
    assert charts.bar_chart([]).empty


def test_bars_scale_to_the_largest_value_and_carry_whiskers():
    chart = charts.bar_chart(
        [charts.Bar("big", 100, low=50, high=200), charts.Bar("small", 25)], value_format=charts.integer
    )
    big, small = chart.bars
    assert small.bar_width == pytest.approx(big.bar_width / 4)
    assert big.whisker_from is not None and big.whisker_to > big.whisker_from
    assert big.range_text == "50 – 200"
    assert small.whisker_from is None


def test_heat_map_puts_the_highest_likelihood_on_top():
    grid = charts.heat_map(
        {(5, 1): 2, (1, 5): 1},
        row_labels=["VL", "L", "M", "H", "VH"],
        column_labels=["VL", "L", "M", "H", "VH"],
        level_of=lambda r, c: "high" if r * c > 9 else "low",
        url_of=lambda r, c: f"?l={r}&i={c}",
    )
    assert grid.rows[0][0] == "VH" and grid.rows[0][1][0].count == 2
    assert grid.rows[-1][1][-1].count == 1 and grid.rows[-1][1][-1].url == "?l=1&i=5"
    assert grid.total == 3


def test_templates_escape_names_and_use_no_style_attributes():
    hostile = '<script>alert(1)</script>"'
    line = charts.line_chart([charts.Series(hostile, [(1, 1), (2, 3)])], summary=hostile)
    bars = charts.bar_chart([charts.Bar(hostile, 3, low=1, high=4, url="/x/")])
    grid = charts.heat_map({(1, 1): 1}, row_labels=[hostile], column_labels=["c"], level_of=lambda r, c: "low")
    html = (
        render_to_string("core/_chart_line.html", {"chart": line})
        + render_to_string("core/_chart_bars.html", {"chart": bars})
        + render_to_string("core/_heat_map.html", {"map": grid})
    )
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "style=" not in html
    assert html.count("<svg") >= 3
