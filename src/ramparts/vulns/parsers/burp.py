"""Burp Suite XML issue export (<issues burpVersion="...">), streamed one <issue> at a time.

Burp always writes an internal DTD subset (element and attribute declarations only), so this is
the one format where safexml accepts a DOCTYPE; entities, external DTDs and long attribute
defaults are still refused.

One finding per issue (issue type at one host, path and insertion point). Severity High/Medium/
Low/Information -> HIGH/MEDIUM/LOW/INFO; "False positive" -> INFO with vex_state=false_positive.
Requests and responses (base64, often megabytes) are not copied into the finding.
Fingerprint: issue type, host, path, location.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import BinaryIO
from urllib.parse import urlsplit

from . import safexml
from .base import Format, RawFinding, Severity
from .xmlfields import cwe, is_ip, urls
from .zap import html_text

NAME = "burp-xml"
LABEL = "Burp Suite XML"
ROOTS = ("issues",)
_PARAM = re.compile(r"\[([^\]]+?)\s+(parameter|cookie|header|field|JSON parameter|XML attribute)\]\s*$", re.IGNORECASE)
_HREF = re.compile(r"""href\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


def sniff(head: bytes) -> bool:
    root, attrs = safexml.xml_root(head)
    return root in ROOTS and ("burpVersion" in attrs or safexml.head_has(head, b"burpVersion"))


def parse(stream: BinaryIO, *, source: str = "<stream>") -> Iterator[RawFinding]:
    version = ""
    for event, elem, _parent in safexml.iterparse(
        stream, source=source, fmt=NAME, roots=ROOTS, keep=frozenset({"issue"}), allow_dtd=True, label=LABEL
    ):
        if event == safexml.START:
            if elem.tag == "issues":
                version = elem.get("burpVersion", "")
        elif elem.tag == "issue":
            yield _finding(elem, version)


def _finding(issue: ET.Element, version: str) -> RawFinding:
    t = {c.tag: (c.text or "").strip() for c in issue if c.tag != "requestresponse"}
    host_el = issue.find("host")
    host_url = t.get("host", "")
    ip = (host_el.get("ip", "") if host_el is not None else "").strip()
    path = t.get("path", "")
    location = t.get("location", "")
    raw = t.get("severity", "")
    false_positive = raw.lower() == "false positive"
    severity = Severity.INFO if false_positive else Severity.from_text(raw)
    try:
        parts = urlsplit(host_url)
        hostname, port = parts.hostname or "", parts.port
    except ValueError:
        hostname, port = "", None
    detail_items = [html_text(d.text or "") for d in issue.iterfind("issueDetailItems/issueDetailItem")]
    body = "\n\n".join(
        p
        for p in (
            html_text(t.get("issueDetail", "")),
            "\n".join(d for d in detail_items if d),
            html_text(t.get("issueBackground", "")),
        )
        if p
    )
    classes = t.get("vulnerabilityClassifications", "")
    refs = [*_HREF.findall(t.get("references", "")), *urls(html_text(t.get("references", "")))]
    m = _PARAM.search(location[-300:])  # bounded: the pattern is quadratic in its input
    request = issue.find("requestresponse/request")
    method = (request.get("method", "") if request is not None else "").upper()
    extra = {
        k: v
        for k, v in (
            ("confidence", t.get("confidence", "")),
            ("serial_number", t.get("serialNumber", "")),
            ("location", location),
            ("param", m.group(1) if m else ""),
            ("param_kind", m.group(2).lower() if m else ""),
            ("method", method),
            ("burp_version", version),
        )
        if v
    }
    mitigation = "\n\n".join(
        p for p in (html_text(t.get("remediationDetail", "")), html_text(t.get("remediationBackground", ""))) if p
    )
    return RawFinding(
        title=t.get("name") or f"Burp issue {t.get('type', '')}",
        severity=severity,
        tool="burp",
        scanner_severity=raw,
        description=body,
        rule_id=t.get("type", ""),
        cwe=cwe(classes) if "CWE" in classes.upper() else None,
        host=hostname if not is_ip(hostname) else "",
        ip=ip or (hostname if is_ip(hostname) else ""),
        port=port,
        url=host_url.rstrip("/") + path if host_url else path,
        references=tuple(dict.fromkeys(refs))[:200],
        mitigation=mitigation,
        vex_state="false_positive" if false_positive else "",
        fingerprint_parts=(t.get("type", ""), host_url, path, location),
        extra=extra,
    )


FORMATS = (Format(name=NAME, label=LABEL, sniff=sniff, parse=parse),)
