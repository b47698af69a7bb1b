"""pip-audit JSON: the old list format and the current {"dependencies": [...], "fixes": [...]}."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO

from .base import Format, RawFinding, Severity
from .detect import json_head
from .jsonstream import as_dict, as_list, items, split_ids, text, texts

NAME = "pip-audit"
TOOL = "pip-audit"


def sniff(head: bytes) -> bool:
    h = json_head(head)
    if h.root == "map":
        return h.has("dependencies", "dependencies.item.name") and h.any(
            "dependencies.item.vulns", "dependencies.item.skip_reason"
        )
    if h.root == "array":
        return h.has("item.name") and h.any("item.vulns", "item.skip_reason") and not h.has("item.vulnerabilities")
    return False


def parse(stream: BinaryIO, *, source: str = "<stream>") -> Iterator[RawFinding]:
    origin = stream.tell()
    start = stream.read(4096).lstrip().lstrip(b"\xef\xbb\xbf").lstrip()
    stream.seek(origin)
    prefix = "item" if start.startswith(b"[") else "dependencies.item"
    for dep in items(stream, prefix, source=source, fmt=NAME):
        if isinstance(dep, dict):
            yield from _dependency(dep)


def _dependency(dep: dict[str, Any]) -> Iterator[RawFinding]:
    name = text(dep.get("name"))
    version = text(dep.get("version"))
    for vuln in as_list(dep.get("vulns")):
        vuln = as_dict(vuln)
        vid = text(vuln.get("id"))
        cve, aliases = split_ids([vid, *texts(vuln.get("aliases"))])
        yield RawFinding(
            title=f"{vid} in {name} {version}".strip(),
            # pip-audit reports no severity: MEDIUM until enrichment (CVSS/EPSS/KEV) says more
            severity=Severity.MEDIUM,
            tool=TOOL,
            description=text(vuln.get("description")),
            rule_id=vid,
            cve=cve,
            aliases=aliases,
            package=name,
            installed_version=version,
            fixed_version=", ".join(texts(vuln.get("fix_versions"))),
            ecosystem="pypi",
            purl=f"pkg:pypi/{name.lower()}@{version}" if name and version else "",
            fingerprint_parts=(name.lower(), version, vid),
        )


FORMATS = (Format(name=NAME, label="pip-audit JSON", sniff=sniff, parse=parse),)
