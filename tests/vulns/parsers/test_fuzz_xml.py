"""Hypothesis fuzzing of the XML and CSV parsers: random bytes, truncations of real files, byte-level
mutations and value-level mutations of well-formed documents. Each parser module is called directly
(not through the registry, which would wrap a stray exception into a ParseError and hide the bug):
anything other than a ParseError, or a finding with out-of-range fields, is a failure."""

from __future__ import annotations

import functools
import io
import xml.etree.ElementTree as ET

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ramparts.vulns import parsers
from ramparts.vulns.parsers import ParseError, RawFinding, Severity

from ._scans import SCANS, needs_scans
from .test_cyclonedx_xml import VEX_15
from .test_zap import ZAP_JSON

pytestmark = needs_scans

# About 200 examples per parser in all, spread over the strategies (the whole file runs in ~15 s).
_COMMON = {
    "deadline": None,
    "derandomize": True,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}
FEW = settings(max_examples=40, **_COMMON)  # type: ignore[arg-type]
FUZZ = settings(max_examples=70, **_COMMON)  # type: ignore[arg-type]


def _trim_xml(rel: str, record: str, keep: int) -> bytes:
    """A small well-formed sample of a large real file: its first `keep` records only."""
    tree = ET.parse(SCANS / rel)
    seen = 0
    for parent in list(tree.iter()):
        for child in list(parent):
            if child.tag == "Policy":  # the scan policy (500 kB of preferences) is not read
                parent.remove(child)
            elif child.tag.rpartition("}")[2] == record:
                seen += 1
                if seen > keep:
                    parent.remove(child)
    return ET.tostring(tree.getroot(), encoding="utf-8", xml_declaration=True)


def _head_lines(rel: str, rows: int) -> bytes:
    import csv

    with open(SCANS / rel, encoding="utf-8-sig", newline="") as fh:
        out = io.StringIO()
        writer = csv.writer(out)
        for n, row in enumerate(csv.reader(fh)):
            if n > rows:
                break
            writer.writerow(row)
    return out.getvalue().encode()


@functools.cache
def corpus(fmt: str) -> bytes:
    match fmt:
        case "nessus-xml":
            return _trim_xml("nessus/nessus_with_cvssv3.nessus", "ReportItem", 6)
        case "nessus-csv":
            return _head_lines("nessus/nessus_many_vuln2-all.csv", 8)
        case "openvas-xml":
            return (SCANS / "openvas/one_vuln.xml").read_bytes()
        case "openvas-csv":
            return _head_lines("openvas/report_using_CVE.csv", 6)
        case "zap-xml":
            return (SCANS / "zap/0_zap_sample.xml").read_bytes()
        case "zap-json":
            return orjson.dumps(ZAP_JSON)
        case "burp-xml":
            return (SCANS / "burp/one_finding_with_blank_response.xml").read_bytes()
        case "dependency-check-xml":
            return (SCANS / "dependency_check/multiple_vulnerabilities_has_multiple_findings.xml").read_bytes()
        case "cyclonedx-xml":
            return VEX_15
    raise AssertionError(fmt)


FORMATS = [
    "nessus-xml",
    "nessus-csv",
    "openvas-xml",
    "openvas-csv",
    "zap-xml",
    "zap-json",
    "burp-xml",
    "dependency-check-xml",
    "cyclonedx-xml",
]
XML_FORMATS = [f for f in FORMATS if f.endswith("-xml")]


def check(fmt: str, data: bytes) -> int:
    """Parse with the format's own parser: findings must be well-typed, errors must be ParseError."""
    fmt_obj = parsers.get(fmt)
    assert isinstance(fmt_obj.sniff(data[:65536]), bool)
    n = 0
    try:
        for f in fmt_obj.parse(io.BytesIO(data), source="fuzz"):
            assert isinstance(f, RawFinding)
            assert isinstance(f.severity, Severity) and isinstance(f.title, str)
            assert f.port is None or 0 <= f.port <= 65535
            for score in (f.cvss3_score, f.cvss4_score):
                assert score is None or 0.0 <= score <= 10.0
            assert all(isinstance(p, str) for p in f.fingerprint_parts)
            assert all(isinstance(k, str) and isinstance(v, str) for k, v in f.extra.items())
            n += 1
    except ParseError as exc:
        assert exc.format == fmt and exc.source == "fuzz" and exc.message
    return n


def test_corpus_parses():
    for fmt in FORMATS:
        assert check(fmt, corpus(fmt)) > 0, fmt


@pytest.mark.parametrize("fmt", FORMATS)
@FEW
@given(data=st.binary(max_size=2048))
def test_random_bytes(fmt, data):
    check(fmt, data)


@pytest.mark.parametrize("fmt", FORMATS)
@FEW
@given(cut=st.floats(min_value=0.0, max_value=1.0))
def test_truncated_real_files(fmt, cut):
    data = corpus(fmt)
    check(fmt, data[: int(len(data) * cut)])


TOKENS = [
    b"<", b">", b"&", b"&amp;", b"&#0;", b"&#x110000;", b"&undefined;", b"]]>", b"<![CDATA[", b"<!DOCTYPE x>",
    b'<!ENTITY a "b">', b"\x00", b"\xff\xfe", b"</", b"<a>", b"=", b'"', b"\n", b",", b'"",', b"\r",
    b"99999999999999999999", b"-1", b"CVSS:3.1/AV:N", b"CVSS:4.0/AV:X", b"NaN", b"1e999", "é".encode(),
    b"\xed\xa0\x80", b"\xc3", b"<?xml version='1.0'?>", b"xmlns:x='u'", b"<x:y/>", b"65536/tcp", b"/udp",
]  # fmt: skip

mutation = st.tuples(
    st.sampled_from(["insert", "delete", "replace", "duplicate"]),
    st.floats(min_value=0.0, max_value=1.0),
    st.integers(min_value=1, max_value=64),
    st.one_of(st.sampled_from(TOKENS), st.binary(min_size=1, max_size=16)),
)


def mutate(data: bytes, ops: list[tuple[str, float, int, bytes]]) -> bytes:
    buf = bytearray(data)
    for kind, where, length, payload in ops:
        i = int(len(buf) * where)
        if kind == "insert":
            buf[i:i] = payload
        elif kind == "delete":
            del buf[i : i + length]
        elif kind == "replace":
            buf[i : i + len(payload)] = payload
        else:
            buf[i:i] = buf[i : i + length]
    return bytes(buf)


@pytest.mark.parametrize("fmt", FORMATS)
@FUZZ
@given(ops=st.lists(mutation, min_size=1, max_size=6))
def test_byte_mutations(fmt, ops):
    check(fmt, mutate(corpus(fmt), ops))


# Value-level mutation: the document stays well-formed, but any text or attribute may become odd.
ODD_VALUES = st.one_of(
    st.sampled_from(
        [
            "",
            "-1",
            "0",
            "65535",
            "65536",
            "99999999999999999999",
            "NaN",
            "inf",
            "1e999",
            "10.1",
            "-0.0",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
            "CVSS:3.1/AV:Z",
            "CVSS:4.0/AV:N",
            "CVSS2#AV:N",
            "general/tcp",
            "80/",
            "/tcp",
            "x/y/z",
            "CVE-2021-44228",
            "CWE-",
            "CWE-99999999",
            "pkg:",
            "pkg:npm/@",
            "http://[::1",
            "http://h:99999/",
            "false positive",
            "Log",
            "3",
            "4",
            "5",
            "true",
            "ÿ" * 3,
            " \n ",
        ]
    ),  # fmt: skip
    st.text(max_size=40),
)


@functools.cache
def xml_values(fmt: str) -> tuple[int, int]:
    root = ET.fromstring(corpus(fmt))
    elems = list(root.iter())
    return len(elems), sum(len(e.attrib) for e in elems)


@pytest.mark.parametrize("fmt", XML_FORMATS)
@FUZZ
@given(picks=st.lists(st.tuples(st.integers(min_value=0), st.booleans(), ODD_VALUES), min_size=1, max_size=8))
def test_value_mutations(fmt, picks):
    raw = corpus(fmt)
    if fmt == "burp-xml":  # ElementTree would drop the DOCTYPE; value fuzzing does not need it
        raw = raw[raw.index(b"<issues") :]
    root = ET.fromstring(raw)
    elems = list(root.iter())
    for index, on_attr, value in picks:
        elem = elems[index % len(elems)]
        value = "".join(c for c in value if c in "\t\n\r" or " " <= c <= "\ud7ff" or "\ue000" <= c <= "\ufffd")
        if on_attr and elem.attrib:
            key = sorted(elem.attrib)[index % len(elem.attrib)]
            elem.set(key, value)
        else:
            elem.text = value
    check(fmt, ET.tostring(root, encoding="utf-8", xml_declaration=True))


CSV_ODD = st.one_of(ODD_VALUES, st.sampled_from(['"', '"a""b"', "a,b", "a\nb", "\x00"]))


@pytest.mark.parametrize("fmt", ["nessus-csv", "openvas-csv"])
@FUZZ
@given(picks=st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0), CSV_ODD), min_size=1, max_size=8))
def test_csv_cell_mutations(fmt, picks):
    import csv

    rows = list(csv.reader(io.StringIO(corpus(fmt).decode())))
    for r, c, value in picks:
        row = rows[1 + r % (len(rows) - 1)]
        row[c % len(row)] = value
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    check(fmt, out.getvalue().encode("utf-8", "surrogatepass"))
