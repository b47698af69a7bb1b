"""Snyk JSON parser on DefectDojo's real samples."""

from __future__ import annotations

import pytest

from ramparts.vulns.parsers import Severity

from ._scans import by_rule, check_counts, needs_scans, parse_file

pytestmark = needs_scans

COUNTS = [
    ("snyk/single_project_many_vulns.json", 41, 41, 41, ""),
    ("snyk/all-projects_many_vulns.json", 4, 4, 4, ""),
    ("snyk/single_project_no_vulns.json", 0, 0, 0, ""),
    ("snyk/snykcontainer_issue_epss.json", 1, 13, 13,
     "we also read the 12 application vulnerabilities Snyk Container nests under applications[]; "
     "DefectDojo reads only the OS layer"),
]  # fmt: skip


@pytest.mark.parametrize(("rel", "defectdojo", "ours", "distinct_ours", "why"), COUNTS, ids=[c[0] for c in COUNTS])
def test_counts(rel, defectdojo, ours, distinct_ours, why):
    check_counts(rel, defectdojo, ours, distinct_ours, why)


def test_container_epss_cvss_and_image():
    f = parse_file("snyk/snykcontainer_issue_epss.json")[0]
    assert f.rule_id == "SNYK-DEBIAN11-GCC10-5901313" and f.cve == "CVE-2023-4039"
    assert (f.epss_score, f.epss_percentile) == (0.00046, 0.14414)
    assert f.cvss3_vector == "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:N" and f.cvss3_score == 4.8
    assert f.image == "sarim04/juiceshop:latest" and f.severity is Severity.LOW
    assert (f.package, f.installed_version) == ("gcc-10", "10.2.1-6")


def test_application_vulnerabilities_with_ghsa_and_exploit_maturity():
    findings = parse_file("snyk/snykcontainer_issue_epss.json")
    jwt = by_rule(findings, "npm:jsonwebtoken:20150331")
    assert jwt.exploit_available is True and jwt.ecosystem == "npm"
    express = by_rule(findings, "SNYK-JS-EXPRESSJWT-575022")
    assert express.cve == "CVE-2020-15084" and "GHSA-6g6m-m6h5-w9gf" in express.aliases and express.cwe == 285
    assert express.file_path == "/juice-shop/package.json" and express.fixed_version == "6.0.0"


def test_all_projects_scope_fingerprints_by_project():
    findings = parse_file("snyk/all-projects_many_vulns.json")
    guava = [f for f in findings if f.rule_id == "SNYK-JAVA-COMGOOGLEGUAVA-1015415"]
    assert len(guava) == 3 and len({f.fingerprint_parts for f in guava}) == 3
    assert {f.file_path for f in guava} == {"pom.xml", "project-a\\pom.xml", "project-b\\pom.xml"}
