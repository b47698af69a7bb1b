"""When the inventory changes what a system is worth or how exposed it is, its open findings follow."""

import pytest

from ramparts.core.roles import Role
from ramparts.inventory import services
from ramparts.vulns.enrichment import enrich_findings
from ramparts.vulns.models import Finding
from tests.vulns._findings import V3_NETWORK_TOTAL, add_kev, make_finding

pytestmark = pytest.mark.django_db


def _kev_finding_on(system, unit) -> Finding:
    add_kev("CVE-2023-4966")
    finding = make_finding(unit, system=system, cve="CVE-2023-4966", cvss3_vector=V3_NETWORK_TOTAL)
    enrich_findings(Finding.objects.filter(pk=finding.pk))
    finding.refresh_from_db()
    return finding


def test_exposing_a_system_to_the_internet_rerates_its_findings(make_user, unit_a):
    manager = make_user(Role.SECURITY_MANAGER, units=[unit_a])
    system = services.system_create(
        actor=manager, business_unit=unit_a, name="web-1", kind="server", criticality="medium"
    )
    before = _kev_finding_on(system, unit_a)

    services.system_update(actor=manager, ref=system.ref, internet_facing="yes")

    after = Finding.objects.get(pk=before.pk)
    assert (before.mission_wellbeing, after.mission_wellbeing) == ("low", "medium")


def test_a_critical_service_dependency_rerates_the_findings_of_its_systems(make_user, unit_a):
    manager = make_user(Role.SECURITY_MANAGER, units=[unit_a])
    system = services.system_create(
        actor=manager, business_unit=unit_a, name="db-1", kind="server", internet_facing="yes"
    )
    before = _kev_finding_on(system, unit_a)
    service = services.service_create(actor=manager, business_unit=unit_a, name="Payments", criticality="critical")

    services.dependency_add(actor=manager, service=service.ref, target=system.ref)

    after = Finding.objects.get(pk=before.pk)
    assert (before.mission_wellbeing, after.mission_wellbeing) == ("low", "high")
    assert after.ssvc_decision == "act" != before.ssvc_decision
