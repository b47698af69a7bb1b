"""SARIF 2.1.0 from any tool (CodeQL, Semgrep, ShellCheck, Dependency-Check, Gitleaks, Snyk Code...).

Streams runs[].results[] one result at a time; each run's `tool` (with its rules) is kept while
that run's results are read. SARIF allows `results` before `tool`: such results are held until
the run's tool is known.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from typing import Any, BinaryIO

from .base import Format, RawFinding, Severity
from .detect import json_head
from .jsonstream import MARK, Occurrences, as_dict, as_list, cwe_id, integer, is_cve, number, text, texts, walk

NAME = "sarif"
_RUN = "runs.item"
_TOOL = "runs.item.tool"
_RESULT = "runs.item.results.item"
_VCS = "runs.item.versionControlProvenance"
_CWE_TAG = re.compile(r"(?i)(?:^|/)cwe[-_/]?0*(\d{1,6})\b")


def sniff(head: bytes) -> bool:
    h = json_head(head)
    if h.root != "map" or "runs" not in h.paths:
        return False
    return h.top_text("version").startswith("2.") or "sarif" in h.top_text("$schema").lower() or h.has("runs.item.tool")


class _Run:
    def __init__(self) -> None:
        self.tool = ""
        self.version = ""
        self.rules: dict[str, dict[str, Any]] = {}
        self.by_index: list[dict[str, Any]] = []
        self.repository = ""
        self.known = False
        self.pending: list[Any] = []
        self.seen = Occurrences()

    def set_tool(self, tool: Any) -> None:
        driver = as_dict(as_dict(tool).get("driver"))
        self.tool = text(driver.get("name")) or "sarif"
        self.version = text(driver.get("semanticVersion")) or text(driver.get("version"))
        for component in [driver, *as_list(as_dict(tool).get("extensions"))]:
            for rule in as_list(as_dict(component).get("rules")):
                rule = as_dict(rule)
                if component is driver:
                    self.by_index.append(rule)
                rid = text(rule.get("id"))
                if rid:
                    self.rules.setdefault(rid, rule)
        self.known = True


def parse(stream: BinaryIO, *, source: str = "<stream>") -> Iterator[RawFinding]:
    run = _Run()
    for prefix, value in walk(stream, (_TOOL, _RESULT, _VCS), marks=(_RUN,), source=source, fmt=NAME):
        if value is MARK:
            yield from _flush(run)
            run = _Run()
        elif prefix == _TOOL:
            run.set_tool(value)
            yield from _flush(run)
        elif prefix == _VCS:
            run.repository = text(as_dict((as_list(value) or [None])[0]).get("repositoryUri"))
        elif not run.known:
            run.pending.append(value)
        else:
            finding = _result(value, run)
            if finding is not None:
                yield finding
    yield from _flush(run)


def _flush(run: _Run) -> Iterator[RawFinding]:
    pending, run.pending = run.pending, []
    if not run.known and pending:
        run.tool = "sarif"
    for value in pending:
        finding = _result(value, run)
        if finding is not None:
            yield finding


def _message(value: Any) -> str:
    m = as_dict(value)
    return text(m.get("text")) or text(m.get("markdown"))


def _rule_for(result: dict[str, Any], run: _Run) -> tuple[str, dict[str, Any]]:
    rid = text(result.get("ruleId")) or text(as_dict(result.get("rule")).get("id"))
    rule = run.rules.get(rid) if rid else None
    if rule is None:
        index = integer(result.get("ruleIndex"))
        if index is None:
            index = integer(as_dict(result.get("rule")).get("index"))
        if index is not None and index < len(run.by_index):
            rule = run.by_index[index]
            rid = rid or text(rule.get("id"))
    return rid, rule or {}


def _severity(result: dict[str, Any], rule: dict[str, Any]) -> tuple[Severity, str]:
    props = as_dict(rule.get("properties"))
    score = number(props.get("security-severity"), high=10.0)
    if score is not None:  # CodeQL and GitHub code scanning: a CVSS-like 0-10 score
        sev = Severity.CRITICAL if score >= 9 else Severity.HIGH if score >= 7 else Severity.MEDIUM
        return (sev if score >= 4 else Severity.LOW if score > 0 else Severity.INFO), str(score)
    rprops = as_dict(result.get("properties"))
    for key in ("issue_severity", "severity"):
        raw = text(rprops.get(key))
        if raw:
            return Severity.from_text(raw, Severity.MEDIUM), raw
    level = text(result.get("level")) or text(as_dict(rule.get("defaultConfiguration")).get("level")) or "warning"
    return Severity.from_text(level, Severity.MEDIUM), level


def _cwe(rule: dict[str, Any], result: dict[str, Any]) -> int | None:
    tags = [*texts(as_dict(rule.get("properties")).get("tags")), *texts(as_dict(result.get("properties")).get("tags"))]
    for tag in tags:
        m = _CWE_TAG.search(tag)
        if m:
            return int(m.group(1))
    for rel in as_list(rule.get("relationships")):
        target = as_dict(as_dict(rel).get("target"))
        if text(as_dict(target.get("toolComponent")).get("name")).upper() == "CWE":
            n = cwe_id(target.get("id"))
            if n:
                return n
    for taxon in as_list(result.get("taxa")):
        n = cwe_id(as_dict(taxon).get("id"))
        if n and text(as_dict(as_dict(taxon).get("toolComponent")).get("name")).upper() == "CWE":
            return n
    return None


def _uri(location: dict[str, Any]) -> str:
    uri = text(as_dict(location.get("artifactLocation")).get("uri"))
    if uri.startswith("file://"):
        uri = uri[7:]
    return uri


def _fingerprint(result: dict[str, Any], region: dict[str, Any], message: str, run: _Run, rid: str, path: str) -> str:
    """Line-independent identity: the tool's own fingerprints when it gives them, else a hash of
    the flagged code (and message) numbered by occurrence within the file."""
    for key in ("partialFingerprints", "fingerprints"):
        # a hash of the whole file (ShiftLeft's scanFileHash) changes with any edit elsewhere in it
        fps = {k: v for k, v in as_dict(result.get(key)).items() if "filehash" not in k.lower()}
        if fps:
            return ";".join(f"{k}={text(v)}" for k, v in sorted(fps.items()))
    line = integer(region.get("startLine"))
    snippet = text(as_dict(region.get("snippet")).get("text")).strip()
    if snippet:
        digest = "snippet:" + hashlib.sha256(f"{snippet}\n{message}".encode()).hexdigest()[:32]
        return f"{digest}#{run.seen.index((rid, path, digest), line)}"
    # Nothing but the position: the line is then the only way to tell two results apart.
    return f"line:{line}:{hashlib.sha256(message.encode()).hexdigest()[:32]}"


def _result(value: Any, run: _Run) -> RawFinding | None:
    result = as_dict(value)
    if (
        not result
        or text(result.get("baselineState")) == "absent"
        or text(result.get("kind")) in ("pass", "notApplicable")
    ):
        return None  # "absent": gone since the baseline; pass/notApplicable: not a problem
    rid, rule = _rule_for(result, run)
    message = _message(result.get("message"))
    severity, raw_severity = _severity(result, rule)
    locations = as_list(result.get("locations"))
    physical = as_dict(as_dict(locations[0] if locations else None).get("physicalLocation"))
    region = as_dict(physical.get("region"))
    file_path = _uri(physical)
    title = (
        _message(rule.get("shortDescription"))
        or text(rule.get("name"))
        or message.split("\n", 1)[0][:200]
        or rid
        or "SARIF result"
    )
    description = message
    full = _message(rule.get("fullDescription"))
    if full and full != message:
        description = f"{message}\n\n{full}".strip()
    suppressed = [as_dict(s) for s in as_list(result.get("suppressions"))]
    suppressed_now = any(text(s.get("status")) in ("", "accepted") for s in suppressed)
    cve = rid.upper() if is_cve(rid) else ""
    help_uri = text(rule.get("helpUri"))
    return RawFinding(
        title=title[:500],
        severity=severity,
        tool=run.tool or "sarif",
        scanner_severity=raw_severity,
        description=description,
        rule_id=rid,
        cve=cve,
        cwe=_cwe(rule, result),
        repository=run.repository,
        file_path=file_path,
        line=integer(region.get("startLine")),
        references=(help_uri,) if help_uri else (),
        mitigation=_message(rule.get("help")) if _message(rule.get("help")) != full else "",
        vex_state="suppressed" if suppressed_now else "",
        vex_justification=text(suppressed[0].get("justification")) if suppressed_now else "",
        fingerprint_parts=(run.tool, rid, file_path, _fingerprint(result, region, message, run, rid, file_path)),
        extra={"tool_version": run.version} if run.version else {},
    )


FORMATS = (Format(name=NAME, label="SARIF 2.1.0", sniff=sniff, parse=parse),)
