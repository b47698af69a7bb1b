"""OpenVAS / Greenbone CSV result exports ("IP, Hostname, Port, Port Protocol, CVSS, Severity, ...").

One finding per row (NVT result on a host:port). Fingerprint: NVT OID (a CVE id for the CVE
scanner), IP, port, port protocol. Rows of the same key are not merged: GVM writes one row per
result, so a repeat is a true duplicate and merges at import.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from .base import Format, RawFinding, Severity
from .csvutil import Rows, header_names
from .xmlfields import band, clean, cves, integer, number, urls, versions

NAME = "openvas-csv"
LABEL = "OpenVAS/Greenbone CSV"
COLUMNS = {
    "ip": ("ip",),
    "hostname": ("hostname",),
    "port": ("port",),
    "protocol": ("port protocol",),
    "cvss": ("cvss",),
    "severity": ("severity",),
    "qod": ("qod",),
    "solution_type": ("solution type",),
    "name": ("nvt name",),
    "summary": ("summary",),
    "result": ("specific result",),
    "oid": ("nvt oid",),
    "cves": ("cves",),
    "task": ("task name",),
    "timestamp": ("timestamp",),
    "result_id": ("result id",),
    "impact": ("impact",),
    "solution": ("solution",),
    "affected": ("affected software/os",),
    "insight": ("vulnerability insight",),
    "certs": ("certs",),
    "references": ("other references",),
}


def sniff(head: bytes) -> bool:
    names = set(header_names(head))
    return "nvt oid" in names and bool(names & {"ip", "nvt name", "hostname"})


def parse(stream: BinaryIO, *, source: str = "<stream>") -> Iterator[RawFinding]:
    rows = Rows(stream, source=source, fmt=NAME, columns=COLUMNS, required=("ip", "oid", "name"))
    for _line, row in rows:
        yield _finding(row)


def _finding(row: dict[str, str]) -> RawFinding:
    oid = row["oid"]
    raw = row.get("severity", "")
    score = number(row.get("cvss"))
    low = raw.lower()
    false_positive = low == "false positive"
    severity = (
        Severity.INFO if false_positive or low in ("log", "debug") else Severity.from_text(raw, default=band(score))
    )
    cve_list = cves(row.get("cves", ""))
    if not cve_list and oid.upper().startswith("CVE-"):
        cve_list = cves(oid)
    detail = clean(row.get("result"))
    body = "\n\n".join(p for p in (clean(row.get("summary")), clean(row.get("insight")), clean(row.get("impact"))) if p)
    if detail:
        body += f"\n\nDetection result:\n{detail}"
    installed, fixed = versions(detail)
    port_text = row.get("port", "")
    protocol = row.get("protocol", "").lower()
    certs = [c.strip() for c in row.get("certs", "").replace(";", ",").split(",") if c.strip()]
    extra = {
        k: v
        for k, v in (
            ("qod", row.get("qod", "")),
            ("solution_type", row.get("solution_type", "")),
            ("task", row.get("task", "")),
            ("timestamp", row.get("timestamp", "")),
            ("result_id", row.get("result_id", "")),
            ("affected", clean(row.get("affected"))[:2000]),
            ("severity_score", "" if score is None else str(score)),
        )
        if v
    }
    return RawFinding(
        title=" ".join(row.get("name", "").split()) or f"NVT {oid}",
        severity=severity,
        tool="openvas",
        scanner_severity=raw,
        description=body,
        rule_id=oid,
        cve=cve_list[0] if cve_list else "",
        aliases=tuple(dict.fromkeys([*cve_list[1:], *certs]))[:500],
        installed_version=installed,
        fixed_version=fixed,
        host=row.get("hostname", ""),
        ip=row.get("ip", ""),
        port=integer(port_text) or None,
        protocol=protocol,
        references=urls(row.get("references", "").replace(",", " ")),
        mitigation=clean(row.get("solution")),
        vex_state="false_positive" if false_positive else "",
        fingerprint_parts=(oid, row.get("ip", ""), port_text, protocol),
        extra=extra,
    )


FORMATS = (Format(name=NAME, label=LABEL, sniff=sniff, parse=parse),)
