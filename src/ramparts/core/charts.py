"""Charts drawn on the server as SVG: no JavaScript, nothing for the Content-Security-Policy to allow.

A view builds a chart from plain numbers and passes it to a template, which includes the matching
partial:

    chart = charts.line_chart([charts.Series("ALE", points)], x_log=True, x_format=charts.money)
    {% include "core/_chart_line.html" with chart=chart %}

    bars = charts.bar_chart([charts.Bar("RISK-4 Ransomware", 1.2e6, low=2e5, high=4e6)], value_format=charts.money)
    {% include "core/_chart_bars.html" with chart=bars %}

Colours come from CSS classes (`chart-series-0` … `chart-series-7`, `chart-tolerance`, …) set in
app.css, never from style attributes (the CSP forbids inline styles). Every chart carries a text
alternative (`summary`) and its data as a table for screen readers and for people who would
rather read than look.
"""

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

Number = float | int
Formatter = Callable[[float], str]

SERIES_CLASSES = 8


def plain(value: float) -> str:
    if value != 0 and (abs(value) >= 1e6 or abs(value) < 1e-3):
        return f"{value:.3g}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def money(value: float, currency: str = "$") -> str:
    """$950, $12k, $3.4M, $1.2B: short enough for an axis label."""
    sign = "-" if value < 0 else ""
    value = abs(value)
    for threshold, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if value >= threshold:
            scaled = value / threshold
            text = f"{scaled:.1f}".rstrip("0").rstrip(".") if scaled < 10 else f"{scaled:.0f}"
            return f"{sign}{currency}{text}{suffix}"
    return f"{sign}{currency}{value:.0f}"


def percent(value: float) -> str:
    """A probability in [0, 1] as a percentage."""
    scaled = value * 100
    if scaled == 0 or scaled >= 1:
        return f"{scaled:.0f}%"
    if scaled < 0.0001:
        return "<0.0001%"
    return f"{scaled:.4f}".rstrip("0").rstrip(".") + "%"


def integer(value: float) -> str:
    return f"{value:,.0f}"


@dataclass(frozen=True)
class Series:
    name: str
    points: Sequence[tuple[Number, Number]]  # (x, y); x may be a date for date axes
    css: str = ""  # a CSS class of the series; by default chart-series-<index>
    dashed: bool = False
    step: bool = False  # draw as a step function (e.g. an exceedance curve from sorted samples)


@dataclass(frozen=True)
class Tick:
    position: float  # in SVG units along the axis
    label: str


@dataclass(frozen=True)
class DrawnSeries:
    name: str
    css: str
    path: str  # the `d` of an SVG path
    area: str  # the `d` of the filled area under it, for stacked charts; "" otherwise
    dashed: bool
    last_x: float
    last_y: float


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    left: int
    top: int
    right: int
    bottom: int
    series: list[DrawnSeries]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    x_label: str
    y_label: str
    summary: str
    table_header: list[str]
    table_rows: list[list[str]]
    stacked: bool = False

    @property
    def plot_width(self) -> int:
        return self.right - self.left

    @property
    def plot_height(self) -> int:
        return self.bottom - self.top

    @property
    def empty(self) -> bool:
        return not self.series


@dataclass(frozen=True)
class _Axis:
    low: float
    high: float
    log: bool
    start: float  # SVG coordinate of `low`
    end: float  # SVG coordinate of `high`

    def place(self, value: float) -> float:
        if self.log:
            value = math.log10(max(value, self.low))
            low, high = math.log10(self.low), math.log10(self.high)
        else:
            low, high = self.low, self.high
        span = (high - low) or 1.0
        return round(self.start + (value - low) / span * (self.end - self.start), 2)


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round numbers covering [low, high]: 0, 250, 500, … rather than 0, 237.4, …"""
    if high <= low:
        high = low + 1
    raw = (high - low) / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step + 1e-9)
    last = math.ceil(high / step - 1e-9)
    return [round(i * step, 10) for i in range(first, last + 1)]


def log_ticks(low: float, high: float) -> list[float]:
    """Powers of ten from below `low` to above `high` (both > 0)."""
    first = math.floor(math.log10(low))
    last = math.ceil(math.log10(high))
    return [10.0**e for e in range(first, last + 1)]


def _is_date(value: object) -> bool:
    return isinstance(value, dt.date)


def _as_number(value: object) -> float:
    if isinstance(value, dt.datetime):
        return value.timestamp()
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(), tzinfo=dt.UTC).timestamp()
    return float(value)  # type: ignore[arg-type]


def _date_label(seconds: float, span_days: float) -> str:
    day = dt.datetime.fromtimestamp(seconds, tz=dt.UTC).date()
    return day.strftime("%b %Y") if span_days > 120 else day.strftime("%d %b")


def _date_ticks(low: float, high: float, count: int) -> list[float]:
    day = 86400.0
    span_days = (high - low) / day
    step_days = max(1, math.ceil(span_days / max(count, 1)))
    for nice in (1, 2, 7, 14, 30, 61, 91, 182, 365):
        if nice >= step_days:
            step_days = nice
            break
    start = math.ceil(low / day) * day
    return [start + i * step_days * day for i in range(int((high - start) // (step_days * day)) + 1)]


def line_chart(
    series: Sequence[Series],
    *,
    width: int = 640,
    height: int = 280,
    x_log: bool = False,
    y_log: bool = False,
    x_format: Formatter = plain,
    y_format: Formatter = plain,
    x_label: str = "",
    y_label: str = "",
    y_min: float | None = None,
    y_max: float | None = None,
    stacked: bool = False,
    summary: str = "",
    ticks: int = 5,
) -> LineChart:
    """Lines (or, with `stacked`, areas piled on one another, e.g. open findings by priority).

    Points with x given as dates get a date axis. Log axes drop points ≤ 0 (they have no place on
    them). `summary` is the sentence a screen reader gets instead of the picture.
    """
    margin_left, margin_right, margin_top, margin_bottom = 64, 28, 26, 40
    left, right, top, bottom = margin_left, width - margin_right, margin_top, height - margin_bottom
    usable = [s for s in series if s.points]
    dates = any(_is_date(p[0]) for s in usable for p in s.points)
    numeric = [[(_as_number(x), float(y)) for x, y in s.points] for s in usable]
    if stacked:
        numeric = _stack(numeric)
    if x_log:
        numeric = [[p for p in pts if p[0] > 0] for pts in numeric]
    if y_log:
        numeric = [[p for p in pts if p[1] > 0] for pts in numeric]
    xs = [x for pts in numeric for x, _ in pts]
    ys = [y for pts in numeric for _, y in pts]
    if not xs:
        return LineChart(width, height, left, top, right, bottom, [], [], [], x_label, y_label, summary, [], [])

    x_low, x_high = min(xs), max(xs)
    if x_low == x_high:
        x_high = x_low * 10 if x_log else x_low + 1
    y_low = y_min if y_min is not None else (min(ys) if y_log else min(0.0, min(ys)))
    y_high = y_max if y_max is not None else max(ys)
    if y_high <= y_low:
        y_high = y_low * 10 if y_log else y_low + 1

    if x_log:
        x_values = log_ticks(x_low, x_high)
        x_low, x_high = x_values[0], x_values[-1]
    elif dates:
        x_values = _date_ticks(x_low, x_high, ticks)
    else:
        x_values = nice_ticks(x_low, x_high, ticks)
        x_low, x_high = min(x_low, x_values[0]), max(x_high, x_values[-1])
    if y_log:
        y_values = log_ticks(y_low, y_high)
        y_low, y_high = y_values[0], y_values[-1]
    else:
        y_values = nice_ticks(y_low, y_high, ticks)
        y_low, y_high = min(y_low, y_values[0]), max(y_high, y_values[-1])

    x_axis = _Axis(x_low, x_high, x_log, left, right)
    y_axis = _Axis(y_low, y_high, y_log, bottom, top)
    span_days = (x_high - x_low) / 86400.0
    x_text: Formatter = (lambda v: _date_label(v, span_days)) if dates else x_format

    drawn = []
    baseline: list[tuple[float, float]] = []
    for index, (source, pts) in enumerate(zip(usable, numeric, strict=True)):
        coords = [(x_axis.place(x), y_axis.place(y)) for x, y in pts]
        if source.step:
            coords = _steps(coords)
        path = _path(coords)
        area = ""
        if stacked and coords:
            below = baseline or [(coords[0][0], y_axis.place(y_low)), (coords[-1][0], y_axis.place(y_low))]
            area = _path(coords + list(reversed(below))) + " Z"
            baseline = coords
        css = source.css or f"chart-series-{index % SERIES_CLASSES}"
        last_x, last_y = coords[-1] if coords else (left, bottom)
        drawn.append(DrawnSeries(source.name, css, path, area, source.dashed, last_x, last_y))

    header, rows = _table(usable, x_text if not dates else (lambda v: _date_label(v, 0)), y_format, dates)
    return LineChart(
        width=width,
        height=height,
        left=left,
        top=top,
        right=right,
        bottom=bottom,
        series=drawn,
        x_ticks=[Tick(x_axis.place(v), x_text(v)) for v in x_values if x_low <= v <= x_high],
        y_ticks=[Tick(y_axis.place(v), y_format(v)) for v in y_values if y_low <= v <= y_high],
        x_label=x_label,
        y_label=y_label,
        summary=summary,
        table_header=header,
        table_rows=rows,
        stacked=stacked,
    )


def _stack(numeric: list[list[tuple[float, float]]]) -> list[list[tuple[float, float]]]:
    """Each series rests on the sum of those before it (they share their x values)."""
    stacked: list[list[tuple[float, float]]] = []
    running: dict[float, float] = {}
    for pts in numeric:
        layer = []
        for x, y in pts:
            running[x] = running.get(x, 0.0) + y
            layer.append((x, running[x]))
        stacked.append(layer)
    return stacked


def _steps(coords: list[tuple[float, float]]) -> list[tuple[float, float]]:
    stepped: list[tuple[float, float]] = []
    for i, (x, y) in enumerate(coords):
        if i:
            stepped.append((x, coords[i - 1][1]))
        stepped.append((x, y))
    return stepped


def _path(coords: list[tuple[float, float]]) -> str:
    return " ".join(f"{'M' if i == 0 else 'L'}{x:g},{y:g}" for i, (x, y) in enumerate(coords))


def _table(
    series: Sequence[Series], x_text: Formatter, y_format: Formatter, dates: bool, limit: int = 60
) -> tuple[list[str], list[list[str]]]:
    """The chart's numbers as rows (x, then one column per series), thinned to `limit` rows."""
    by_x: dict[float, dict[int, float]] = {}
    labels: dict[float, str] = {}
    for index, source in enumerate(series):
        for x, y in source.points:
            key = _as_number(x)
            by_x.setdefault(key, {})[index] = float(y)
            labels[key] = x.isoformat() if dates and hasattr(x, "isoformat") else x_text(key)  # type: ignore[union-attr]
    keys = sorted(by_x)
    if len(keys) > limit:
        stride = math.ceil(len(keys) / limit)
        keys = keys[::stride]
    header = ["", *[s.name for s in series]]
    rows = [[labels[k], *[y_format(by_x[k][i]) if i in by_x[k] else "" for i in range(len(series))]] for k in keys]
    return header, rows


# --- bars ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    label: str
    value: Number
    low: Number | None = None  # an optional range drawn as a whisker, e.g. P5–P95
    high: Number | None = None
    css: str = ""
    url: str = ""


@dataclass(frozen=True)
class DrawnBar:
    label: str
    url: str
    css: str
    y: float
    bar_width: float
    whisker_from: float | None
    whisker_to: float | None
    value_text: str
    range_text: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    left: int
    right: int
    row_height: int
    bar_height: int
    bars: list[DrawnBar]
    ticks: list[Tick]
    summary: str
    log: bool

    @property
    def empty(self) -> bool:
        return not self.bars


def bar_chart(
    bars: Sequence[Bar],
    *,
    width: int = 640,
    label_width: int = 220,
    row_height: int = 26,
    value_format: Formatter = plain,
    log: bool = False,
    summary: str = "",
) -> BarChart:
    """Horizontal bars, one per row, with an optional low–high whisker on each."""
    left, right = label_width, width - 80
    values = [float(v) for b in bars for v in (b.value, b.low, b.high) if v is not None]
    if log:
        values = [v for v in values if v > 0]
    if not bars or not values:
        return BarChart(width, row_height + 30, left, right, row_height, row_height - 10, [], [], summary, log)
    high = max(values)
    if log:
        tick_values = log_ticks(min(values), high)
        axis = _Axis(tick_values[0], tick_values[-1], True, left, right)
    else:
        tick_values = nice_ticks(0.0, high)
        axis = _Axis(0.0, max(high, tick_values[-1]), False, left, right)
    drawn = []
    for index, bar in enumerate(bars):
        end = axis.place(float(bar.value)) if not log or bar.value > 0 else left
        whisker_from = axis.place(float(bar.low)) if bar.low is not None and (not log or bar.low > 0) else None
        whisker_to = axis.place(float(bar.high)) if bar.high is not None and (not log or bar.high > 0) else None
        range_text = ""
        if bar.low is not None and bar.high is not None:
            range_text = f"{value_format(float(bar.low))} – {value_format(float(bar.high))}"
        drawn.append(
            DrawnBar(
                label=bar.label,
                url=bar.url,
                css=bar.css or "chart-series-0",
                y=index * row_height + 4,
                bar_width=max(end - left, 0.0),
                whisker_from=whisker_from,
                whisker_to=whisker_to,
                value_text=value_format(float(bar.value)),
                range_text=range_text,
            )
        )
    height = len(bars) * row_height + 30
    ticks = [Tick(axis.place(v), value_format(v)) for v in tick_values]
    return BarChart(width, height, left, right, row_height, row_height - 10, drawn, ticks, summary, log)


# --- heat map -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeatCell:
    row: int  # 1 = lowest likelihood
    column: int  # 1 = lowest impact
    count: int
    level: str  # a CSS-friendly band name: "very-low" … "very-high"
    url: str = ""


@dataclass(frozen=True)
class HeatMap:
    rows: list[tuple[str, list[HeatCell]]]  # top row first (highest likelihood)
    column_labels: list[str]
    row_title: str
    column_title: str
    total: int = field(default=0)


def heat_map(
    counts: dict[tuple[int, int], int],
    *,
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    level_of: Callable[[int, int], str],
    url_of: Callable[[int, int], str] | None = None,
    row_title: str = "Likelihood",
    column_title: str = "Impact",
) -> HeatMap:
    """A likelihood × impact grid: rows and columns are 1-based levels, `counts` maps (row, column)
    to how many items sit in that cell, `level_of` names the band that colours the cell."""
    rows = []
    for row in range(len(row_labels), 0, -1):
        cells = [
            HeatCell(
                row=row,
                column=column,
                count=counts.get((row, column), 0),
                level=level_of(row, column),
                url=url_of(row, column) if url_of else "",
            )
            for column in range(1, len(column_labels) + 1)
        ]
        rows.append((row_labels[row - 1], cells))
    return HeatMap(rows, list(column_labels), row_title, column_title, sum(counts.values()))
