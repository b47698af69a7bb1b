"""Fuzzing the JSON parsers: whatever the bytes, a parser yields findings or raises ParseError.

Three attacks per format: random bytes, a real sample cut at a random point, and a real sample with
random JSON values put in place of its fields. Each parser module is called directly (not through
the registry, whose last-resort handler would hide a bug).
"""

from __future__ import annotations

import io
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ramparts.vulns import parsers
from ramparts.vulns.parsers import ParseError, formats, get
from ramparts.vulns.parsers.base import RawFinding

from ._scans import SCANS, needs_scans

pytestmark = needs_scans

GENERIC_JSON = orjson.dumps({"schema": "ramparts-findings/1", "tool": "t", "findings": [
    {"title": "A", "severity": "high", "cve": "CVE-2024-12345", "port": 443, "references": ["https://x"],
     "cvss3_vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "extra": {"k": "v"}}]})  # fmt: skip
GENERIC_CSV = b"title,severity,host,port,line,cwe\nA,high,h,443,3,CWE-79\nB,low,,,,\n"

# format -> a real sample (small enough to fuzz quickly)
SAMPLES: dict[str, str | bytes] = {
    "trivy": "trivy/kubernetes_fabricated_subset.json",
    "grype": "grype/same_cve_different_paths.json",
    "sarif": "sarif/bash-report-subset-same-hash-code-same-unique-id.sarif",
    "cyclonedx-json": "cyclonedx/valid-vulnerability-1.4.json",
    "openvex": "openvex/openvex_many_vuln.json",
    "semgrep": "semgrep/close_old_findings_report_line31.json",
    "gitleaks": "gitleaks/gitleaks8_many.json",
    "nuclei": "nuclei/multiple_v3.json",
    "snyk": "snyk/all-projects_many_vulns.json",
    "npm-audit": "npm_audit_7_plus/many_vulns.json",
    "pip-audit": "pip_audit/many_vulns_new.json",
    "generic-json": GENERIC_JSON,
    "generic-csv": GENERIC_CSV,
}
EXTRA_SAMPLES = {  # other layouts of the same formats
    "trivy": ["trivy/cvssv4_severity_source.json", "trivy/legacy_many_vulns.json"],
    "npm-audit": ["npm_audit/many_vuln.json"],
    "pip-audit": ["pip_audit/many_vulns.json"],
    "gitleaks": ["gitleaks/redacted_data_many.json"],
    "nuclei": ["nuclei/many_findings.json"],
    "semgrep": ["semgrep/sca-deployments-vulns.json"],
    "cyclonedx-json": ["cyclonedx/log4j.json"],
    "snyk": ["snyk/snykcontainer_issue_epss.json"],
}
FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


def _bytes(sample: str | bytes) -> bytes:
    return sample if isinstance(sample, bytes) else (SCANS / sample).read_bytes()


def _run(name: str, data: bytes) -> None:
    """Parse fully; only ParseError may escape, and findings must be well-typed."""
    try:
        for finding in get(name).parse(io.BytesIO(data), source="fuzz"):
            assert isinstance(finding, RawFinding)
            assert isinstance(finding.title, str) and isinstance(finding.fingerprint_parts, tuple)
            assert all(isinstance(p, str) for p in finding.fingerprint_parts)
            assert finding.port is None or 0 < finding.port < 65536
    except ParseError as exc:
        assert exc.source == "fuzz"


def _all_samples(name: str) -> list[bytes]:
    return [_bytes(SAMPLES[name]), *(_bytes(s) for s in EXTRA_SAMPLES.get(name, []))]


NAMES = list(SAMPLES)


def test_every_json_format_has_a_fuzz_sample():
    ours = {f.name for f in formats()} & set(NAMES)
    assert ours == set(NAMES)


@pytest.mark.parametrize("name", NAMES)
@FUZZ
@given(data=st.binary(max_size=2048))
def test_random_bytes(name, data):
    _run(name, data)


@pytest.mark.parametrize("name", NAMES)
@FUZZ
@given(cut=st.floats(min_value=0, max_value=1), which=st.integers(min_value=0, max_value=3))
def test_truncated_real_files(name, cut, which):
    samples = _all_samples(name)
    data = samples[which % len(samples)]
    _run(name, data[: int(len(data) * cut)])


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70) | st.floats(allow_nan=False)
    | st.text(max_size=30) | st.sampled_from(["", "CVE-2024-1234", "CVSS:3.1/AV:N", "CVSS:4.0/AV:N", "REDACTED"]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)  # fmt: skip


def _paths(node: Any, prefix: tuple = (), out: list | None = None, limit: int = 400) -> list[tuple]:
    out = [] if out is None else out
    if len(out) >= limit:
        return out
    if isinstance(node, dict):
        for k, v in node.items():
            out.append((*prefix, k))
            _paths(v, (*prefix, k), out, limit)
    elif isinstance(node, list):
        for i, v in enumerate(node[:8]):
            out.append((*prefix, i))
            _paths(v, (*prefix, i), out, limit)
    return out


def _replace(doc: Any, path: tuple, value: Any) -> None:
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


def _documents(name: str) -> list[Any]:
    docs = []
    for raw in _all_samples(name):
        if name == "generic-csv":
            continue
        if raw.lstrip().startswith(b"{") and b"\n{" in raw.strip() and name == "nuclei":
            docs.append([orjson.loads(line) for line in raw.splitlines() if line.strip()])
        else:
            docs.append(orjson.loads(raw))
    return docs


@pytest.mark.parametrize("name", [n for n in NAMES if n != "generic-csv"])
@FUZZ
@given(data=st.data())
def test_random_values_in_place_of_fields(name, data):
    docs = _documents(name)
    doc = orjson.loads(orjson.dumps(docs[data.draw(st.integers(0, len(docs) - 1))]))
    paths = _paths(doc)
    for _ in range(data.draw(st.integers(1, 4))):
        if not paths:
            break
        path = data.draw(st.sampled_from(paths))
        try:
            _replace(doc, path, data.draw(json_values))
        except (KeyError, IndexError, TypeError):
            continue  # an earlier replacement removed this path
    try:
        body = orjson.dumps(doc, option=orjson.OPT_NON_STR_KEYS)
    except (orjson.JSONEncodeError, TypeError):
        return  # integers beyond 64 bits: not representable by orjson, nothing to test
    _run(name, body)


@FUZZ
@given(row=st.lists(st.text(max_size=20), min_size=1, max_size=8))
def test_generic_csv_random_rows(row):
    header = b"title,severity,host,port,line,cwe,references,epss_score\n"
    line = ",".join('"' + c.replace('"', '""') + '"' for c in row).encode("utf-8", "surrogatepass")
    _run("generic-csv", header + line + b"\n")


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],  # caplog may accumulate
)
@given(
    doc=json_values, wrap=st.sampled_from(["results", "runs", "matches", "Results", "statements", "vulnerabilities"])
)
def test_random_json_through_detection(doc, wrap, caplog):
    """Random documents, some wearing a format's top-level key, through detection and parsing."""
    for body in (doc, {wrap: doc}, {wrap: [doc]}):
        try:
            data = orjson.dumps(body, option=orjson.OPT_NON_STR_KEYS)
        except (orjson.JSONEncodeError, TypeError):
            continue
        try:
            for _ in parsers.parse(io.BytesIO(data), source="fuzz"):
                pass
        except ParseError:
            pass
    assert "failed on" not in caplog.text  # the registry's last-resort handler was not needed


tricky_text = st.text(alphabet='[]{}"\\ab\n\u00e9', max_size=40)
shallow_json = st.recursive(
    st.none() | st.integers(min_value=-(2**63), max_value=2**63 - 1) | tricky_text,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(tricky_text, children, max_size=3),
    max_leaves=30,
)


@FUZZ
@given(doc=shallow_json, chunk=st.integers(min_value=1, max_value=64), force_exact=st.booleans())
def test_depth_guard_never_refuses_shallow_json(doc, chunk, force_exact):
    """Strings full of brackets, quotes and backslashes, cut at any chunk boundary, never count."""
    from ramparts.vulns.parsers.depthguard import DepthGuard

    data = orjson.dumps([doc])
    guard = DepthGuard(io.BytesIO(data), source="fuzz", fmt="test")
    if force_exact:
        guard._go_exact(0)  # the exact, string-aware count from the first byte
    while guard.read(chunk):
        pass
    assert guard._depth == 0 or not force_exact
