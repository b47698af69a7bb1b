from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ramparts.core.errors import Conflict, PermissionDenied, ValidationFailed
from ramparts.core.roles import Role
from ramparts.incidents import metrics, services
from ramparts.incidents.models import ClockWarning, EntryKind, TaskStatus
from ramparts.notifications.models import Notification


def test_transitions_are_timestamped_and_going_back_needs_a_note(declare, manager):
    incident = declare(actor=manager, declared_at=timezone.now() - timedelta(hours=1))
    at = timezone.now() - timedelta(minutes=30)
    services.incident_transition(actor=manager, incident=incident, to_phase="containment", at=at)
    incident.refresh_from_db()
    assert incident.acknowledged_at == at and incident.contained_at is None  # skipping analysis records acknowledgement
    with pytest.raises(ValidationFailed) as err:
        services.incident_transition(actor=manager, incident=incident, to_phase="analysis")
    assert err.value.problems[0].column == "note"
    with pytest.raises(ValidationFailed):
        services.incident_transition(
            actor=manager, incident=incident, to_phase="eradication", at=at - timedelta(hours=1)
        )
    with pytest.raises(Conflict):
        services.incident_transition(actor=manager, incident=incident, to_phase="containment")
    services.incident_transition(actor=manager, incident=incident, to_phase="analysis", note="new host found")
    assert [t.to_phase for t in incident.transitions.all()] == ["declared", "containment", "analysis"]
    assert incident.timeline.filter(kind=EntryKind.PHASE).count() == 2


def test_single_holder_roles_are_handed_over_with_times(declare, analyst, make_user):
    incident = declare()
    other = make_user(Role.ANALYST, username="other")
    services.role_assign(actor=analyst, incident=incident, user=other, role="commander")
    roles = list(incident.roles.order_by("id"))
    assert roles[0].user == analyst and roles[0].held_until is not None
    assert roles[1].user == other and roles[1].held_until is None
    assert Notification.objects.filter(recipient=other, event="incident.assigned").exists()
    services.role_assign(actor=analyst, incident=incident, user=analyst, role="participant")
    with pytest.raises(Conflict):
        services.role_assign(actor=analyst, incident=incident, user=analyst, role="participant")


def test_completed_task_goes_on_the_timeline(declare, analyst):
    incident = declare()
    task = incident.tasks.first()
    services.task_update(actor=analyst, task=task, status=TaskStatus.DONE)
    assert task.completed_at and task.completed_by == analyst
    assert incident.timeline.filter(kind=EntryKind.TASK, text__contains=task.title).exists()
    item = task.checklist.first()
    services.checklist_set(actor=analyst, item=item, done=True)
    item.refresh_from_db()
    assert item.done and item.done_by == analyst


def test_overdue_tasks_are_reminded_once_a_day(declare, analyst):
    incident = declare(declared_at=timezone.now() - timedelta(hours=3))
    overdue = incident.tasks.filter(due_at__lt=timezone.now())
    assert overdue.exists()
    sent = services.tasks_remind()
    assert sent == overdue.count()
    assert services.tasks_remind() == 0
    assert services.tasks_remind(now=timezone.now() + timedelta(hours=25)) >= sent
    assert Notification.objects.filter(event="incident.task_overdue").exists()
    assert incident.timeline.filter(kind=EntryKind.NOTIFICATION, text__contains="task_overdue").exists()


def test_clock_warnings_escalate_once_per_level(declare, manager):
    incident = declare(actor=manager, detected_at=timezone.now() - timedelta(hours=50))
    services.incident_set_conditions(
        actor=manager, incident=incident, conditions={"significant": False, "major": False}
    )
    first = services.clocks_warn()
    assert first >= 1 and ClockWarning.objects.filter(incident=incident, rule_id="gdpr.authority", level=1).exists()
    assert services.clocks_warn() == 0
    late = services.clocks_warn(now=timezone.now() + timedelta(hours=23))
    assert late >= 1 and ClockWarning.objects.filter(rule_id="gdpr.authority", level=4).exists()
    assert Notification.objects.filter(event="incident.clock", subject__contains="LATE").exists()


def test_a_notice_stops_the_clock(declare, manager):
    incident = declare(actor=manager)
    services.notice_record(
        actor=manager,
        incident=incident,
        rule_id="gdpr.authority",
        sent_at=timezone.now(),
        recipient="CNIL",
        content="x",
    )
    clocks = {c.deadline.rule_id: c for c in services.clocks_of(incident)}
    assert clocks["gdpr.authority"].status.state.value == "submitted"
    with pytest.raises(ValidationFailed) as err:
        services.notice_record(
            actor=manager, incident=incident, rule_id="sec.nope", sent_at=None, recipient="", content=""
        )
    assert {p.column for p in err.value.problems} == {"rule_id", "sent_at", "recipient", "content"}


@pytest.mark.parametrize(
    ("kind", "value", "stored"),
    [
        ("ip", "203.0.113.7", "203.0.113.7"),
        ("ip", "2001:DB8::1", "2001:db8::1"),
        ("domain", "Evil.Example.", "evil.example"),
        ("url", "https://evil.example/x", "https://evil.example/x"),
        ("hash", "D41D8CD98F00B204E9800998ECF8427E", "d41d8cd98f00b204e9800998ecf8427e"),
        ("email", "a@evil.example", "a@evil.example"),
        ("account", "<script>x</script>", "<script>x</script>"),
    ],
)
def test_observables_are_validated_per_type(declare, analyst, kind, value, stored):
    incident = declare()
    assert services.observable_add(actor=analyst, incident=incident, kind=kind, value=value).value == stored


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("ip", "300.1.1.1"),
        ("domain", "not a domain"),
        ("url", "javascript:alert(1)"),
        ("hash", "abc"),
        ("email", "x@"),
        ("ip", ""),
    ],
)
def test_bad_observables_are_refused(declare, analyst, kind, value):
    with pytest.raises(ValidationFailed) as err:
        services.observable_add(actor=analyst, incident=declare(), kind=kind, value=value)
    assert err.value.problems[0].column == "value"


def test_attack_technique_ids_are_checked(declare, analyst):
    incident = declare()
    assert (
        services.technique_add(actor=analyst, incident=incident, technique_id="t1566.001").technique_id == "T1566.001"
    )
    for bad in ("T156", "T1566.1", "1566", "T1566.001; DROP"):
        with pytest.raises(ValidationFailed):
            services.technique_add(actor=analyst, incident=incident, technique_id=bad)


def test_auditor_reads_but_cannot_change(declare, make_user):
    incident = declare()
    with pytest.raises(PermissionDenied):
        services.timeline_add(actor=make_user(Role.AUDITOR), incident=incident, text="x")


def test_metrics_measure_each_interval_separately(declare, manager):
    now = timezone.now()
    incident = declare(
        actor=manager,
        occurred_at=now - timedelta(hours=10),
        detected_at=now - timedelta(hours=8),
        declared_at=now - timedelta(hours=8),
    )
    for phase, hours_ago in (("analysis", 7), ("containment", 6), ("eradication", 4), ("recovery", 3), ("review", 2)):
        services.incident_transition(
            actor=manager, incident=incident, to_phase=phase, at=now - timedelta(hours=hours_ago)
        )
    declare(actor=manager, title="still open")  # no times beyond detection: left out of those measures
    services.effort_add(actor=manager, incident=incident, role="commander", hours="2.5")
    services.cost_add(actor=manager, incident=incident, description="Forensics", amount="1000")
    data = metrics.incident_metrics(manager)
    m = data.overall.measures
    assert data.overall.count == 2
    assert m["mttd"].n == 1 and m["mttd"].mean == pytest.approx(2)
    assert m["mtta"].mean == pytest.approx(1) and m["mttc"].mean == pytest.approx(4)
    assert m["mttr"].mean == pytest.approx(6) and m["mttclose"].n == 0
    assert data.cost_total == Decimal("2.5") * Decimal("160") + Decimal("1000")
    assert set(data.by_type) == {"ransomware"}
    assert data.by_month[incident.declared_at.strftime("%Y-%m")].count == 2
