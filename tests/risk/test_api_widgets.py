import datetime as dt

import pytest
from django.utils import timezone

from ramparts.core.personal import items_for
from ramparts.core.roles import Role
from ramparts.risk import services
from ramparts.risk.models import Risk, RiskAcceptance
from tests.risk.conftest import REFERENCE_FAIR, appetite


def test_dashboard_widget_lists_breaches(client, manager, make_risk, category):
    appetite(manager, category, max_level=2)
    risk = make_risk(title="Breaching risk")
    client.force_login(manager)
    page = client.get("/").content.decode()
    assert 'id="risk-breaches"' in page and risk.ref in page


def test_personal_items_are_my_open_actions(make_risk, manager, make_user):
    employee = make_user(Role.EMPLOYEE)
    risk = make_risk()
    plan = services.plan_create(actor=manager, ref=risk.ref, option="mitigate")
    services.action_create(actor=manager, plan=plan.pk, title="Rotate keys", owner=employee, due=timezone.localdate())
    services.action_create(actor=manager, plan=plan.pk, title="Done already", owner=employee, status="done")
    items = [i for i in items_for(employee) if i.kind == "Risk action"]
    assert [i.title for i in items] == [f"Rotate keys ({risk.ref})"]


def test_api_crud_quantify_lec(client, analyst, category, unit_a, system, make_finding):
    make_finding(system)
    client.force_login(analyst)
    body = {"business_unit": unit_a.code, "title": "API risk", "category": "Cyber", "inherent_likelihood": 3,
            "inherent_impact": 4, "systems": [system.ref], "fair": REFERENCE_FAIR}  # fmt: skip
    created = client.post("/api/v1/risk/risks", body, content_type="application/json")
    assert created.status_code == 201, created.content
    ref = created.json()["ref"]
    assert created.json()["open_kev_findings"] == 1 and created.json()["systems"] == [system.ref]
    bad = client.post("/api/v1/risk/risks", {**body, "inherent_likelihood": 0, "fair": {"frequency": "x", "loss": 5}},
                      content_type="application/json")  # fmt: skip
    assert bad.status_code == 400
    assert {p["column"] for p in bad.json()["problems"]} >= {"inherent_likelihood", "fair.frequency"}
    assert client.get(f"/api/v1/risk/risks/{ref}/lec").status_code == 404  # not quantified yet
    done = client.post(
        f"/api/v1/risk/risks/{ref}/quantify", {"years": 20000, "seed": 9}, content_type="application/json"
    )
    assert done.status_code == 200 and done.json()["quant_seed"] == 9
    lec = client.get(f"/api/v1/risk/risks/{ref}/lec").json()
    assert len(lec["amounts"]) == len(lec["probabilities"]) == 60
    huge = client.post(f"/api/v1/risk/risks/{ref}/quantify", {"years": 10**12}, content_type="application/json")
    assert huge.status_code == 400 and huge.json()["problems"][0]["column"] == "years"
    what = client.get(f"/api/v1/risk/risks/{ref}/what-if?effectiveness=0.6&annual_cost=10000&years=20000").json()
    assert what["delta_ale"] == pytest.approx(0.6 * what["ale_before"], rel=0.1)
    heat = client.get("/api/v1/risk/heat-map?stage=residual").json()
    assert sum(c["count"] for c in heat["cells"]) == 1
    patched = client.patch(f"/api/v1/risk/risks/{ref}", {"title": "renamed"}, content_type="application/json")
    assert patched.json()["title"] == "renamed"


def test_api_acceptance_role_enforced(client, manager, executive, make_risk, category):
    appetite(manager, category, max_level=2)
    risk = make_risk()
    body = {"rationale": "fund next year", "expires_at": (timezone.localdate() + dt.timedelta(days=30)).isoformat()}
    client.force_login(manager)
    denied = client.post(f"/api/v1/risk/risks/{risk.ref}/accept", body, content_type="application/json")
    assert denied.status_code == 403 and "only an executive" in denied.content.decode()
    client.force_login(executive)
    ok = client.post(f"/api/v1/risk/risks/{risk.ref}/accept", body, content_type="application/json")
    assert ok.status_code == 201 and ok.json()["above_appetite"] and ok.json()["in_force"]
    assert client.get(f"/api/v1/risk/risks/{risk.ref}").json()["accepted"] is True
    RiskAcceptance.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(f"/api/v1/risk/risks/{risk.ref}").json()["accepted"] is False
    assert client.get("/api/v1/risk/risks?accepted=yes").json()["count"] == 0


def test_api_portfolio_against_tolerance(client, manager, make_risk):
    for i in range(3):
        risk = make_risk(title=f"R{i}", fair=REFERENCE_FAIR)
        services.risk_quantify(actor=manager, ref=risk.ref, years=10_000, seed=i)
    services.appetite_set(
        actor=manager, category=None, statement="Board", tolerance=[{"loss": 1e6, "probability": 0.01}]
    )
    client.force_login(manager)
    out = client.get("/api/v1/risk/portfolio?years=20000").json()
    assert len(out["risks"]) == 3 and out["summary"]["ale"] > 0
    assert out["appetite"]["within"] is False and "exceeds the tolerance" in out["appetite"]["reasons"][0]
    assert out["summary"]["p99"] < out["sum_of_p99"]  # percentiles never add


@pytest.mark.parametrize("path", ["/api/v1/risk/risks", "/api/v1/risk/plans", "/api/v1/risk/actions",
                                  "/api/v1/risk/acceptances"])  # fmt: skip
def test_api_list_queries_constant(client, manager, make_risk, executive, django_assert_max_num_queries, path):
    def grow(n):
        for _ in range(n):
            risk = make_risk(title=f"Q{Risk.objects.count()}")
            plan = services.plan_create(actor=manager, ref=risk.ref, option="mitigate", owner=manager)
            services.action_create(actor=manager, plan=plan.pk, title="a", owner=manager)
            services.acceptance_create(
                actor=executive, ref=risk.ref, rationale="r", expires_at=timezone.now() + dt.timedelta(days=3)
            )

    grow(2)
    client.force_login(manager)
    client.get(path)
    with django_assert_max_num_queries(20) as few:
        client.get(path)
    grow(6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(path).json()["count"] == 8
