"""Tenable Nessus `.nessus` (NessusClientData_v2) XML, streamed one ReportItem at a time.

One finding per ReportItem (plugin result on a host:port/protocol), informational items included
(severity 0 -> INFO; the domain layer may hide them). Fingerprint: plugin id, host name as
reported (ReportHost@name), port, protocol.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import BinaryIO

from . import safexml
from .base import Format, RawFinding, Severity, cvss3, cvss4
from .xmlfields import clean, cpe_product, cwe, integer, is_ip, number, urls, versions

NAME = "nessus-xml"
LABEL = "Tenable Nessus .nessus XML"
ROOTS = ("NessusClientData_v2",)
SEVERITY = {"0": Severity.INFO, "1": Severity.LOW, "2": Severity.MEDIUM, "3": Severity.HIGH, "4": Severity.CRITICAL}
_MULTI = {"cve", "xref", "bid", "cwe", "see_also", "cpe"}


def sniff(head: bytes) -> bool:
    return safexml.xml_root(head)[0] in ROOTS


def parse(stream: BinaryIO, *, source: str = "<stream>") -> Iterator[RawFinding]:
    host_name = ""
    props: dict[str, str] = {}
    for event, elem, _parent in safexml.iterparse(
        stream, source=source, fmt=NAME, roots=ROOTS, keep=frozenset({"ReportItem", "HostProperties"}), label=LABEL
    ):
        tag = elem.tag
        if event == safexml.START:
            if tag == "ReportHost":
                host_name = (elem.get("name") or "").strip()
                props = {}
        elif tag == "ReportItem":
            yield _finding(elem, host_name, props)
        elif tag == "HostProperties":
            props = {t.get("name", ""): (t.text or "").strip() for t in elem if t.tag == "tag"}


def _finding(item: ET.Element, host_name: str, props: dict[str, str]) -> RawFinding:
    one: dict[str, str] = {}
    many: dict[str, list[str]] = {}
    for child in item:
        value = (child.text or "").strip()
        if child.tag in _MULTI:
            if value:
                many.setdefault(child.tag, []).append(value)
        else:
            one[child.tag] = value
    plugin = (item.get("pluginID") or "").strip()
    port_text = (item.get("port") or "").strip()
    protocol = (item.get("protocol") or "").strip().lower()
    raw_sev = (item.get("severity") or "").strip()
    risk = one.get("risk_factor", "")
    severity = SEVERITY.get(raw_sev, Severity.from_text(risk))

    v3, s3 = cvss3(one.get("cvss3_vector", ""))
    v4, s4 = cvss4(one.get("cvss4_vector", ""))
    cve_list = list(dict.fromkeys(c.upper() for c in many.get("cve", ())))
    xrefs = many.get("xref", [])
    cwe_texts = [*many.get("cwe", []), *(x for x in xrefs if x.upper().startswith("CWE"))]
    cwe_id = next((n for x in cwe_texts if (n := cwe(x))), None)
    aliases = [*cve_list[1:], *(x for x in xrefs if not x.upper().startswith("CWE"))]

    ip = props.get("host-ip", "") or (host_name if is_ip(host_name) else "")
    host = props.get("host-fqdn", "") or props.get("hostname", "") or ("" if is_ip(host_name) else host_name)
    synopsis = clean(one.get("synopsis"))
    description = clean(one.get("description"))
    output = clean(one.get("plugin_output"))
    body = "\n\n".join(p for p in (synopsis, description) if p)
    if output:
        body += f"\n\nPlugin output:\n{output}"
    exploit = one.get("exploit_available", "").lower()
    extra = {
        k: v
        for k, v in (
            ("plugin_family", (item.get("pluginFamily") or "").strip()),
            ("service", (item.get("svc_name") or "").strip()),
            ("risk_factor", risk),
            ("vpr_score", one.get("vpr_score", "")),
            ("cvss2_vector", one.get("cvss_vector", "")),
            ("operating_system", props.get("operating-system", "")),
            ("netbios_name", props.get("netbios-name", "")),
            ("mac_address", props.get("mac-address", "")),
        )
        if v
    }
    epss = number(one.get("epss_score"), high=1.0)
    installed, fixed = versions(output)
    cpes = many.get("cpe", [])
    return RawFinding(
        title=(item.get("pluginName") or one.get("plugin_name") or f"Nessus plugin {plugin}").strip(),
        severity=severity,
        tool="nessus",
        scanner_severity=risk or raw_sev,
        description=body,
        rule_id=plugin,
        cve=cve_list[0] if cve_list else "",
        aliases=tuple(dict.fromkeys(aliases))[:500],
        cwe=cwe_id,
        cvss3_vector=v3,
        cvss3_score=s3,
        cvss4_vector=v4,
        cvss4_score=s4,
        epss_score=epss,
        package=cpe_product(cpes[0]) if len(cpes) == 1 else "",
        installed_version=installed,
        fixed_version=fixed,
        host=host,
        ip=ip,
        port=integer(port_text) or None,
        protocol=protocol,
        references=urls("\n".join(many.get("see_also", ()))),
        mitigation=clean(one.get("solution")),
        exploit_available=True if exploit == "true" else False if exploit == "false" else None,
        fingerprint_parts=(plugin, host_name, port_text, protocol),
        extra=extra,
    )


FORMATS = (Format(name=NAME, label=LABEL, sniff=sniff, parse=parse),)
