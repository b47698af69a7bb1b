"""npm audit JSON parser (npm 6 and npm 7+) on DefectDojo's real samples."""

from __future__ import annotations

import pytest

from ramparts.vulns.parsers import Severity

from ._scans import check_counts, needs_scans, parse_file

pytestmark = needs_scans

COUNTS = [
    ("npm_audit/many_vuln.json", 5, 5, 5, ""),
    ("npm_audit/no_vuln.json", 0, 0, 0, ""),
    ("npm_audit_7_plus/many_vulns.json", 6, 6, 6, ""),
    ("npm_audit_7_plus/no_vuln.json", 0, 0, 0, ""),
]


@pytest.mark.parametrize(("rel", "defectdojo", "ours", "distinct_ours", "why"), COUNTS, ids=[c[0] for c in COUNTS])
def test_counts(rel, defectdojo, ours, distinct_ours, why):
    check_counts(rel, defectdojo, ours, distinct_ours, why)


def test_npm6_advisory_fields():
    f = parse_file("npm_audit/many_vuln.json")[0]
    assert (f.package, f.installed_version, f.cve, f.cwe) == ("negotiator", "0.5.3", "CVE-2016-10539", 400)
    assert f.fixed_version == ">= 0.6.1" and f.severity is Severity.HIGH and f.purl == "pkg:npm/negotiator@0.5.3"


def test_npm7_direct_advisories_and_transitive_packages():
    findings = parse_file("npm_audit_7_plus/many_vulns.json")
    debug = next(f for f in findings if f.package == "debug")
    assert debug.rule_id == "GHSA-gxpj-cx7g-858c" and debug.cvss3_score == 5.3 and debug.cwe == 400
    assert debug.file_path == "node_modules/@vercel/fun/node_modules/debug"
    assert debug.mitigation == "Upgrade to vercel@32.3.0" and debug.severity is Severity.MEDIUM
    fun = next(f for f in findings if f.package == "@vercel/fun")
    assert fun.rule_id == "npm:transitive" and "debug" in fun.title and "semver" in fun.title
