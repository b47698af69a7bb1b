"""The compliance demo on a small Northwind Mutual: controls on CSF 2.0, an assessment with
evidence, profiles; a second run changes nothing."""

from ramparts.compliance import demo
from ramparts.compliance.derivation import assessment_view
from ramparts.compliance.models import Assessment, Control, CsfProfile, Evidence
from ramparts.core.models import BusinessUnit, User
from ramparts.core.roles import Role
from ramparts.frameworks import demo as frameworks_demo
from ramparts.inventory import services as inventory


def test_demo_loads_twice(db):
    group = BusinessUnit.objects.create(code="group", name="Group")
    User.objects.create_user(username="secmgr", password="x", role=Role.SECURITY_MANAGER.value, all_units=True)
    admin = User.objects.create_user(username="admin", password="x", role=Role.ADMIN.value)
    for name in ("lon-mfa01", "CrowdStrike Falcon", "lon-bkp01"):
        inventory.system_create(actor=admin, business_unit=group, name=name, kind="security_tool")
    inventory.person_create(
        actor=admin, business_unit=group, employee_id="S1", full_name="Sam Sec", department="Information Security"
    )
    frameworks_demo.load(seed=7)
    lines = demo.load(seed=7)
    assert len(lines) == 3, lines
    counts = (Control.objects.count(), Evidence.objects.count(), Assessment.objects.count(), CsfProfile.objects.count())
    assert counts == (len(demo.CONTROLS), len(demo.EVIDENCE), 1, 2)
    assert demo.load(seed=7) == []
    assert (
        Control.objects.count(),
        Evidence.objects.count(),
        Assessment.objects.count(),
        CsfProfile.objects.count(),
    ) == counts
    view = assessment_view(Assessment.objects.get())
    rows = {r.identifier: r for r in view.rows}
    assert rows["PR.AA-03"].effective == "implemented"
    assert rows["GV.OC-04"].effective == "not_applicable"
    assert rows["PR.DS-11"].amber  # the restore test evidence expired
    assert 0 < view.coverage.overall.percent < 100
    assert Control.objects.get(name__startswith="Endpoint detection").technologies.count() == 1
