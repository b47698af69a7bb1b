"""Semgrep JSON parser (code findings and Supply Chain exports) on DefectDojo's real samples."""

from __future__ import annotations

import pytest

from ramparts.vulns.parsers import Severity

from ._scans import check_counts, needs_scans, parse_file

pytestmark = needs_scans

COUNTS = [
    ("semgrep/many_vulns.json", 48, 48, 48, ""),
    ("semgrep/close_old_findings_report_line31.json", None, 1, 1, ""),
    ("semgrep/close_old_findings_report_second_run_line24.json", None, 1, 1, ""),
    ("semgrep/close_old_findings_report_third_run_different_unique_id.json", None, 1, 1, ""),
    ("semgrep/empty.json", 0, 0, 0, ""),
    ("semgrep/sca-deployments-vulns.json", 18, 22, 22,
     "DefectDojo merges the same rule, file and line across different repositories; we keep one finding per repository"),  # noqa: E501
]  # fmt: skip


@pytest.mark.parametrize(("rel", "defectdojo", "ours", "distinct_ours", "why"), COUNTS, ids=[c[0] for c in COUNTS])
def test_counts(rel, defectdojo, ours, distinct_ours, why):
    check_counts(rel, defectdojo, ours, distinct_ours, why)


def test_reimport_series_line_shift_keeps_identity_new_id_does_not():
    (first,) = parse_file("semgrep/close_old_findings_report_line31.json")
    (moved,) = parse_file("semgrep/close_old_findings_report_second_run_line24.json")
    (other,) = parse_file("semgrep/close_old_findings_report_third_run_different_unique_id.json")
    assert (first.line, moved.line) == (31, 24)
    assert first.fingerprint_parts == moved.fingerprint_parts
    assert other.fingerprint_parts != first.fingerprint_parts
    assert first.cwe == 78 and first.severity is Severity.HIGH and first.file_path == "sample/brute.py"


def test_identical_code_at_two_places_stays_two_findings():
    findings = parse_file("semgrep/many_vulns.json")
    assert len({f.fingerprint_parts for f in findings}) == 48


def test_supply_chain_fields():
    findings = parse_file("semgrep/sca-deployments-vulns.json")
    closed = next(f for f in findings if f.package == "url-parse")
    assert closed.cve == "CVE-2022-0686" and closed.severity is Severity.CRITICAL
    assert (closed.installed_version, closed.fixed_version) == ("1.5.1", "1.5.8")
    assert (closed.repository, closed.file_path, closed.line) == ("example/frontend", "package-lock.json", 22067)
    assert closed.vex_state == "fixed" and closed.cwe == 639
