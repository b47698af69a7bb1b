"""Grype JSON parser on DefectDojo's real Grype samples."""

from __future__ import annotations

import pytest

from ramparts.vulns.parsers import Severity

from ._scans import by_rule, check_counts, needs_scans, parse_file

pytestmark = needs_scans

COUNTS = [
    ("grype/many_vulns3.json", 327, 327, 327, ""),
    ("grype/many_vulns_with_epss_values.json", None, 15, 15, ""),
    ("grype/check_all_fields.json", 5, 6, 5,
     "the Django GHSA-v6rh-hp5x-86rv match is listed twice, identical: one fingerprint, merged at import as DefectDojo does"),  # noqa: E501
    ("grype/no_vuln.json", 0, 0, 0, ""),
    ("grype/same_cve_different_paths.json", 1, 2, 1,
     "libc6 2.28-10 matched at two paths: one finding per image + package + version + vulnerability"),
    ("grype/fix_available.json", 1, 1, 1, ""),
]  # fmt: skip


@pytest.mark.parametrize(("rel", "defectdojo", "ours", "distinct_ours", "why"), COUNTS, ids=[c[0] for c in COUNTS])
def test_counts(rel, defectdojo, ours, distinct_ours, why):
    check_counts(rel, defectdojo, ours, distinct_ours, why)


def test_epss_cvss_and_location():
    f = by_rule(parse_file("grype/many_vulns_with_epss_values.json"), "CVE-2022-28391")
    assert (f.epss_score, f.epss_percentile) == (0.0719, 0.91123)
    assert f.cvss3_vector == "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H" and f.cvss3_score == 8.8
    assert f.image == "busybox:1.32.1"  # from `source`, which Grype writes after the matches
    assert (f.package, f.installed_version, f.purl) == ("busybox", "1.32.1", "pkg:generic/busybox@1.32.1")
    assert f.file_path == "/bin/[" and f.severity is Severity.HIGH


def test_ghsa_primary_id_keeps_the_related_cve():
    f = by_rule(parse_file("grype/check_all_fields.json"), "GHSA-v6rh-hp5x-86rv")
    assert f.cve == "CVE-2021-44420" and f.aliases == ("GHSA-v6rh-hp5x-86rv",)
    assert f.fixed_version == "3.2.10" and f.ecosystem == "python"
    assert f.cvss3_score == 7.3  # from the related NVD record


def test_wont_fix_and_negligible():
    findings = parse_file("grype/check_all_fields.json")
    redis = by_rule(findings, "CVE-2021-32626")
    assert redis.vex_state == "will_not_fix" and redis.extra["fix_state"] == "wont-fix"
    negligible = by_rule(findings, "CVE-2004-0971")
    assert negligible.severity is Severity.INFO and negligible.scanner_severity == "Negligible"
