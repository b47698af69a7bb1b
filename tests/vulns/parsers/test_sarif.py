"""SARIF 2.1.0 parser on DefectDojo's real SARIF samples (CodeQL, Semgrep, ShellCheck, ...)."""

from __future__ import annotations

import orjson
import pytest

from ramparts.vulns.parsers import Severity

from ._scans import check_counts, needs_scans, parse_bytes, parse_file

pytestmark = needs_scans

COUNTS = [
    ("sarif/codeQL-output.sarif", 72, 72, 72, ""),
    ("sarif/semgrepowasp-benchmark-sample.sarif", 1768, 1768, 1768, ""),
    ("sarif/bash-report.sarif", 27, 27, 12,
     "the report repeats identical results (same rule, file, line and tool fingerprint); the copies merge into 12"),
    ("sarif/bash-report-subset-same-hash-code-same-unique-id.sarif", None, 4, 2, ""),
    ("sarif/appendix_k1.sarif", 0, 0, 0, ""),
    ("sarif/no_runs.sarif", None, 0, 0, ""),
    ("sarif/suppression_test.sarif", None, 5, 5, ""),
    ("sarif/dependency_check.sarif", 13, 13, 13, ""),
    ("sarif/gitleaks_7.5.0.sarif", 8, 8, 4,
     "the same secret at the same place found in two commits is one leak (same file and code snippet)"),
]  # fmt: skip


@pytest.mark.parametrize(("rel", "defectdojo", "ours", "distinct_ours", "why"), COUNTS, ids=[c[0] for c in COUNTS])
def test_counts(rel, defectdojo, ours, distinct_ours, why):
    check_counts(rel, defectdojo, ours, distinct_ours, why)


def test_codeql_rule_metadata_cwe_and_fingerprint():
    findings = parse_file("sarif/codeQL-output.sarif")
    f = findings[0]
    assert (f.tool, f.rule_id, f.title) == ("CodeQL", "py/empty-except", "Empty except")
    assert (f.file_path, f.line, f.cwe) == ("good/db_init.py", 39, 390)
    assert "primaryLocationLineHash=9cbc869fbfffeb60:1" in f.fingerprint_parts[3]
    assert all(str(f.line) not in f.fingerprint_parts[3].split("=")[0] for f in findings)


def test_security_severity_score_wins_over_level():
    doc = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "CodeQL", "rules": [
        {"id": "js/xss", "properties": {"security-severity": "9.3", "tags": ["security", "external/cwe/cwe-079"]}}]}},
        "results": [{"ruleId": "js/xss", "level": "note", "message": {"text": "xss"},
                     "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.js"}, "region": {"startLine": 3}}}]}]}]}  # fmt: skip  # noqa: E501
    (f,) = parse_bytes(orjson.dumps(doc))
    assert f.severity is Severity.CRITICAL and f.cwe == 79 and f.scanner_severity == "9.3"


def test_line_shift_keeps_the_fingerprint_without_tool_fingerprints():
    def doc(line: int) -> bytes:
        return orjson.dumps({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "t"}}, "results": [
            {"ruleId": "r1", "message": {"text": "m"}, "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": "f.py"}, "region": {"startLine": line, "snippet": {"text": "eval(x)"}}}}]}]}]})  # fmt: skip  # noqa: E501

    (a,), (b,) = parse_bytes(doc(10)), parse_bytes(doc(42))
    assert a.fingerprint_parts == b.fingerprint_parts and (a.line, b.line) == (10, 42)


def test_results_before_tool_are_held_until_the_tool_is_known():
    data = b'{"version":"2.1.0","runs":[{"results":[{"ruleId":"R","message":{"text":"m"}}],"tool":{"driver":{"name":"Late","rules":[{"id":"R","shortDescription":{"text":"Rule R"}}]}}}]}'  # noqa: E501
    (f,) = parse_bytes(data)
    assert (f.tool, f.title) == ("Late", "Rule R")


def test_suppressed_and_absent_results():
    findings = parse_file("sarif/suppression_test.sarif")
    assert sum(f.vex_state == "suppressed" for f in findings) >= 1
    doc = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "t"}}, "results": [
        {"ruleId": "gone", "baselineState": "absent", "message": {"text": "fixed since the baseline"}},
        {"ruleId": "ok", "kind": "pass", "message": {"text": "passed"}}]}]}  # fmt: skip
    assert parse_bytes(orjson.dumps(doc)) == []


def test_semgrep_sarif_and_dependency_check_cve():
    f = parse_file("sarif/semgrepowasp-benchmark-sample.sarif")[0]
    assert f.tool == "semgrep" and f.file_path.endswith("BenchmarkTest02660.java") and f.line == 59
    dc = parse_file("sarif/dependency_check.sarif")
    assert any(f.cve.startswith("CVE-") for f in dc)


def test_subset_fingerprints_are_in_the_full_report():
    full = {f.fingerprint_parts for f in parse_file("sarif/bash-report.sarif")}
    subset = {f.fingerprint_parts for f in parse_file("sarif/bash-report-subset-same-hash-code-same-unique-id.sarif")}
    assert subset <= full
