"""OWASP Dependency-Check XML reports (schema 1.x and 2.x), streamed one <dependency> at a time.

One finding per vulnerability per dependency, suppressed ones included with vex_state=suppressed
(DefectDojo keeps them too, as mitigated). Dependencies merged by Dependency-Check (the same
library at several paths) stay one finding; the other paths go to extra["related_paths"].
Severity: the report's severity word (CRITICAL/HIGH/MEDIUM|MODERATE/LOW), else CVSS v3, else v2.
CVSS v3 vectors are rebuilt from the cvssV3 metric elements and scored with the `cvss` library.
Fingerprint: dependency file name (not the absolute build path), package, vulnerability name.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import BinaryIO

from . import safexml
from .base import Format, RawFinding, Severity, cvss3, cvss4
from .xmlfields import band, clean, cwe, number

NAME = "dependency-check-xml"
LABEL = "OWASP Dependency-Check XML"
ROOTS = ("analysis",)
_V3 = (
    ("attackVector", "AV"), ("attackComplexity", "AC"), ("privilegesRequired", "PR"), ("userInteraction", "UI"),
    ("scope", "S"), ("confidentialityImpact", "C"), ("integrityImpact", "I"), ("availabilityImpact", "A"),
)  # fmt: skip


def sniff(head: bytes) -> bool:
    root, attrs = safexml.xml_root(head)
    return root in ROOTS and ("dependency-check" in attrs.lower() or safexml.head_has(head, b"dependency-check"))


def parse(stream: BinaryIO, *, source: str = "<stream>") -> Iterator[RawFinding]:
    for event, elem, _parent in safexml.iterparse(
        stream, source=source, fmt=NAME, roots=ROOTS, keep=frozenset({"dependency"}), label=LABEL
    ):
        if event == safexml.END and elem.tag == "dependency":
            yield from _dependency(elem)


def _package(dep: ET.Element) -> tuple[str, str, str, str]:
    """(package, version, ecosystem, purl) from the dependency's identifiers."""
    for ident in dep.iterfind("identifiers/package/id"):
        purl = (ident.text or "").strip()
        if purl.startswith("pkg:") and "/" in purl:
            ecosystem, _, rest = purl[4:].partition("/")
            rest = rest.split("?", 1)[0].split("#", 1)[0]
            name, _, version = rest.rpartition("@") if "@" in rest else (rest, "", "")
            return name.replace("/", ":"), version, ecosystem, purl
    for ident in dep.iterfind("identifiers/identifier"):
        if ident.get("type") in ("maven", "npm", "nuget", "pypi"):
            coords = safexml.text(ident, "name")
            name, _, version = coords.rpartition(":") if coords.count(":") >= 2 else (coords, "", "")
            return name, version, ident.get("type", ""), ""
    return "", "", "", ""


def _dependency(dep: ET.Element) -> Iterator[RawFinding]:
    file_name = safexml.text(dep, "fileName")
    file_path = safexml.text(dep, "filePath")
    package, version, ecosystem, purl = _package(dep)
    related = [safexml.text(r, "filePath") for r in dep.iterfind("relatedDependencies/relatedDependency")]
    for kind in ("vulnerability", "suppressedVulnerability"):
        for vuln in dep.iterfind(f"vulnerabilities/{kind}"):
            yield _finding(
                vuln,
                kind == "suppressedVulnerability",
                file_name,
                file_path,
                package,
                version,
                ecosystem,
                purl,
                related,
            )


def _v3_vector(node: ET.Element | None) -> str:
    if node is None:
        return ""
    explicit = safexml.text(node, "vectorString")
    if explicit:
        return explicit
    metrics = []
    for element, key in _V3:
        value = safexml.text(node, element)
        if not value:
            return ""
        metrics.append(f"{key}:{value[0].upper()}")
    version = safexml.text(node, "version") or "3.1"
    return f"CVSS:{version}/" + "/".join(metrics)


def _finding(
    vuln: ET.Element,
    suppressed: bool,
    file_name: str,
    file_path: str,
    package: str,
    version: str,
    ecosystem: str,
    purl: str,
    related: list[str],
) -> RawFinding:
    vid = safexml.text(vuln, "name")[:300]
    v3_node = vuln.find("cvssV3")
    v3, s3 = cvss3(_v3_vector(v3_node))
    if s3 is None:
        s3 = number(safexml.text(v3_node, "baseScore"))
    v4, s4 = cvss4(safexml.text(vuln.find("cvssV4"), "vectorString"))
    v2_score = number(safexml.text(vuln.find("cvssV2"), "score")) or number(safexml.text(vuln, "cvssScore"))
    raw = safexml.text(vuln, "severity")
    fallback = safexml.text(v3_node, "baseSeverity") or safexml.text(vuln.find("cvssV2"), "severity")
    severity = Severity.from_text(
        raw or fallback, default=band(s4 if s4 is not None else s3 if s3 is not None else v2_score)
    )
    cwe_texts = [*safexml.texts(vuln, "cwes/cwe"), *safexml.texts(vuln, "cwe"), vid]
    cwe_id = next((n for c in cwe_texts if "CWE" in c.upper() and (n := cwe(c))), None)
    cve = vid.upper() if vid.upper().startswith("CVE-") else ""
    refs = [u for r in vuln.iterfind("references/reference") if (u := safexml.text(r, "url"))]
    subject = package or file_name
    extra = {
        k: v
        for k, v in (
            ("source", vuln.get("source", "")),
            ("notes", clean(safexml.text(vuln, "notes"))),
            ("file_name", file_name),
            ("related_paths", "\n".join(p for p in related if p)[:10_000]),
            ("cvss2_score", "" if v2_score is None else str(v2_score)),
        )
        if v
    }
    return RawFinding(
        title=f"{vid} in {subject} {version}".strip() if vid else f"Vulnerability in {subject}",
        severity=severity,
        tool="dependency-check",
        scanner_severity=raw or fallback,
        description=clean(safexml.text(vuln, "description")),
        rule_id=vid,
        cve=cve,
        cwe=cwe_id,
        cvss3_vector=v3,
        cvss3_score=s3,
        cvss4_vector=v4,
        cvss4_score=s4,
        package=package,
        installed_version=version,
        ecosystem=ecosystem,
        purl=purl,
        file_path=file_path,
        references=tuple(dict.fromkeys(refs))[:200],
        vex_state="suppressed" if suppressed else "",
        fingerprint_parts=(file_name, package, vid),
        extra=extra,
    )


FORMATS = (Format(name=NAME, label=LABEL, sniff=sniff, parse=parse),)
