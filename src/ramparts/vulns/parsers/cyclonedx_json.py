"""CycloneDX 1.4-1.6 JSON: the `vulnerabilities` of an SBOM/VEX document, with VEX analysis states.

Three streaming passes over the document (each in ijson's C backend): the subject
(metadata.component), the components (to resolve `affects[].ref`), then the vulnerabilities one at
a time. Memory follows the component table, not the vulnerability list.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO

from .base import Format, RawFinding, Severity, cvss3, cvss4
from .detect import json_head
from .jsonstream import as_dict, as_list, first, first_cwe, items, number, split_ids, text, texts

NAME = "cyclonedx-json"
_VEX_STATE = {
    "resolved": "fixed",
    "resolved_with_pedigree": "fixed",
    "exploitable": "affected",
    "in_triage": "under_investigation",
    "false_positive": "false_positive",
    "not_affected": "not_affected",
}
_PREFIX = {"CVSSv3": "CVSS:3.0/", "CVSSv31": "CVSS:3.1/", "CVSSv4": "CVSS:4.0/"}
_MAX_NESTING = 32


def sniff(head: bytes) -> bool:
    h = json_head(head)
    if h.root != "map":
        return False
    return h.top_text("bomFormat") == "CycloneDX" or "cyclonedx" in h.top_text("$schema").lower()


def parse(stream: BinaryIO, *, source: str = "<stream>") -> Iterator[RawFinding]:
    origin = stream.tell()
    subject = as_dict(first(stream, "metadata.component", source=source, fmt=NAME))
    subject_name = " ".join(s for s in (text(subject.get("name")), text(subject.get("version"))) if s)
    tools = first(stream, "metadata.tools", source=source, fmt=NAME)
    tool_list = as_list(tools) or as_list(as_dict(tools).get("components"))  # 1.4 list, 1.5+ object
    tool = text(as_dict(tool_list[0] if tool_list else None).get("name")) or "cyclonedx"
    components: dict[str, dict[str, Any]] = {}
    for component in items(stream, "components.item", source=source, fmt=NAME):
        _index(component, components, 0)
    stream.seek(origin)
    for vuln in items(stream, "vulnerabilities.item", source=source, fmt=NAME):
        if isinstance(vuln, dict):
            yield from _vulnerability(vuln, components, subject_name, tool)


def _index(component: Any, table: dict[str, dict[str, Any]], depth: int) -> None:
    component = as_dict(component)
    ref = text(component.get("bom-ref"))
    if ref:
        table[ref] = component
    if depth < _MAX_NESTING:
        for child in as_list(component.get("components")):
            _index(child, table, depth + 1)


def _ratings(ratings: list[Any]) -> tuple[Severity, str, str, float | None, str, float | None]:
    severity: Severity | None = None
    raw = ""
    v3 = v4 = ""
    s3 = s4 = None
    best_score: float | None = None
    for r in ratings:
        r = as_dict(r)
        method = text(r.get("method"))
        vector = text(r.get("vector"))
        if vector and method in _PREFIX and not vector.startswith("CVSS:"):
            vector = _PREFIX[method] + vector
        if not v3 and vector.startswith("CVSS:3"):
            v3, s3 = cvss3(vector)
        elif not v4 and vector.startswith("CVSS:4"):
            v4, s4 = cvss4(vector)
        if severity is None and text(r.get("severity")):
            raw = text(r.get("severity"))
            severity = Severity.from_text(raw)
        score = number(r.get("score"), high=10.0)
        if score is not None and best_score is None:
            best_score = score
    if severity is None:  # no qualitative rating: derive it from the score (CVSS bands)
        score = s4 if s4 is not None else s3 if s3 is not None else best_score
        severity = _band(score)
    return severity, raw, v3, s3, v4, s4


def _band(score: float | None) -> Severity:
    if score is None:
        return Severity.INFO
    if score >= 9:
        return Severity.CRITICAL
    if score >= 7:
        return Severity.HIGH
    if score >= 4:
        return Severity.MEDIUM
    return Severity.LOW if score > 0 else Severity.INFO


def _ecosystem(purl: str) -> str:
    if purl.startswith("pkg:") and "/" in purl:
        return purl[4:].split("/", 1)[0]
    return ""


def _vulnerability(
    vuln: dict[str, Any], components: dict[str, dict[str, Any]], subject: str, tool: str
) -> Iterator[RawFinding]:
    vid = text(vuln.get("id"))
    ref_ids = [text(as_dict(r).get("id")) for r in as_list(vuln.get("references"))]
    cve, aliases = split_ids([vid, *ref_ids])
    severity, raw, v3, s3, v4, s4 = _ratings(as_list(vuln.get("ratings")))
    analysis = as_dict(vuln.get("analysis"))
    state = text(analysis.get("state"))
    source_url = text(as_dict(vuln.get("source")).get("url"))
    refs = [source_url] if source_url else []
    refs += [text(as_dict(a).get("url")) for a in as_list(vuln.get("advisories"))]
    description = text(vuln.get("description"))
    detail = text(vuln.get("detail"))
    if detail and detail != description:
        description = f"{description}\n\n{detail}".strip()
    affects = as_list(vuln.get("affects")) or [None]
    for affected in affects:
        ref = text(as_dict(affected).get("ref"))
        component = components.get(ref, {})
        name = text(component.get("name"))
        group = text(component.get("group"))
        package = f"{group}:{name}" if group and name else name
        version = text(component.get("version"))
        purl = text(component.get("purl")) or (ref if ref.startswith("pkg:") else "")
        identity = purl or (f"{package}@{version}" if package else ref)
        yield RawFinding(
            title=f"{cve or vid} in {package or purl or ref} {version}".strip(),
            severity=severity,
            tool=tool,
            scanner_severity=raw,
            description=description,
            rule_id=vid,
            cve=cve,
            aliases=aliases,
            cwe=first_cwe(vuln.get("cwes")),
            cvss3_vector=v3,
            cvss3_score=s3,
            cvss4_vector=v4,
            cvss4_score=s4,
            package=package,
            installed_version=version,
            ecosystem=_ecosystem(purl),
            purl=purl,
            references=tuple(dict.fromkeys(r for r in refs if r))[:200],
            mitigation=text(vuln.get("recommendation")),
            vex_state=_VEX_STATE.get(state, ""),
            vex_justification=text(analysis.get("justification")) or text(analysis.get("detail")),
            fingerprint_parts=(subject, identity, vid),
            extra={
                k: v
                for k, v in (("analysis_state", state), ("response", ",".join(texts(analysis.get("response")))))
                if v
            },
        )


FORMATS = (Format(name=NAME, label="CycloneDX JSON (vulnerabilities, VEX)", sniff=sniff, parse=parse),)
