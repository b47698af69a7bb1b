"""SPEC files: scenarios to simulate, in YAML or JSON (JSON is valid YAML). The format is
documented in docs/risk-quant.md. Every error names the scenario id and the field.

    years: 100000          # optional; the command line's --years wins
    seed: 42               # optional; the command line's --seed wins
    correlation: {rho: 0.3}            # optional; or {matrix: [[1, 0.5], [0.5, 1]]}
    tolerance:                         # optional: "≤ 10% chance of losing ≥ $5M a year"
      - {loss: 5000000, probability: 0.10}
    scenarios:
      - id: ransomware
        frequency: {min: 0.05, most_likely: 0.1, max: 0.3}     # PERT
        loss: {p5: 100000, p95: 5000000}                       # lognormal, 90% interval
        secondary: {probability: 0.3, magnitude: {min: 1e4, most_likely: 5e4, max: 1e6}}
      - id: phishing
        tef: 12                                                 # a constant
        vulnerability: {min: 0.01, most_likely: 0.05, max: 0.2}
        loss: {min: 5000, most_likely: 20000, max: 400000}
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

from ramparts.risk.quant.distributions import Constant, Distribution, DistributionError, LogNormal, Pert
from ramparts.risk.quant.model import QuantError, Scenario, Secondary, check_years, wrap_distribution_error
from ramparts.risk.quant.portfolio import Correlation
from ramparts.risk.quant.results import TolerancePoint
from ramparts.risk.quant.simulate import check_seed

MAX_SPEC_BYTES = 10 * 1024 * 1024
MAX_SCENARIOS = 10_000
TOP_KEYS = {"scenarios", "years", "seed", "correlation", "tolerance"}
SCENARIO_KEYS = {"id", "title", "frequency", "tef", "vulnerability", "loss", "secondary"}
PERT_KEYS = {"min", "most_likely", "max"}
LOGNORMAL_KEYS = {"p5", "p95"}
_NUMBER = re.compile(r"^[+-]?(\d[\d_]*)?\.?\d*([eE][+-]?\d+)?$")


class SpecError(QuantError):
    pass


@dataclass(frozen=True)
class Spec:
    scenarios: list[Scenario]
    years: int | None = None
    seed: int | None = None
    correlation: Correlation | None = None
    tolerance: list[TolerancePoint] = field(default_factory=list)


def load_spec(path: str | Path) -> Spec:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_SPEC_BYTES:
            raise SpecError("", "", f"{path} is {size:,} bytes, over the limit of {MAX_SPEC_BYTES:,}")
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise SpecError("", "", f"cannot read {path}: {error}") from None
    return parse_spec_text(text)


def parse_spec_text(text: str) -> Spec:
    if text.lstrip().startswith(("{", "[")):  # JSON: parsed as JSON, so that NaN/Infinity are numbers (refused)
        try:
            return parse_spec(json.loads(text))
        except json.JSONDecodeError as error:
            raise SpecError(
                "", "", f"not valid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
            ) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = getattr(error, "problem", None) or str(error)
        raise SpecError("", "", f"not valid YAML or JSON{where}: {reason}") from None
    return parse_spec(data)


def parse_spec(data: object) -> Spec:
    if not isinstance(data, Mapping):
        raise SpecError("", "", "a SPEC is a mapping with a `scenarios` list")
    _no_unknown_keys("", "", data, TOP_KEYS)
    raw = data.get("scenarios")
    if not isinstance(raw, list) or not raw:
        raise SpecError("", "scenarios", "must be a non-empty list")
    if len(raw) > MAX_SCENARIOS:
        raise SpecError("", "scenarios", f"{len(raw):,} scenarios is over the limit of {MAX_SCENARIOS:,}")
    scenarios: list[Scenario] = []
    seen: set[str] = set()
    for position, item in enumerate(raw, start=1):
        scenario = parse_scenario(item, position)
        if scenario.id in seen:
            raise SpecError(scenario.id, "id", "is used by more than one scenario")
        seen.add(scenario.id)
        scenarios.append(scenario)
    years = _whole(data["years"], "years") if "years" in data else None
    seed = _whole(data["seed"], "seed") if "seed" in data else None
    try:
        if years is not None:
            check_years(years)
        if seed is not None:
            check_seed(seed)
    except QuantError as error:
        raise SpecError("", error.field, error.reason) from None
    correlation = _correlation(data["correlation"], len(scenarios)) if data.get("correlation") is not None else None
    tolerance = _tolerance(data.get("tolerance") or [])
    return Spec(scenarios, years, seed, correlation, tolerance)


def parse_scenario(item: object, position: int) -> Scenario:
    if not isinstance(item, Mapping):
        raise SpecError(f"#{position}", "", "each scenario is a mapping with an id")
    ident = item.get("id")
    if isinstance(ident, int) and not isinstance(ident, bool):
        ident = str(ident)
    if not isinstance(ident, str) or not ident.strip():
        raise SpecError(f"#{position}", "id", "missing: every scenario needs an id")
    ident = ident.strip()
    _no_unknown_keys(ident, "", item, SCENARIO_KEYS)
    if "loss" not in item or item["loss"] is None:
        raise SpecError(ident, "loss", "missing: give the loss per event")
    values: dict[str, object] = {"id": ident, "title": str(item.get("title") or "")}
    for name in ("frequency", "tef", "vulnerability", "loss"):
        if item.get(name) is not None:
            values[name] = parse_range(item[name], ident, name)
    secondary = item.get("secondary")
    if secondary is not None:
        if not isinstance(secondary, Mapping):
            raise SpecError(ident, "secondary", "must be a mapping with probability and magnitude")
        _no_unknown_keys(ident, "secondary", secondary, {"probability", "magnitude"})
        for part in ("probability", "magnitude"):
            if secondary.get(part) is None:
                raise SpecError(ident, f"secondary.{part}", "missing")
        values["secondary"] = Secondary(
            parse_range(secondary["probability"], ident, "secondary.probability"),
            parse_range(secondary["magnitude"], ident, "secondary.magnitude"),
        )
    try:
        return Scenario(**values)  # type: ignore[arg-type]
    except QuantError as error:
        raise SpecError(error.scenario or ident, error.field, error.reason) from None


def parse_range(value: object, scenario: str, name: str) -> Distribution:
    """A number (constant), {min, most_likely, max} (PERT) or {p5, p95} (lognormal)."""
    try:
        if not isinstance(value, Mapping):
            return Constant(_number(value, ""))
        keys = set(value)
        if keys == PERT_KEYS:
            return Pert(
                _number(value["min"], "min"), _number(value["most_likely"], "most_likely"), _number(value["max"], "max")
            )
        if keys == LOGNORMAL_KEYS:
            return LogNormal(_number(value["p5"], "p5"), _number(value["p95"], "p95"))
    except DistributionError as error:
        raise SpecError(*_where(wrap_distribution_error(scenario, name, error))) from None
    unknown = sorted(str(k) for k in keys - PERT_KEYS - LOGNORMAL_KEYS)
    if unknown:
        raise SpecError(
            scenario, f"{name}.{unknown[0]}", "unknown key; a range is {min, most_likely, max}, {p5, p95}, or a number"
        )
    missing = sorted((PERT_KEYS if keys & PERT_KEYS else LOGNORMAL_KEYS) - keys)
    if keys & PERT_KEYS and keys & LOGNORMAL_KEYS:
        raise SpecError(scenario, name, "mixes {min, most_likely, max} with {p5, p95}; give one form")
    raise SpecError(scenario, f"{name}.{missing[0]}", "missing")


def _where(error: QuantError) -> tuple[str, str, str]:
    return error.scenario, error.field, error.reason


def _number(value: object, sub: str) -> float:
    if isinstance(value, str) and _NUMBER.match(value.strip()) and any(c.isdigit() for c in value):
        value = float(value.strip().replace("_", ""))  # YAML reads 1e6 (no dot) as text
    if isinstance(value, str) and value.strip().lower().lstrip("+-.") in {"nan", "inf", "infinity"}:
        raise DistributionError(sub, f"must be finite, got {value!r}")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise DistributionError(sub, f"must be a number, got {value!r}")
    if not math.isfinite(value):
        raise DistributionError(sub, f"must be finite, got {value}")
    return float(value)


def _whole(value: object, name: str) -> int:
    if isinstance(value, str) and _NUMBER.match(value.strip()) and any(c.isdigit() for c in value):
        value = float(value.strip().replace("_", ""))  # YAML reads 1e5 (no dot) as text
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise SpecError("", name, f"must be a whole number, got {value!r}")
    return value


def _no_unknown_keys(scenario: str, prefix: str, data: Mapping, allowed: set[str]) -> None:
    unknown = sorted(str(k) for k in set(data) - allowed)
    if unknown:
        name = f"{prefix}.{unknown[0]}" if prefix else unknown[0]
        raise SpecError(scenario, name, f"unknown key (allowed: {', '.join(sorted(allowed))})")


def _correlation(value: object, n: int) -> Correlation:
    try:
        if isinstance(value, int | float) and not isinstance(value, bool):
            correlation = Correlation(rho=_number(value, ""))
        elif isinstance(value, Mapping) and set(value) == {"rho"}:
            correlation = Correlation(rho=_number(value["rho"], ""))
        elif isinstance(value, Mapping) and set(value) == {"matrix"}:
            rows = value["matrix"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise SpecError("", "correlation.matrix", "must be a list of rows")
            matrix = np.array([[_number(x, "") for x in row] for row in rows], dtype=np.float64)
            correlation = Correlation(matrix=matrix)
            correlation.cholesky(n)  # validate now, with the scenario count
        else:
            raise SpecError("", "correlation", "must be a number, {rho: …} or {matrix: [[…], …]}")
    except DistributionError as error:
        raise SpecError("", "correlation", error.reason) from None
    except QuantError as error:
        raise SpecError("", error.field, error.reason) from None
    return correlation


def _tolerance(value: object) -> list[TolerancePoint]:
    if not isinstance(value, list):
        raise SpecError("", "tolerance", "must be a list of {loss, probability}")
    points = []
    for position, item in enumerate(value, start=1):
        if not isinstance(item, Mapping) or set(item) != {"loss", "probability"}:
            raise SpecError("", f"tolerance[{position}]", "must be {loss: amount, probability: 0..1}")
        try:
            points.append(TolerancePoint(_number(item["loss"], "loss"), _number(item["probability"], "probability")))
        except DistributionError as error:
            raise SpecError("", f"tolerance[{position}].{error.field}", error.reason) from None
        except QuantError as error:
            raise SpecError("", f"tolerance[{position}]", error.reason) from None
    return points


def range_to_spec(dist: Distribution) -> object:
    """The SPEC form of a distribution: the inverse of parse_range."""
    if isinstance(dist, Constant):
        return dist.value
    if isinstance(dist, Pert):
        return {"min": dist.low, "most_likely": dist.mode, "max": dist.high}
    if isinstance(dist, LogNormal):
        return {"p5": dist.p5, "p95": dist.p95}
    raise SpecError("", "", f"{type(dist).__name__} has no SPEC form")


def to_spec(scenario: Scenario) -> dict[str, object]:
    """A scenario as a SPEC mapping (parse_scenario reads it back to an equal scenario)."""
    data: dict[str, object] = {"id": scenario.id}
    if scenario.title:
        data["title"] = scenario.title
    for name in ("frequency", "tef", "vulnerability", "loss"):
        dist = getattr(scenario, name)
        if dist is not None:
            data[name] = range_to_spec(dist)
    if scenario.secondary is not None:
        data["secondary"] = {
            "probability": range_to_spec(scenario.secondary.probability),
            "magnitude": range_to_spec(scenario.secondary.magnitude),
        }
    return data
