"""The likelihood × impact matrix, anchored to money so that the matrix and the money view agree.

Each likelihood level is a range of loss events a year, each impact level a range of money lost
per event. A quantified risk's rating is *derived*: its likelihood is the level whose range holds
the scenario's expected loss event frequency, its impact the level whose range holds its expected
loss per event (primary + probability × secondary). The two can therefore never disagree.

The default follows NIST SP 800-30 Rev. 1, Appendix G–I: five levels, Very Low to Very High, and
the risk level of each (likelihood, impact) pair from its Table I-2.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

NIST_LEVELS = ("Very Low", "Low", "Moderate", "High", "Very High")

# NIST SP 800-30 Rev. 1, Table I-2: rows likelihood Very Low → Very High, columns impact Very Low → Very High.
NIST_GRID = (
    (1, 1, 1, 2, 2),
    (1, 2, 2, 2, 3),
    (1, 2, 3, 3, 4),
    (1, 2, 3, 4, 5),
    (1, 2, 3, 4, 5),
)

DEFAULT_LIKELIHOOD: tuple[dict[str, Any], ...] = (
    {"label": "Very Low", "description": "less than once in 10 years", "min_frequency": 0, "max_frequency": 0.1},
    {"label": "Low", "description": "once in 2 to 10 years", "min_frequency": 0.1, "max_frequency": 0.5},
    {"label": "Moderate", "description": "once in 6 months to 2 years", "min_frequency": 0.5, "max_frequency": 2},
    {"label": "High", "description": "2 to 10 times a year", "min_frequency": 2, "max_frequency": 10},
    {"label": "Very High", "description": "more than 10 times a year", "min_frequency": 10, "max_frequency": None},
)
DEFAULT_IMPACT: tuple[dict[str, Any], ...] = (
    {"label": "Very Low", "description": "negligible: under $10k an event", "min_loss": 0, "max_loss": 1e4},
    {"label": "Low", "description": "limited: $10k to $100k", "min_loss": 1e4, "max_loss": 1e5},
    {"label": "Moderate", "description": "serious: $100k to $1M", "min_loss": 1e5, "max_loss": 1e6},
    {"label": "High", "description": "severe: $1M to $10M", "min_loss": 1e6, "max_loss": 1e7},
    {"label": "Very High", "description": "catastrophic: over $10M", "min_loss": 1e7, "max_loss": None},
)


class MatrixError(ValueError):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


@dataclass(frozen=True)
class Band:
    label: str
    description: str
    low: float
    high: float | None  # None: open-ended

    def holds(self, value: float) -> bool:
        return value >= self.low and (self.high is None or value < self.high)

    @property
    def range_text(self) -> str:
        return f"≥ {self.low:g}" if self.high is None else f"{self.low:g} – {self.high:g}"


@dataclass(frozen=True)
class Matrix:
    likelihood: tuple[Band, ...]
    impact: tuple[Band, ...]
    levels: tuple[str, ...]
    grid: tuple[tuple[int, ...], ...]

    def level(self, likelihood: int, impact: int) -> int:
        """The risk level (1-based) of a cell."""
        self._check_cell(likelihood, impact)
        return self.grid[likelihood - 1][impact - 1]

    def level_label(self, level: int) -> str:
        return self.levels[level - 1]

    def slug(self, level: int) -> str:
        """A CSS-friendly band name for colouring: the NIST names for 5 levels, level-N otherwise."""
        if len(self.levels) == 5:
            return ("very-low", "low", "moderate", "high", "very-high")[level - 1]
        return f"level-{level}"

    def likelihood_of(self, frequency: float) -> int:
        return _position(self.likelihood, frequency, "frequency")

    def impact_of(self, loss_per_event: float) -> int:
        return _position(self.impact, loss_per_event, "loss")

    def derive(self, frequency: float, loss_per_event: float) -> tuple[int, int]:
        """(likelihood, impact) of a quantified scenario."""
        return self.likelihood_of(frequency), self.impact_of(loss_per_event)

    def _check_cell(self, likelihood: int, impact: int) -> None:
        if not 1 <= likelihood <= len(self.likelihood):
            raise MatrixError("likelihood", f"must be between 1 and {len(self.likelihood)}, got {likelihood}")
        if not 1 <= impact <= len(self.impact):
            raise MatrixError("impact", f"must be between 1 and {len(self.impact)}, got {impact}")


def _position(bands: Sequence[Band], value: float, name: str) -> int:
    if not math.isfinite(value) or value < 0:
        raise MatrixError(name, f"must be a finite amount ≥ 0, got {value!r}")
    for index, band in enumerate(bands, start=1):
        if band.holds(value):
            return index
    return 1 if value < bands[0].low else len(bands)


def default_definition() -> dict[str, Any]:
    return {
        "likelihood": [dict(b) for b in DEFAULT_LIKELIHOOD],
        "impact": [dict(b) for b in DEFAULT_IMPACT],
        "levels": list(NIST_LEVELS),
        "grid": [list(row) for row in NIST_GRID],
    }


def build(definition: Mapping[str, Any]) -> Matrix:
    """A Matrix from its stored definition, refusing anything inconsistent (field named)."""
    likelihood = _bands(definition.get("likelihood"), "likelihood", "min_frequency", "max_frequency")
    impact = _bands(definition.get("impact"), "impact", "min_loss", "max_loss")
    levels = definition.get("levels")
    if not isinstance(levels, list) or not 2 <= len(levels) <= 10 or not all(isinstance(x, str) and x for x in levels):
        raise MatrixError("levels", "must be a list of 2 to 10 names")
    grid = definition.get("grid")
    if not isinstance(grid, list) or len(grid) != len(likelihood):
        raise MatrixError("grid", f"must have one row per likelihood level ({len(likelihood)})")
    rows = []
    for r, row in enumerate(grid, start=1):
        if not isinstance(row, list) or len(row) != len(impact):
            raise MatrixError(f"grid[{r}]", f"must have one cell per impact level ({len(impact)})")
        for cell in row:
            if isinstance(cell, bool) or not isinstance(cell, int) or not 1 <= cell <= len(levels):
                raise MatrixError(f"grid[{r}]", f"cells must be levels 1 to {len(levels)}, got {cell!r}")
        rows.append(tuple(row))
    return Matrix(likelihood, impact, tuple(levels), tuple(rows))


def _bands(raw: object, name: str, low_key: str, high_key: str) -> tuple[Band, ...]:
    if not isinstance(raw, list) or not 2 <= len(raw) <= 10:
        raise MatrixError(name, "must be a list of 2 to 10 levels")
    bands = []
    previous_high: float | None = None
    for i, item in enumerate(raw, start=1):
        where = f"{name}[{i}]"
        if not isinstance(item, Mapping) or not str(item.get("label") or "").strip():
            raise MatrixError(where, "needs a label")
        low, high = item.get(low_key), item.get(high_key)
        if not _number(low) or low is None or low < 0:
            raise MatrixError(f"{where}.{low_key}", f"must be a number ≥ 0, got {low!r}")
        last = i == len(raw)
        if high is None and not last:
            raise MatrixError(f"{where}.{high_key}", "only the last level may be open-ended")
        if high is not None and (not _number(high) or high <= low):
            raise MatrixError(f"{where}.{high_key}", f"must be a number above {low_key} ({low}), got {high!r}")
        if previous_high is not None and low != previous_high:
            raise MatrixError(
                f"{where}.{low_key}", f"must continue the level below (its {high_key} is {previous_high})"
            )
        previous_high = high
        bands.append(Band(str(item["label"]).strip(), str(item.get("description") or ""), float(low or 0), high))
    return tuple(bands)


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
