"""Build the whole demo organisation from a seed. Pure Python: the same seed gives the same data."""

import random

from ramparts.demo.assets import generate_data_assets, generate_services
from ramparts.demo.estate import generate_systems
from ramparts.demo.people import generate_people, units
from ramparts.demo.records import DemoOrg, DemoUserRec, PersonRec

DEFAULT_SEED = 2026
# Documented in the README and printed by `ramparts demo`. Demo accounts only.
DEMO_PASSWORD = "Northwind-Demo-2026"  # noqa: S105

# username, role, units (empty with all_units), all_units, job title of the person it belongs to
DEMO_USERS = [
    ("admin", "admin", (), True, "Security Engineer"),
    ("secmgr", "security_manager", (), True, "Chief Information Security Officer"),
    ("analyst", "analyst", ("techops", "retail"), False, "Security Analyst"),
    ("auditor", "auditor", (), True, "IT Auditor"),
    ("executive", "executive", (), True, "Chief Executive Officer"),
    ("employee", "employee", ("retail",), False, "Customer Adviser"),
]


def generate(seed: int = DEFAULT_SEED) -> DemoOrg:
    rng = random.Random(seed)  # noqa: S311 -- reproducible demo data, not secrets
    people = generate_people(rng)
    systems = generate_systems(rng, people)
    return DemoOrg(
        seed=seed,
        units=units(),
        people=people,
        systems=systems,
        data_assets=generate_data_assets(people),
        services=generate_services(people),
        users=_users(people),
    )


def _users(people: list[PersonRec]) -> list[DemoUserRec]:
    users = []
    taken: set[str] = set()
    for username, role, unit_codes, all_units, title in DEMO_USERS:
        person = next(
            p
            for p in people
            if p.job_title == title and p.status == "active" and p.kind == "employee" and p.employee_id not in taken
        )
        taken.add(person.employee_id)
        first, _, last = person.full_name.partition(" ")
        users.append(
            DemoUserRec(
                username=username,
                role=role,
                email=person.email,
                first_name=first,
                last_name=last,
                units=unit_codes,
                all_units=all_units,
                person=person.employee_id,
            )
        )
    return users
