from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from ramparts.core import personal
from ramparts.core.roles import Role
from ramparts.incidents import services
from ramparts.notifications.models import Notification


def test_home_widget_shows_open_incidents_and_late_clocks(client, manager, declare):
    incident = declare(actor=manager, detected_at=timezone.now() - timedelta(hours=80))
    client.force_login(manager)
    html = client.get("/").content.decode()
    assert 'id="widget-open-incidents"' in html and incident.ref in html
    assert "LATE" in html  # GDPR 72 h passed 8 h ago


def test_personal_home_lists_the_tasks_and_actions_a_person_owns(declare, make_user, analyst):
    employee = make_user(Role.EMPLOYEE, username="pat")
    incident = declare()
    services.task_create(actor=analyst, incident=incident, title="Bring the laptop to IT", owner=employee)
    services.action_create(actor=analyst, incident=incident, title="Lock screens", owner=employee)
    items = [i for i in personal.items_for(employee) if i.kind in ("Incident task", "Review action")]
    assert {i.kind for i in items} == {"Incident task", "Review action"}
    assert any("Bring the laptop to IT" in i.title for i in items)


def test_remind_command_sends_overdue_reminders_and_clock_warnings(declare, analyst):
    declare(declared_at=timezone.now() - timedelta(hours=30))
    out = StringIO()
    call_command("incidents", "remind", stdout=out)
    tasks, clocks = (int(part.split()[0]) for part in out.getvalue().split(", "))
    assert tasks >= 1 and clocks >= 1
    assert Notification.objects.filter(event="incident.task_overdue").exists()
    out = StringIO()
    call_command("incidents", "remind", stdout=out)
    assert out.getvalue().startswith("0 overdue task reminder(s), 0 clock warning(s)")
