"""pip-audit JSON parser (old list and current object format) on DefectDojo's real samples."""

from __future__ import annotations

import pytest

from ._scans import check_counts, needs_scans, parse_bytes, parse_file

pytestmark = needs_scans

COUNTS = [
    ("pip_audit/many_vulns_new.json", 7, 7, 7, ""),
    ("pip_audit/many_vulns.json", 7, 7, 7, ""),
    ("pip_audit/zero_vulns_new.json", 0, 0, 0, ""),
]


@pytest.mark.parametrize(("rel", "defectdojo", "ours", "distinct_ours", "why"), COUNTS, ids=[c[0] for c in COUNTS])
def test_counts(rel, defectdojo, ours, distinct_ours, why):
    check_counts(rel, defectdojo, ours, distinct_ours, why)


def test_both_layouts_give_the_same_findings():
    old = parse_file("pip_audit/many_vulns.json")
    new = parse_file("pip_audit/many_vulns_new.json")
    assert [f.fingerprint_parts for f in old] == [f.fingerprint_parts for f in new]
    f = new[0]
    assert (f.package, f.installed_version, f.rule_id, f.fixed_version) == (
        "aiohttp",
        "3.6.2",
        "PYSEC-2021-76",
        "3.7.4",
    )
    assert f.purl == "pkg:pypi/aiohttp@3.6.2" and f.ecosystem == "pypi"


def test_aliases_give_the_cve():
    data = b'{"dependencies":[{"name":"Jinja2","version":"2.0","vulns":[{"id":"PYSEC-1","aliases":["GHSA-x","CVE-2020-12345"],"fix_versions":["2.1"]}]}]}'  # noqa: E501
    (f,) = parse_bytes(data)
    assert (f.cve, f.aliases, f.purl) == ("CVE-2020-12345", ("PYSEC-1", "GHSA-x"), "pkg:pypi/jinja2@2.0")
