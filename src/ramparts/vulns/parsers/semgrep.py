"""Semgrep JSON (`semgrep --json`, results[] streamed) and Semgrep Supply Chain API exports (vulns[])."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any, BinaryIO

from .base import Format, RawFinding, Severity
from .detect import json_head
from .jsonstream import Occurrences, as_dict, first_cwe, integer, items, split_ids, text, texts

NAME = "semgrep"
TOOL = "semgrep"
# Semgrep's own levels; its ERROR means "high" for security rules
_LEVEL = {"ERROR": Severity.HIGH, "WARNING": Severity.MEDIUM, "INFO": Severity.LOW, "INVENTORY": Severity.INFO}
_TRIAGE_VEX = {"FIXED": "fixed", "CLOSED": "fixed", "IGNORED": "false_positive", "REVIEWING": "under_investigation"}


def sniff(head: bytes) -> bool:
    h = json_head(head)
    if h.root != "map":
        return False
    if "results" in h.paths:
        if h.any("results.item.check_id", "results.item.extra"):
            return True
        # an empty report: {"results": [], "errors": [...], "paths": ...} and nothing else
        return "errors" in h.paths and not (
            h.paths
            - {"results", "errors", "paths", "version", "paths.scanned", "interfile_languages_used", "skipped_rules"}
        )
    return h.has("vulns") and h.any("vulns.item.advisory", "hasMore")


def parse(stream: BinaryIO, *, source: str = "<stream>") -> Iterator[RawFinding]:
    origin = stream.tell()
    h = json_head(stream.read(64 * 1024))
    stream.seek(origin)
    if "vulns" in h.paths and "results" not in h.paths:
        for vuln in items(stream, "vulns.item", source=source, fmt=NAME):
            if isinstance(vuln, dict):
                yield _supply_chain(vuln)
        return
    seen = Occurrences()
    for result in items(stream, "results.item", source=source, fmt=NAME):
        if isinstance(result, dict):
            yield _result(result, seen)


def _result(r: dict[str, Any], seen: Occurrences) -> RawFinding:
    extra = as_dict(r.get("extra"))
    meta = as_dict(extra.get("metadata"))
    check = text(r.get("check_id"))
    path = text(r.get("path"))
    raw = text(extra.get("severity"))
    severity = _LEVEL.get(raw.upper()) if raw else None
    if severity is None:
        severity = Severity.from_text(raw, Severity.MEDIUM)
    lines = text(extra.get("lines"))
    fp = text(extra.get("fingerprint"))
    line = integer(as_dict(r.get("start")).get("line"))
    if not fp or fp == "requires login":  # without an account the CLI hides its fingerprint
        fp = "lines:" + hashlib.sha256(lines.strip().encode()).hexdigest()[:32]
        fp += f"#{seen.index((check, path, fp), line)}"
    message = text(extra.get("message"))
    refs = texts(meta.get("references")) + texts(meta.get("source"))
    cve, aliases = split_ids(texts(meta.get("cve")) or ())
    return RawFinding(
        title=check.rsplit(".", 1)[-1] if check else "semgrep finding",
        severity=severity,
        tool=TOOL,
        scanner_severity=raw,
        description=message + (f"\n\n{lines}" if lines and lines != "requires login" else ""),
        rule_id=check,
        cve=cve,
        aliases=aliases,
        cwe=first_cwe(meta.get("cwe")),
        file_path=path,
        line=line,
        references=refs,
        mitigation=text(extra.get("fix")),
        vex_state="suppressed" if extra.get("is_ignored") is True else "",
        fingerprint_parts=(check, path, fp),
        extra={
            k: v
            for k, v in (("confidence", text(meta.get("confidence"))), ("likelihood", text(meta.get("likelihood"))))
            if v
        },
    )


def _supply_chain(v: dict[str, Any]) -> RawFinding:
    advisory = as_dict(v.get("advisory"))
    refs = as_dict(advisory.get("references"))
    dep = as_dict(v.get("matchedDependency"))
    loc = as_dict(v.get("dependencyFileLocation"))
    safe = as_dict(v.get("closestSafeDependency"))
    rule = text(advisory.get("ruleId"))
    cve, aliases = split_ids(texts(refs.get("cveIds")))
    raw = text(advisory.get("severity"))
    repo = text(v.get("repositoryName"))
    path = text(loc.get("path"))
    triage = text(as_dict(v.get("triage")).get("status")).upper()
    package = text(dep.get("name"))
    version = text(dep.get("versionSpecifier"))
    return RawFinding(
        title=text(v.get("title")) or text(advisory.get("title")) or rule,
        severity=Severity.from_text(raw),
        tool=TOOL,
        scanner_severity=raw,
        description=text(advisory.get("description")),
        rule_id=rule,
        cve=cve,
        aliases=aliases,
        cwe=first_cwe(refs.get("cweIds")),
        package=package,
        installed_version=version,
        fixed_version=text(safe.get("versionSpecifier")),
        ecosystem=text(advisory.get("ecosystem")),
        url=text(loc.get("url")),
        repository=repo,
        file_path=path,
        line=integer(loc.get("startLine")),
        references=texts(refs.get("urls")),
        vex_state=_TRIAGE_VEX.get(triage, ""),
        fingerprint_parts=(repo, path, package, version, rule),
        extra={k: s for k, s in (("reachability", text(v.get("exposureType"))), ("triage", triage)) if s},
    )


FORMATS = (Format(name=NAME, label="Semgrep JSON", sniff=sniff, parse=parse),)
