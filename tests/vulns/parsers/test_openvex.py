"""OpenVEX parser on DefectDojo's real samples."""

from __future__ import annotations

import pytest

from ._scans import check_counts, needs_scans, parse_bytes, parse_file

pytestmark = needs_scans

COUNTS = [
    ("openvex/openvex_many_vuln.json", 6, 6, 6, ""),
    ("openvex/openvex_one_vuln.json", 1, 1, 1, ""),
    ("openvex/openvex_no_vuln.json", 0, 0, 0, ""),
]


@pytest.mark.parametrize(("rel", "defectdojo", "ours", "distinct_ours", "why"), COUNTS, ids=[c[0] for c in COUNTS])
def test_counts(rel, defectdojo, ours, distinct_ours, why):
    check_counts(rel, defectdojo, ours, distinct_ours, why)


def test_statements_carry_status_and_justification():
    findings = parse_file("openvex/openvex_many_vuln.json")
    first = findings[0]
    assert first.cve == "CVE-2024-10001" and first.vex_state == "not_affected"
    assert first.vex_justification == "vulnerable_code_not_present"
    assert (first.package, first.installed_version, first.ecosystem) == ("apk-tools", "2.10.6-r0", "apk")
    assert first.purl.startswith("pkg:apk/alpine/apk-tools@2.10.6-r0")
    assert {f.vex_state for f in findings} <= {"not_affected", "affected", "fixed", "under_investigation"}


def test_subcomponents_and_string_vulnerability():
    data = b"""{"@context": "https://openvex.dev/ns/v0.2.0", "statements": [{"vulnerability": "CVE-2023-1234",
      "products": [{"@id": "pkg:oci/app@sha256:1", "subcomponents": [{"@id": "pkg:pypi/flask@2.0"}]}],
      "status": "affected", "action_statement": "upgrade flask"}]}"""
    (f,) = parse_bytes(data)
    assert (f.cve, f.package, f.vex_state, f.mitigation) == ("CVE-2023-1234", "flask", "affected", "upgrade flask")
    assert f.fingerprint_parts == ("pkg:oci/app@sha256:1", "pkg:pypi/flask@2.0", "CVE-2023-1234")
