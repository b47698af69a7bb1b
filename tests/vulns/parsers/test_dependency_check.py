"""OWASP Dependency-Check XML parser on DefectDojo's real samples."""

from __future__ import annotations

import pytest

from ramparts.vulns.parsers import Severity

from ._scans import by_rule, check_counts, needs_scans, parse_file

pytestmark = needs_scans

# file, DefectDojo's count, our findings, our distinct fingerprints, why they differ
COUNTS = [
    ("dependency_check/version-6.5.3.xml", 1, 1, 1, ""),
    ("dependency_check/dc_empty.xml", None, 0, 0, ""),
    ("dependency_check/single_vuln.xml", 1, 1, 1, ""),
    # 7 vulnerabilities + 2 suppressed ones (kept, vex_state=suppressed, as DefectDojo keeps them)
    ("dependency_check/multiple_vulnerabilities_has_multiple_findings.xml", 9, 9, 9, ""),
]


@pytest.mark.parametrize(("rel", "defectdojo", "ours", "distinct_ours", "why"), COUNTS, ids=[c[0] for c in COUNTS])
def test_counts(rel, defectdojo, ours, distinct_ours, why):
    check_counts(rel, defectdojo, ours, distinct_ours, why)


def test_schema_2_fields_with_cvss_v3_rebuilt_from_metrics():
    (f,) = parse_file("dependency_check/version-6.5.3.xml")
    assert f.cve == "CVE-2020-9488" and f.cwe == 295
    assert (f.package, f.installed_version, f.ecosystem) == ("org.apache.logging.log4j:log4j-api", "2.12.4", "maven")
    assert f.purl == "pkg:maven/org.apache.logging.log4j/log4j-api@2.12.4"
    assert f.cvss3_vector == "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:N/A:N" and f.cvss3_score == 3.7
    assert f.severity is Severity.LOW and f.scanner_severity == "LOW"
    assert f.file_path.endswith("log4j-api-2.12.4.jar")
    assert f.fingerprint_parts == ("log4j-api-2.12.4.jar", "org.apache.logging.log4j:log4j-api", "CVE-2020-9488")
    assert len(f.references) > 3


def test_schema_1_and_suppressed_and_ossindex():
    (one,) = parse_file("dependency_check/single_vuln.xml")
    assert (one.package, one.installed_version) == ("org.owasp:library", "6.7.8")
    assert one.severity is Severity.MEDIUM and one.scanner_severity == "Moderate"
    findings = parse_file("dependency_check/multiple_vulnerabilities_has_multiple_findings.xml")
    suppressed = [f for f in findings if f.vex_state == "suppressed"]
    assert sorted(f.cve for f in suppressed) == ["CVE-2017-1000487", "CVE-2019-7238"]
    assert all(f.severity is Severity.CRITICAL for f in suppressed)
    yargs = by_rule(findings, "CVE-2020-7608")
    assert (yargs.package, yargs.installed_version, yargs.purl) == (
        "yargs-parser",
        "5.0.0",
        "pkg:npm/yargs-parser@5.0.0",
    )
    assert yargs.extra["source"] == "OSSINDEX" and yargs.cvss3_score == 7.5
    cwe_named = next(f for f in findings if f.rule_id.startswith("CWE-400"))
    assert cwe_named.cwe == 400 and cwe_named.cve == ""
    npm = by_rule(findings, "1500")
    assert npm.severity is Severity.LOW and npm.extra["source"] == "NPM"
    assert "/var/lib/adapter-ear8.ear/dom4j-2.1.1.jar" in yargs.extra["related_paths"]
