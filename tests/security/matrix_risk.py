"""Permission-matrix requests of the risk module (collected by matrix_modules; see its docstring).

Paths name {risk} (a quantified risk within appetite, not accepted), {accepted} (a risk accepted
now), {plan} and {action} (a treatment plan of {risk} and one of its actions)."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.security.matrix_base import api, ui

FAIR = {"frequency": {"min": 0.05, "most_likely": 0.1, "max": 0.3}, "loss": {"p5": 1e5, "p95": 5e6}}
EXPIRES = (dt.date.today() + dt.timedelta(days=90)).isoformat()


def _risk_form(w) -> dict:
    return {
        "business_unit": w.unit.code,
        "title": f"Matrix risk {w.n}",
        "category": w.extras["category"],
        "status": "identified",
        "inherent_likelihood": "3",
        "inherent_impact": "3",
        "residual_likelihood": "2",
        "residual_impact": "3",
        "systems": w.system.ref,
    }


def _risk_json(w) -> dict:
    return {
        "business_unit": w.unit.code,
        "title": f"Matrix risk {w.n}",
        "category": "Matrix",
        "inherent_likelihood": 3,
        "inherent_impact": 3,
        "systems": [w.system.ref],
        "fair": FAIR,
    }


def _csv(w) -> dict:
    text = "Identifier,Name,Probability,Low_loss,High_loss\nR1,Phishing,0.3,10000,500000\n"
    data = {"file": SimpleUploadedFile("s.csv", text.encode(), content_type="text/csv"), "kind": "riskquant"}
    return data | {"business_unit": w.unit.code, "category": w.extras["category"]}


def _csv_api(w) -> dict:
    return _csv(w) | {"category": "Matrix"}


ACCEPT = {"rationale": "Cheaper than the fix", "expires_at": EXPIRES, "compensating_controls": "EDR"}

MATRIX: dict[str, dict[str, list]] = {
    "risk.view": {
        "ui": [
            ui("GET", "/risk/"),
            ui("GET", "/risk/{risk}/"),
            ui("GET", "/risk/{risk}/what-if/?effectiveness=0.5&annual_cost=1000"),
            ui("GET", "/risk/heat-map/"),
            ui("GET", "/risk/portfolio/"),
            ui("GET", "/risk/appetite/"),
            ui("GET", "/risk/treatment/"),
            ui("GET", "/risk/acceptances/"),
        ],
        "api": [
            api("GET", "/risk/risks"),
            api("GET", "/risk/risks/{risk}"),
            api("GET", "/risk/risks/{risk}/lec"),
            api("GET", "/risk/risks/{risk}/what-if?effectiveness=0.5&annual_cost=1000&years=10000"),
            api("GET", "/risk/heat-map?stage=inherent"),
            api("GET", "/risk/portfolio?years=10000"),
            api("GET", "/risk/appetite"),
            api("GET", "/risk/matrix"),
            api("GET", "/risk/categories"),
            api("GET", "/risk/plans"),
            api("GET", "/risk/actions?overdue=true"),
            api("GET", "/risk/acceptances"),
        ],
    },
    "risk.change": {
        "ui": [
            ui("GET", "/risk/new/"),
            ui("POST", "/risk/new/", _risk_form),
            ui("GET", "/risk/{risk}/edit/"),
            ui("POST", "/risk/{risk}/edit/", lambda w: _risk_form(w) | {"title": "edited"}),
            ui("POST", "/risk/{risk}/quantify/", {"years": 2000, "seed": 1}),
            ui("POST", "/risk/{risk}/plans/new/", {"option": "mitigate"}),
            ui("POST", "/risk/plans/{plan}/actions/new/", {"title": "Patch", "status": "planned", "cost": "10"}),
            ui("POST", "/risk/actions/{action}/", {"status": "done"}),
        ],
        "api": [
            api("POST", "/risk/risks", _risk_json),
            api("PATCH", "/risk/risks/{risk}", {"title": "edited"}),
            api("POST", "/risk/risks/{risk}/quantify", {"years": 2000, "seed": 1}),
            api("POST", "/risk/risks/{risk}/plans", {"option": "transfer"}),
            api("POST", "/risk/plans/{plan}/actions", {"title": "Buy insurance", "cost": 1000}),
            api("PATCH", "/risk/actions/{action}", {"status": "in_progress"}),
        ],
    },
    "risk.delete": {
        "ui": [ui("POST", "/risk/{risk}/delete/")],
        "api": [api("DELETE", "/risk/risks/{risk}")],
    },
    "risk.appetite": {
        "ui": [
            ui("GET", "/risk/appetite/set/"),
            ui(
                "POST",
                "/risk/appetite/set/",
                {"statement": "Board 2026", "max_level": "3", "tolerance": "5000000, 0.1"},
            ),
            ui("POST", "/risk/categories/new/", lambda w: {"name": f"Cat {w.n}"}),
        ],
        "api": [
            api("PUT", "/risk/appetite", {"category": "Matrix", "statement": "Board", "max_level": 4}),
            api("POST", "/risk/categories", lambda w: {"name": f"Cat {w.n}"}),
            api(
                "PUT",
                "/risk/matrix",
                lambda w: __import__("ramparts.risk.engine.matrix", fromlist=["x"]).default_definition(),
            ),
        ],
    },
    "risk.accept": {
        "ui": [
            ui("GET", "/risk/{risk}/accept/"),
            ui("POST", "/risk/{risk}/accept/", ACCEPT),
            ui("POST", "/risk/{accepted}/revoke/", {"reason": "threat changed"}),
        ],
        "api": [
            api("POST", "/risk/risks/{risk}/accept", ACCEPT),
            api("POST", "/risk/risks/{accepted}/revoke", {"reason": "threat changed"}),
        ],
    },
    "risk.import": {
        "ui": [ui("GET", "/risk/import/"), ui("POST", "/risk/import/", _csv, body="multipart")],
        "api": [api("POST", "/risk/import", _csv_api, body="multipart")],
    },
}


def objects(*, owner, unit, user, world) -> dict[str, str]:
    from django.utils import timezone

    from ramparts.risk import services
    from ramparts.risk.models import RiskCategory

    category, _ = RiskCategory.objects.get_or_create(name="Matrix")
    common = {"actor": owner, "business_unit": unit, "category": category, "systems": [world.system]}
    risk = services.risk_create(title="Ransomware", inherent_likelihood=2, inherent_impact=3, fair=FAIR, **common)
    services.risk_quantify(actor=owner, ref=risk.ref, years=5_000, seed=1)
    accepted = services.risk_create(title="Legacy fax", inherent_likelihood=1, inherent_impact=2, **common)
    from ramparts.risk.models import RiskAcceptance

    RiskAcceptance.objects.create(
        risk=accepted,
        approved_by=owner,
        accepted_at=timezone.now(),
        expires_at=timezone.now() + dt.timedelta(days=30),
        rationale="matrix",
    )
    plan = services.plan_create(actor=owner, ref=risk.ref, option="mitigate")
    action = services.action_create(actor=owner, plan=plan.pk, title="Patch")
    return {
        "risk": risk.ref,
        "accepted": accepted.ref,
        "plan": str(plan.pk),
        "action": str(action.pk),
        "category": str(category.pk),
    }
