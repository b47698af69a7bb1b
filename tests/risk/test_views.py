import datetime as dt

import pytest
from django.utils import timezone

from ramparts.core.roles import Role
from ramparts.risk import services
from ramparts.risk.models import Risk, RiskAcceptance
from tests.risk.conftest import REFERENCE_FAIR, appetite


@pytest.fixture
def logged(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_pages_render(logged, manager, make_risk, system, make_finding, category):
    appetite(manager, category, max_level=4, tolerance=[{"loss": 5e6, "probability": 0.05}])
    services.appetite_set(
        actor=manager, category=None, statement="Portfolio", tolerance=[{"loss": 5e7, "probability": 0.01}]
    )
    make_finding(system)
    risk = make_risk(systems=[system.ref], fair=REFERENCE_FAIR, because="<script>alert(1)</script>")
    services.risk_quantify(actor=manager, ref=risk.ref, years=20_000, seed=1)
    plan = services.plan_create(actor=manager, ref=risk.ref, option="mitigate")
    services.action_create(actor=manager, plan=plan.pk, title="Patch", due=timezone.localdate() - dt.timedelta(days=2))
    services.snapshots_take()
    c = logged(manager)
    for path in ("/risk/", "/risk/heat-map/", "/risk/portfolio/", "/risk/appetite/", "/risk/treatment/",
                 "/risk/acceptances/", "/risk/new/", f"/risk/{risk.ref}/edit/", "/risk/import/", "/risk/appetite/set/",
                 f"/risk/{risk.ref}/accept/"):  # fmt: skip
        assert c.get(path).status_code == 200, path
    page = c.get(f"/risk/{risk.ref}/").content.decode()
    assert "1 open KEV on affected systems" in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert 'class="chart-line chart-tolerance chart-dashed"' in page  # LEC with tolerance overlay
    assert "Loss exceedance curve" in page and "History" in page
    portfolio = c.get("/risk/portfolio/").content.decode()
    assert "chart-whisker" in portfolio or "P5–P95" in portfolio
    heat = c.get("/risk/heat-map/").content.decode()
    assert "/risk/?stage=residual&amp;likelihood=2&amp;impact=4" in heat
    cell = c.get("/risk/?stage=residual&likelihood=2&impact=4").content.decode()
    assert risk.ref in cell
    what_if = c.get(f"/risk/{risk.ref}/what-if/?effectiveness=0.5&annual_cost=10000")
    assert what_if.status_code == 200 and "ROSI" in what_if.content.decode()
    assert c.get(f"/risk/{risk.ref}/what-if/?effectiveness=7&annual_cost=1").status_code == 400


def test_create_form_names_bad_fields(logged, analyst, category, unit_a):
    c = logged(analyst)
    response = c.post(
        "/risk/new/",
        {"business_unit": unit_a.code, "title": "", "category": category.pk, "status": "identified",
         "inherent_likelihood": "3", "inherent_impact": "3", "systems": "SYS-999",
         "fair": "frequency: {min: 1, most_likely: 0.5, max: 2}\nloss: 1000"},
    )  # fmt: skip
    assert response.status_code == 400
    form = response.context["form"]
    assert "title" in form.errors and "systems" in form.errors
    response = c.post(
        "/risk/new/",
        {"business_unit": unit_a.code, "title": "Lost laptops", "category": category.pk, "status": "identified",
         "inherent_likelihood": "3", "inherent_impact": "3", "systems": "", "owner": analyst.username,
         "fair": "frequency: {min: 1, most_likely: 2, max: 3}\nloss: {p5: 1000, p95: 50000}"},
    )  # fmt: skip
    assert response.status_code == 302
    risk = Risk.objects.get(title="Lost laptops")
    assert c.post(f"/risk/{risk.ref}/quantify/", {"years": 10_000, "seed": 5}).status_code == 302
    risk.refresh_from_db()
    assert risk.quant_seed == 5 and risk.ale > 0


def test_acceptance_ui_role_enforced(logged, manager, executive, make_risk, category):
    appetite(manager, category, max_level=2)
    risk = make_risk()  # Moderate > Low: above appetite
    data = {"rationale": "Budget in Q3", "expires_at": (timezone.localdate() + dt.timedelta(days=60)).isoformat()}
    assert logged(manager).post(f"/risk/{risk.ref}/accept/", data).status_code == 403
    assert not RiskAcceptance.objects.exists()
    response = logged(executive).post(f"/risk/{risk.ref}/accept/", data)
    assert response.status_code == 302
    page = logged(executive).get(f"/risk/{risk.ref}/").content.decode()
    assert "accepted until" in page
    RiskAcceptance.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    page = logged(executive).get(f"/risk/{risk.ref}/").content.decode()
    assert 'id="accepted-badge"' not in page  # expired: never shown as accepted, even before the job ran


def test_other_unit_is_404(logged, make_risk, make_user, unit_b):
    risk = make_risk()
    for role in (Role.SECURITY_MANAGER, Role.EXECUTIVE, Role.AUDITOR, Role.ANALYST):
        c = logged(make_user(role, units=[unit_b]))
        assert c.get(f"/risk/{risk.ref}/").status_code == 404
        assert c.get(f"/api/v1/risk/risks/{risk.ref}").status_code == 404
    c = logged(make_user(Role.EXECUTIVE, units=[unit_b]))
    assert c.post(f"/risk/{risk.ref}/accept/", {"rationale": "x", "expires_at": "2099-01-01"}).status_code == 404
    c = logged(make_user(Role.SECURITY_MANAGER, units=[unit_b]))
    assert c.post(f"/risk/{risk.ref}/delete/").status_code == 404
    assert c.post(f"/risk/{risk.ref}/quantify/", {"years": 1000}).status_code == 404
    assert Risk.objects.filter(pk=risk.pk).exists()


def _many(make_risk, system, n):
    for i in range(n):
        make_risk(title=f"Risk {i}", systems=[system.ref])


@pytest.mark.parametrize(
    "path", ["/risk/", "/risk/treatment/", "/risk/acceptances/", "/risk/heat-map/", "/risk/appetite/"]
)
def test_list_queries_constant(logged, manager, make_risk, system, django_assert_max_num_queries, path):
    _many(make_risk, system, 3)
    c = logged(manager)
    c.get(path)
    with django_assert_max_num_queries(25) as few:
        c.get(path)
    _many(make_risk, system, 12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        c.get(path)
