"""Snyk CLI JSON: `snyk test --json` (one project), `--all-projects` (a list), `snyk container test`.

Read whole with orjson (the project fields Snyk writes after the vulnerability list are needed for
every finding, and these reports are small). Snyk lists a vulnerability once per dependency path;
those repeats share one fingerprint.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO

from .base import Format, ParseError, RawFinding, Severity, cvss3, cvss4
from .detect import json_head
from .jsonstream import as_dict, as_list, first_cwe, load, number, split_ids, text, texts

NAME = "snyk"
TOOL = "snyk"
_PROJECT_KEYS = ("packageManager", "dependencyCount", "projectName", "uniqueCount")
_EXPLOIT = {"mature": True, "functional": True, "high": True, "proof of concept": True, "unproven": False}


def sniff(head: bytes) -> bool:
    h = json_head(head)
    if h.root == "map":
        return "vulnerabilities" in h.paths and (
            h.any(*_PROJECT_KEYS) or h.has("vulnerabilities.item.packageName") or h.has("vulnerabilities.item.semver")
        )
    if h.root == "array":
        return h.has("item.vulnerabilities") and (
            h.any(*(f"item.{k}" for k in _PROJECT_KEYS)) or h.has("item.vulnerabilities.item.packageName")
        )
    return False


def parse(stream: BinaryIO, *, source: str = "<stream>") -> Iterator[RawFinding]:
    doc = load(stream, source=source, fmt=NAME)
    projects = doc if isinstance(doc, list) else [doc]
    if not all(isinstance(p, dict) for p in projects):
        raise ParseError("expected a Snyk project object or a list of them", source=source, format=NAME)
    for project in projects:
        yield from _project(project)


def _project(project: dict[str, Any]) -> Iterator[RawFinding]:
    name = text(project.get("projectName"))
    target = text(project.get("displayTargetFile")) or text(project.get("targetFile"))
    image = ""
    if name.startswith("docker-image|"):
        image = name.split("|", 1)[1]
        path = text(project.get("path"))  # "repo/image:tag/app-dir" -> "repo/image:tag"
        if path.startswith(image + ":"):
            image += ":" + path[len(image) + 1 :].split("/", 1)[0]
    scope = f"{name} {target}".strip()
    for vuln in as_list(project.get("vulnerabilities")):
        if isinstance(vuln, dict):
            yield _vuln(vuln, scope, target, image, text(project.get("packageManager")))
    # Snyk Container nests the vulnerabilities of the applications found in the image
    for app in as_list(project.get("applications")):
        app = as_dict(app)
        app_target = text(app.get("displayTargetFile")) or text(app.get("targetFile"))
        app_scope = f"{scope} {text(app.get('projectName'))} {app_target}".strip()
        for vuln in as_list(app.get("vulnerabilities")):
            if isinstance(vuln, dict):
                yield _vuln(vuln, app_scope, app_target, image, text(app.get("packageManager")))


def _vuln(v: dict[str, Any], scope: str, target: str, image: str, manager: str) -> RawFinding:
    ids = as_dict(v.get("identifiers"))
    vid = text(v.get("id"))
    cve, aliases = split_ids([*texts(ids.get("CVE")), vid, *texts(ids.get("GHSA")), *texts(v.get("alternativeIds"))])
    raw = text(v.get("severityWithCritical")) or text(v.get("severity"))
    vector = text(v.get("CVSSv3"))
    v3, s3 = cvss3(vector) if vector.startswith("CVSS:3") else ("", None)
    v4, s4 = cvss4(vector) if vector.startswith("CVSS:4") else ("", None)
    if not v3:
        for detail in as_list(v.get("cvssDetails")):
            v3, s3 = cvss3(text(as_dict(detail).get("cvssV3Vector")))
            if v3:
                break
    epss = as_dict(v.get("epssDetails"))
    pkg = text(v.get("packageName")) or text(v.get("name"))
    version = text(v.get("version"))
    exploit = text(v.get("exploit")).lower()
    return RawFinding(
        title=f"{text(v.get('title')) or vid} in {pkg} {version}".strip(),
        severity=Severity.from_text(raw),
        tool=TOOL,
        scanner_severity=raw,
        description=text(v.get("description")),
        rule_id=vid,
        cve=cve,
        aliases=aliases,
        cwe=first_cwe(ids.get("CWE")),
        cvss3_vector=v3,
        cvss3_score=s3,
        cvss4_vector=v4,
        cvss4_score=s4,
        epss_score=number(epss.get("probability"), high=1.0),
        epss_percentile=number(epss.get("percentile"), high=1.0),
        package=pkg,
        installed_version=version,
        fixed_version=", ".join(texts(v.get("fixedIn"))),
        ecosystem=text(v.get("packageManager")) or manager,
        image=image,
        file_path=target,
        references=tuple(u for u in (text(as_dict(r).get("url")) for r in as_list(v.get("references"))) if u),
        exploit_available=_EXPLOIT.get(exploit),
        fingerprint_parts=(scope, pkg, version, vid),
        extra={"path": " > ".join(texts(v.get("from")))} if v.get("from") else {},
    )


FORMATS = (Format(name=NAME, label="Snyk JSON", sniff=sniff, parse=parse),)
