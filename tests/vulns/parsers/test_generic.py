"""The documented generic JSON and CSV formats (docs/scan-formats.md, "Generic format")."""

from __future__ import annotations

import io

import orjson
import pytest

from ramparts.vulns.parsers import ParseError, Severity, generic

from ._scans import parse_bytes


def _json(*findings: dict, tool: str = "inhouse") -> bytes:
    return orjson.dumps({"schema": "ramparts-findings/1", "tool": tool, "findings": list(findings)})


def test_json_full_record():
    data = _json({
        "title": "Outdated OpenSSL", "severity": "High", "cve": "CVE-2024-12345", "aliases": ["GHSA-aaaa-bbbb-cccc"],
        "cwe": "CWE-1104", "cvss3_vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "epss_score": 0.5,
        "package": "openssl", "installed_version": "1.1.1", "fixed_version": "3.0.0", "host": "db1", "ip": "10.0.0.5",
        "port": 443, "references": ["https://example.org/a"], "vex_state": "affected", "exploit_available": True,
        "extra": {"ticket": "SEC-1"},
    })  # fmt: skip
    (f,) = parse_bytes(data)
    assert f.severity is Severity.HIGH and f.scanner_severity == "High" and f.tool == "inhouse"
    assert (f.cve, f.aliases, f.cwe) == ("CVE-2024-12345", ("GHSA-aaaa-bbbb-cccc",), 1104)
    assert f.cvss3_score == 9.8 and f.epss_score == 0.5 and f.exploit_available is True
    assert (f.host, f.ip, f.port, f.vex_state, f.extra) == ("db1", "10.0.0.5", 443, "affected", {"ticket": "SEC-1"})
    assert f.fingerprint_parts[0] == "inhouse"


def test_json_explicit_fingerprint_wins():
    a, b = parse_bytes(_json({"title": "A", "severity": "low", "fingerprint": "id-1", "line": 3},
                             {"title": "A moved", "severity": "low", "fingerprint": "id-1", "line": 9}))  # fmt: skip
    assert a.fingerprint_parts == b.fingerprint_parts == ("inhouse", "id-1")


@pytest.mark.parametrize(
    ("finding", "message"),
    [
        ({"severity": "high"}, "needs a title"),
        ({"title": "x", "severity": "urgent"}, "unknown severity"),
        ({"title": "x"}, "unknown severity"),
    ],
)
def test_json_invalid_records_name_the_finding(finding, message):
    with pytest.raises(ParseError, match=message) as err:
        parse_bytes(_json({"title": "ok", "severity": "info"}, finding))
    assert err.value.position == "finding 2" and err.value.format == "generic-json"


def test_csv_with_bom_semicolons_and_quoted_newlines():
    data = "\ufefftitle;severity;host;port;references;description\r\n".encode() + (
        b'Weak TLS;medium;web1;443;https://a https://b;"line one\nline two"\r\n;;;;;\r\nOld SSH;LOW;web2;22;;\r\n'
    )
    first, second = parse_bytes(data, source="f.csv")
    assert (first.title, first.severity, first.host, first.port) == ("Weak TLS", Severity.MEDIUM, "web1", 443)
    assert first.references == ("https://a", "https://b") and first.description == "line one\nline two"
    assert second.severity is Severity.LOW and second.tool == "generic"


def test_csv_errors_carry_the_line():
    with pytest.raises(ParseError) as err:
        parse_bytes(b"title,severity\nA,high\nB,high,extra\n", fmt="generic-csv")
    assert err.value.position == "line 3"
    with pytest.raises(ParseError, match="unknown severity") as err:
        parse_bytes(b"title,severity\nA,bad\n", fmt="generic-csv")
    assert err.value.position == "line 2"
    with pytest.raises(ParseError) as err:
        parse_bytes(b"title,severity\nA,high\n\xff\xfe broken\n", fmt="generic-csv")
    assert err.value.format == "generic-csv"


def test_csv_with_unknown_columns_is_not_detected_as_generic():
    with pytest.raises(ParseError, match="could not be recognised"):
        parse_bytes(b"title,severity,colour\nA,high,red\n")
    with pytest.raises(ParseError, match="does not look like Ramparts generic CSV"):
        parse_bytes(b"title,severity,colour\nA,high,red\n", fmt="generic-csv")
    with pytest.raises(ParseError, match="unknown: colour"):
        list(generic.parse_csv(io.BytesIO(b"title,severity,colour\nA,high,red\n"), source="f.csv"))
