import datetime as dt
import itertools

import pytest
from django.utils import timezone

from ramparts.core.roles import Role
from ramparts.inventory import services as inventory
from ramparts.risk import services
from ramparts.risk.models import RiskCategory

_numbers = itertools.count(1)

# The reference scenario: P(loss > 0) ≈ 0.117, P99 ≈ $5.1M.
REFERENCE_FAIR = {
    "frequency": {"min": 0.05, "most_likely": 0.1, "max": 0.3},
    "loss": {"min": 100000, "most_likely": 1000000, "max": 10000000},
}


@pytest.fixture
def manager(make_user, unit_a):
    return make_user(Role.SECURITY_MANAGER, units=[unit_a], username="manager")


@pytest.fixture
def analyst(make_user, unit_a):
    return make_user(Role.ANALYST, units=[unit_a], username="analyst")


@pytest.fixture
def executive(make_user, unit_a):
    return make_user(Role.EXECUTIVE, units=[unit_a], username="exec")


@pytest.fixture
def category(db) -> RiskCategory:
    return RiskCategory.objects.create(name="Cyber")


@pytest.fixture
def system(manager, unit_a):
    return inventory.system_create(actor=manager, business_unit=unit_a, name="claims-db", kind="database")


@pytest.fixture
def make_risk(manager, unit_a, category):
    def make(actor=None, **fields):
        values = {
            "business_unit": unit_a,
            "title": "Ransomware on claims",
            "category": category,
            "inherent_likelihood": 3,
            "inherent_impact": 4,
            **fields,
        }
        return services.risk_create(actor=actor or manager, **values)

    return make


@pytest.fixture
def make_finding(unit_a):
    def make(system, *, kev: bool = True, status: str = "open", title: str = "CVE-2024-3400 in PAN-OS"):
        from ramparts.vulns.models import Finding, FindingScope

        now = timezone.now()
        return Finding.objects.create(
            number=next(_numbers) + Finding.objects.count(),
            business_unit=system.business_unit,
            system=system,
            fingerprint=f"fp-{now.timestamp()}-{Finding.objects.count()}".encode(),
            scope=FindingScope.objects.get_or_create(key=system.name)[0],
            title=title,
            cve="CVE-2024-3400",
            severity=4,
            first_seen=now,
            last_seen=now,
            status=status,
            kev_date_added=dt.date(2024, 4, 12) if kev else None,
        )

    return make


def appetite(manager, category, **kw):
    return services.appetite_set(actor=manager, category=category, statement="Board, 2026-10", **kw)
