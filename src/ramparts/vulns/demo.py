"""Demo findings for Northwind Mutual: Trivy-style reports imported through `scan_import`, real
KEV-listed CVEs on the products that carry them, and findings in every triage state.

Idempotent: a report already imported (same SHA-256) is skipped, the KEV subset loads only when no
KEV catalogue is stored, and triage steps only touch findings still open.
"""

import datetime as dt
import io
import json
import random
import tempfile
from pathlib import Path

from django.db.models import Q
from django.utils import timezone

from ramparts.core.models import User
from ramparts.inventory.models import System
from ramparts.vulns import selectors, triage
from ramparts.vulns.feed_updates import feed_update
from ramparts.vulns.models import Finding, FindingSnapshot, KevEntry, ScanImport
from ramparts.vulns.services import scan_import
from ramparts.vulns.snapshots import snapshot_findings

# A few real CISA KEV entries (public catalogue): cve, vendor, product, name, added, due, ransomware.
KEV_SUBSET = [
    ("CVE-2023-4966", "Citrix", "NetScaler ADC and NetScaler Gateway", "Citrix Bleed buffer overflow",
     "2023-10-18", "2023-11-08", "Known"),
    ("CVE-2021-44228", "Apache", "Log4j2", "Log4Shell remote code execution", "2021-12-10", "2021-12-24", "Known"),
    ("CVE-2023-22515", "Atlassian", "Confluence Data Center and Server", "Broken access control",
     "2023-10-05", "2023-10-13", "Known"),
    ("CVE-2023-34362", "Progress", "MOVEit Transfer", "SQL injection", "2023-06-02", "2023-06-23", "Known"),
    ("CVE-2024-3400", "Palo Alto Networks", "PAN-OS", "GlobalProtect command injection",
     "2024-04-12", "2024-04-19", "Known"),
    ("CVE-2023-20198", "Cisco", "IOS XE Web UI", "Web UI privilege escalation", "2023-10-16", "2023-10-20", "Unknown"),
    ("CVE-2023-46805", "Ivanti", "Connect Secure and Policy Secure", "Authentication bypass",
     "2024-01-10", "2024-01-22", "Unknown"),
    ("CVE-2021-26855", "Microsoft", "Exchange Server", "ProxyLogon remote code execution",
     "2021-11-03", "2021-04-16", "Known"),
]  # fmt: skip
# product keyword on the system -> (KEV CVE, package, installed, fixed, CVSS v3.1 vector, title)
KEV_HITS = {
    "NetScaler": ("CVE-2023-4966", "netscaler-adc", "13.1-49.13", "13.1-49.15", "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:H",
                  "NetScaler ADC sensitive information disclosure (Citrix Bleed)"),
    "Confluence": ("CVE-2023-22515", "confluence", "8.5.1", "8.5.2", "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
                   "Confluence broken access control lets anyone create administrators"),
    "MOVEit": ("CVE-2023-34362", "moveit-transfer", "2023.0.1", "2023.0.2", "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
               "MOVEit Transfer SQL injection"),
    "PAN-OS": ("CVE-2024-3400", "pan-os", "10.2.8", "10.2.9-h1", "AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H",
               "PAN-OS GlobalProtect OS command injection"),
    "IOS XE": ("CVE-2023-20198", "ios-xe", "17.9.3", "17.9.4a", "AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H",
               "IOS XE web UI privilege escalation"),
    "Connect Secure": ("CVE-2023-46805", "ivanti-connect-secure", "22.3R1", "22.5R2.2",
                       "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N", "Connect Secure authentication bypass"),
    "Exchange": ("CVE-2021-26855", "exchange-server", "CU12", "CU13", "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
                 "Exchange Server SSRF (ProxyLogon)"),
    "Log4j": ("CVE-2021-44228", "org.apache.logging.log4j:log4j-core", "2.14.1", "2.17.1",
              "AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", "Log4j2 JNDI lookup remote code execution (Log4Shell)"),
}  # fmt: skip
# Ordinary package flaws found by a container/OS scanner (real CVE ids of common libraries).
COMMON = [
    ("CVE-2023-44487", "nghttp2", "1.51.0", "1.57.0", "HIGH", "AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H",
     "HTTP/2 rapid reset denial of service"),
    ("CVE-2023-38545", "curl", "7.88.1", "8.4.0", "CRITICAL", "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
     "curl SOCKS5 heap buffer overflow"),
    ("CVE-2024-6387", "openssh-server", "9.2p1", "9.8p1", "HIGH", "AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H",
     "OpenSSH regreSSHion signal handler race"),
    ("CVE-2023-4863", "libwebp", "1.2.4", "1.3.2", "HIGH", "AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H",
     "libwebp heap buffer overflow"),
    ("CVE-2023-5678", "openssl", "3.0.11", "3.0.13", "MEDIUM", "AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L",
     "OpenSSL excessive time in DH key checks"),
    ("CVE-2022-40897", "setuptools", "65.5.0", "65.5.1", "MEDIUM", "AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:H",
     "setuptools regular expression denial of service"),
    ("CVE-2023-2650", "openssl", "3.0.8", "3.0.9", "MEDIUM", "AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H",
     "OpenSSL slow ASN.1 object identifier processing"),
    ("CVE-2023-29491", "ncurses", "6.4", "6.4-4", "HIGH", "AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H",
     "ncurses memory corruption via terminfo"),
    ("CVE-2022-3715", "bash", "5.2.15", "5.2.15-2", "LOW", "AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:L",
     "bash heap overflow in valid_parameter_transform"),
    ("CVE-2023-39325", "golang.org/x/net", "0.15.0", "0.17.0", "HIGH", "AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H",
     "Go HTTP/2 rapid reset"),
    ("CVE-2024-21626", "runc", "1.1.11", "1.1.12", "HIGH", "AV:L/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H",
     "runc container breakout through leaked file descriptor"),
    ("CVE-2023-45853", "zlib", "1.2.13", "1.3.1", "CRITICAL", "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
     "zlib MiniZip integer overflow"),
]  # fmt: skip
SYSTEMS_SCANNED = 30  # about 150 findings: enough to browse, fast to load (< 10 s)
DEMO_TOOL_NAME = "trivy"


def _actor(username: str) -> User | None:
    return User.objects.filter(username=username, is_active=True).first()


def _load_kev_subset(actor) -> list[str]:
    if KevEntry.objects.exists():
        return []
    header = "cveID,vendorProject,product,vulnerabilityName,dateAdded,shortDescription,requiredAction,dueDate,"
    header += "knownRansomwareCampaignUse,notes,cwes\n"
    lines = [
        f'{cve},{vendor},"{product}","{name}",{added},"","Apply updates per vendor instructions.",{due},{ransom},,\n'
        for cve, vendor, product, name, added, due, ransom in KEV_SUBSET
    ]
    with tempfile.TemporaryDirectory(prefix="ramparts-demo-kev-") as tmp:
        path = Path(tmp) / "kev-demo-subset.csv"
        path.write_text(header + "".join(lines), encoding="utf-8")
        result = feed_update(actor=actor, feed="kev", path=path)
    return [f"vulns: KEV demo subset ({result.count} entries; `ramparts feeds update kev` loads the full catalogue)"]


def _trivy_report(system: System, rng: random.Random) -> bytes:
    vulns = []
    product = f"{system.vendor} {system.product}"
    for keyword, (cve, pkg, installed, fixed, vector, title) in KEV_HITS.items():
        if keyword.lower() in product.lower() or keyword.lower() in system.name.lower():
            vulns.append(_vuln(cve, pkg, installed, fixed, "CRITICAL", vector, title, exploit=True))
    for cve, pkg, installed, fixed, severity, vector, title in rng.sample(COMMON, rng.randint(2, 7)):
        vulns.append(_vuln(cve, pkg, installed, fixed, severity, vector, title))
    doc = {
        "SchemaVersion": 2,
        "ArtifactName": system.name,
        "ArtifactType": "filesystem",
        "Results": [
            {"Target": f"{system.name} (rootfs)", "Class": "os-pkgs", "Type": "debian", "Vulnerabilities": vulns}
        ],
    }
    return json.dumps(doc, sort_keys=True).encode()


def _vuln(cve, pkg, installed, fixed, severity, vector, title, *, exploit=False) -> dict:
    return {
        "VulnerabilityID": cve,
        "PkgName": pkg,
        "InstalledVersion": installed,
        "FixedVersion": fixed,
        "Severity": severity,
        "Title": title,
        "Description": f"{title}. Update {pkg} to {fixed} or later.",
        "PrimaryURL": f"https://nvd.nist.gov/vuln/detail/{cve}",
        "CVSS": {"nvd": {"V3Vector": f"CVSS:3.1/{vector}"}},
        **({"ExploitAvailable": True} if exploit else {}),
    }


def _scan(actor, seed: int) -> tuple[int, int]:
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not security
    kev_products = Q()
    for keyword in KEV_HITS:
        kev_products |= Q(product__icontains=keyword) | Q(name__icontains=keyword)
    kev_systems = list(System.objects.filter(kev_products).order_by("number")[:12])
    others = list(System.objects.exclude(pk__in=[s.pk for s in kev_systems]).order_by("number"))
    chosen = kev_systems + rng.sample(others, min(len(others), SYSTEMS_SCANNED - len(kev_systems)))
    imported = findings = 0
    for system in sorted(chosen, key=lambda s: s.number):
        data = _trivy_report(system, rng)
        name = f"trivy-{system.name}.json"
        if ScanImport.objects.filter(file_name=name, system=system).exists():
            continue
        result = scan_import(actor=actor, stream=io.BytesIO(data), filename=name, system=system, format="trivy")
        imported += 1
        findings += result.new
    return imported, findings


def _triage(seed: int) -> list[str]:
    analyst, manager, executive = _actor("analyst"), _actor("secmgr"), _actor("executive")
    if not (analyst and manager):
        return []
    rng = random.Random(seed + 1)  # noqa: S311 - reproducible demo data
    if Finding.objects.exclude(status=Finding.Status.OPEN).exists():
        return []  # triaged already (a second run changes nothing)
    # Findings both people work on (their business units overlap there).
    shared = selectors.visible_to(analyst).filter(pk__in=selectors.visible_to(manager).values("pk"))
    open_findings = list(
        shared.filter(status=Finding.Status.OPEN).order_by("number").values_list("number", "priority", "cve")
    )
    if not open_findings:
        return []
    refs = [f"FND-{n}" for n, _, _ in open_findings]
    urgent = [f"FND-{n}" for n, priority, _ in open_findings if priority >= 3]
    for ref in urgent[:6]:
        triage.finding_assign(actor=manager, ref=ref, assignee=analyst)
    if urgent:
        triage.finding_comment(
            actor=analyst, ref=urgent[0], body="Vendor fix tested in staging; change CHG-2231 booked for Thursday."
        )
    low = [f"FND-{n}" for n, priority, _ in open_findings if priority <= 1]
    rng.shuffle(low)
    for ref in low[:3]:
        triage.finding_mark_false_positive(
            actor=analyst, ref=ref, reason="Package present in the image but never loaded (build stage only)."
        )
    until = timezone.now().date() + dt.timedelta(days=90)
    for ref in low[3:5]:
        triage.finding_accept(
            actor=manager,
            ref=ref,
            reason="Legacy host isolated on the management VLAN; replacement planned in Q2.",
            expires_on=until,
            approver=executive or manager,
        )
    return [f"vulns: triage — {min(6, len(urgent))} assigned, {len(low[:3])} false positives, "
            f"{len(low[3:5])} risk-accepted (of {len(refs)} findings)"]  # fmt: skip


def _history() -> None:
    """Burn-down history: 30 days before today, open counts easing down to today's (demo only)."""
    snapshot_findings()
    today = timezone.now().date()
    if FindingSnapshot.objects.filter(date__lt=today).exists():
        return
    current = list(FindingSnapshot.objects.filter(date=today))
    history = []
    for days_ago in range(30, 0, -1):
        for snap in current:
            extra = round(snap.open * 0.02 * days_ago)
            history.append(
                FindingSnapshot(
                    date=today - dt.timedelta(days=days_ago),
                    business_unit_id=snap.business_unit_id,
                    priority=snap.priority,
                    open=snap.open + extra,
                    overdue=snap.overdue,
                    kev=snap.kev,
                )
            )
    FindingSnapshot.objects.bulk_create(history)


def load(*, seed: int) -> list[str]:
    admin = User.objects.filter(role="admin", is_active=True).order_by("id").first()
    if admin is None or not System.objects.exists():
        return []
    lines = _load_kev_subset(admin)
    imported, findings = _scan(admin, seed)
    if imported:
        lines.append(f"vulns: {imported} Trivy reports imported ({findings} findings)")
    lines += _triage(seed)
    _history()
    return lines
