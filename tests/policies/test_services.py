"""The approval workflow, acknowledgements per major version, reviews and exceptions."""

import datetime as dt

import pytest
from django.core import mail

from ramparts.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from ramparts.core.models import AuditEntry
from ramparts.core.roles import Role
from ramparts.notifications.models import Notification
from ramparts.policies import selectors, services
from ramparts.policies.models import Acknowledgement, PolicyException, PolicyVersion
from ramparts.policies.services._common import add_months
from tests.policies.conftest import TEXT, publish

pytestmark = pytest.mark.django_db


def test_draft_goes_through_approval_to_publication_and_every_step_is_audited(manager, approver):
    policy = services.policy_create(actor=manager, business_unit="retail", title="Access control", text=TEXT)
    version = policy.versions.get()
    assert (version.label, version.status, policy.state) == ("1.0", "draft", "draft")
    with pytest.raises(Conflict):  # not submitted yet
        services.version_approve(actor=approver, ref=policy.ref, label="1.0")
    services.version_submit(actor=manager, ref=policy.ref, label="1.0")
    with pytest.raises(Conflict):  # only approved versions are published
        services.version_publish(actor=manager, ref=policy.ref, label="1.0")
    services.version_approve(actor=approver, ref=policy.ref, label="1.0", note="Fine")
    services.version_publish(actor=manager, ref=policy.ref, label="1.0")
    policy.refresh_from_db()
    version.refresh_from_db()
    assert policy.state == "published" and policy.current_version == version
    assert version.approver == approver and version.published_by == manager
    assert policy.next_review_on == add_months(dt.date.today(), 12)
    statuses = [
        e.changes.get("status", [None, None])[1]
        for e in AuditEntry.objects.filter(object_type="policies.policy", object_id=str(policy.pk)).order_by("seq")
    ]
    assert [s for s in statuses if s] == ["in_approval", "approved", "published"]


def test_the_author_cannot_approve_their_own_version(manager, make_user):
    other_manager = make_user(Role.SECURITY_MANAGER, username="second")
    policy = services.policy_create(actor=manager, business_unit="retail", title="Backup", text=TEXT)
    services.version_submit(actor=manager, ref=policy.ref, label="1.0")
    with pytest.raises(PermissionDenied, match="someone else"):
        services.version_approve(actor=manager, ref=policy.ref, label="1.0")
    services.version_approve(actor=other_manager, ref=policy.ref, label="1.0")


def test_roles_without_the_action_are_refused(make_policy, make_user):
    policy = make_policy(published=False)
    analyst = make_user(Role.ANALYST)
    auditor = make_user(Role.AUDITOR)
    services.version_submit(actor=policy.owner, ref=policy.ref, label="1.0")
    with pytest.raises(PermissionDenied):
        services.version_approve(actor=analyst, ref=policy.ref, label="1.0")
    with pytest.raises(PermissionDenied):
        services.policy_create(actor=auditor, business_unit="retail", title="x", text="y")


def test_only_the_owner_or_a_security_manager_submits(make_user, manager):
    analyst = make_user(Role.ANALYST, username="ana")
    policy = services.policy_create(actor=manager, business_unit="retail", title="Crypto", text=TEXT)
    with pytest.raises(PermissionDenied):
        services.version_submit(actor=analyst, ref=policy.ref, label="1.0")
    services.policy_update(actor=manager, ref=policy.ref, owner="ana")
    services.version_submit(actor=analyst, ref=policy.ref, label="1.0")


def test_rejection_returns_the_version_to_draft_with_a_reason(make_policy, approver):
    policy = make_policy(published=False)
    services.version_submit(actor=policy.owner, ref=policy.ref, label="1.0")
    with pytest.raises(ValidationFailed):
        services.version_reject(actor=approver, ref=policy.ref, label="1.0", note=" ")
    version = services.version_reject(actor=approver, ref=policy.ref, label="1.0", note="Too vague")
    assert version.status == "draft" and version.decision_note == "Too vague"
    services.version_update(actor=policy.owner, ref=policy.ref, label="1.0", text=TEXT + "\nMore precise.\n")


def test_versions_are_kept_and_numbered_major_minor(make_policy, manager, approver):
    policy = make_policy()
    services.version_create(actor=manager, ref=policy.ref, bump="minor", text=TEXT + "x\n", change_summary="Typo")
    with pytest.raises(Conflict, match="in progress"):
        services.version_create(actor=manager, ref=policy.ref, bump="major", text=TEXT, change_summary="Again")
    publish(policy, author=manager, approver=approver, label="1.1")
    services.version_create(actor=manager, ref=policy.ref, bump="major", text=TEXT + "y\n", change_summary="Rewrite")
    publish(policy, author=manager, approver=approver, label="2.0")
    labels = {v.label: v.status for v in PolicyVersion.objects.filter(policy=policy)}
    assert labels == {"1.0": "superseded", "1.1": "superseded", "2.0": "published"}
    with pytest.raises(Conflict, match="only drafts"):
        services.version_update(actor=manager, ref=policy.ref, label="2.0", text="changed after publication")


def test_acknowledgement_is_asked_again_for_a_major_version_only(make_policy, manager, approver, employee):
    policy = make_policy(audience_units=["retail"])
    assert [p.ref for p in selectors.my_pending(employee)] == [policy.ref]
    ack = services.policy_acknowledge(actor=employee, ref=policy.ref, label="1.0")
    assert ack.version.label == "1.0" and ack.acknowledged_at is not None
    assert services.policy_acknowledge(actor=employee, ref=policy.ref) == ack  # idempotent
    assert not selectors.my_pending(employee).exists()

    services.version_create(actor=manager, ref=policy.ref, bump="minor", text=TEXT + "a\n", change_summary="Wording")
    publish(policy, author=manager, approver=approver, label="1.1")
    assert not selectors.my_pending(employee).exists()
    with pytest.raises(Conflict, match="now at version 1.1"):
        services.policy_acknowledge(actor=employee, ref=policy.ref, label="1.0")

    services.version_create(actor=manager, ref=policy.ref, bump="major", text=TEXT + "b\n", change_summary="New rules")
    publish(policy, author=manager, approver=approver, label="2.0")
    assert [p.ref for p in selectors.my_pending(employee)] == [policy.ref]
    # Asked on the first publication and on 2.0, not on 1.1.
    asked = Notification.objects.filter(recipient=employee, event="policy.acknowledge")
    assert [n.payload["version"] for n in asked.order_by("id")] == ["1.0", "2.0"]
    services.policy_acknowledge(actor=employee, ref=policy.ref, label="2.0")
    assert Acknowledgement.objects.filter(user=employee, policy=policy).count() == 2


def test_employees_act_only_on_what_is_addressed_to_them(make_policy, employee, unit_b):
    mine = make_policy("Mine", audience_units=["retail"])
    theirs = make_policy("Theirs", audience_units=[unit_b.code])
    managers_only = make_policy("Managers", audience_roles=["security_manager"])
    draft = make_policy("Draft", published=False)
    assert {p.ref for p in selectors.my_policies(employee)} == {mine.ref}
    for other in (theirs, managers_only, draft):
        with pytest.raises(NotFound):
            services.policy_acknowledge(actor=employee, ref=other.ref)
    with pytest.raises(PermissionDenied):
        selectors.policy_get(employee, ref=mine.ref)  # the library itself is not theirs


def test_retired_policies_are_no_longer_asked(make_policy, manager, employee):
    policy = make_policy()
    services.policy_retire(actor=manager, ref=policy.ref, note="Merged into POL-1")
    assert not selectors.my_policies(employee).exists()
    assert policy.versions.get().status == "retired"


def test_other_units_policies_are_not_found(make_policy, make_user, unit_b, approver):
    policy = make_policy(audience_units=["retail"])
    stranger = make_user(Role.SECURITY_MANAGER, units=[unit_b])
    with pytest.raises(NotFound):
        selectors.policy_get(stranger, ref=policy.ref)
    with pytest.raises(NotFound):
        services.policy_update(actor=stranger, ref=policy.ref, title="pwned")
    # Addressed to the whole organisation: others read it, but only its unit changes it.
    everyone = make_policy("Everyone")
    assert selectors.policy_get(stranger, ref=everyone.ref)
    with pytest.raises(NotFound):
        services.version_create(actor=stranger, ref=everyone.ref, bump="minor", text="x", change_summary="y")


def test_bad_input_names_the_field_and_stores_nothing(manager):
    with pytest.raises(ValidationFailed) as caught:
        services.policy_create(
            actor=manager,
            business_unit="retail",
            title="",
            text="",
            kind="essay",
            review_interval_months=0,
            audience_units=["nowhere"],
            audience_roles=["pirate"],
            controls=["CTL-999"],
            requirements=["nist-csf-2-0:XX-99", "garbage"],
        )
    fields = {p.column for p in caught.value.problems}
    assert fields == {
        "title", "text", "kind", "review_interval_months",
        "audience_units", "audience_roles", "controls", "requirements",
    }  # fmt: skip
    assert not PolicyVersion.objects.exists()


def test_review_reminders_go_once_per_due_date(make_policy, manager):
    policy = make_policy()
    due = policy.next_review_on
    mail.outbox.clear()
    assert services.policies_remind(today=due - dt.timedelta(days=60)) == []
    sent = services.policies_remind(today=due - dt.timedelta(days=10))
    assert [(r.policy, r.overdue, r.recipients) for r in sent] == [(policy.ref, False, ["secmgr"])]
    assert services.policies_remind(today=due - dt.timedelta(days=9)) == []
    assert selectors.reviews_due(manager, today=due + dt.timedelta(days=1)).get() == policy
    services.policy_review(actor=manager, ref=policy.ref)
    policy.refresh_from_db()
    assert policy.next_review_on == add_months(dt.date.today(), 12) and policy.review_reminded_for is None


def test_exception_workflow_expiry_reopens_it(make_policy, manager, approver, make_user, unit_a):
    from ramparts.inventory import services as inventory

    system = inventory.system_create(actor=manager, business_unit=unit_a, name="legacy-ftp", kind="server")
    policy = make_policy()
    soon = dt.date.today() + dt.timedelta(days=30)
    exc = services.exception_create(
        actor=manager,
        policy=policy.ref,
        business_unit="retail",
        title="Legacy FTP without MFA",
        justification="Vendor upgrade in Q1",
        expires_on=soon,
        systems=[system.ref],
    )
    assert exc.ref.startswith("EXC-") and list(exc.systems.all()) == [system]
    with pytest.raises(PermissionDenied):
        services.exception_approve(actor=manager, ref=exc.ref)  # own request
    services.exception_approve(actor=approver, ref=exc.ref)
    exc.refresh_from_db()
    assert exc.effective_status() == "approved"
    later = soon + dt.timedelta(days=1)
    assert exc.effective_status(later) == "expired"  # derived before any job ran
    assert [e.ref for e in selectors.exception_list(manager, today=later)] == [exc.ref]
    from ramparts.policies.filters import ExceptionFilters

    assert not selectors.exception_list(manager, filters=ExceptionFilters(status="approved"), today=later).exists()
    assert services.exceptions_expire(today=later) == [exc]
    exc.refresh_from_db()
    assert exc.status == PolicyException.Status.EXPIRED
    renewed = services.exception_renew(actor=manager, ref=exc.ref, expires_on=dt.date.today() + dt.timedelta(days=60))
    assert renewed.status == "requested" and renewed.decided_by is None


def test_exception_dates_are_bounded(make_policy, manager):
    policy = make_policy()
    for expires in ("2001-01-01", "not a date", (dt.date.today() + dt.timedelta(days=400)).isoformat()):
        with pytest.raises(ValidationFailed) as caught:
            services.exception_create(
                actor=manager,
                policy=policy.ref,
                business_unit="retail",
                title="t",
                justification="j",
                expires_on=expires,
            )
        assert caught.value.problems[0].column == "expires_on"


def test_exception_links_to_a_risk_of_the_register_in_the_actors_units(make_policy, manager, unit_a, unit_b):
    from ramparts.risk.models import Risk, RiskCategory

    category = RiskCategory.objects.create(name="Cyber")
    scores = {"inherent_likelihood": 3, "inherent_impact": 3, "residual_likelihood": 2, "residual_impact": 2}
    mine = Risk.objects.create(number=7, business_unit=unit_a, title="Legacy FTP", category=category, **scores)
    Risk.objects.create(number=8, business_unit=unit_b, title="Elsewhere", category=category, **scores)
    policy = make_policy()
    common = {"policy": policy.ref, "business_unit": "retail", "title": "t", "justification": "j",
              "expires_on": dt.date.today() + dt.timedelta(days=9)}  # fmt: skip
    for bad in ("RISK-8", "RISK-99", "R-1"):
        with pytest.raises(ValidationFailed) as caught:
            services.exception_create(actor=manager, risk=bad, **common)
        assert caught.value.problems[0].column == "risk"
    exc = services.exception_create(actor=manager, risk="RISK-7", **common)
    assert exc.risk == mine
    services.exception_update(actor=manager, ref=exc.ref, risk="")
    exc.refresh_from_db()
    assert exc.risk is None


def test_policies_link_to_controls_of_the_actors_units_and_to_requirements(manager, unit_a, unit_b):
    from ramparts.compliance.models import Control
    from ramparts.frameworks.services import builtin_install
    from ramparts.frameworks.services.builtin import BUILTIN_CSF_SLUG

    builtin_install()
    mine = Control.objects.create(number=1, business_unit=unit_a, name="MFA everywhere")
    Control.objects.create(number=2, business_unit=unit_b, name="Elsewhere")
    with pytest.raises(ValidationFailed) as caught:
        services.policy_create(actor=manager, business_unit="retail", title="t", text="x", controls=["CTL-2"])
    assert caught.value.problems[0].reason == "no control CTL-2"
    with pytest.raises(ValidationFailed, match="no requirement .GV.XX-99."):
        services.policy_create(
            actor=manager, business_unit="retail", title="t", text="x", requirements=[f"{BUILTIN_CSF_SLUG}:GV.XX-99"]
        )
    policy = services.policy_create(
        actor=manager, business_unit="retail", title="Authentication", text="x",
        controls=["ctl-1"], requirements=[f"{BUILTIN_CSF_SLUG}:PR.AA-03"],
    )  # fmt: skip
    assert list(policy.controls.all()) == [mine]
    assert [r.identifier for r in policy.requirements.all()] == ["PR.AA-03"]
    assert list(mine.policies.all()) == [policy]
