"""Nuclei JSON Lines / JSON parser on DefectDojo's real samples."""

from __future__ import annotations

import pytest

from ramparts.vulns.parsers import ParseError, Severity

from ._scans import check_counts, needs_scans, parse_bytes, parse_file

pytestmark = needs_scans

COUNTS = [
    ("nuclei/many_findings.json", 16, 18, 18,
     "DefectDojo's dedupe key is template + matcher + hostname, so WebGoat (:8080) and WebWolf (:9090) on 127.0.0.1 "
     "merge; we key on the matched URL, port included"),
    ("nuclei/multiple_v3.json", 5, 6, 6,
     "two tls-version results on www.asdf.de:443 extract different versions (tls12, tls13): two findings for us"),
]  # fmt: skip


@pytest.mark.parametrize(("rel", "defectdojo", "ours", "distinct_ours", "why"), COUNTS, ids=[c[0] for c in COUNTS])
def test_counts(rel, defectdojo, ours, distinct_ours, why):
    check_counts(rel, defectdojo, ours, distinct_ours, why)


def test_empty_jsonl_file_is_accepted_only_with_the_format_given():
    assert parse_file("nuclei/empty.jsonl", fmt="nuclei") == []
    with pytest.raises(ParseError, match="empty"):
        parse_file("nuclei/empty.jsonl")


def test_network_finding_fields():
    f = parse_file("nuclei/many_findings.json")[0]
    assert (f.rule_id, f.host, f.port, f.ip, f.protocol) == (
        "openssh5.3-detect",
        "nuclei-example.com",
        22,
        "178.21.15.56",
        "network",
    )
    assert f.severity is Severity.LOW and len(f.references) == 3


def test_v3_array_with_classification():
    findings = parse_file("nuclei/multiple_v3.json")
    caa = next(f for f in findings if f.rule_id == "caa-fingerprint")
    assert caa.cwe == 200 and caa.host == "www.asdf.de"
    tls = [f for f in findings if f.rule_id == "tls-version"]
    assert {f.port for f in tls} == {443}


def test_bad_line_is_reported_with_its_number():
    data = b'{"template-id":"a","info":{"name":"A","severity":"high"},"host":"h","matched-at":"http://h/"}\n{oops\n'
    with pytest.raises(ParseError) as err:
        parse_bytes(data, fmt="nuclei")
    assert err.value.position.startswith("line 2")


def test_cve_cvss_epss_from_classification():
    data = b"""{"template-id":"CVE-2021-44228","info":{"name":"Log4Shell","severity":"critical","classification":{
      "cve-id":["cve-2021-44228"],"cwe-id":["cwe-502"],"cvss-metrics":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H",
      "epss-score":0.97}},"host":"https://app.example.org","matched-at":"https://app.example.org:8443/api","type":"http"}"""
    (f,) = parse_bytes(data.replace(b"\n", b""))
    assert (f.cve, f.cwe, f.cvss3_score, f.epss_score) == ("CVE-2021-44228", 502, 10.0, 0.97)
    assert (f.host, f.port, f.url) == ("app.example.org", 8443, "https://app.example.org:8443/api")


def test_overlong_line_is_refused_without_reading_it_all(monkeypatch):
    from ramparts.vulns.parsers import nuclei

    monkeypatch.setattr(nuclei, "MAX_LINE", 100)
    line = b'{"template-id":"a","info":{"name":"' + b"x" * 200 + b'"},"host":"h"}\n'
    with pytest.raises(ParseError, match="line too long") as err:
        parse_bytes(line, fmt="nuclei")
    assert err.value.position == "line 1"
