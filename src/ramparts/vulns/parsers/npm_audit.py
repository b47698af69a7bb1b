"""`npm audit --json`: npm 6 (advisories{}) and npm 7+ (auditReportVersion 2, vulnerabilities{})."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO

from .base import Format, ParseError, RawFinding, Severity, cvss3
from .detect import json_head
from .jsonstream import as_dict, as_list, first_cwe, load, split_ids, text, texts

NAME = "npm-audit"
TOOL = "npm audit"


def sniff(head: bytes) -> bool:
    h = json_head(head)
    if h.root != "map":
        return False
    if "auditReportVersion" in h.paths and "vulnerabilities" in h.paths:
        return True
    return "advisories" in h.paths and h.any("actions", "muted", "metadata")


def parse(stream: BinaryIO, *, source: str = "<stream>") -> Iterator[RawFinding]:
    doc = load(stream, source=source, fmt=NAME)
    if not isinstance(doc, dict):
        raise ParseError("expected an npm audit report object", source=source, format=NAME)
    if "auditReportVersion" in doc or ("vulnerabilities" in doc and "advisories" not in doc):
        yield from _v7(as_dict(doc.get("vulnerabilities")))
    else:
        yield from _v6(as_dict(doc.get("advisories")))


def _v6(advisories: dict[str, Any]) -> Iterator[RawFinding]:
    for key, adv in advisories.items():
        adv = as_dict(adv)
        module = text(adv.get("module_name"))
        aid = text(adv.get("id")) or key
        cve, aliases = split_ids([*texts(adv.get("cves")), text(adv.get("github_advisory_id"))])
        raw = text(adv.get("severity"))
        versions = sorted({text(as_dict(f).get("version")) for f in as_list(adv.get("findings"))} - {""}) or [""]
        for version in versions:
            yield RawFinding(
                title=f"{text(adv.get('title')) or aid} in {module} {version}".strip(),
                severity=Severity.from_text(raw),
                tool=TOOL,
                scanner_severity=raw,
                description=text(adv.get("overview")),
                rule_id=f"npm:{aid}",
                cve=cve,
                aliases=aliases,
                cwe=first_cwe(adv.get("cwe")),
                package=module,
                installed_version=version,
                fixed_version=text(adv.get("patched_versions")),
                ecosystem="npm",
                purl=f"pkg:npm/{module}@{version}" if module and version else "",
                url=text(adv.get("url")),
                references=tuple(
                    r.strip("- ").strip() for r in text(adv.get("references")).splitlines() if r.strip("- ").strip()
                ),
                mitigation=text(adv.get("recommendation")),
                fingerprint_parts=(module, version, aid),
                extra={"vulnerable_versions": text(adv.get("vulnerable_versions"))},
            )


def _v7(vulnerabilities: dict[str, Any]) -> Iterator[RawFinding]:
    for key, entry in vulnerabilities.items():
        entry = as_dict(entry)
        name = text(entry.get("name")) or key
        via = as_list(entry.get("via"))
        advisories = [as_dict(v) for v in via if isinstance(v, dict)]
        fix = entry.get("fixAvailable")
        fixed = f"{text(as_dict(fix).get('name'))}@{text(as_dict(fix).get('version'))}" if isinstance(fix, dict) else ""
        node = text((as_list(entry.get("nodes")) or [""])[0])
        raw_entry = text(entry.get("severity"))
        for adv in advisories:
            url = text(adv.get("url"))
            ghsa = url.rsplit("/", 1)[-1] if "/GHSA-" in url else ""
            cve, aliases = split_ids([ghsa])
            v3, s3 = cvss3(text(as_dict(adv.get("cvss")).get("vectorString")))
            raw = text(adv.get("severity")) or raw_entry
            aid = text(adv.get("source")) or ghsa
            yield RawFinding(
                title=text(adv.get("title")) or f"{ghsa or aid} in {name}",
                severity=Severity.from_text(raw),
                tool=TOOL,
                scanner_severity=raw,
                description=f"{name} {text(adv.get('range'))} is vulnerable",
                rule_id=ghsa or f"npm:{aid}",
                cve=cve,
                aliases=aliases,
                cwe=first_cwe(adv.get("cwe")),
                cvss3_vector=v3,
                cvss3_score=s3,
                package=name,
                ecosystem="npm",
                url=url,
                file_path=node,
                references=(url,) if url else (),
                mitigation=f"Upgrade to {fixed}" if fixed else "",
                fingerprint_parts=(node or name, name, ghsa or aid),
                extra={"range": text(adv.get("range"))},
            )
        if not advisories:  # vulnerable only through its dependencies: one finding for the package
            deps = [text(v) for v in via if isinstance(v, str)]
            yield RawFinding(
                title=f"{name} depends on vulnerable {', '.join(deps)}" if deps else f"{name} is vulnerable",
                severity=Severity.from_text(raw_entry),
                tool=TOOL,
                scanner_severity=raw_entry,
                description=f"{name} {text(entry.get('range'))} depends on vulnerable versions of {', '.join(deps)}",
                rule_id="npm:transitive",
                package=name,
                ecosystem="npm",
                file_path=node,
                mitigation=f"Upgrade to {fixed}" if fixed else "",
                fingerprint_parts=(node or name, name, "via:" + ",".join(sorted(deps))),
                extra={"range": text(entry.get("range")), "direct": str(entry.get("isDirect") is True).lower()},
            )


FORMATS = (Format(name=NAME, label="npm audit JSON (npm 6 and 7+)", sniff=sniff, parse=parse),)
