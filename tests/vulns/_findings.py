"""Test helpers for findings: create them directly (fast, any field) for triage, selectors and views."""

import datetime as dt
import itertools

from django.utils import timezone

from ramparts.inventory.models import System
from ramparts.vulns.models import EpssScore, Finding, FindingScope, KevEntry

_numbers = itertools.count(1)
_systems = itertools.count(1)

V3_NETWORK_TOTAL = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
V3_LOCAL_PARTIAL = "CVSS:3.1/AV:L/AC:H/PR:L/UI:R/S:U/C:L/I:L/A:N"


def make_system(unit, *, criticality=2, internet_facing=False, name=None) -> System:
    n = next(_systems) + 10_000 * System.objects.count()
    return System.objects.create(
        number=n,
        business_unit=unit,
        name=name or f"sys-{n}",
        kind=System.Kind.SERVER,
        criticality=criticality,
        own_criticality=criticality,
        internet_facing=internet_facing,
    )


def make_finding(unit, *, system=None, first_seen=None, **fields) -> Finding:
    n = (Finding.objects.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    now = first_seen or timezone.now()
    values = {
        "title": f"finding {n}",
        "severity": 3,
        "tool": "trivy",
        "fingerprint": f"fp-{n}".encode(),
        "scope": FindingScope.objects.get_or_create(key=f"unit:{unit.code}|system:-|format:trivy")[0],
    }
    values.update(fields)
    return Finding.objects.create(number=n, business_unit=unit, system=system, first_seen=now, last_seen=now, **values)


def add_kev(cve, *, added=dt.date(2023, 10, 18), due=dt.date(2023, 11, 8), ransomware=True) -> KevEntry:
    return KevEntry.objects.create(
        cve=cve, vendor="Citrix", product="NetScaler", name="x", date_added=added, due_date=due,
        known_ransomware=ransomware,
    )  # fmt: skip


def add_epss(cve, score, percentile=0.9, day=dt.date(2026, 11, 1)) -> EpssScore:
    return EpssScore.objects.create(cve=cve, score=score, percentile=percentile, date=day)
