"""OWASP ZAP reports: the traditional XML report (<OWASPZAPReport>) and the traditional JSON
report ({"@programName": "ZAP", "site": [...]}).

One finding per alert instance (alert on one URL, parameter and method); an alert without
instances gives one finding on the site. Risk code 0-3 -> INFO..HIGH; confidence 0 ("False
Positive") -> vex_state=false_positive. Fingerprint: alertRef (else pluginid), the URL with query
values removed (names kept, so ?id=1 and ?id=2 are one place), parameter, method.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any, BinaryIO
from urllib.parse import urlsplit, urlunsplit

from . import safexml
from .base import Format, RawFinding, Severity
from .detect import json_head
from .jsonstream import as_dict, as_list, first, items, text
from .xmlfields import clean, cwe, integer, urls

XML_NAME, JSON_NAME = "zap-xml", "zap-json"
XML_LABEL, JSON_LABEL = "OWASP ZAP XML", "OWASP ZAP JSON"
ROOTS = ("OWASPZAPReport",)
RISK = {"0": Severity.INFO, "1": Severity.LOW, "2": Severity.MEDIUM, "3": Severity.HIGH}
_TAG = re.compile(r"</?(?:p|br|li|ul|ol|b|i|strong|em|code|pre)\s*/?>", re.IGNORECASE)
_BLANKS = re.compile(r"\n{3,}")
MAX_INSTANCES = 100_000


def sniff_xml(head: bytes) -> bool:
    return safexml.xml_root(head)[0] in ROOTS


def sniff_json(head: bytes) -> bool:
    h = json_head(head)
    if h.root != "map":
        return False
    if h.top_text("@programName").upper() in ("ZAP", "OWASP ZAP"):
        return True
    return "@version" in h.top and h.any("site.item.alerts", "site.item.@name", "site.alerts")


def parse_xml(stream: BinaryIO, *, source: str = "<stream>") -> Iterator[RawFinding]:
    site: dict[str, str] = {}
    for event, elem, _parent in safexml.iterparse(
        stream, source=source, fmt=XML_NAME, roots=ROOTS, keep=frozenset({"alertitem"}), label=XML_LABEL
    ):
        if event == safexml.START:
            if elem.tag == "site":
                site = {k: v for k, v in elem.attrib.items()}
        elif elem.tag == "alertitem":
            yield from alert_findings(site, *_xml_alert(elem))


def _xml_alert(item: ET.Element) -> tuple[dict[str, str], list[dict[str, str]]]:
    alert = {c.tag: (c.text or "").strip() for c in item if c.tag != "instances"}
    instances = [{c.tag: (c.text or "").strip() for c in inst} for inst in item.iterfind("instances/instance")]
    if not instances and alert.get("uri"):  # ZAP < 2.8 wrote uri/param/attack on the alertitem itself
        instances = [alert]
    return alert, instances


def parse_json(stream: BinaryIO, *, source: str = "<stream>") -> Iterator[RawFinding]:
    sites = 0
    for site in items(stream, "site.item", source=source, fmt=JSON_NAME):
        sites += 1
        yield from _json_site(site)
    if not sites:
        stream.seek(0)
        one = first(stream, "site", source=source, fmt=JSON_NAME)  # a single site object
        if isinstance(one, dict):
            yield from _json_site(one)


def _json_site(site: Any) -> Iterator[RawFinding]:
    site = as_dict(site)
    attrs = {k.lstrip("@"): text(v) for k, v in site.items() if k.startswith("@")}
    for alert in as_list(site.get("alerts")):
        alert = as_dict(alert)
        flat = {k: text(v) for k, v in alert.items() if k != "instances"}
        instances = [{k: text(v) for k, v in as_dict(i).items()} for i in as_list(alert.get("instances"))]
        yield from alert_findings(attrs, flat, instances)


def strip_query_values(url: str) -> str:
    """https://h/p?id=1&x=2#f -> https://h/p?id&x (parameter names identify the place, not values)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if not parts.query:
        return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    names = [p.partition("=")[0] for p in parts.query.split("&") if p]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "&".join(names), ""))


def html_text(value: str) -> str:
    return _BLANKS.sub("\n\n", clean(_TAG.sub("\n", value or "")))


def alert_findings(
    site: dict[str, str], alert: dict[str, str], instances: list[dict[str, str]]
) -> Iterator[RawFinding]:
    plugin = alert.get("pluginid", "")
    rule = alert.get("alertRef") or plugin
    risk = alert.get("riskcode", "")
    severity = RISK.get(risk, Severity.from_text(alert.get("riskdesc", "").split(" (")[0]))
    false_positive = alert.get("confidence", "") == "0"
    description = html_text(alert.get("desc", ""))
    other = html_text(alert.get("otherinfo", ""))
    cwe_id = cwe(alert.get("cweid", "")) if alert.get("cweid", "") not in ("", "-1", "0") else None
    refs = urls(html_text(alert.get("reference", "")))
    title = alert.get("name") or alert.get("alert") or f"ZAP alert {rule}"
    site_url = site.get("name", "")
    host = site.get("host", "")
    port = integer(site.get("port", ""))
    common = {
        k: v
        for k, v in (
            ("pluginid", plugin),
            ("confidence", alert.get("confidence", "")),
            ("wascid", alert.get("wascid", "")),
            ("site", site_url),
        )
        if v
    }
    for instance in instances[:MAX_INSTANCES] or [{}]:
        url = instance.get("uri", "") or site_url
        method = instance.get("method", "").upper()
        param = instance.get("param", "")
        extra = dict(common)
        for key in ("evidence", "attack"):
            if instance.get(key):
                extra[key] = instance[key][:2000]
        inst_other = html_text(instance.get("otherinfo", ""))
        body = "\n\n".join(p for p in (description, other, inst_other) if p)
        yield RawFinding(
            title=title,
            severity=severity,
            tool="zap",
            scanner_severity=alert.get("riskdesc", "") or risk,
            description=body,
            rule_id=rule,
            cwe=cwe_id,
            host=host,
            port=port,
            url=url,
            references=refs,
            mitigation=html_text(alert.get("solution", "")),
            vex_state="false_positive" if false_positive else "",
            fingerprint_parts=(rule, strip_query_values(url), param, method),
            extra={**extra, **({"param": param} if param else {}), **({"method": method} if method else {})},
            target=site_url,
        )


FORMATS = (
    Format(name=XML_NAME, label=XML_LABEL, sniff=sniff_xml, parse=parse_xml),
    Format(name=JSON_NAME, label=JSON_LABEL, sniff=sniff_json, parse=parse_json),
)
