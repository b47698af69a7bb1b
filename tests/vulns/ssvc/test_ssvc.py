import itertools
import json
from importlib import resources

import pytest

from ramparts.vulns.ssvc import inputs as derive
from ramparts.vulns.ssvc.decide import Inputs, decide
from ramparts.vulns.ssvc.table import AXES, TableError, load, validate

# Independent transcription of CISA's published tree (SSVC Guide, Nov 2022, figure 1),
# read branch by branch: exploitation / automatable / technical impact -> (low, medium, high).
CISA_TREE = """
none   no  partial  Track  Track  Track
none   no  total    Track  Track  Track*
none   yes partial  Track  Track  Attend
none   yes total    Track  Track  Attend
poc    no  partial  Track  Track  Track*
poc    no  total    Track  Track* Attend
poc    yes partial  Track  Track  Attend
poc    yes total    Track  Track* Attend
active no  partial  Track  Track  Attend
active no  total    Track  Attend Act
active yes partial  Attend Attend Act
active yes total    Attend Act    Act
"""


def _expected():
    out = {}
    for line in CISA_TREE.strip().splitlines():
        e, a, t, *decisions = line.split()
        for mission, decision in zip(("low", "medium", "high"), decisions, strict=True):
            out[(e, a, t, mission)] = decision
    return out


EXPECTED = _expected()


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_table_row_matches_cisa(key):
    assert load()[key] == EXPECTED[key]


def test_table_complete():
    assert len(EXPECTED) == 36 == len(load())


def _shipped():
    return json.loads(resources.files("ramparts.vulns.ssvc").joinpath("cisa_tree.json").read_text())


def test_loader_refuses_unknown_value_naming_row():
    data = _shipped()
    data["rows"][4][1] = "maybe"
    with pytest.raises(TableError, match="row 5: unknown value 'maybe'"):
        validate(data)


def test_loader_refuses_duplicate_and_missing():
    data = _shipped()
    data["rows"][1] = list(data["rows"][0])
    with pytest.raises(TableError, match="row 2: duplicate"):
        validate(data)
    data = _shipped()
    del data["rows"][7]
    with pytest.raises(TableError, match="missing combination"):
        validate(data)


def test_all_combinations_decide():
    for key in itertools.product(*AXES):
        assert decide(Inputs(*key)).decision == EXPECTED[key]


def test_reasons_plain_english():
    result = decide(Inputs("active", "yes", "total", "high", cve="CVE-2023-4966", kev_date_added="2023-10-18"))
    assert result.decision == "Act"
    assert result.reasons[0] == ("Exploitation is active: CVE-2023-4966 is in CISA's KEV catalogue (added 2023-10-18)")
    assert len(result.reasons) == 4


def test_exploitation():
    assert derive.exploitation(in_kev=True) == "active"
    assert derive.exploitation(in_kev=False, epss=0.1) == "poc"
    assert derive.exploitation(in_kev=False, epss=0.09) == "none"
    assert derive.exploitation(in_kev=False, exploit_available=True) == "poc"


@pytest.mark.parametrize(
    ("vector", "auto", "impact"),
    [
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", "yes", "total"),
        ("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:L/A:N", "no", "partial"),
        ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", "yes", "total"),
        ("CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:L/VA:H/SC:N/SI:N/SA:N", "no", "partial"),
        (None, "no", "partial"),
    ],
)
def test_cvss_derivations(vector, auto, impact):
    assert derive.automatable(vector) == auto
    assert derive.technical_impact(vector) == impact


def test_mission_wellbeing():
    grid = {
        (c, f): derive.mission_wellbeing(criticality=c, internet_facing=f) for c in (1, 2, 3, 4) for f in (False, True)
    }
    assert grid == {
        (1, False): "low", (1, True): "low",
        (2, False): "low", (2, True): "medium",
        (3, False): "medium", (3, True): "high",
        (4, False): "high", (4, True): "high",
    }  # fmt: skip
    with pytest.raises(ValueError):
        derive.mission_wellbeing(criticality=5, internet_facing=False)
