from ramparts.core.models import AuditEntry, BusinessUnit
from ramparts.core.roles import Role
from ramparts.incidents import demo
from ramparts.incidents.models import Incident, Notice, Phase


def test_demo_loads_and_a_second_run_changes_nothing(make_user, unit_a, unit_b):
    for code in ("insurance", "techops"):
        BusinessUnit.objects.create(code=code, name=code.title())
    make_user(Role.SECURITY_MANAGER, username="secmgr", all_units=True)
    make_user(Role.ANALYST, username="analyst", all_units=True)
    lines = demo.load(seed=1)
    assert "5 demo incidents" in lines[0]
    assert Incident.objects.filter(phase=Phase.CLOSED).count() == 3
    assert Incident.objects.exclude(phase=Phase.CLOSED).count() == 2
    ransomware = Incident.objects.get(incident_type="ransomware")
    assert ransomware.review.root_cause and ransomware.costs.count() == 2 and ransomware.closed_at
    assert Notice.objects.filter(incident=ransomware).count() == 5
    audit, notices = AuditEntry.objects.count(), Notice.objects.count()
    assert demo.load(seed=1) == ["incidents: demo incidents already present"]
    assert (AuditEntry.objects.count(), Notice.objects.count(), Incident.objects.count()) == (audit, notices, 5)
