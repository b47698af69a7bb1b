"""`ramparts risk simulate SPEC [--years N] [--seed S] [--json]`."""

import json

import pytest
from django.core.management import CommandError, call_command

from ramparts import cli

SPEC = """
seed: 5
tolerance:
  - {loss: 5000000, probability: 0.10}
scenarios:
  - id: ransomware
    frequency: {min: 0.05, most_likely: 0.1, max: 0.3}
    loss: {min: 100000, most_likely: 1000000, max: 10000000}
  - id: phishing
    tef: {min: 2, most_likely: 6, max: 20}
    vulnerability: {min: 0.01, most_likely: 0.05, max: 0.2}
    loss: {p5: 5000, p95: 400000}
"""
KEYS = {"ale", "p50", "p90", "p95", "p99", "p_no_loss"}


@pytest.fixture
def spec(tmp_path):
    path = tmp_path / "spec.yaml"
    path.write_text(SPEC)
    return path


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("risk", "simulate", *map(str, args), stdout=out)
    return out.getvalue()


def test_json_output_shape_and_reproducibility(spec):
    data = json.loads(run(spec, "--years", 20000, "--seed", 3, "--json"))
    assert data["years"] == 20000 and data["seed"] == 3
    assert [s["id"] for s in data["scenarios"]] == ["ransomware", "phishing"]
    assert all(set(s) == KEYS | {"id"} for s in data["scenarios"])
    assert set(data["portfolio"]) == KEYS
    assert data["portfolio"]["ale"] == pytest.approx(sum(s["ale"] for s in data["scenarios"]))
    assert data["tolerance"][0]["loss"] == 5e6
    assert json.loads(run(spec, "--years", 20000, "--seed", 3, "--json")) == data


def test_spec_seed_is_used_and_table_is_printed(spec):
    text = run(spec, "--years", 5000)
    assert "seed 5" in text and "PORTFOLIO" in text and "ransomware" in text and "tolerance" in text


@pytest.mark.parametrize(
    "content, words",
    [
        (
            "scenarios:\n  - id: a\n    frequency: {min: 0.5, most_likely: 0.1, max: 0.9}\n    loss: 5\n",
            "scenario 'a', field 'frequency.min'",
        ),
        ("scenarios:\n  - id: a\n    frequency: 1\n", "scenario 'a', field 'loss'"),
        ("scenarios: [", "line"),
    ],
)
def test_bad_spec_is_a_clear_error(tmp_path, content, words):
    path = tmp_path / "bad.yaml"
    path.write_text(content)
    with pytest.raises(CommandError, match=words.replace("[", r"\[")):
        run(path)


@pytest.mark.parametrize("years", [10**12, 10**8 + 1, 0, -5])
def test_absurd_years_are_refused(spec, years):
    with pytest.raises(CommandError, match="years"):
        run(spec, "--years", years)


def test_console_script_exits_non_zero_with_the_message(tmp_path, capsys):
    path = tmp_path / "bad.yaml"
    path.write_text("scenarios:\n  - id: a\n    frequency: -1\n    loss: 5\n")
    assert cli.main(["risk", "simulate", str(path)]) != 0
    assert "scenario 'a', field 'frequency'" in capsys.readouterr().err
    assert cli.main(["risk", "simulate", str(tmp_path / "missing.yaml")]) != 0
    assert "cannot read" in capsys.readouterr().err
    assert "risk" in cli.usage()
