from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from ramparts.core.errors import NotFound, PermissionDenied, ValidationFailed
from ramparts.core.models import AuditEntry
from ramparts.core.roles import Role
from ramparts.incidents import services
from ramparts.incidents.models import EntryKind, Incident, Phase, Priority


def test_declare_numbers_per_year_and_applies_the_playbook(declare, analyst):
    first = declare()
    second = declare(title="Phishing wave", incident_type="phishing")
    year = timezone.now().year
    assert (first.ref, second.ref) == (f"INC-{year}-001", f"INC-{year}-002")
    assert first.phase == Phase.DECLARED and first.priority == Priority.P2
    assert first.tasks.count() == 5 and first.tasks.first().checklist.count() == 3
    assert first.tasks.get(number=1).owner == analyst  # playbook owner 'commander' is the declarer
    assert first.roles.get().role == "commander"
    kinds = set(first.timeline.values_list("kind", flat=True))
    assert {EntryKind.DECLARED, EntryKind.ROLE, EntryKind.NOTIFICATION} <= kinds
    assert first.transitions.get().to_phase == Phase.DECLARED
    assert AuditEntry.objects.filter(object_type="incidents.incident", object_ref=first.ref).exists()


def test_declare_counts_from_the_declaration_year(declare):
    incident = declare(declared_at=datetime(2025, 12, 31, 23, 0, tzinfo=UTC))
    assert incident.ref == "INC-2025-001"


def test_personal_data_behind_an_affected_system_flags_privacy(declare, crm):
    incident = declare(systems=[crm.ref])
    assert incident.personal_data and incident.conditions["personal_data"] is True
    assert declare(title="x").personal_data is False


def test_declare_names_every_bad_field(declare):
    future = timezone.now() + timedelta(days=1)
    with pytest.raises(ValidationFailed) as err:
        declare(title=" ", incident_type="volcano", severity="extreme", detected_at=future, systems=["SYS-99", "X"])
    columns = {p.column for p in err.value.problems}
    assert columns == {"title", "type", "severity", "detected_at", "systems"}
    assert Incident.objects.count() == 0


def test_naive_times_are_refused(declare):
    with pytest.raises(ValidationFailed) as err:
        declare(occurred_at=datetime(2026, 1, 1, 10, 0))
    assert err.value.problems[0].column == "occurred_at"


def test_roles_and_units_are_enforced(declare, make_user, unit_b):
    with pytest.raises(PermissionDenied):
        declare(actor=make_user(Role.AUDITOR))
    with pytest.raises(NotFound):
        declare(business_unit=unit_b)


def test_hostile_strings_are_stored_as_is(declare):
    title = '<script>alert(1)</script>=HYPERLINK("http://x")'
    assert declare(title=title).title == title


def test_occurred_after_detected_is_refused(declare):
    now = timezone.now()
    with pytest.raises(ValidationFailed):
        declare(occurred_at=now, detected_at=now - timedelta(hours=1))


def test_attach_alert_goes_on_the_timeline(declare, analyst):
    incident = declare()
    services.incident_attach_alert(actor=analyst, incident=incident, summary="Wazuh rule 100200 on crm01")
    assert incident.timeline.filter(kind=EntryKind.ALERT).count() == 1
