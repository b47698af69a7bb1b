"""`ramparts risk import FILE`, `expire` and `snapshot`."""

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from ramparts.risk import services
from ramparts.risk.models import Risk, RiskAcceptance, RiskSnapshot

PYFAIR = Path(__file__).parent / "quant" / "data" / "pyfair_phishing.json"


def run(*args) -> str:
    out = StringIO()
    call_command("risk", *map(str, args), stdout=out)
    return out.getvalue()


def test_import_pyfair_and_riskquant(tmp_path, admin_user, unit_a, category):
    out = run("import", PYFAIR, "--business-unit", unit_a.code, "--category", "cyber")
    assert "1 risk(s) created: RISK-" in out
    risk = Risk.objects.get()
    assert risk.fair and "loss" in risk.fair
    csv = tmp_path / "rq.csv"
    csv.write_text("Identifier,Name,Probability,Low_loss,High_loss\nA,Outage,0.2,1000,90000\nA,Outage 2,0.1,10,100\n")
    assert "2 risk(s) created" in run("import", csv, "--business-unit", unit_a.code, "--category", "Cyber")
    assert Risk.objects.count() == 3


def test_import_bad_file_stores_nothing(tmp_path, admin_user, unit_a, category):
    bad = tmp_path / "bad.csv"
    bad.write_text("A,Outage,-0.2,1000,90000\n")
    with pytest.raises(CommandError, match="bad.csv"):
        run("import", bad, "--business-unit", unit_a.code, "--category", "Cyber")
    with pytest.raises(CommandError, match="format"):
        run("import", tmp_path / "x.txt", "--business-unit", unit_a.code, "--category", "Cyber")
    with pytest.raises(CommandError, match="category"):
        run("import", bad, "--business-unit", unit_a.code, "--category", "Nope")
    assert not Risk.objects.exists()


def test_expire_and_snapshot(make_risk, executive):
    risk = make_risk()
    services.acceptance_create(
        actor=executive, ref=risk.ref, rationale="r", expires_at=timezone.now() + dt.timedelta(days=5)
    )
    RiskAcceptance.objects.update(expires_at=timezone.now() - dt.timedelta(hours=1))
    assert f"1 risk(s) reopened: {risk.ref}" in run("expire")
    assert "0 risk(s) reopened" in run("expire")
    assert "1 business unit snapshot(s) written" in run("snapshot")
    assert RiskSnapshot.objects.count() == 1
    assert "0 risk(s) reopened" in run("daily")
