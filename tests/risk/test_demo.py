"""The risk demo: ~25 realistic risks on the demo organisation, linked to its inventory; idempotent."""

import time

import pytest

from ramparts.core.models import AuditEntry
from ramparts.demo.load import load_demo
from ramparts.inventory.models import BusinessService, DataAsset, System
from ramparts.risk import demo, selectors
from ramparts.risk.evaluation import Judge
from ramparts.risk.models import AppetiteStatement, Risk, RiskAcceptance, RiskSnapshot, TreatmentAction

pytestmark = pytest.mark.django_db


def test_demo_names_exist_in_the_demo_inventory():
    load_demo()
    for row in demo.RISKS:
        _title, _unit, _cat, _owner, _stmt, _inh, services, systems, data, _fair, _threat = row
        assert set(services) <= set(BusinessService.objects.values_list("name", flat=True)), row[0]
        assert set(data) <= set(DataAsset.objects.values_list("name", flat=True)), row[0]
        missing = set(systems) - set(System.objects.values_list("name", flat=True))
        assert not missing, (row[0], missing)


def test_demo_loads_twice_without_changes():
    load_demo()
    started = time.perf_counter()
    lines = demo.load(seed=2026)
    assert time.perf_counter() - started < 10
    assert any("risks added" in line for line in lines)
    assert Risk.objects.count() == len(demo.RISKS) >= 25
    assert Risk.objects.filter(ale__isnull=False).count() >= 18
    assert Risk.objects.filter(systems__isnull=False).distinct().count() >= 20
    assert AppetiteStatement.objects.filter(category__isnull=True).exists()
    assert RiskAcceptance.objects.count() == 1
    assert TreatmentAction.objects.filter(status="in_progress").exists()
    assert RiskSnapshot.objects.values("date").distinct().count() == 13
    judge = Judge()
    assert any(judge.verdict(r).breach for r in Risk.objects.all())  # some risks breach appetite
    from ramparts.core.models import User

    assert selectors.risk_list(User.objects.get(username="executive")).count() == len(demo.RISKS)
    before = (Risk.objects.count(), AuditEntry.objects.count(), RiskSnapshot.objects.count())
    assert demo.load(seed=2026) == []
    assert (Risk.objects.count(), AuditEntry.objects.count(), RiskSnapshot.objects.count()) == before
