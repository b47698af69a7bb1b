"""Hostile and broken input for the XML and CSV parsers: every case is a ParseError, never an
expansion, a file read, a network connection or another exception type."""

from __future__ import annotations

import io
import os
import sys
import time
from pathlib import Path

import pytest

from ramparts.vulns import parsers
from ramparts.vulns.parsers import ParseError, burp, nessus_xml, safexml

from ._scans import SCANS, needs_scans

OSCAL = SCANS.parent / "frameworks" / "nist-oscal" / "csf-2.0" / "NIST_CSF_v2.0_catalog.xml"

# (format name, root element, whether an internal DTD subset is tolerated)
XML_FORMATS = [
    ("nessus-xml", "NessusClientData_v2", False),
    ("openvas-xml", "get_reports_response", False),
    ("zap-xml", "OWASPZAPReport", False),
    ("burp-xml", "issues", True),
    ("dependency-check-xml", "analysis", False),
    ("cyclonedx-xml", "bom", False),
]
IDS = [f[0] for f in XML_FORMATS]


# Audit hook: records file opens and socket connections made while a parser runs. (Hooks cannot be
# removed, so this one is installed once and only records while `_WATCH` is switched on.)
_WATCH: list[tuple[str, str]] = []
_ON = [False]


def _hook(event: str, args: tuple) -> None:
    if _ON[0] and event in ("open", "socket.connect", "socket.getaddrinfo", "urllib.Request"):
        _WATCH.append((event, str(args[0])[:200]))


sys.addaudithook(_hook)
parsers.formats()  # import every parser module now, so that their imports are not recorded


def run(fmt: str, data: bytes, source: str = "hostile.xml", registry: bool = False) -> ParseError:
    """Parse `data` with the parser of `fmt` (or through the registry, format forced), expecting a
    ParseError; returns it. Watches I/O meanwhile."""
    _WATCH.clear()
    _ON[0] = True
    try:
        with pytest.raises(ParseError) as e:
            if registry:
                list(parsers.parse(io.BytesIO(data), format=fmt, source=source))
            else:
                list(parsers.get(fmt).parse(io.BytesIO(data), source=source))
    finally:
        _ON[0] = False
    assert _WATCH == [], f"I/O during parsing: {_WATCH}"
    assert e.value.source == source
    return e.value


def with_dtd(root: str, subset: str, body: str = "") -> bytes:
    attrs = ' burpVersion="1"' if root == "issues" else ""
    attrs += ' xmlns="http://cyclonedx.org/schema/bom/1.5"' if root == "bom" else ""
    attrs += (
        ' xmlns="https://jeremylong.github.io/DependencyCheck/dependency-check.2.5.xsd"' if root == "analysis" else ""
    )
    return f'<?xml version="1.0"?>\n<!DOCTYPE {root} [\n{subset}\n]>\n<{root}{attrs}>{body}</{root}>'.encode()


LAUGHS = "\n".join(
    ['<!ENTITY lol "lol">']
    + [f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)]
)


@pytest.mark.parametrize(("fmt", "root", "dtd_ok"), XML_FORMATS, ids=IDS)
def test_billion_laughs(fmt, root, dtd_ok):
    start = time.perf_counter()
    for registry in (False, True):  # the parser itself, and auto-detection's forced path
        err = run(fmt, with_dtd(root, LAUGHS, "&lol9;"), registry=registry)
        assert ("XML entities are not allowed" if dtd_ok else "DTD not allowed") in err.message
        assert err.format == fmt and err.position.startswith("line ")
    assert time.perf_counter() - start < 1
    # detected from content too: the sniffer recognises the root, the parser refuses the DTD
    with pytest.raises(ParseError, match="XML entities are not allowed" if dtd_ok else "DTD not allowed"):
        list(parsers.parse(io.BytesIO(with_dtd(root, LAUGHS, "&lol9;")), source="auto.xml"))


@pytest.mark.parametrize(("fmt", "root", "dtd_ok"), XML_FORMATS, ids=IDS)
def test_quadratic_blowup(fmt, root, dtd_ok):
    big = "A" * 100_000
    err = run(fmt, with_dtd(root, f'<!ENTITY a "{big}">', "&a;" * 10_000))
    assert ("XML entities are not allowed" if dtd_ok else "DTD not allowed") in err.message


@pytest.mark.parametrize("target", ["file:///etc/passwd", "http://127.0.0.1:9/evil.xml", "https://evil.example/x"])
@pytest.mark.parametrize(("fmt", "root", "dtd_ok"), XML_FORMATS, ids=IDS)
def test_xxe_external_entity(fmt, root, dtd_ok, target):
    err = run(fmt, with_dtd(root, f'<!ENTITY xxe SYSTEM "{target}">', "<x>&xxe;</x>"))
    assert ("XML entities are not allowed" if dtd_ok else "DTD not allowed") in err.message
    assert "root:" not in str(err)  # nothing of /etc/passwd


@pytest.mark.parametrize(("fmt", "root", "dtd_ok"), XML_FORMATS, ids=IDS)
def test_parameter_entity_and_external_dtd(fmt, root, dtd_ok):
    err = run(fmt, with_dtd(root, '<!ENTITY % p SYSTEM "http://127.0.0.1:9/p.dtd">\n%p;'))
    assert ("XML entities are not allowed" if dtd_ok else "DTD not allowed") in err.message
    external = f'<?xml version="1.0"?>\n<!DOCTYPE {root} SYSTEM "http://127.0.0.1:9/x.dtd">\n<{root}/>'.encode()
    err = run(fmt, external)
    assert "DTD not allowed: external DTD 'http://127.0.0.1:9/x.dtd'" in err.message
    public = f'<!DOCTYPE {root} PUBLIC "-//X//DTD//EN" "file:///etc/passwd"><{root}/>'.encode()
    assert "external DTD" in run(fmt, public).message


def test_undeclared_entity_without_dtd():
    err = run("nessus-xml", b"<NessusClientData_v2><Report>&xxe;</Report></NessusClientData_v2>")
    assert "XML entities are not allowed" in err.message and err.position == "line 1, column 30"


def test_utf16_encoded_bomb_is_refused_too():
    doc = (
        with_dtd("NessusClientData_v2", LAUGHS, "&lol9;")
        .decode()
        .replace('version="1.0"', 'version="1.0" encoding="UTF-16"')
    )
    err = run("nessus-xml", doc.encode("utf-16"))
    assert "DTD not allowed" in err.message


def test_burp_attribute_default_amplification_is_refused():
    subset = f'<!ELEMENT issues ANY>\n<!ATTLIST issue pad CDATA "{"x" * 10_000}">'
    err = run("burp-xml", with_dtd("issues", subset, "<issue/>" * 1000))
    assert "attribute default" in err.message


def test_size_depth_and_text_limits(monkeypatch):
    head = b'<?xml version="1.0"?><OWASPZAPReport version="2"><site name="s"><alerts>'
    monkeypatch.setattr(safexml, "MAX_BYTES", 1_000_000)
    err = run("zap-xml", head + b"<alertitem><name>x</name></alertitem>" * 40_000)
    assert "larger than the 1,000,000-byte limit" in err.message
    err = run("zap-xml", head + b"<a>" * 10_000)
    assert "nested deeper than 200 levels" in err.message
    monkeypatch.setattr(safexml, "MAX_TEXT", 10_000)
    err = run("zap-xml", head + b"<alertitem><desc>" + b"y" * 50_000 + b"</desc></alertitem>")
    assert "more than 10,000 characters" in err.message


@needs_scans
def test_truncated_real_files_name_the_position():
    data = (SCANS / "nessus" / "nessus_with_cvssv3.nessus").read_bytes()
    err = run("nessus-xml", data[: len(data) // 2], "half.nessus")
    assert "truncated" in err.message and err.position.startswith("line ")
    assert str(err).startswith("half.nessus: cannot read as nessus-xml at line ")
    burp_doc = (SCANS / "burp" / "one_finding.xml").read_bytes()
    err = run("burp-xml", burp_doc[:5000])
    assert "truncated" in err.message or "malformed" in err.message


def test_malformed_xml_position():
    err = run("zap-xml", b'<?xml version="1.0"?>\n<OWASPZAPReport>\n  <site>\n    <alerts></site>\n</OWASPZAPReport>')
    assert err.message == "malformed XML: mismatched tag" and err.position == "line 4, column 15"


@pytest.mark.parametrize(("fmt", "root", "dtd_ok"), XML_FORMATS, ids=IDS)
def test_empty_and_binary(fmt, root, dtd_ok):
    for registry in (False, True):
        assert "empty" in run(fmt, b"", registry=registry).message
        assert "empty" in run(fmt, b"  \n", registry=registry).message
        run(fmt, os.urandom(4096) + b"\x00", registry=registry)
        run(fmt, b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, registry=registry)
    for data in (b"\x00\x01\x02", b"not xml at all", b"<" + root.encode(), b"<?xml version='1.0'?>"):
        run(fmt, data)


@needs_scans
def test_wrong_format_files():
    # auto-detection refuses an OSCAL catalog and an HTML page
    for data in (OSCAL.read_bytes(), b"<!DOCTYPE html><html><body><h1>Login</h1></body></html>"):
        with pytest.raises(ParseError, match="could not be recognised"):
            list(parsers.parse(io.BytesIO(data), source="wrong.xml"))
    # forcing a format on them: the registry's sniff gate, or the parser's root check
    err = run("nessus-xml", OSCAL.read_bytes(), registry=True)
    assert "does not look like Tenable Nessus" in err.message
    with pytest.raises(ParseError, match=r"the root element is <catalog>, expected <NessusClientData_v2>") as e:
        list(nessus_xml.parse(io.BytesIO(OSCAL.read_bytes()), source=str(OSCAL)))
    assert e.value.position == "line 1"
    # a ZAP report handed to the Burp parser
    with pytest.raises(ParseError, match=r"root element is <OWASPZAPReport>, expected <issues>"):
        list(burp.parse(io.BytesIO((SCANS / "zap" / "0_zap_sample.xml").read_bytes()), source="zap.xml"))


@pytest.mark.parametrize("fmt", ["nessus-csv", "openvas-csv"])
@pytest.mark.parametrize("registry", [False, True])
def test_csv_bad_input(fmt, registry):
    header = b"Plugin ID,Name,Host,Risk\n" if fmt == "nessus-csv" else b"IP,NVT OID,NVT Name,Severity\n"
    assert "empty" in run(fmt, b"", "e.csv", registry).message
    assert "UTF-16" in run(fmt, header.decode().encode("utf-16"), "u.csv", registry).message
    assert "UTF-16" in run(fmt, header.decode().encode("utf-16-le"), "u.csv", registry).message
    err = run(fmt, header + "1,Caf\u00e9,h,High\n".encode("cp1252"), "l.csv", registry)
    assert "not valid UTF-8" in err.message and err.position == "line 2"
    err = run(fmt, header + b'1,"unterminated\x00,h,High\n', "n.csv", registry)
    assert err.position.startswith(("line", "byte"))
    assert "binary" in run(fmt, header + b"\x00" * 100, "b.csv", registry).message


def test_streams_that_fail_to_read_are_parse_errors():
    class Broken(io.BytesIO):
        def read(self, n=-1):
            if self.tell() > 100:
                raise OSError("disk gone")
            return super().read(min(n, 64) if n and n > 0 else 64)

    data = Path(SCANS / "zap" / "0_zap_sample.xml").read_bytes() if SCANS.is_dir() else b""
    if data:
        with pytest.raises(ParseError, match="disk gone"):
            list(parsers.parse(Broken(data), source="broken.xml"))


PATHOLOGICAL_HEADS = [
    b"<!-- x -->" * 6500 + b"!",
    b"<?a ?>" * 10000 + b"!",
    b"<!--" * 16000,
    b"<!-- a --><?b ?>" * 4000 + b"<",
    b"<!DOCTYPE x [" + b"]" * 60000,
    b"<!DOCTYPE x [" + b"] " * 30000,
    b"<!DOCTYPE x>" * 5000,
    b" " * 65536,
    b"Plugin ID," * 6500,
    b'"' * 65536,
]


@pytest.mark.parametrize("head", PATHOLOGICAL_HEADS, ids=range(len(PATHOLOGICAL_HEADS)))
def test_sniffers_stay_fast_on_pathological_heads(head):
    # a regex with nested repetition over the prolog once took minutes on the first of these
    start = time.perf_counter()
    for fmt in parsers.formats():
        assert isinstance(fmt.sniff(head[:65536]), bool)
    assert time.perf_counter() - start < 1


def test_field_patterns_stay_linear_on_crafted_values():
    # blank-line floods in plugin output and bracket floods in a Burp location were quadratic once
    output = "\n" * 200_000 + "<" * 10
    doc = (
        b'<NessusClientData_v2><Report><ReportHost name="h"><ReportItem pluginID="1" port="80" protocol="tcp" '
        b'severity="2"><plugin_output>' + output.encode() + b"</plugin_output></ReportItem></ReportHost>"
        b"</Report></NessusClientData_v2>"
    )
    location = "[ " * 100_000
    burp_doc = f'<issues burpVersion="1"><issue><type>1</type><location>{location}</location></issue></issues>'
    start = time.perf_counter()
    with pytest.raises(ParseError):  # the "<" flood is not well-formed, but only after the output
        list(nessus_xml.parse(io.BytesIO(doc), source="flood.nessus"))
    fixed = doc.replace(b"<" * 10, b"x")
    assert len(list(nessus_xml.parse(io.BytesIO(fixed), source="flood.nessus"))) == 1
    assert len(list(burp.parse(io.BytesIO(burp_doc.encode()), source="flood.xml"))) == 1
    assert time.perf_counter() - start < 2
