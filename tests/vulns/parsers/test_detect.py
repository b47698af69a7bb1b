"""Format detection from content, the registry, and the refusal of files that are not scans."""

from __future__ import annotations

import io
import zlib

import pytest

from ramparts.vulns import parsers
from ramparts.vulns.parsers import HEAD_BYTES, ParseError, detect, formats, get
from ramparts.vulns.parsers.detect import json_head
from tests.shared_data import missing

from ._scans import SCANS, needs_scans, parse_bytes

pytestmark = needs_scans
DATA = SCANS.parent

# our folders -> the format every file in them must be detected as (JSON formats of this module)
JSON_FOLDERS = {
    "trivy": "trivy",
    "grype": "grype",
    "sarif": "sarif",
    "openvex": "openvex",
    "semgrep": "semgrep",
    "gitleaks": "gitleaks",
    "nuclei": "nuclei",
    "snyk": "snyk",
    "npm_audit": "npm-audit",
    "npm_audit_7_plus": "npm-audit",
    "pip_audit": "pip-audit",
}
UNDETECTABLE = {"gitleaks/no_findings.json": "null", "nuclei/empty.jsonl": "0 bytes"}  # need the format given


def _samples() -> list[tuple[str, str]]:
    if not SCANS.is_dir():
        return []
    rows = [
        (f"{folder}/{p.name}", fmt) for folder, fmt in JSON_FOLDERS.items() for p in sorted((SCANS / folder).iterdir())
    ]
    rows += [(f"cyclonedx/{p.name}", "cyclonedx-json") for p in sorted((SCANS / "cyclonedx").glob("*.json"))]
    return [r for r in rows if r[0] not in UNDETECTABLE]


def _head(rel: str) -> bytes:
    with open(SCANS / rel, "rb") as fh:
        return fh.read(HEAD_BYTES)


@pytest.mark.parametrize(("rel", "expected"), _samples(), ids=[r[0] for r in _samples()])
def test_every_sample_is_detected_and_by_exactly_one_json_sniffer(rel, expected):
    head = _head(rel)
    assert detect(head, source=rel).name == expected
    ours = {"trivy", "grype", "sarif", "cyclonedx-json", "openvex", "semgrep", "gitleaks", "nuclei", "snyk",
            "npm-audit", "pip-audit", "generic-json", "generic-csv"}  # fmt: skip
    matching = [f.name for f in formats() if f.name in ours and f.sniff(head)]
    assert matching == [expected]


NOT_SCANS = [
    "frameworks/nist-oscal/sp800-53-rev4/NIST_SP-800-53_rev4_catalog-min.json",
    "frameworks/nist-oscal/examples/ifa_assessment-results-example.json",
    "frameworks/nist-oscal/csf-2.0/NIST_CSF_v2.0_catalog.xml",
    "feeds/kev/known_exploited_vulnerabilities.json",
    "feeds/kev/known_exploited_vulnerabilities.csv",
    "feeds/kev/known_exploited_vulnerabilities_schema.json",
    "threat-intel/attack/ics-attack-18.1.json",
    "frameworks/mappings/ctid-attack-12-1-to-nist800-53-r5-mappings.tsv",
    "scans/README.md",
]


@pytest.mark.parametrize("rel", NOT_SCANS)
def test_files_that_are_not_scans_are_refused_naming_the_file(rel):
    path = DATA / rel
    if not path.exists():
        missing(f"{rel} not in the shared data")
    with open(path, "rb") as fh, pytest.raises(ParseError) as err:
        list(parsers.parse(fh, source=rel))
    message = str(err.value)
    assert rel in message and "could not be recognised" in message
    assert "trivy" in message and "sarif" in message  # lists the supported formats


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00" + zlib.compress(
    b"\x00" * 64
)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"   \n\t ", "empty"),
        (b"\xef\xbb\xbf", "empty"),
        (PNG, "binary"),
        (b"\x1f\x8b\x08\x00" + bytes(range(256)), "binary"),
        (b'{"a": 1}', "JSON of another kind"),
        (b"[1, 2, 3]", "JSON of another kind"),
        (b"null", "could not be recognised"),
        (b"<html><body>hi</body></html>", "could not be recognised"),
        (b"just some text\nwith lines\n", "could not be recognised"),
    ],
)
def test_unrecognisable_content(data, reason):
    with pytest.raises(ParseError, match=reason) as err:
        parse_bytes(data, source="upload.bin")
    assert err.value.source == "upload.bin"


def test_explicit_format_overrides_detection_but_checks_the_content():
    sarif = (SCANS / "sarif/appendix_k1.sarif").read_bytes()
    assert parse_bytes(sarif, fmt="sarif") == []
    assert parse_bytes(sarif, fmt="auto") == []
    with pytest.raises(ParseError, match="does not look like Trivy JSON") as err:
        parse_bytes(sarif, fmt="trivy", source="x.sarif")
    assert err.value.format == "trivy" and err.value.position == "byte 0"
    with pytest.raises(ParseError, match="unknown format"):
        parse_bytes(sarif, fmt="no-such-format")
    assert get("NPM_AUDIT").name == "npm-audit"  # names are case- and underscore-insensitive


def test_registry_names_are_unique_and_every_format_parses():
    names = [f.name for f in formats()]
    assert len(names) == len(set(names))
    assert all(callable(f.sniff) and callable(f.parse) for f in formats())


def test_detection_needs_only_the_head_of_a_large_file():
    big = b'{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "X", "rules": [' + b'{"id": "r"},' * 20000
    assert len(big) > HEAD_BYTES
    assert detect(big, source="big.sarif").name == "sarif"


def test_json_head_survives_a_cut_document():
    h = json_head(b'{"SchemaVersion": 2, "ArtifactName": "x", "Results": [{"Target": "t", "Vulnera')
    assert h.root == "map" and {"SchemaVersion", "Results", "Results.item.Target"} <= h.paths
    assert h.top["ArtifactName"] == "x"


def test_non_seekable_streams_are_spooled():
    class Pipe(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self._inner = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def seekable(self) -> bool:
            return False

        def readinto(self, b):  # type: ignore[override]
            chunk = self._inner.read(len(b))
            b[: len(chunk)] = chunk
            return len(chunk)

    data = (SCANS / "grype/same_cve_different_paths.json").read_bytes()
    findings = list(parsers.parse(io.BufferedReader(Pipe(data)), source="pipe"))
    assert len(findings) == 2 and findings[0].image == "test-image:latest"


def test_error_position_of_a_big_stream_is_approximate_without_rereading(monkeypatch):
    from ramparts.vulns.parsers import jsonstream

    monkeypatch.setattr(jsonstream, "EXACT_POSITION_LIMIT", 100)
    data = (SCANS / "trivy/scheme_2_many_vulns.json").read_bytes()[:9000]
    with pytest.raises(ParseError) as err:
        parse_bytes(data, source="cut.json")
    assert err.value.position.startswith("about byte 9000") and "ends early" in err.value.message


BOM_SAMPLES = [
    "trivy/scheme_2_many_vulns.json",
    "sarif/codeQL-output.sarif",
    "nuclei/many_findings.json",
    "cyclonedx/log4j.json",
    "pip_audit/many_vulns.json",
    "semgrep/many_vulns.json",
]


@pytest.mark.parametrize("rel", BOM_SAMPLES)
def test_utf8_byte_order_mark_is_accepted(rel):
    data = (SCANS / rel).read_bytes()
    assert len(parse_bytes(b"\xef\xbb\xbf" + data, source=rel)) == len(parse_bytes(data, source=rel))


TRIVY_PRE = b'{"SchemaVersion":2,"ArtifactName":"a","Results":[{"Target":"t","Vulnerabilities":'


@pytest.mark.parametrize(
    "nested",
    [
        b"[" * 200_000 + b"]" * 200_000,  # plain
        b"[" + b"[1," * 50_000 + b"1" + b"]" * 50_001,  # diluted across chunks
        b"[" + b",".join([b"[" * 20_000 + b"]" * 20_000] * 4) + b"]",  # balanced inside each chunk
    ],
    ids=["plain", "diluted", "balanced"],
)
def test_deeply_nested_json_is_refused_quickly(nested):
    """ijson's cost grows with depth: a 400 KB bracket bomb would take minutes without the guard."""
    import time

    started = time.process_time()
    with pytest.raises(ParseError, match="nested more than 512 levels"):
        parse_bytes(TRIVY_PRE + nested + b"}]}", source="bomb.json")
    assert time.process_time() - started < 5


def test_brackets_and_escaped_quotes_inside_strings_do_not_count():
    import orjson

    text = "[" * 3000 + '\\"{' * 3000
    doc = {"results": [{"check_id": "r", "path": "p", "extra": {"message": text, "lines": text}}] * 40, "errors": []}
    assert len(parse_bytes(orjson.dumps(doc))) == 40
