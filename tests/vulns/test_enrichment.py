"""Enrichment: KEV/EPSS copied onto findings, SSVC inputs and decision set-based, SLA due dates."""

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from ramparts.vulns.enrichment import enrich_findings, explain
from ramparts.vulns.models import Finding, Priority
from ramparts.vulns.ssvc import inputs
from ramparts.vulns.ssvc.decide import Inputs, decide
from tests.vulns._findings import V3_LOCAL_PARTIAL, V3_NETWORK_TOTAL, add_epss, add_kev, make_finding, make_system

pytestmark = pytest.mark.django_db


def test_kev_finding_on_critical_internet_system_is_act_with_kev_due_date(unit_a):
    add_kev("CVE-2023-4966")
    system = make_system(unit_a, criticality=4, internet_facing=True)
    f = make_finding(unit_a, system=system, cve="CVE-2023-4966", cvss3_vector=V3_NETWORK_TOTAL)
    enrich_findings(Finding.objects.all())
    f.refresh_from_db()
    assert f.kev_date_added == dt.date(2023, 10, 18)
    assert f.kev_ransomware is True
    assert (f.exploitation, f.automatable, f.technical_impact, f.mission_wellbeing) == (
        "active", "yes", "total", "high",
    )  # fmt: skip
    assert f.ssvc_decision == "act" and f.priority == Priority.ACT
    assert f.ssvc_reason == (
        "Exploitation is active; Automatable is yes; Technical impact is total; Mission and well-being impact is high"
    )
    assert f.sla_due == dt.date(2023, 11, 8)  # KEV due date earlier than first_seen + 7 days
    reasons = explain(f).reasons
    assert "CVE-2023-4966 is in CISA's KEV catalogue (added 2023-10-18)" in reasons[0]
    assert "critical criticality, internet-facing" in reasons[3]
    f.mission_wellbeing = ""  # an input left undecided (a system criticality the engine does not know)
    assert f.ssvc_reason == ""


def test_epss_threshold_gives_poc_and_sla_from_first_seen(unit_a, settings):
    settings.RAMPARTS_VULNS_SLA_DAYS = {"track": 100}
    add_epss("CVE-2024-0001", 0.2)
    add_epss("CVE-2024-0002", 0.05)
    seen = timezone.now() - dt.timedelta(days=3)
    a = make_finding(unit_a, cve="CVE-2024-0001", cvss3_vector=V3_LOCAL_PARTIAL, first_seen=seen)
    b = make_finding(unit_a, cve="CVE-2024-0002", cvss3_vector=V3_LOCAL_PARTIAL, first_seen=seen)
    enrich_findings([a.pk, b.pk])
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.epss_score == 0.2 and a.exploitation == "poc"
    assert b.exploitation == "none"
    assert b.mission_wellbeing == "medium"  # no system
    assert b.ssvc_decision == "track" and b.sla_due == (seen + dt.timedelta(days=100)).date()
    settings.RAMPARTS_VULNS_EPSS_POC_THRESHOLD = 0.01
    enrich_findings([b.pk])
    b.refresh_from_db()
    assert b.exploitation == "poc"


def test_scanner_exploit_flag_is_poc_and_removed_kev_entry_is_cleared(unit_a):
    kev = add_kev("CVE-2021-44228")
    f = make_finding(unit_a, cve="CVE-2021-44228", exploit_available=True)
    enrich_findings(Finding.objects.all())
    f.refresh_from_db()
    assert f.exploitation == "active"
    kev.delete()
    enrich_findings(Finding.objects.all())
    f.refresh_from_db()
    assert f.kev_date_added is None and f.exploitation == "poc"


VECTORS = [
    "",
    V3_NETWORK_TOTAL,
    V3_LOCAL_PARTIAL,
    "CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H",
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:L/A:N",
    "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N",
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
    "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:H/VI:L/VA:H/SC:H/SI:H/SA:N",
]


def test_sql_inputs_match_the_engine_for_every_vector_and_system(unit_a):
    """The set-based CASE expressions give exactly what ssvc.inputs computes, row by row."""
    cases = []
    for vector, (crit, facing), kev, epss in itertools.product(
        VECTORS, [(c, i) for c in (1, 2, 3, 4) for i in (False, True)], (False, True), (None, 0.5)
    ):
        cve = f"CVE-2020-{len(cases) + 1000}"
        if kev:
            add_kev(cve)
        if epss is not None:
            add_epss(cve, epss)
        system = make_system(unit_a, criticality=crit, internet_facing=facing)
        v4 = vector if vector.startswith("CVSS:4") else ""
        v3 = "" if v4 else vector
        cases.append((make_finding(unit_a, system=system, cve=cve, cvss3_vector=v3, cvss4_vector=v4), vector))
    enrich_findings(Finding.objects.all())
    for finding, vector in cases:
        finding.refresh_from_db()
        expected = Inputs(
            inputs.exploitation(in_kev=finding.kev_date_added is not None, epss=finding.epss_score),
            inputs.automatable(vector),
            inputs.technical_impact(vector),
            inputs.mission_wellbeing(
                criticality=finding.system.criticality, internet_facing=finding.system.internet_facing
            ),
        )
        got = (finding.exploitation, finding.automatable, finding.technical_impact, finding.mission_wellbeing)
        assert got == (
            expected.exploitation, expected.automatable, expected.technical_impact, expected.mission_wellbeing,
        ), vector  # fmt: skip
        assert finding.ssvc_decision == decide(expected).decision.lower().replace("*", "_star")


def test_query_count_is_constant(unit_a, django_assert_max_num_queries):
    for i in range(30):
        make_finding(unit_a, cve=f"CVE-2024-{1000 + i}")
    with django_assert_max_num_queries(24):
        enrich_findings(Finding.objects.all())
