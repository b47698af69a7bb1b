"""Gitleaks JSON parser (v7 and v8) on DefectDojo's real samples."""

from __future__ import annotations

import pytest

from ramparts.vulns.parsers import ParseError

from ._scans import check_counts, needs_scans, parse_bytes, parse_file

pytestmark = needs_scans

COUNTS = [
    ("gitleaks/gitleaks8_many.json", 3, 4, 3,
     "the same AWS key in /conf/aws.tf line 2 is reported for two commits: one leak (DefectDojo merges it too)"),
    ("gitleaks/redacted_data_many.json", 6, 6, 6, ""),
]  # fmt: skip


@pytest.mark.parametrize(("rel", "defectdojo", "ours", "distinct_ours", "why"), COUNTS, ids=[c[0] for c in COUNTS])
def test_counts(rel, defectdojo, ours, distinct_ours, why):
    check_counts(rel, defectdojo, ours, distinct_ours, why)


def test_null_report_is_empty_when_the_format_is_given_but_not_detected():
    assert parse_file("gitleaks/no_findings.json", fmt="gitleaks") == []
    with pytest.raises(ParseError, match="could not be recognised"):
        parse_file("gitleaks/no_findings.json")


def test_secret_is_never_stored_in_clear():
    findings = parse_file("gitleaks/gitleaks8_many.json")
    raw = (parse_file.__globals__["SCANS"] / "gitleaks/gitleaks8_many.json").read_text()
    import json

    secrets = [leak["Secret"] for leak in json.loads(raw)]
    for f in findings:
        blob = " ".join([f.title, f.description, *f.fingerprint_parts, *f.extra.values()])
        assert not any(s and len(s) > 8 and s in blob for s in secrets)
    aws = findings[0]
    assert (aws.rule_id, aws.file_path, aws.line, aws.cwe) == ("aws-access-token", "/conf/aws.tf", 2, 798)


def test_v7_fields():
    f = parse_file("gitleaks/redacted_data_many.json")[0]
    assert f.rule_id == "AWS Access Key" and f.line == 224
    assert f.file_path == "overlays/server/config/server-config.yml"
    assert f.repository == "." and f.extra["tags"] == "key,AWS" and f.extra["commit"].startswith("b1374027")


def test_empty_list():
    assert parse_bytes(b"[]", fmt="gitleaks") == []
