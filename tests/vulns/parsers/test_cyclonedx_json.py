"""CycloneDX JSON parser (vulnerabilities and VEX analysis) on DefectDojo's real samples."""

from __future__ import annotations

import orjson
import pytest

from ramparts.vulns.parsers import Severity

from ._scans import check_counts, needs_scans, parse_bytes, parse_file

pytestmark = needs_scans

COUNTS = [
    ("cyclonedx/log4j.json", 8, 8, 8, ""),
    ("cyclonedx/valid-vulnerability-1.4.json", 1, 1, 1, ""),
    ("cyclonedx/no-severity.json", 1, 1, 1, ""),
    ("cyclonedx/nested-component-log4j.json", 8, 8, 8, ""),
    ("cyclonedx/jake2.json", 7, 7, 7, ""),
]


@pytest.mark.parametrize(("rel", "defectdojo", "ours", "distinct_ours", "why"), COUNTS, ids=[c[0] for c in COUNTS])
def test_counts(rel, defectdojo, ours, distinct_ours, why):
    check_counts(rel, defectdojo, ours, distinct_ours, why)


def test_vex_analysis_and_vector_without_prefix():
    (f,) = parse_file("cyclonedx/valid-vulnerability-1.4.json")
    assert f.vex_state == "not_affected" and f.vex_justification == "code_not_reachable"
    assert f.extra["response"] == "will_not_fix,update"
    assert f.cve == "CVE-2018-7489" and f.rule_id == "SNYK-JAVA-COMFASTERXMLJACKSONCORE-32111"
    assert f.cvss3_vector == "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" and f.cvss3_score == 9.8  # method CVSSv3
    assert f.cwe == 184 and f.severity is Severity.CRITICAL
    assert (f.package, f.installed_version) == ("com.fasterxml.jackson.core:jackson-databind", "2.9.4")
    assert f.purl == "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.4" and f.ecosystem == "maven"


def test_severity_from_score_when_no_rating_names_one():
    (f,) = parse_file("cyclonedx/no-severity.json")
    assert f.severity is Severity.CRITICAL and f.cvss3_score == 10.0 and f.scanner_severity == ""


def test_in_triage_and_nested_components():
    flat = parse_file("cyclonedx/log4j.json")
    nested = parse_file("cyclonedx/nested-component-log4j.json")
    assert {f.vex_state for f in flat} == {"under_investigation"}
    log4shell = next(f for f in nested if f.cve == "CVE-2021-44228")
    assert log4shell.package == "log4j-core" and log4shell.installed_version == "2.13.2"  # found in a nested component
    assert log4shell.tool == "grype"


def test_one_finding_per_affected_component_and_states():
    doc = {"bomFormat": "CycloneDX", "specVersion": "1.6", "metadata": {"component": {"name": "shop", "version": "2"}},
           "components": [{"bom-ref": "a", "name": "lib-a", "version": "1", "purl": "pkg:npm/lib-a@1"},
                          {"bom-ref": "b", "name": "lib-b", "version": "3"}],
           "vulnerabilities": [{"id": "CVE-2024-1", "ratings": [{"method": "CVSSv4", "vector": "AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"}],  # noqa: E501
                                "analysis": {"state": "resolved"}, "affects": [{"ref": "a"}, {"ref": "b"}]}]}  # fmt: skip  # noqa: E501
    a, b = parse_bytes(orjson.dumps(doc))
    assert (a.package, b.package) == ("lib-a", "lib-b")
    assert a.vex_state == b.vex_state == "fixed"
    assert a.cvss4_vector.startswith("CVSS:4.0/") and a.cvss4_score == 9.3 and a.severity is Severity.CRITICAL
    assert a.fingerprint_parts == ("shop 2", "pkg:npm/lib-a@1", "CVE-2024-1")
    assert b.fingerprint_parts == ("shop 2", "lib-b@3", "CVE-2024-1")


def test_sbom_without_vulnerabilities_has_no_findings():
    assert parse_bytes(b'{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [{"name": "x"}]}') == []
