"""The demo organisation as data: deterministic, big enough, valid, and consistent."""

from collections import Counter

import pytest

from ramparts.demo.generate import DEFAULT_SEED, generate
from ramparts.inventory.engine import cpe
from ramparts.inventory.engine.cycles import find_cycle


@pytest.fixture(scope="module")
def org():
    return generate(DEFAULT_SEED)


def test_same_seed_same_organisation_other_seed_other_one(org):
    assert generate(DEFAULT_SEED) == org
    other = generate(DEFAULT_SEED + 1)
    assert [p.full_name for p in other.people] != [p.full_name for p in org.people]


def test_sizes_meet_the_minimums(org):
    assert 5 <= len(org.units) <= 7
    assert len(org.people) >= 400
    assert len(org.systems) >= 150
    assert len(org.data_assets) >= 40
    assert len(org.services) >= 20
    kinds = Counter(s.kind for s in org.systems)
    for kind in ("server", "workstation", "network_device", "application", "saas", "cloud_account",
                 "container_image", "code_repository", "database", "ot_device", "security_tool"):  # fmt: skip
        assert kinds[kind] >= 5, kind
    assert {p.kind for p in org.people} == {"employee", "contractor"}
    leavers = [p for p in org.people if p.status == "leaver"]
    assert len(leavers) >= 10 and all(p.end_date and p.start_date < p.end_date for p in leavers)
    assert sum(p.privileged for p in org.people) >= 10
    assert sorted(u.role for u in org.users) == sorted(
        ["admin", "security_manager", "analyst", "auditor", "executive", "employee"]
    )


def test_every_cpe_is_a_valid_cpe_23_name(org):
    with_cpe = [s for s in org.systems if s.cpe]
    assert len(with_cpe) >= 150
    assert [(s.name, cpe.problems(s.cpe)) for s in with_cpe if not cpe.is_valid(s.cpe)] == []
    # Products that the KEV catalogue names, so that threat matching has something to find.
    vendors_products = {tuple(cpe.parse(s.cpe).values())[1:3] for s in with_cpe}
    for known in [("apache", "http_server"), ("microsoft", "exchange_server"), ("fortinet", "fortios"),
                  ("citrix", "netscaler_application_delivery_controller"), ("vmware", "esxi"),
                  ("atlassian", "confluence_data_center"), ("ivanti", "connect_secure"), ("f5", "nginx"),
                  ("postgresql", "postgresql")]:  # fmt: skip
        assert known in vendors_products, known


def test_names_are_unique_and_every_reference_resolves(org):
    systems = {s.name for s in org.systems}
    assert len(systems) == len(org.systems)
    data = {d.name for d in org.data_assets}
    services = {s.name for s in org.services}
    people = {p.employee_id: p for p in org.people}
    assert len(people) == len(org.people) and len({p.email for p in org.people}) == len(org.people)
    for d in org.data_assets:
        assert set(d.systems) <= systems and d.owner in people and d.regulations is not None
    for s in org.services:
        assert set(s.systems) <= systems and set(s.data_assets) <= data and set(s.services) <= services
        assert 1 <= s.criticality <= 4 and s.rto_hours >= s.rpo_hours
    for s in org.systems:
        assert not s.owner or s.owner in people
    regulations = {r for d in org.data_assets for r in d.regulations}
    assert {"GDPR", "PCI DSS", "HIPAA", "SOX", "NIS2", "DORA"} <= regulations


def test_the_service_graph_has_no_cycle(org):
    edges = [(s.name, up) for s in org.services for up in s.services]
    assert len(edges) >= 20
    assert find_cycle(edges) is None


def test_managers_form_one_tree(org):
    people = {p.employee_id: p for p in org.people}
    roots = [p for p in org.people if not p.manager]
    assert len(roots) == 1 and roots[0].job_title == "Chief Executive Officer"
    for person in org.people:
        seen, current = set(), person
        while current.manager:
            assert current.employee_id not in seen
            seen.add(current.employee_id)
            current = people[current.manager]
        assert current is roots[0]
    managers = {p.manager for p in org.people}
    assert all(people[m].status == "active" for m in managers if m)
