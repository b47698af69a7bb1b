"""OpenVAS / Greenbone (GVM) XML reports (<report> or a GMP <get_reports_response>), streamed.

One finding per <result> under <results> (NVT on a host:port). Log/false-positive results are
kept (severity INFO; an override to "False Positive" sets vex_state=false_positive).
Fingerprint: NVT OID, host IP, port, protocol ("general/tcp" -> port "general").
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import BinaryIO

from . import safexml
from .base import Format, RawFinding, Severity, cvss3, cvss4
from .xmlfields import band, clean, cwe, integer, is_ip, number, versions

NAME = "openvas-xml"
LABEL = "OpenVAS/Greenbone XML"
ROOTS = ("report", "get_reports_response")
_MARKERS = (b"<results", b"<nvt ", b"<gmp>", b"<scan_run_status>", b"<report_format", b"<omp>", b"openvas")


def sniff(head: bytes) -> bool:
    root = safexml.xml_root(head)[0]
    if root == "get_reports_response":
        return True
    return root == "report" and any(safexml.head_has(head, m) for m in _MARKERS)


def parse(stream: BinaryIO, *, source: str = "<stream>") -> Iterator[RawFinding]:
    for event, elem, parent in safexml.iterparse(
        stream, source=source, fmt=NAME, roots=ROOTS, keep=frozenset({"result"}), label=LABEL
    ):
        if event == safexml.END and elem.tag == "result" and parent is not None and parent.tag == "results":
            yield _finding(elem)


def tags_of(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in text.split("|"):
        key, sep, value = part.partition("=")
        if sep:
            out[key.strip()] = value.strip()
    return out


def split_port(port: str) -> tuple[int | None, str]:
    """(80, "tcp") from "80/tcp"; (None, "tcp") from "general/tcp"."""
    number_text, _, protocol = port.strip().partition("/")
    return integer(number_text) or None, protocol.strip().lower()


def _finding(result: ET.Element) -> RawFinding:
    nvt = result.find("nvt")
    oid = (nvt.get("oid") if nvt is not None else "") or ""
    host_el = result.find("host")
    host_text = (host_el.text or "").strip() if host_el is not None else ""
    hostname = safexml.text(host_el, "hostname")
    port_text = safexml.text(result, "port")
    port, protocol = split_port(port_text)
    tags = tags_of(safexml.text(nvt, "tags"))
    threat = safexml.text(result, "threat")
    score = number(safexml.text(result, "severity"))
    if score is None:
        score = number(safexml.text(nvt, "cvss_base"))
    false_positive = threat.lower() == "false positive"
    if false_positive or threat.lower() in ("log", "debug"):
        severity = Severity.INFO
    else:
        severity = Severity.from_text(threat, default=band(score))
    cve_ids: list[str] = []
    refs: list[str] = []
    certs: list[str] = []
    cwe_id = None
    for ref in result.iterfind("nvt/refs/ref"):
        rid, rtype = (ref.get("id") or "").strip(), (ref.get("type") or "").lower()
        if rtype == "cve":
            cve_ids.append(rid.upper())
        elif rtype == "url":
            refs.append(rid)
        elif rtype == "cwe":
            cwe_id = cwe_id or cwe(rid)
        elif rid:
            certs.append(rid)
    v3 = v4 = ""
    s3 = s4 = None
    vectors = [tags.get("cvss_base_vector", ""), *safexml.texts(nvt, "severities/severity/value")]
    for vector in vectors:
        if not v3 and vector.startswith("CVSS:3"):
            v3, s3 = cvss3(vector)
        elif not v4 and vector.startswith("CVSS:4"):
            v4, s4 = cvss4(vector)
    detail = clean(safexml.text(result, "description"))
    summary = clean(tags.get("summary"))
    parts = [summary, clean(tags.get("insight")), clean(tags.get("impact"))]
    body = "\n\n".join(p for p in parts if p)
    if detail:
        body += f"\n\nDetection result:\n{detail}"
    installed, fixed = versions(detail)
    ip = host_text if is_ip(host_text) else ""
    extra = {
        k: v
        for k, v in (
            ("family", safexml.text(nvt, "family")),
            ("qod", safexml.text(result, "qod/value")),
            ("solution_type", tags.get("solution_type", "")),
            ("affected", clean(tags.get("affected"))[:2000]),
            ("original_threat", safexml.text(result, "original_threat")),
            ("result_id", result.get("id") or ""),
            ("severity_score", "" if score is None else str(score)),
        )
        if v
    }
    return RawFinding(
        title=" ".join(safexml.text(nvt, "name").split()) or safexml.text(result, "name") or f"NVT {oid}",
        severity=severity,
        tool="openvas",
        scanner_severity=threat,
        description=body,
        rule_id=oid,
        cve=cve_ids[0] if cve_ids else "",
        aliases=tuple(dict.fromkeys([*cve_ids[1:], *certs]))[:500],
        cwe=cwe_id,
        cvss3_vector=v3,
        cvss3_score=s3,
        cvss4_vector=v4,
        cvss4_score=s4,
        installed_version=installed,
        fixed_version=fixed,
        host=hostname or ("" if ip else host_text),
        ip=ip,
        port=port,
        protocol=protocol,
        references=tuple(dict.fromkeys(refs))[:200],
        mitigation=clean(tags.get("solution")),
        vex_state="false_positive" if false_positive else "",
        fingerprint_parts=(oid, host_text, str(port) if port else port_text.partition("/")[0], protocol),
        extra=extra,
    )


FORMATS = (Format(name=NAME, label=LABEL, sniff=sniff, parse=parse),)
