"""Open FAIR scenarios as typed data. Construction validates, so a Scenario that exists is
simulable: errors name the scenario id and the field."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ramparts.risk.quant.distributions import Distribution, DistributionError, Scaled

MAX_YEARS = 10**8  # 800 MB of float64 annual losses for one scenario; more is a typo, not a need


class QuantError(ValueError):
    """Bad model input. `scenario` and `field` say where (either may be empty)."""

    def __init__(self, scenario: str, field: str, reason: str) -> None:
        parts = (f"scenario {scenario!r}" if scenario else "", f"field {field!r}" if field else "")
        where = ", ".join(part for part in parts if part)
        super().__init__(f"{where}: {reason}" if where else reason)
        self.scenario = scenario
        self.field = field
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Secondary:
    """Secondary loss: each primary event causes secondary stakeholders' reaction with
    `probability` (drawn per simulated year), costing `magnitude` (drawn per event)."""

    probability: Distribution
    magnitude: Distribution


@dataclass(frozen=True, slots=True)
class Scenario:
    """A loss scenario: loss event frequency per year given directly (`frequency`) or as threat
    event frequency × vulnerability, and a per-event primary `loss`."""

    id: str
    loss: Distribution
    frequency: Distribution | None = None
    tef: Distribution | None = None
    vulnerability: Distribution | None = None
    secondary: Secondary | None = None
    title: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id.strip():
            raise QuantError("", "id", "every scenario needs a non-empty id")
        direct = self.frequency is not None
        derived = self.tef is not None or self.vulnerability is not None
        if direct and derived:
            raise QuantError(self.id, "frequency", "give either frequency, or tef and vulnerability, not both")
        if not direct and not derived:
            raise QuantError(self.id, "frequency", "missing: give frequency, or tef and vulnerability")
        if derived and self.tef is None:
            raise QuantError(self.id, "tef", "missing: vulnerability needs a threat event frequency (tef)")
        if derived and self.vulnerability is None:
            raise QuantError(self.id, "vulnerability", "missing: tef needs a vulnerability")
        for name in ("frequency", "tef", "loss"):
            _check_bounds(self.id, name, getattr(self, name), probability=False)
        _check_bounds(self.id, "vulnerability", self.vulnerability, probability=True)
        if self.secondary is not None:
            _check_bounds(self.id, "secondary.probability", self.secondary.probability, probability=True)
            _check_bounds(self.id, "secondary.magnitude", self.secondary.magnitude, probability=False)

    @property
    def rate(self) -> Distribution:
        """The frequency-like input whose uniform driver the copula correlates."""
        rate = self.frequency if self.frequency is not None else self.tef
        assert rate is not None
        return rate

    def expected_frequency(self) -> float:
        if self.frequency is not None:
            return self.frequency.mean
        assert self.tef is not None and self.vulnerability is not None
        return self.tef.mean * self.vulnerability.mean  # independent draws

    def expected_loss_per_event(self) -> float:
        extra = self.secondary.probability.mean * self.secondary.magnitude.mean if self.secondary else 0.0
        return self.loss.mean + extra

    def expected_annual_loss(self) -> float:
        """Closed-form ALE (the mean of a compound Poisson with independent inputs)."""
        return self.expected_frequency() * self.expected_loss_per_event()

    def with_vulnerability_reduced(self, effectiveness: float) -> Scenario:
        """The scenario after a control of the given effectiveness (0..1): vulnerability ×
        (1 − effectiveness), or frequency × (1 − effectiveness) when LEF is given directly."""
        if not (isinstance(effectiveness, int | float) and 0 <= effectiveness <= 1):
            raise QuantError(self.id, "effectiveness", f"must be within [0, 1], got {effectiveness!r}")
        factor = 1 - float(effectiveness)
        if self.vulnerability is not None:
            return _replace(self, vulnerability=Scaled(self.vulnerability, factor))
        assert self.frequency is not None
        return _replace(self, frequency=Scaled(self.frequency, factor))


def _replace(scenario: Scenario, **changes: object) -> Scenario:
    values = {name: getattr(scenario, name) for name in Scenario.__dataclass_fields__}
    values.update(changes)
    return Scenario(**values)  # type: ignore[arg-type]


def _check_bounds(scenario: str, name: str, dist: Distribution | None, *, probability: bool) -> None:
    if dist is None:
        return
    if dist.lower < 0:
        raise QuantError(scenario, name, f"must not be negative (lowest value {dist.lower:g})")
    if probability and dist.upper > 1:
        hint = "; a {p5, p95} range is unbounded, use {min, most_likely, max}" if math.isinf(dist.upper) else ""
        reason = f"is a probability and must be within [0, 1] (highest value {dist.upper:g}){hint}"
        raise QuantError(scenario, name, reason)


def check_years(years: object) -> int:
    if isinstance(years, bool) or not isinstance(years, int):
        raise QuantError("", "years", f"must be a whole number, got {years!r}")
    if years < 1:
        raise QuantError("", "years", f"must be at least 1, got {years}")
    if years > MAX_YEARS:
        raise QuantError("", "years", f"{years:,} is more than the limit of {MAX_YEARS:,} simulated years")
    return years


def wrap_distribution_error(scenario: str, name: str, error: DistributionError) -> QuantError:
    sub = f"{name}.{error.field}" if error.field else name
    return QuantError(scenario, sub, error.reason)
