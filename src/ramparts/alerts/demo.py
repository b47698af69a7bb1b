"""Demo alerts for Northwind Mutual: a Wazuh source and an Alertmanager source, a day of alerts on
real inventory hosts (SSH brute force, PowerShell, privilege changes, monitoring), a suppression
rule for the weekly vulnerability scan, and a few alerts already triaged. Written through the
intake and the services; a second run finds the sources holding alerts and changes nothing."""

import datetime as dt
import random

from django.utils import timezone

from ramparts.alerts import intake, services
from ramparts.alerts.models import Alert, AlertSource
from ramparts.core.models import User
from ramparts.inventory.models import System

WAZUH_RULES = [
    (5712, 10, "sshd: brute force trying to get access to the system. Non existent user.", ["T1110"]),
    (5503, 5, "PAM: User login failed.", ["T1110.001"]),
    (92213, 12, "Executable dropped in folder commonly used by malware", ["T1105"]),
    (91816, 13, "Powershell process spawned with encoded command", ["T1059.001"]),
    (60154, 12, "Administrators group changed", ["T1098"]),
    (550, 7, "Integrity checksum changed.", ["T1565.001"]),
    (31151, 10, "Multiple web server 400 error codes from same source ip.", ["T1595.002"]),
    (87105, 15, "Ransomware note detected: multiple files renamed with the same extension", ["T1486"]),
]
USERS = ["root", "admin", "svc_backup", "j.okafor", "m.lindqvist", "a.novak", "oracle"]


def load(*, seed: int) -> list[str]:
    admin = User.objects.filter(role="admin", is_active=True).order_by("id").first()
    hosts = list(System.objects.exclude(hostnames="").order_by("id")[:40])
    if admin is None or not hosts:
        return []
    wazuh = _source(admin, hosts[0].business_unit, "Wazuh SIEM", "wazuh")
    prometheus = _source(admin, hosts[0].business_unit, "Prometheus Alertmanager", "alertmanager")
    if Alert.objects.filter(source__in=[wazuh, prometheus]).exists():
        return []
    rng = random.Random(seed)  # noqa: S311 (demo data, not security)
    now = timezone.now().replace(microsecond=0)
    scanner = hosts[-1]
    services.suppression_create(
        actor=admin, source=wazuh, field="host", value=scanner.hostnames.splitlines()[0],
        until=now + dt.timedelta(days=3), reason="Weekly authenticated vulnerability scan (change CHG-2291)",
    )  # fmt: skip
    intake.forget_cached_sources()
    count = _wazuh_day(wazuh, hosts, rng, now) + _alertmanager(prometheus, hosts, now)
    analyst = User.objects.filter(role="analyst", is_active=True).order_by("id").first() or admin
    triaged = 0
    for alert in Alert.objects.filter(source=wazuh, status=Alert.Status.NEW, severity="low").order_by("id")[:3]:
        services.alert_dismiss(actor=analyst, alert=alert, reason="Known service account password rotation")
        triaged += 1
    return [f"alerts: 2 sources, {count} alerts received, {triaged} dismissed, 1 suppression rule"]


def _source(admin, unit, name: str, kind: str) -> AlertSource:
    existing = AlertSource.objects.filter(name=name).first()
    if existing is not None:
        return existing
    source, _secret = services.source_create(actor=admin, name=name, business_unit=unit, kind=kind)
    return source


def _receive(source: AlertSource, payload: dict, at: dt.datetime, n: int) -> None:
    cached = intake.source_for(source.slug)
    assert cached is not None
    alerts = list(cached.mapping.apply(payload))
    intake.receive(cached, alerts, signature=f"demo-{source.slug}-{n}", now=at)


def _wazuh_day(source: AlertSource, hosts: list[System], rng: random.Random, now: dt.datetime) -> int:
    sent = 0
    for n in range(60):
        host = rng.choice(hosts[:12]) if n % 9 else hosts[-1]
        rule_id, level, description, mitre = rng.choice(WAZUH_RULES[:7]) if n != 41 else WAZUH_RULES[7]
        at = now - dt.timedelta(minutes=rng.randint(5, 24 * 60))
        payload = {
            "timestamp": at.strftime("%Y-%m-%dT%H:%M:%S.000+0000"),
            "rule": {"level": level, "description": description, "id": str(rule_id), "mitre": {"id": mitre}},
            "agent": {"id": f"{100 + host.pk % 900:03d}", "name": host.hostnames.splitlines()[0], "ip": _ip(host)},
            "id": f"{int(at.timestamp())}.{n:06d}",
            "data": {"srcip": f"203.0.113.{rng.randint(2, 250)}", "dstuser": rng.choice(USERS)},
            "location": "/var/log/auth.log",
        }
        _receive(source, payload, at, n)
        sent += 1
    return sent


def _alertmanager(source: AlertSource, hosts: list[System], now: dt.datetime) -> int:
    start = now - dt.timedelta(hours=3)
    alerts = [
        {
            "status": "firing",
            "labels": {
                "alertname": "HighFailedLogins",
                "instance": f"{host.hostnames.splitlines()[0]}:8080",
                "severity": sev,
            },
            "annotations": {"summary": f"Failed log-ins above threshold on {host.name}"},
            "startsAt": start.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "fingerprint": f"demo{host.pk:012x}",
        }
        for host, sev in zip(hosts[12:16], ["warning", "critical", "warning", "info"], strict=False)
    ]
    _receive(source, {"version": "4", "status": "firing", "alerts": alerts}, start, 0)
    return len(alerts)


def _ip(host: System) -> str:
    ips = host.ip_addresses.splitlines()
    return ips[0] if ips else ""
