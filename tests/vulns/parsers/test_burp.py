"""Burp Suite XML parser on DefectDojo's real Burp samples."""

from __future__ import annotations

import io

import pytest

from ramparts.vulns.parsers import ParseError, Severity, burp

from ._scans import check_counts, needs_scans, parse_file

pytestmark = needs_scans

PER_LOCATION = "one finding per issue location; DefectDojo merges issues of one type into one finding with endpoints"
# file, DefectDojo's count, our findings, our distinct fingerprints, why they differ
COUNTS = [
    ("burp/one_finding.xml", 1, 3, 3, PER_LOCATION + " (3 SQL injection points: b_id cookie, password, username)"),
    ("burp/one_finding_with_blank_response.xml", 1, 1, 1, ""),
    ("burp/seven_findings.xml", 7, 16, 16, PER_LOCATION + " (16 issues of 7 types)"),
]


@pytest.mark.parametrize(("rel", "defectdojo", "ours", "distinct_ours", "why"), COUNTS, ids=[c[0] for c in COUNTS])
def test_counts(rel, defectdojo, ours, distinct_ours, why):
    check_counts(rel, defectdojo, ours, distinct_ours, why)


def test_grouped_by_type_matches_defectdojo():
    assert len({f.rule_id for f in parse_file("burp/seven_findings.xml")}) == 7


def test_fields():
    findings = parse_file("burp/one_finding.xml")
    f = findings[0]
    assert f.title == "SQL injection" and f.rule_id == "1049088"
    assert f.severity is Severity.HIGH and f.scanner_severity == "High"
    assert (f.host, f.ip, f.url) == ("bwa", "192.168.187.137", "http://bwa/bodgeit/basket.jsp")
    assert f.extra["location"] == "/bodgeit/basket.jsp [b_id cookie]"
    assert (f.extra["param"], f.extra["param_kind"], f.extra["confidence"]) == ("b_id", "cookie", "Firm")
    assert f.fingerprint_parts == ("1049088", "http://bwa", "/bodgeit/basket.jsp", "/bodgeit/basket.jsp [b_id cookie]")
    assert "SQL injection" in f.description and f.mitigation
    assert [x.extra["param"] for x in findings[1:]] == ["password", "username"]
    info = [x for x in parse_file("burp/seven_findings.xml") if x.scanner_severity == "Information"]
    assert info and all(x.severity is Severity.INFO for x in info)


def test_internal_dtd_is_accepted_but_entities_are_not():
    doc = b"""<?xml version="1.0"?>
<!DOCTYPE issues [
<!ELEMENT issues (issue*)>
<!ENTITY x "boom">
]>
<issues burpVersion="2023"><issue><type>1</type><name>&x;</name></issue></issues>"""
    with pytest.raises(ParseError, match="XML entities are not allowed") as e:
        list(burp.parse(io.BytesIO(doc), source="b.xml"))
    assert e.value.position.startswith("line 4, column ")
