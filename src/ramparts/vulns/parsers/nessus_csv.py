"""Nessus CSV exports: Nessus Professional ("Plugin ID, CVE, CVSS, Risk, Host, ...") and
Tenable.sc / Tenable.io ("Plugin, Plugin Name, Severity, IP Address, ...").

One finding per plugin per host:port/protocol. Nessus Professional writes one row per CVE (and one
per detected service) of the same plugin result; consecutive rows with the same key are merged into
one finding whose aliases carry the extra CVEs. All-empty rows (Tenable.sc padding) are skipped.
Fingerprint: plugin id, host (Host, else IP Address, else DNS Name), port, protocol.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from .base import Format, RawFinding, Severity, cvss3, cvss4
from .csvutil import Rows, header_names
from .xmlfields import band, clean, cves, cvss3_prefixed, cwe, integer, is_ip, number, urls, versions

NAME = "nessus-csv"
LABEL = "Tenable Nessus CSV"
COLUMNS = {
    "plugin": ("plugin id", "plugin"),
    "name": ("name", "plugin name"),
    "host": ("host",),
    "ip": ("ip address", "ip"),
    "dns": ("dns name", "fqdn"),
    "netbios": ("netbios name",),
    "severity": ("risk", "severity", "risk factor"),
    "risk_factor": ("risk factor",),
    "protocol": ("protocol",),
    "port": ("port",),
    "cve": ("cve",),
    "cvss3_vector": ("cvss v3 vector", "cvss v3.0 vector", "cvss3 vector"),
    "cvss3_score": ("cvss v3 base score", "cvss v3.0 base score"),
    "cvss4_vector": ("cvss v4 vector", "cvss v4.0 vector"),
    "cvss2_score": ("cvss", "cvss v2 base score", "cvss v2.0 base score"),
    "synopsis": ("synopsis",),
    "description": ("description",),
    "solution": ("solution",),
    "see_also": ("see also",),
    "output": ("plugin output", "plugin text"),
    "xref": ("cross references", "xref"),
    "exploit": ("exploit?",),
    "epss": ("epss score",),
    "family": ("family",),
    "first_seen": ("first discovered",),
    "last_seen": ("last observed",),
}


def sniff(head: bytes) -> bool:
    names = set(header_names(head))
    # loose enough that a file missing a required column still reaches parse(), which names it
    return bool(names & {"plugin id", "plugin"}) and bool(
        names & {"host", "ip address", "dns name", "name", "plugin name"}
    )


def parse(stream: BinaryIO, *, source: str = "<stream>") -> Iterator[RawFinding]:
    rows = Rows(
        stream, source=source, fmt=NAME, columns=COLUMNS, required=("plugin", "name"), one_of=(("host", "ip", "dns"),)
    )
    pending: RawFinding | None = None
    for _line, row in rows:
        if not row.get("plugin"):
            continue  # Tenable.sc continuation/blank rows carry no plugin
        finding = _finding(row)
        if pending is not None and pending.fingerprint_parts == finding.fingerprint_parts:
            _merge(pending, finding)
            continue
        if pending is not None:
            yield pending
        pending = finding
    if pending is not None:
        yield pending


def _merge(into: RawFinding, other: RawFinding) -> None:
    ids = [into.cve, *into.aliases, other.cve, *other.aliases]
    ids = [i for i in dict.fromkeys(ids) if i and i != into.cve]
    if not into.cve and other.cve:
        into.cve = other.cve
        ids = [i for i in ids if i != other.cve]
    into.aliases = tuple(ids)[:500]
    out = other.extra.get("plugin_output", "")
    if out and out not in into.description:
        into.description += f"\n\nPlugin output:\n{out}"


def _finding(row: dict[str, str]) -> RawFinding:
    plugin = row["plugin"]
    host_key = row.get("host") or row.get("ip") or row.get("dns") or ""
    ip = row.get("ip") or (host_key if is_ip(host_key) else "")
    host = row.get("dns") or ("" if is_ip(host_key) else host_key)
    protocol = row.get("protocol", "").lower()
    port_text = row.get("port", "")
    raw = row.get("severity", "")
    v3, s3 = cvss3(cvss3_prefixed(row.get("cvss3_vector", ""), "3.0"))
    v4, s4 = cvss4(row.get("cvss4_vector", ""))
    severity = Severity.from_text(raw, default=band(s3 if s3 is not None else number(row.get("cvss2_score"))))
    cve_list = cves(row.get("cve", ""))
    xref = row.get("xref", "")
    output = clean(row.get("output"))
    if output[:14].lower() == "plugin output:":  # Tenable.sc "Plugin Text" repeats the label
        output = output[14:].strip()
    body = "\n\n".join(p for p in (clean(row.get("synopsis")), clean(row.get("description"))) if p)
    if output:
        body += f"\n\nPlugin output:\n{output}"
    installed, fixed = versions(output)
    exploit = row.get("exploit", "").lower()
    extra = {
        k: v
        for k, v in (
            ("plugin_family", row.get("family", "")),
            ("risk_factor", row.get("risk_factor", "")),
            ("netbios_name", row.get("netbios", "")),
            ("first_seen", row.get("first_seen", "")),
            ("last_seen", row.get("last_seen", "")),
            ("plugin_output", output[:10_000]),
        )
        if v
    }
    return RawFinding(
        title=row.get("name") or f"Nessus plugin {plugin}",
        severity=severity,
        tool="nessus",
        scanner_severity=raw,
        description=body,
        rule_id=plugin,
        cve=cve_list[0] if cve_list else "",
        aliases=tuple(cve_list[1:]),
        cwe=cwe(xref) if "CWE" in xref.upper() else None,
        cvss3_vector=v3,
        cvss3_score=s3,
        cvss4_vector=v4,
        cvss4_score=s4,
        epss_score=number(row.get("epss"), high=1.0),
        installed_version=installed,
        fixed_version=fixed,
        host=host,
        ip=ip,
        port=integer(port_text) or None,
        protocol=protocol,
        references=urls(row.get("see_also")),
        mitigation=clean(row.get("solution")),
        exploit_available=True if exploit == "yes" else False if exploit == "no" else None,
        fingerprint_parts=(plugin, host_key, port_text, protocol),
        extra=extra,
    )


FORMATS = (Format(name=NAME, label=LABEL, sniff=sniff, parse=parse),)
