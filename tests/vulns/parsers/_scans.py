"""Helpers for the JSON parser tests: the shared real scans and a parse-to-list shortcut."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from ramparts.vulns import parsers
from ramparts.vulns.parsers.base import RawFinding

SCANS = Path(os.environ.get("RAMPARTS_SHARED_DATA", Path(__file__).resolve().parents[4] / "shared" / "data")) / "scans"

needs_scans = pytest.mark.skipif(not SCANS.is_dir(), reason=f"shared scans not found at {SCANS}")


def scan(rel: str) -> Path:
    return SCANS / rel


def parse_file(rel: str, fmt: str | None = None) -> list[RawFinding]:
    with open(SCANS / rel, "rb") as fh:
        return list(parsers.parse(fh, format=fmt, source=rel))


def parse_bytes(data: bytes, fmt: str | None = None, source: str = "test.json") -> list[RawFinding]:
    return list(parsers.parse(io.BytesIO(data), format=fmt, source=source))


def distinct(findings: list[RawFinding]) -> int:
    """Findings left once the import merges equal fingerprints."""
    return len({f.fingerprint_parts for f in findings})


def by_rule(findings: list[RawFinding], rule_id: str) -> RawFinding:
    return next(f for f in findings if f.rule_id == rule_id)


def check_counts(
    rel: str, defectdojo: int | None, ours: int, distinct_ours: int, why: str, fmt: str | None = None
) -> None:
    findings = parse_file(rel, fmt)
    assert len(findings) == ours, rel
    assert distinct(findings) == distinct_ours, rel
    if defectdojo is not None and defectdojo != distinct_ours:
        assert why, f"{rel}: differs from DefectDojo ({defectdojo}) without an explanation"
