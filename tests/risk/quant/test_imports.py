"""Imports from pyfair JSON (as written by pyfair 0.1a13's FairModel.to_json) and riskquant CSV."""

import json
from pathlib import Path

import pytest

from ramparts.risk.quant.distributions import Constant, LogNormal, Pert
from ramparts.risk.quant.imports import from_pyfair_json, from_riskquant_csv
from ramparts.risk.quant.spec import SpecError

PHISHING = (Path(__file__).parent / "data" / "pyfair_phishing.json").read_text()


def pyfair(**nodes) -> str:
    return json.dumps(
        {
            **nodes,
            "name": "M",
            "n_simulations": 10,
            "random_seed": 42,
            "type": "FairModel",
            "model_uuid": "u",
            "creation_date": "d",
        }
    )


def test_pyfair_model_export():
    s = from_pyfair_json(PHISHING)
    assert s.id == "Phishing"
    assert s.tef == Pert(2, 6, 20) and s.vulnerability == Pert(0.01, 0.05, 0.2)
    assert s.loss == Pert(5000, 20000, 400000)
    assert s.secondary is not None and s.secondary.probability == Constant(0.3)
    assert s.secondary.magnitude == Pert(10000, 50000, 1000000)
    assert from_pyfair_json(PHISHING, scenario_id="RISK-7").id == "RISK-7"


def test_pyfair_lef_and_loss_magnitude_with_abbreviations():
    s = from_pyfair_json(pyfair(LEF={"low": 0.05, "mode": 0.1, "high": 0.3}, LM={"constant": 5e5}))
    assert s.frequency == Pert(0.05, 0.1, 0.3) and s.loss == Constant(5e5)


@pytest.mark.parametrize(
    "nodes, field",
    [
        ({"LEF": {"mean": 1, "stdev": 0.2}, "LM": {"constant": 1}}, "Loss Event Frequency"),
        ({"LEF": {"constant": 1}}, "Loss Magnitude"),
        ({"LEF": {"constant": 1}, "LM": {"low": 5, "mode": 1, "high": 9}}, "Loss Magnitude.low"),
        ({"LEF": {"constant": 1}, "LM": {"low": 1, "mode": 2, "high": 9, "gamma": 6}}, "Loss Magnitude.gamma"),
        (
            {"TEF": {"constant": 1}, "TC": {"constant": 0.5}, "CS": {"constant": 0.5}, "LM": {"constant": 1}},
            "Threat Capability",
        ),
        ({"LEF": {"constant": 1}, "LM": {"constant": 1}, "Risk Appetite": {"constant": 1}}, "Risk Appetite"),
        ({"LEF": {"constant": 1}, "LM": {"constant": 1}, "SLEF": {"constant": 0.2}}, "Secondary Loss Event Magnitude"),
        ({"LEF": {"constant": 1}, "V": {"constant": 0.5}, "LM": {"constant": 1}}, "frequency"),
    ],
)
def test_pyfair_errors_name_the_node(nodes, field):
    with pytest.raises(SpecError) as caught:
        from_pyfair_json(pyfair(**nodes))
    assert caught.value.field == field


def test_pyfair_not_a_model():
    with pytest.raises(SpecError, match="FairModel"):
        from_pyfair_json('{"type": "FairMetaModel"}')
    with pytest.raises(SpecError, match="line 1"):
        from_pyfair_json("{nope")


def test_riskquant_csv_with_and_without_header():
    rows = 'ALICE,"Alice steals the data",0.01,1000000,10000000\nBOB,"Bob steals the data",0.10,10000000,1000000000\n'
    plain = from_riskquant_csv(rows)
    headed = from_riskquant_csv("Identifier,Name,Probability,Low_loss,High_loss\n" + rows)
    assert plain == headed
    alice = plain[0]
    assert alice.id == "ALICE" and alice.title == "Alice steals the data"
    assert alice.frequency == Constant(0.01) and alice.loss == LogNormal(1e6, 1e7)


def test_riskquant_repeated_identifiers_get_a_suffix():
    scenarios = from_riskquant_csv("A,x,0.1,10,100\nA,y,0.2,10,100\n")
    assert [s.id for s in scenarios] == ["A", "A-2"]


@pytest.mark.parametrize(
    "text, scenario, field",
    [
        ("A,x,0.1,10\n", "line 1", ""),
        ("A,x,-0.1,10,100\n", "A", "frequency"),
        ("A,x,lots,10,100\n", "A", "Probability"),
        ("A,x,0.1,100,10\n", "A", "Low_loss/High_loss.p95"),
        (",x,0.1,10,100\n", "line 1", "Identifier"),
        ("\n\n", "", ""),
    ],
)
def test_riskquant_errors(text, scenario, field):
    with pytest.raises(SpecError) as caught:
        from_riskquant_csv(text)
    assert (caught.value.scenario, caught.value.field) == (scenario, field)
