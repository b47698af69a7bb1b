"""Triage services: assign, comment, false positive, risk acceptance (approver, expiry), reopen, bulk; audit."""

import datetime as dt

import pytest
from django.utils import timezone

from ramparts.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from ramparts.core.models import AuditEntry
from ramparts.core.roles import Role
from ramparts.vulns import triage
from ramparts.vulns.models import Finding, FindingAcceptance, FindingComment
from tests.vulns._findings import make_finding

pytestmark = pytest.mark.django_db
LATER = timezone.now().date() + dt.timedelta(days=30)


@pytest.fixture
def analyst(make_user, unit_a):
    return make_user(Role.ANALYST, units=[unit_a])


@pytest.fixture
def manager(make_user, unit_a):
    return make_user(Role.SECURITY_MANAGER, units=[unit_a])


def entries(ref):
    return list(AuditEntry.objects.filter(object_ref=ref).order_by("seq"))


def test_assign_comment_false_positive_reopen(analyst, manager, unit_a):
    f = make_finding(unit_a)
    triage.finding_assign(actor=analyst, ref=f.ref, assignee=manager.username)
    triage.finding_comment(actor=analyst, ref=f.ref, body="Patch is scheduled")
    done = triage.finding_mark_false_positive(actor=analyst, ref=f.ref, reason="Not reachable: behind WAF")
    assert done.status == Finding.Status.FALSE_POSITIVE and done.triage_reason == "Not reachable: behind WAF"
    with pytest.raises(Conflict):
        triage.finding_mark_false_positive(actor=analyst, ref=f.ref, reason="again")
    assert triage.finding_reopen(actor=analyst, ref=f.ref).status == Finding.Status.OPEN
    assert FindingComment.objects.get().body == "Patch is scheduled"
    changes = [e.changes for e in entries(f.ref)]
    assert changes[0] == {"assignee": [None, manager.username]}
    assert changes[2]["status"] == ["open", "false_positive"] and changes[3]["status"] == ["false_positive", "open"]


def test_validation_names_the_field(analyst, unit_a, make_user, unit_b):
    f = make_finding(unit_a)
    with pytest.raises(ValidationFailed) as exc:
        triage.finding_mark_false_positive(actor=analyst, ref=f.ref, reason="  ")
    assert exc.value.problems[0].column == "reason"
    with pytest.raises(ValidationFailed) as exc:
        triage.finding_assign(actor=analyst, ref=f.ref, assignee=make_user(Role.AUDITOR).username)
    assert exc.value.problems[0].column == "assignee"
    with pytest.raises(ValidationFailed, match="business unit"):
        triage.finding_assign(actor=analyst, ref=f.ref, assignee=make_user(Role.ANALYST, units=[unit_b]).username)
    with pytest.raises(ValidationFailed):
        triage.finding_comment(actor=analyst, ref=f.ref, body="")


def test_accept_needs_vulns_accept_and_a_valid_approver(analyst, manager, make_user, unit_a):
    f = make_finding(unit_a)
    with pytest.raises(PermissionDenied):
        triage.finding_accept(actor=analyst, ref=f.ref, reason="r", expires_on=LATER)
    with pytest.raises(ValidationFailed) as exc:
        triage.finding_accept(actor=manager, ref=f.ref, reason="r", expires_on=LATER, approver=analyst.username)
    assert exc.value.problems[0].column == "approver"
    with pytest.raises(ValidationFailed, match="future"):
        triage.finding_accept(actor=manager, ref=f.ref, reason="r", expires_on=timezone.now().date())
    executive = make_user(Role.EXECUTIVE)
    done = triage.finding_accept(
        actor=manager, ref=f.ref, reason="Compensating control", expires_on=LATER, approver=executive.username
    )
    assert done.status == Finding.Status.RISK_ACCEPTED and done.accepted_until == LATER
    acceptance = FindingAcceptance.objects.get()
    assert acceptance.approver == executive and acceptance.requested_by == manager
    assert entries(f.ref)[-1].changes["approver"] == [None, executive.username]


def test_acceptance_expires_and_the_finding_comes_back(manager, unit_a):
    f = make_finding(unit_a)
    triage.finding_accept(actor=manager, ref=f.ref, reason="r", expires_on=LATER)
    assert triage.acceptances_expire(today=LATER) == 0  # valid through its expiry date
    assert triage.acceptances_expire(today=LATER + dt.timedelta(days=1)) == 1
    f.refresh_from_db()
    assert f.status == Finding.Status.OPEN and f.accepted_until is None
    assert FindingAcceptance.objects.get().state == FindingAcceptance.State.EXPIRED
    assert entries(f.ref)[-1].changes["acceptance"] == ["active", "expired"]


def test_revoke(manager, analyst, unit_a):
    f = make_finding(unit_a)
    triage.finding_accept(actor=manager, ref=f.ref, reason="r", expires_on=LATER)
    with pytest.raises(PermissionDenied):
        triage.finding_revoke_acceptance(actor=analyst, ref=f.ref)
    assert triage.finding_revoke_acceptance(actor=manager, ref=f.ref).status == Finding.Status.OPEN
    assert FindingAcceptance.objects.get().state == FindingAcceptance.State.REVOKED


def test_other_unit_is_not_found(analyst, unit_b):
    f = make_finding(unit_b)
    with pytest.raises(NotFound):
        triage.finding_mark_false_positive(actor=analyst, ref=f.ref, reason="x")
    assert triage.findings_bulk(actor=analyst, findings=Finding.objects.all(), action="false_positive", reason="x") == 0


def test_bulk_by_refs_and_queryset(analyst, manager, unit_a, django_assert_max_num_queries):
    findings = [make_finding(unit_a) for _ in range(20)]
    fixed = make_finding(unit_a, status=Finding.Status.FIXED)
    with django_assert_max_num_queries(27):
        n = triage.findings_bulk(
            actor=analyst, findings=[f.ref for f in findings] + [fixed.ref], action="false_positive", reason="dup"
        )
    assert n == 20  # the fixed one is skipped
    assert Finding.objects.filter(status=Finding.Status.FALSE_POSITIVE).count() == 20
    assert AuditEntry.objects.filter(changes__status=["open", "false_positive"]).count() == 20
    n = triage.findings_bulk(actor=analyst, findings=Finding.objects.all(), action="reopen")
    assert n == 20
    n = triage.findings_bulk(actor=analyst, findings=Finding.objects.all(), action="assign", assignee=manager.username)
    assert n == 21 and Finding.objects.filter(assignee=manager).count() == 21
    with pytest.raises(PermissionDenied):
        triage.findings_bulk(actor=analyst, findings=Finding.objects.all(), action="accept", reason="r")
    n = triage.findings_bulk(
        actor=manager, findings=Finding.objects.all(), action="accept", reason="r", expires_on=LATER
    )
    assert n == 20 and FindingAcceptance.objects.count() == 20
    with pytest.raises(NotFound):
        triage.findings_bulk(actor=analyst, findings=["nope"], action="assign")


def test_notifications_on_assignment_and_expiry(analyst, manager, unit_a):
    from ramparts.notifications.models import Notification

    f = make_finding(unit_a)
    triage.finding_assign(actor=analyst, ref=f.ref, assignee=manager.username)
    assert Notification.objects.filter(recipient=manager, event="vulns.assigned").count() == 1
    triage.finding_accept(actor=manager, ref=f.ref, reason="r", expires_on=LATER)
    triage.acceptances_expire(today=LATER + dt.timedelta(days=1))
    note = Notification.objects.get(recipient=manager, event=triage.ACCEPTANCE_EXPIRED)
    assert f.ref in note.subject
