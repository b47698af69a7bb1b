"""SPEC files: the documented format, and bad input that names the scenario and the field."""

import json

import numpy as np
import pytest

from ramparts.risk.quant.distributions import Constant, LogNormal, Pert
from ramparts.risk.quant.spec import SpecError, load_spec, parse_spec, parse_spec_text

GOOD = """
years: 50000
seed: 42
correlation: {rho: 0.3}
tolerance:
  - {loss: 5000000, probability: 0.10}
scenarios:
  - id: ransomware
    title: Ransomware on the ERP
    frequency: {min: 0.05, most_likely: 0.1, max: 0.3}
    loss: {p5: 100000, p95: 5e6}
    secondary: {probability: 0.3, magnitude: {min: 1.0e4, most_likely: 5.0e4, max: 1.0e6}}
  - id: phishing
    tef: 12
    vulnerability: {min: 0.01, most_likely: 0.05, max: 0.2}
    loss: {min: 5000, most_likely: 20000, max: 400000}
"""


def scenario(**fields) -> dict:
    base = {"id": "x", "frequency": {"min": 0.1, "most_likely": 0.2, "max": 0.5}, "loss": 1000}
    base.update(fields)
    return {k: v for k, v in base.items() if v is not None}


def error_for(*scenarios, **top) -> SpecError:
    with pytest.raises(SpecError) as caught:
        parse_spec({"scenarios": list(scenarios), **top})
    return caught.value


def test_the_documented_example_parses():
    spec = parse_spec_text(GOOD)
    assert spec.years == 50_000 and spec.seed == 42
    assert spec.correlation is not None and spec.correlation.rho == 0.3
    assert spec.tolerance[0].loss == 5e6 and spec.tolerance[0].max_probability == 0.1
    ransomware, phishing = spec.scenarios
    assert ransomware.frequency == Pert(0.05, 0.1, 0.3)
    assert ransomware.loss == LogNormal(100_000, 5e6)  # "5e6" is text to YAML 1.1; read as a number
    assert ransomware.secondary is not None and ransomware.secondary.probability == Constant(0.3)
    assert phishing.tef == Constant(12) and phishing.vulnerability == Pert(0.01, 0.05, 0.2)
    assert ransomware.title == "Ransomware on the ERP"


def test_json_files_load_too(tmp_path):
    path = tmp_path / "spec.json"
    path.write_text(json.dumps({"scenarios": [scenario()]}))
    assert load_spec(path).scenarios[0].id == "x"


@pytest.mark.parametrize(
    "fields, field, words",
    [
        ({"frequency": {"min": 0.5, "most_likely": 0.2, "max": 0.9}}, "frequency.min", "most_likely"),
        ({"frequency": {"min": 0.1, "most_likely": 0.9, "max": 0.5}}, "frequency.most_likely", "max"),
        ({"loss": {"min": 5, "most_likely": 5, "max": 5}}, "loss.max", "zero-width"),
        ({"frequency": {"min": -0.1, "most_likely": 0.2, "max": 0.5}}, "frequency", "negative"),
        ({"loss": -5}, "loss", "negative"),
        ({"loss": {"p5": 100, "p95": 100}}, "loss.p95", "greater than p5"),
        ({"loss": {"p5": 200, "p95": 100}}, "loss.p95", "greater than p5"),
        ({"loss": {"p5": 0, "p95": 100}}, "loss.p5", "greater than 0"),
        ({"loss": float("nan")}, "loss", "finite"),
        ({"loss": {"p5": 1, "p95": float("inf")}}, "loss.p95", "finite"),
        ({"loss": True}, "loss", "number"),
        ({"loss": "lots"}, "loss", "number"),
        ({"loss": None}, "loss", "missing"),
        ({"loss": {"min": 1, "max": 5}}, "loss.most_likely", "missing"),
        ({"loss": {"min": 1, "most_likely": 2, "max": 5, "mode": 3}}, "loss.mode", "unknown"),
        ({"loss": {"min": 1, "most_likely": 2, "p95": 5}}, "loss", "mixes"),
        ({"frequency": None, "tef": 5, "vulnerability": 1.5}, "vulnerability", "[0, 1]"),
        ({"frequency": None, "tef": 5, "vulnerability": {"p5": 0.1, "p95": 0.5}}, "vulnerability", "unbounded"),
        ({"frequency": None, "tef": 5}, "vulnerability", "missing"),
        ({"frequency": None, "vulnerability": 0.5}, "tef", "missing"),
        ({"frequency": None}, "frequency", "missing"),
        ({"tef": 5, "vulnerability": 0.5}, "frequency", "not both"),
        ({"secondary": {"probability": 1.2, "magnitude": 5}}, "secondary.probability", "[0, 1]"),
        ({"secondary": {"probability": 0.2}}, "secondary.magnitude", "missing"),
        ({"secondary": {"probability": 0.2, "magnitude": 5, "when": 1}}, "secondary.when", "unknown"),
        ({"impact": 5}, "impact", "unknown"),
    ],
)
def test_bad_scenarios_name_scenario_and_field(fields, field, words):
    error = error_for(scenario(**fields))
    assert error.scenario == "x"
    assert error.field == field
    assert words in error.reason
    assert "'x'" in str(error) and field in str(error)


def test_scenario_without_id_is_named_by_position():
    error = error_for(scenario(), {"loss": 5, "frequency": 1})
    assert error.scenario == "#2" and error.field == "id"


def test_years_in_exponent_notation_are_read():
    assert parse_spec_text("years: 1e5\nscenarios: [{id: a, frequency: 1, loss: 2}]").years == 100_000


def test_duplicate_ids():
    assert error_for(scenario(), scenario()).field == "id"


@pytest.mark.parametrize(
    "top, field",
    [
        ({"years": 10**9}, "years"),
        ({"years": 10**12}, "years"),
        ({"years": 0}, "years"),
        ({"years": "many"}, "years"),
        ({"seed": -1}, "seed"),
        ({"budget": 5}, "budget"),
        ({"correlation": {"rho": 1.5}}, "correlation.rho"),
        ({"correlation": {"matrix": [[1, 0.5], [0.5, 1]]}}, "correlation.matrix"),  # 1 scenario, 2×2
        ({"correlation": "high"}, "correlation"),
        ({"tolerance": [{"loss": 5e6, "probability": 2}]}, "tolerance[1]"),
        ({"tolerance": [{"loss": 5e6}]}, "tolerance[1]"),
    ],
)
def test_bad_top_level_fields(top, field):
    assert error_for(scenario(), **top).field == field


@pytest.mark.parametrize(
    "text, words",
    [
        ("scenarios: [", "line"),
        ("- a\n- b\n", "mapping"),
        ("scenarios: []", "non-empty"),
        ("scenarios:\n  - id: x\n    frequency: .nan\n    loss: 5\n", "finite"),
        ("scenarios:\n  - id: x\n    frequency: .inf\n    loss: 5\n", "finite"),
        ('{"scenarios": [{"id": "x", "frequency": NaN, "loss": 5}]}', "finite"),
        ('{"scenarios": [{"id": "x", "frequency": 1, "loss": Infinity}]}', "finite"),
    ],
)
def test_bad_text(text, words):
    with pytest.raises(SpecError) as caught:
        parse_spec_text(text)
    assert words in str(caught.value)


def test_missing_and_oversized_files(tmp_path, monkeypatch):
    with pytest.raises(SpecError, match="cannot read"):
        load_spec(tmp_path / "nope.yaml")
    from ramparts.risk.quant import spec as spec_module

    monkeypatch.setattr(spec_module, "MAX_SPEC_BYTES", 10)
    path = tmp_path / "big.yaml"
    path.write_text(GOOD)
    with pytest.raises(SpecError, match="over the limit"):
        load_spec(path)


def test_correlation_matrix_is_read():
    spec = parse_spec(
        {"scenarios": [scenario(id="a"), scenario(id="b")], "correlation": {"matrix": [[1, 0.4], [0.4, 1]]}}
    )
    assert spec.correlation is not None and np.allclose(spec.correlation.matrix, [[1, 0.4], [0.4, 1]])
