import datetime as dt

import pytest
from django.utils import timezone

from ramparts.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from ramparts.core.models import AuditEntry
from ramparts.core.roles import Role
from ramparts.notifications.models import Notification
from ramparts.risk import selectors, services
from ramparts.risk.evaluation import Judge, active_acceptance
from ramparts.risk.models import Risk
from tests.risk.conftest import REFERENCE_FAIR, appetite


def test_create_numbers_and_audits(make_risk, system):
    first = make_risk(systems=[system.ref], because="phishing", affecting="claims", resulting_in="outage")
    second = make_risk(title="Second")
    assert (first.ref, second.ref) == (f"RISK-{first.number}", f"RISK-{first.number + 1}")
    assert (first.residual_likelihood, first.residual_impact) == (3, 4)  # from inherent
    assert list(first.systems.all()) == [system]
    entry = AuditEntry.objects.filter(object_type="risk.risk", object_id=str(first.pk)).get()
    assert entry.action == "create" and entry.changes["systems"] == [None, [system.ref]]


def test_validation_names_fields(make_risk):
    with pytest.raises(ValidationFailed) as raised:
        make_risk(title="", inherent_likelihood=9, systems=["SYS-999"], fair={"frequency": -1, "loss": 5})
    columns = {p.column for p in raised.value.problems}
    assert {"title", "inherent_likelihood", "systems", "fair.frequency"} <= columns
    assert not Risk.objects.exists()


def test_bad_fair_ranges_are_named(make_risk):
    bad = {"frequency": {"min": 0.5, "most_likely": 0.1, "max": 1}, "loss": 1000}
    with pytest.raises(ValidationFailed) as raised:
        make_risk(fair=bad)
    assert raised.value.problems[0].column.startswith("fair.frequency")


def test_other_unit_links_are_not_found(make_risk, make_user, unit_b):
    from ramparts.inventory import services as inventory

    admin = make_user(Role.ADMIN)
    foreign = inventory.system_create(actor=admin, business_unit=unit_b, name="wealth-db", kind="database")
    with pytest.raises(ValidationFailed) as raised:
        make_risk(systems=[foreign.ref])
    assert raised.value.problems[0].column == "systems"


def test_quantify_stores_results_and_derives_residual(make_risk, manager):
    risk = make_risk(fair=REFERENCE_FAIR)
    risk = services.risk_quantify(actor=manager, ref=risk.ref, years=100_000, seed=42)
    assert risk.quant_seed == 42 and risk.quant_years == 100_000
    assert 0.86 < risk.p_no_loss < 0.90
    assert risk.ale == pytest.approx(293_750, rel=0.05)
    assert risk.p5 == 0 and risk.p99 > risk.p95 > risk.p90
    assert len(risk.lec["amounts"]) == 60
    # E[frequency] = (0.05 + 0.4 + 0.3)/6 = 0.125/yr -> Low; E[loss] = (1e5 + 4e6 + 1e7)/6 = 2.35M -> High
    assert (risk.residual_likelihood, risk.residual_impact) == (2, 4)
    again = services.risk_quantify(actor=manager, ref=risk.ref, years=100_000, seed=42)
    assert again.ale == risk.ale  # same seed, same numbers


def test_quantify_refuses_absurd_sizes(make_risk, manager):
    risk = make_risk(fair=REFERENCE_FAIR)
    with pytest.raises(ValidationFailed) as raised:
        services.risk_quantify(actor=manager, ref=risk.ref, years=10**12)
    assert raised.value.problems[0].column == "years"


def test_quantified_residual_cannot_be_set_by_hand(make_risk, manager):
    risk = services.risk_quantify(actor=manager, ref=make_risk(fair=REFERENCE_FAIR).ref, years=10_000, seed=1)
    with pytest.raises(ValidationFailed):
        services.risk_update(actor=manager, ref=risk.ref, residual_likelihood=5)


def test_appetite_breach_by_level_notifies_owner_and_managers(make_risk, manager, analyst, category):
    appetite(manager, category, max_level=2)
    risk = make_risk(owner=analyst.username)  # inherent 3×4 -> Moderate (3) > Low (2)
    verdict = Judge().verdict(risk)
    assert verdict.breach and "above the maximum of Low" in verdict.evaluation.reasons[0]
    sent = Notification.objects.filter(event="risk.appetite_breach")
    assert {n.recipient.username for n in sent} == {"manager", "analyst"}
    services.risk_update(actor=manager, ref=risk.ref, title="renamed")  # still breaching: no new notice
    assert sent.count() == 2


def test_appetite_breach_by_tolerance_curve(make_risk, manager, category):
    risk = make_risk(fair=REFERENCE_FAIR)
    services.risk_quantify(actor=manager, ref=risk.ref, years=200_000, seed=3)
    appetite(manager, category, tolerance=[{"loss": 5_000_000, "probability": 0.05}])
    assert not Judge().verdict(Risk.objects.get(pk=risk.pk)).breach  # P(≥ $5M) ≈ 1.1% ≤ 5%
    appetite(manager, category, tolerance=[{"loss": 5_000_000, "probability": 0.005}])
    verdict = Judge().verdict(Risk.objects.get(pk=risk.pk))
    assert verdict.breach and "exceeds the tolerance of 0.5%" in verdict.evaluation.reasons[0]


def test_appetite_validation(manager, category):
    with pytest.raises(ValidationFailed) as raised:
        services.appetite_set(
            actor=manager, category=category, statement="", max_level=9, tolerance=[{"loss": -1, "probability": 2}]
        )
    assert {"statement", "max_level", "tolerance[1].loss"} <= {p.column for p in raised.value.problems}


def test_only_executive_accepts_above_appetite(make_risk, manager, executive, make_user, category):
    appetite(manager, category, max_level=2)
    risk = make_risk()
    expires = timezone.now() + dt.timedelta(days=90)
    for role in (Role.SECURITY_MANAGER, Role.ADMIN):
        with pytest.raises(PermissionDenied):
            services.acceptance_create(actor=make_user(role), ref=risk.ref, rationale="r", expires_at=expires)
    with pytest.raises(PermissionDenied):
        services.acceptance_create(actor=make_user(Role.ANALYST), ref=risk.ref, rationale="r", expires_at=expires)
    acceptance = services.acceptance_create(
        actor=executive, ref=risk.ref, rationale="Fix funded for Q3", expires_at=expires, compensating_controls="EDR"
    )
    assert acceptance.above_appetite and acceptance.approved_by == executive
    entry = AuditEntry.objects.filter(action="accept").get()
    assert entry.actor_label == "exec" and entry.changes["above_appetite"] == [None, True]
    with pytest.raises(Conflict):
        services.acceptance_create(actor=executive, ref=risk.ref, rationale="again", expires_at=expires)


def test_manager_accepts_within_appetite(make_risk, manager, category):
    appetite(manager, category, max_level=4)
    risk = make_risk()
    acceptance = services.acceptance_create(
        actor=manager, ref=risk.ref, rationale="cheap enough", expires_at=timezone.now() + dt.timedelta(days=30)
    )
    assert not acceptance.above_appetite


def test_acceptance_needs_future_expiry_and_rationale(make_risk, executive):
    risk = make_risk()
    with pytest.raises(ValidationFailed) as raised:
        services.acceptance_create(actor=executive, ref=risk.ref, rationale="", expires_at=dt.date(2000, 1, 1))
    assert {p.column for p in raised.value.problems} == {"rationale", "expires_at"}


def test_expired_acceptance_never_shows_and_reopens(make_risk, executive, analyst):
    risk = make_risk(owner=analyst)
    acceptance = services.acceptance_create(
        actor=executive, ref=risk.ref, rationale="r", expires_at=timezone.now() + dt.timedelta(days=10)
    )
    assert selectors.risk_list(executive).get(pk=risk.pk).accepted
    later = timezone.now() + dt.timedelta(days=11)
    # Before any job ran, the acceptance is already not in force at read time.
    assert active_acceptance(Risk.objects.get(pk=risk.pk), later) is None
    RiskAcceptanceModel = type(acceptance)
    RiskAcceptanceModel.objects.filter(pk=acceptance.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert not selectors.risk_list(executive).get(pk=risk.pk).accepted
    assert services.acceptances_expire() == [risk.ref]
    assert services.acceptances_expire() == []  # once
    risk.refresh_from_db()
    assert risk.status == Risk.Status.ASSESSED
    note = Notification.objects.get(event="risk.acceptance_expired")
    assert note.recipient == analyst and risk.ref in note.subject
    assert AuditEntry.objects.filter(action="expire", object_id=str(risk.pk)).exists()


def test_revoke(make_risk, executive):
    risk = make_risk()
    services.acceptance_create(
        actor=executive, ref=risk.ref, rationale="r", expires_at=timezone.now() + dt.timedelta(days=10)
    )
    services.acceptance_revoke(actor=executive, ref=risk.ref, reason="new threat intel")
    assert not selectors.risk_list(executive).get(pk=risk.pk).accepted
    with pytest.raises(NotFound):
        services.acceptance_revoke(actor=executive, ref=risk.ref)


def test_scoping(make_risk, make_user, unit_b):
    risk = make_risk()
    stranger = make_user(Role.SECURITY_MANAGER, units=[unit_b])
    with pytest.raises(NotFound):
        selectors.risk_get(stranger, ref=risk.ref)
    with pytest.raises(NotFound):
        services.risk_update(actor=stranger, ref=risk.ref, title="x")
    with pytest.raises(NotFound):
        services.acceptance_create(
            actor=make_user(Role.EXECUTIVE, units=[unit_b]),
            ref=risk.ref,
            rationale="r",
            expires_at=timezone.now() + dt.timedelta(days=1),
        )
    assert not selectors.risk_list(stranger).exists()


def test_kev_findings_on_affected_systems(make_risk, system, make_finding):
    make_finding(system)
    make_finding(system, kev=False)
    make_finding(system, status="fixed")
    risk = make_risk(systems=[system.ref])
    assert selectors.kev_findings(risk).count() == 1


def test_treatment_plan_progress_and_overdue(make_risk, manager, analyst):
    risk = make_risk()
    plan = services.plan_create(actor=manager, ref=risk.ref, option="mitigate", owner=analyst.username)
    risk.refresh_from_db()
    assert risk.status == "treating"
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    late = services.action_create(actor=manager, plan=plan.pk, title="Patch", owner=analyst, due=yesterday, cost="1200")
    services.action_create(actor=manager, plan=plan.pk, title="EDR", status="done", cost=800)
    row = selectors.plans(manager).get(pk=plan.pk)
    assert (row.total, row.done, row.overdue, float(row.cost)) == (2, 1, 1, 2000.0)
    assert list(selectors.actions(manager, overdue_only=True)) == [late]
    services.action_update(actor=manager, pk=late.pk, status="done")
    assert not selectors.actions(manager, overdue_only=True).exists()
    with pytest.raises(ValidationFailed) as raised:
        services.action_create(actor=manager, plan=plan.pk, title="x", cost="-5", due="soon")
    assert {p.column for p in raised.value.problems} == {"cost", "due"}


def test_snapshots(make_risk, manager):
    risk = make_risk(fair=REFERENCE_FAIR)
    services.risk_quantify(actor=manager, ref=risk.ref, years=10_000, seed=2)
    make_risk()
    assert services.snapshots_take() == 1
    assert services.snapshots_take() == 1  # same day: rewritten, not duplicated
    [(day, ale, above)] = selectors.snapshots(manager)
    assert day == timezone.localdate() and ale == pytest.approx(Risk.objects.get(pk=risk.pk).ale)


def test_import_riskquant_csv(manager, unit_a, category):
    text = "Identifier,Name,Probability,Low_loss,High_loss\nR1,Phishing,0.3,10000,500000\nR2,Outage,0.1,5000,90000\n"
    risks = services.risks_import(actor=manager, text=text, kind="riskquant", business_unit=unit_a, category=category)
    assert [r.title for r in risks] == ["Phishing", "Outage"]
    assert risks[0].fair == {"frequency": 0.3, "loss": {"p5": 10000.0, "p95": 500000.0}}
    with pytest.raises(ValidationFailed):
        services.risks_import(
            actor=manager, text="R1,x,-1,1,2\n", kind="riskquant", business_unit=unit_a, category=category
        )
    assert Risk.objects.count() == 2


def test_matrix_update_validates(manager):
    from ramparts.risk.engine.matrix import default_definition

    bad = default_definition()
    bad["impact"][2]["min_loss"] = 5
    with pytest.raises(ValidationFailed) as raised:
        services.matrix_update(actor=manager, definition=bad)
    assert raised.value.problems[0].column == "impact[3].min_loss"
    services.matrix_update(actor=manager, definition=default_definition())


def test_tightening_the_appetite_notifies_the_risks_it_puts_above_it(make_risk, manager, analyst, category):
    appetite(manager, category, max_level=5)
    risk = make_risk(owner=analyst.username)  # inherent 3×4 -> Moderate (3): within
    sent = Notification.objects.filter(event="risk.appetite_breach")
    assert not sent.exists()
    appetite(manager, category, max_level=2)
    assert {n.recipient.username for n in sent} == {"manager", "analyst"}
    assert all(risk.ref in n.subject for n in sent)
    appetite(manager, category, max_level=1)  # still above: no second notice
    assert sent.count() == 2
