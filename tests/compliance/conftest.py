"""Fixtures of the compliance tests: two small frameworks with a crosswalk, built on the frameworks
app's models directly (its import services are tested there)."""

from dataclasses import dataclass

import pytest
from django.utils import timezone

from ramparts.core.roles import Role
from ramparts.frameworks.models import Framework, Requirement, RequirementRelation


def make_framework(slug: str, name: str, version: str, tree: dict[str, list[tuple[str, str]]]) -> Framework:
    """tree: {group identifier: [(identifier, title), ...]}: groups are headings, the rest assessable."""
    framework = Framework.objects.create(
        slug=slug, name=name, version=version, source="yaml", imported_at=timezone.now()
    )
    order = 0
    count = 0
    for group_id, children in tree.items():
        group = Requirement.objects.create(
            framework=framework,
            identifier=group_id,
            key=group_id.lower(),
            title=f"Group {group_id}",
            kind="group",
            assessable=False,
            order=order,
            depth=0,
        )
        order += 1
        for identifier, title in children:
            Requirement.objects.create(
                framework=framework,
                parent=group,
                identifier=identifier,
                key=identifier.lower(),
                title=title,
                kind="requirement",
                order=order,
                depth=1,
            )
            order += 1
            count += 1
    framework.requirement_count = count
    framework.save()
    return framework


def req(framework: Framework, identifier: str) -> Requirement:
    return Requirement.objects.get(framework=framework, identifier=identifier)


@dataclass
class Catalogs:
    csf: Framework
    iso: Framework


@pytest.fixture
def catalogs(db) -> Catalogs:
    csf = make_framework(
        "csf-mini",
        "CSF mini",
        "2.0",
        {"GV": [("GV.OC-01", "Mission"), ("GV.RM-01", "Risk objectives")], "PR": [("PR.AA-01", "Identities")]},
    )
    iso = make_framework("iso-mini", "ISO mini", "2022", {"A.5": [("A.5.1", "Policies"), ("A.5.15", "Access control")]})
    # A.5.15 equal PR.AA-01; A.5.1 subset_of GV.OC-01
    RequirementRelation.objects.create(source=req(iso, "A.5.15"), target=req(csf, "PR.AA-01"), relationship="equal")
    RequirementRelation.objects.create(source=req(iso, "A.5.1"), target=req(csf, "GV.OC-01"), relationship="subset_of")
    return Catalogs(csf, iso)


@pytest.fixture
def manager(make_user, unit_a):
    return make_user(Role.SECURITY_MANAGER, units=[unit_a])
