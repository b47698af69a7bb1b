"""CycloneDX XML: the vulnerabilities of an SBOM/VEX document, streamed.

Two layouts are read:
- CycloneDX 1.4-1.6: a top-level <vulnerabilities> list whose <affects><target><ref> point at
  components by bom-ref; VEX <analysis> (state, justification, response, detail) is kept.
- CycloneDX 1.2/1.3 with the vulnerability extension (ext/vulnerability/1.0): <v:vulnerabilities>
  nested inside the affected <component> (Grype and Dependency-Track wrote these).

One finding per vulnerability per affected component. Severity: the first rating's severity word,
else the CVSS band of its score. VEX states as in CycloneDX JSON: exploitable -> affected,
in_triage -> under_investigation, resolved -> fixed, not_affected, false_positive.
Fingerprint (same recipe as CycloneDX JSON): subject (metadata component name and version),
component identity (purl, else name@version, else bom-ref), vulnerability id.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import BinaryIO

from . import safexml
from .base import Format, RawFinding, Severity, cvss3, cvss4
from .xmlfields import band, clean, cwe, number

NAME = "cyclonedx-xml"
LABEL = "CycloneDX XML (vulnerabilities, VEX)"
ROOTS = ("bom",)
VEX_STATE = {
    "resolved": "fixed",
    "resolved_with_pedigree": "fixed",
    "exploitable": "affected",
    "in_triage": "under_investigation",
    "false_positive": "false_positive",
    "not_affected": "not_affected",
}
_PREFIX = {"CVSSv3": "CVSS:3.0/", "CVSSv31": "CVSS:3.1/", "CVSSv4": "CVSS:4.0/"}
_MAX_COMPONENTS = 2_000_000

Component = tuple[str, str, str, str]  # package, version, purl, bom-ref


def sniff(head: bytes) -> bool:
    root, attrs = safexml.xml_root(head)
    return root in ROOTS and (
        "cyclonedx.org/schema/bom" in attrs or safexml.head_has(head, b"cyclonedx.org/schema/bom")
    )


def _component(elem: ET.Element) -> Component:
    name, group = safexml.text(elem, "name"), safexml.text(elem, "group")
    package = f"{group}:{name}" if group and name else name
    return package, safexml.text(elem, "version"), safexml.text(elem, "purl"), elem.get("bom-ref", "")


def parse(stream: BinaryIO, *, source: str = "<stream>") -> Iterator[RawFinding]:
    components: dict[str, Component] = {}
    open_components: list[ET.Element] = []
    path: list[str] = []
    subject = ""
    tool = ""
    for event, elem, _parent in safexml.iterparse(
        stream,
        source=source,
        fmt=NAME,
        roots=ROOTS,
        keep=frozenset({"component", "vulnerability", "tool"}),
        label=LABEL,
    ):
        tag = elem.tag
        if event == safexml.START:
            path.append(tag)
            if tag == "component":
                open_components.append(elem)
            continue
        path.pop()
        parent = path[-1] if path else ""
        if tag == "component":
            open_components.pop()
            info = _component(elem)
            if parent == "metadata":
                subject = " ".join(s for s in info[:2] if s)
            elif len(path) >= 2 and path[-2] == "tools":
                tool = tool or info[0]
            elif info[3] and len(components) < _MAX_COMPONENTS:
                components[info[3]] = info
        elif tag == "tool" and not tool:
            tool = safexml.text(elem, "name")
        elif tag == "vulnerability":
            if open_components:  # 1.2/1.3 extension: nested in the affected component
                yield _finding(elem, [_component(open_components[-1])], subject, tool or "cyclonedx")
            elif parent == "vulnerabilities":
                refs = [r for t in elem.iterfind("affects/target") if (r := safexml.text(t, "ref"))]
                targets = [components.get(r, ("", "", r if r.startswith("pkg:") else "", r)) for r in refs]
                yield from _findings(elem, targets, subject, tool or "cyclonedx")


def _ratings(vuln: ET.Element) -> tuple[Severity, str, str, float | None, str, float | None]:
    severity: Severity | None = None
    raw = ""
    v3 = v4 = ""
    s3 = s4 = None
    best: float | None = None
    for rating in vuln.iterfind("ratings/rating"):
        method = safexml.text(rating, "method")
        vector = safexml.text(rating, "vector")
        if vector and method in _PREFIX and not vector.startswith("CVSS:"):
            vector = _PREFIX[method] + vector
        if not v3 and vector.startswith("CVSS:3"):
            v3, s3 = cvss3(vector)
        elif not v4 and vector.startswith("CVSS:4"):
            v4, s4 = cvss4(vector)
        word = safexml.text(rating, "severity")
        if severity is None and word:
            raw, severity = word, Severity.from_text(word)
        score = number(safexml.text(rating, "score") or safexml.text(rating, "score/base"))
        if best is None and score is not None:
            best = score
    if severity is None:
        severity = band(s4 if s4 is not None else s3 if s3 is not None else best)
    return severity, raw, v3, s3, v4, s4


def _findings(vuln: ET.Element, targets: list[Component], subject: str, tool: str) -> Iterator[RawFinding]:
    if not targets:
        targets = [("", "", "", "")]
    for target in targets:
        yield _finding(vuln, [target], subject, tool)


def _finding(vuln: ET.Element, targets: list[Component], subject: str, tool: str) -> RawFinding:
    package, version, purl, ref = targets[0]
    vid = safexml.text(vuln, "id")
    ids = [vid, *safexml.texts(vuln, "references/reference/id")]
    cve = next((i.upper() for i in ids if i.upper().startswith("CVE-")), "")
    aliases = tuple(dict.fromkeys(i for i in ids if i and i.upper() != cve))
    severity, raw, v3, s3, v4, s4 = _ratings(vuln)
    state = safexml.text(vuln, "analysis/state")
    refs = [
        *safexml.texts(vuln, "source/url"),
        *safexml.texts(vuln, "advisories/advisory/url"),
        *(a for a in safexml.texts(vuln, "advisories/advisory") if a.startswith("http")),
    ]
    description = clean(safexml.text(vuln, "description"))
    detail = clean(safexml.text(vuln, "detail"))
    if detail and detail != description:
        description = f"{description}\n\n{detail}".strip()
    mitigation = clean(safexml.text(vuln, "recommendation")) or "\n".join(
        safexml.texts(vuln, "recommendations/recommendation")
    )
    cwe_id = next((n for c in safexml.texts(vuln, "cwes/cwe") if (n := cwe(c))), None)
    identity = purl or (f"{package}@{version}" if package else ref)
    ecosystem = purl[4:].split("/", 1)[0] if purl.startswith("pkg:") and "/" in purl else ""
    extra = {
        k: v
        for k, v in (
            ("analysis_state", state),
            ("response", ",".join(safexml.texts(vuln, "analysis/responses/response"))),
            ("source", (vuln.find("source").get("name", "") if vuln.find("source") is not None else "")),  # type: ignore[union-attr]
        )
        if v
    }
    return RawFinding(
        title=f"{cve or vid} in {package or purl or ref} {version}".strip(),
        severity=severity,
        tool=tool,
        scanner_severity=raw,
        description=description,
        rule_id=vid,
        cve=cve,
        aliases=aliases[:200],
        cwe=cwe_id,
        cvss3_vector=v3,
        cvss3_score=s3,
        cvss4_vector=v4,
        cvss4_score=s4,
        package=package,
        installed_version=version,
        ecosystem=ecosystem,
        purl=purl,
        references=tuple(dict.fromkeys(refs))[:200],
        mitigation=mitigation,
        vex_state=VEX_STATE.get(state, ""),
        vex_justification=safexml.text(vuln, "analysis/justification") or clean(safexml.text(vuln, "analysis/detail")),
        fingerprint_parts=(subject, identity, vid),
        extra=extra,
    )


FORMATS = (Format(name=NAME, label=LABEL, sniff=sniff, parse=parse),)
