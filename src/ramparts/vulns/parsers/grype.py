"""Grype JSON (`grype -o json`): matches[] streamed one at a time.

Grype writes `source` (the scanned image or directory) after `matches`, so a first pass reads
just that value (ijson skips the matches in C without building them), then a second pass streams
the matches.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO

from .base import Format, RawFinding, Severity, cvss3, cvss4
from .detect import json_head
from .jsonstream import as_dict, as_list, first, items, number, split_ids, text, texts

NAME = "grype"
TOOL = "grype"
# Grype's fix.state -> our vex_state
_FIX_STATE = {"wont-fix": "will_not_fix"}


def sniff(head: bytes) -> bool:
    h = json_head(head)
    if h.root != "map" or "matches" not in h.paths:
        return False
    return h.any("matches.item.vulnerability", "matches.item.artifact", "descriptor", "distro")


def parse(stream: BinaryIO, *, source: str = "<stream>") -> Iterator[RawFinding]:
    src = as_dict(first(stream, "source", source=source, fmt=NAME))
    target = src.get("target")
    kind = text(src.get("type"))
    name = text(as_dict(target).get("userInput")) if isinstance(target, dict) else text(target)
    image = name if kind == "image" else ""
    repository = name if kind in ("directory", "git") else ""
    for match in items(stream, "matches.item", source=source, fmt=NAME):
        if isinstance(match, dict):
            yield _match(match, name, image, repository)


def _scores(entries: Any) -> tuple[str, float | None, str, float | None]:
    v3 = v4 = ""
    s3 = s4 = None
    # NVD's "Primary" entries first, then the others in file order
    ordered = sorted(as_list(entries), key=lambda e: text(as_dict(e).get("type")) != "Primary")
    for entry in ordered:
        vector = text(as_dict(entry).get("vector"))
        if not v3 and vector.startswith("CVSS:3"):
            v3, s3 = cvss3(vector)
        elif not v4 and vector.startswith("CVSS:4"):
            v4, s4 = cvss4(vector)
    return v3, s3, v4, s4


def _match(match: dict[str, Any], target: str, image: str, repository: str) -> RawFinding:
    vuln = as_dict(match.get("vulnerability"))
    related = [as_dict(r) for r in as_list(match.get("relatedVulnerabilities"))]
    artifact = as_dict(match.get("artifact"))
    vid = text(vuln.get("id"))
    cve, aliases = split_ids([vid, *(text(r.get("id")) for r in related)])
    raw_severity = text(vuln.get("severity"))
    v3, s3, v4, s4 = _scores(vuln.get("cvss"))
    for r in related:  # the NVD record usually carries the scores of a GHSA/distro advisory
        if v3 and v4:
            break
        r3, rs3, r4, rs4 = _scores(r.get("cvss"))
        v3, s3 = (v3, s3) if v3 else (r3, rs3)
        v4, s4 = (v4, s4) if v4 else (r4, rs4)
    epss = as_dict((as_list(vuln.get("epss")) or [None])[0])
    if not epss:
        for r in related:
            epss = as_dict((as_list(r.get("epss")) or [None])[0])
            if epss:
                break
    fix = as_dict(vuln.get("fix"))
    state = text(fix.get("state"))
    pkg = text(artifact.get("name"))
    version = text(artifact.get("version"))
    locations = as_list(artifact.get("locations"))
    path = text(as_dict(locations[0]).get("path")) if locations else ""
    description = text(vuln.get("description")) or next((text(r.get("description")) for r in related), "")
    return RawFinding(
        title=f"{vid} in {pkg} {version}".strip(),
        severity=Severity.from_text(raw_severity),
        tool=TOOL,
        scanner_severity=raw_severity,
        description=description,
        rule_id=vid,
        cve=cve,
        aliases=aliases,
        cvss3_vector=v3,
        cvss3_score=s3,
        cvss4_vector=v4,
        cvss4_score=s4,
        epss_score=number(epss.get("epss"), high=1.0),
        epss_percentile=number(epss.get("percentile"), high=1.0),
        package=pkg,
        installed_version=version,
        fixed_version=", ".join(texts(fix.get("versions"))),
        ecosystem=text(artifact.get("type")),
        purl=text(artifact.get("purl")),
        image=image,
        repository=repository,
        file_path=path,
        references=texts(vuln.get("urls")),
        vex_state=_FIX_STATE.get(state, ""),
        # The path is left out on purpose: the same package version matched at two paths of one
        # image is one finding (one upgrade fixes both), as DefectDojo counts it.
        fingerprint_parts=(target, pkg, version, vid),
        extra={"fix_state": state} if state else {},
    )


FORMATS = (Format(name=NAME, label="Grype JSON", sniff=sniff, parse=parse),)
