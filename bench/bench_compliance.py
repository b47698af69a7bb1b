"""Compliance pages at scale: 5 frameworks, 1,500 requirements, 400 controls, 3 assessments.

    .venv/bin/python bench/bench_compliance.py                 # SQLite in a temporary directory
    .venv/bin/python bench/bench_compliance.py --postgres postgres://postgres@127.0.0.1:5432/ramparts_bench

Issue 5, "Performance": with 5 frameworks, 1,500 requirements, 400 controls and 3 assessments
loaded, the compliance overview and an assessment page answer in ≤ 150 ms on SQLite, with a
constant number of queries.

What it loads (in a fresh database): 5 frameworks of 300 assessable requirements each (in 10
groups of 30, so 1,550 requirement rows), a crosswalk of 600 OLIR relations between them (equal,
subset_of, superset_of, intersects_with), 400 controls in 4 business units with 2–5 requirement
mappings each, owners and security technologies on most, 3 assessments (2 of framework 1, one
scoped to a unit, 1 of framework 2) with overrides and evidence.

What it measures, each the median of --requests requests through Django's test client
(in-process: the server's time, no network):
- baseline: a trivial login-protected view in the same run (session and user lookups);
- the compliance overview (coverage of all 5 frameworks, derived through the crosswalk);
- an assessment page (300 requirements derived, coverage per group, two charts, the first 100
  rows), its htmx-free filtered variant (?status=gap) and its API twin;
- the control list page and the overview API.
The query count of each page is taken once with a small data set of the same shape (2 frameworks, 20 relations, 10
controls, 1 assessment) and
once with the full one; "constant" means equal. Exit status 1 when a target is missed.

Recorded run (2026-11-27, SQLite, 2 CPUs shared with other jobs, --requests 10):
    trivial view 1.19 ms (baseline); compliance overview 34.6 ms (x29, 13 queries, constant: PASS);
    assessment page 78.7 ms (x66, 15 queries, constant: PASS); ?status=gap 91.0 ms; assessment API
    91.7 ms (14 queries); control list 51.2 ms (6 queries); overview API 37.9 ms (7 queries).
"""

import argparse
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from bench_inventory import configure, drop_postgres  # noqa: E402
from measure import Report, Row, median_ms  # noqa: E402

TARGET_MS = 150.0
FRAMEWORKS, GROUPS, PER_GROUP = 5, 10, 30
CONTROLS, UNITS = 400, 4
RELATIONS = ("equal", "subset_of", "superset_of", "intersects_with")


def make_frameworks(count: int, rng: random.Random, start: int = 0) -> list:
    from django.utils import timezone

    from ramparts.frameworks.models import Framework, Requirement

    frameworks = []
    for f in range(start, start + count):
        fw = Framework.objects.create(
            slug=f"bench-fw-{f}", name=f"Bench framework {f}", version="1", source="yaml", imported_at=timezone.now(),
            requirement_count=GROUPS * PER_GROUP,
        )  # fmt: skip
        groups = Requirement.objects.bulk_create(
            [
                Requirement(framework=fw, identifier=f"G{g}", key=f"g{g}", title=f"Group {g}", kind="group",
                            assessable=False, order=g * (PER_GROUP + 1), depth=0)
                for g in range(GROUPS)
            ]
        )  # fmt: skip
        Requirement.objects.bulk_create(
            [
                Requirement(framework=fw, parent=group, identifier=f"G{g}.R{r}", key=f"g{g}.r{r}",
                            title=f"Requirement {r} of group {g}: a sentence of realistic length about what to do",
                            kind="requirement", order=g * (PER_GROUP + 1) + r + 1, depth=1)
                for g, group in enumerate(groups)
                for r in range(PER_GROUP)
            ]
        )  # fmt: skip
        frameworks.append(fw)
    return frameworks


def make_crosswalk(frameworks: list, count: int, rng: random.Random) -> None:
    from ramparts.frameworks.models import Requirement, RequirementRelation

    ids = {
        fw.pk: list(Requirement.objects.filter(framework=fw, assessable=True).values_list("id", flat=True))
        for fw in frameworks
    }
    pairs = set()
    while len(pairs) < count:
        a, b = rng.sample(frameworks, 2)
        pairs.add((rng.choice(ids[a.pk]), rng.choice(ids[b.pk])))
    RequirementRelation.objects.bulk_create(
        [RequirementRelation(source_id=s, target_id=t, relationship=rng.choice(RELATIONS)) for s, t in pairs]
    )


def make_controls(count: int, frameworks: list, units: list, rng: random.Random, start: int = 1) -> None:
    """Controls straight through the ORM: the set-up is not what is measured (the services are tested)."""
    from ramparts.compliance.models import Control, ControlRequirement
    from ramparts.frameworks.models import Requirement
    from ramparts.inventory.models import Person, System

    requirement_ids = list(
        Requirement.objects.filter(framework__in=frameworks, assessable=True).values_list("id", flat=True)
    )
    tools = list(System.objects.all())
    people = list(Person.objects.all())
    statuses = [s for s, _ in Control.Status.choices]
    controls = Control.objects.bulk_create(
        [
            Control(number=start + i, business_unit=units[i % len(units)], name=f"Control {start + i}",
                    status=rng.choice(statuses), effectiveness=rng.randint(0, 4),
                    owner=rng.choice(people) if people and rng.random() < 0.8 else None)
            for i in range(count)
        ]
    )  # fmt: skip
    mappings = set()
    for control in controls:
        for rid in rng.sample(requirement_ids, rng.randint(2, 5)):
            mappings.add((control.pk, rid))
    ControlRequirement.objects.bulk_create([ControlRequirement(control_id=c, requirement_id=r) for c, r in mappings])
    through = Control.technologies.through
    through.objects.bulk_create(
        [through(control_id=c.pk, system_id=rng.choice(tools).pk) for c in controls if tools and rng.random() < 0.7]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", metavar="URL", help="run on this PostgreSQL database (dropped and re-created)")
    parser.add_argument("--force", action="store_true", help="allow --postgres on a database not named *bench*")
    parser.add_argument("--requests", type=int, default=25, help="requests per page (default 25)")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ramparts-bench-") as data_dir:
        configure(args, data_dir)
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from ramparts.compliance import services
        from ramparts.core.models import BusinessUnit, User
        from ramparts.inventory import services as inventory
        from scenarios import _install_trivial_view

        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)  # as `ramparts serve` does
        rng = random.Random(args.seed)
        admin = User.objects.create_user(username="admin", password="x", role="admin")
        units = [BusinessUnit.objects.create(code=f"unit-{u}", name=f"Unit {u}") for u in range(UNITS)]
        for i in range(12):
            inventory.system_create(actor=admin, business_unit=units[i % UNITS], name=f"tool-{i}", kind="security_tool")
            inventory.person_create(
                actor=admin, business_unit=units[i % UNITS], employee_id=f"E{i}", full_name=f"Owner {i}"
            )
        _install_trivial_view()
        client = Client()
        client.force_login(admin)

        def queries(url: str) -> int:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code, response.content[:300])
            with CaptureQueriesContext(connection) as ctx:
                client.get(url)
            return len(ctx.captured_queries)

        # Small data set: the query counts every page must keep.
        # Same shape as the full set (crosswalk, overrides, evidence), a fraction of its size.
        small = make_frameworks(2, rng)
        make_crosswalk(small, 20, rng)
        make_controls(10, small, units, rng)
        first = services.assessment_create(actor=admin, business_unit=units[0], name="Small", framework=small[0].slug)
        services.assessment_result_set(actor=admin, ref=first.ref, requirement="G9.R29", status="partial", reason="x")
        services.evidence_add(
            actor=admin, title="E", url="https://e.example", assessment=first.ref, requirement="G9.R29"
        )
        pages = {
            "compliance overview": "/compliance/",
            "assessment page": f"/compliance/assessments/{first.ref}/",
            "assessment page ?status=gap": f"/compliance/assessments/{first.ref}/?status=gap&page=2",
            "assessment API": f"/api/v1/compliance/assessments/{first.ref}",
            "control list page": "/compliance/controls/",
            "overview API": "/api/v1/compliance/overview",
        }
        small_queries = {label: queries(url) for label, url in pages.items()}

        # Full data set: 5 frameworks (the small one included), 1,500 requirements, 400 controls, 3 assessments.
        frameworks = small + make_frameworks(FRAMEWORKS - 2, rng, start=2)
        make_crosswalk(frameworks, 580, rng)
        make_controls(CONTROLS - 10, frameworks, units, rng, start=11)
        second = services.assessment_create(
            actor=admin,
            business_unit=units[1],
            name="Unit 1",
            framework=frameworks[0].slug,
            scope_units=[units[1].code],
        )
        services.assessment_create(actor=admin, business_unit=units[2], name="FW 2", framework=frameworks[1].slug)
        for n in range(20):
            identifier = f"G{n % GROUPS}.R{n}"
            services.assessment_result_set(
                actor=admin, ref=first.ref, requirement=identifier, status="partial", reason="sampled"
            )
            services.evidence_add(
                actor=admin, title=f"E{n}", url="https://e.example", assessment=first.ref, requirement=identifier
            )
        from ramparts.compliance.models import Control, ControlRequirement
        from ramparts.frameworks.models import Requirement, RequirementRelation

        counts = (len(frameworks), Requirement.objects.filter(assessable=True).count(), Control.objects.count(),
                  ControlRequirement.objects.count(), RequirementRelation.objects.count())  # fmt: skip
        print(f"loaded: {counts[0]} frameworks, {counts[1]} requirements, {counts[2]} controls, {counts[3]} mappings, "
              f"{counts[4]} crosswalk relations, 3 assessments ({second.ref} scoped to one unit)")  # fmt: skip
        report = Report()
        print(Report.header())
        trivial_ms = median_ms(lambda: client.get("/__bench__/trivial/"), args.requests)
        constant = True
        for label, url in pages.items():
            count = queries(url)
            ms = median_ms(lambda u=url: client.get(u), args.requests)
            target = TARGET_MS if label in ("compliance overview", "assessment page") else None
            same = count == small_queries[label]
            constant &= same
            note = f"{small_queries[label]} queries with 10 controls: {'constant' if same else 'NOT CONSTANT'}"
            report.add(Row(label, ms, "trivial view", trivial_ms, target, count, note=note))
        print()
        failed = report.failed
        print(f"{len(report.rows) - len(failed)} passed, {len(failed)} failed of {len(report.rows)} measures; "
              f"query counts {'constant' if constant else 'NOT constant'}")  # fmt: skip
        for row in failed:
            print(f"FAIL: {row.name}: {row.ms:.1f} ms (target < {row.target_ms:g} ms)")
        if args.postgres:
            from django.db import connections

            connections.close_all()
            drop_postgres(args.postgres)
        return 1 if failed or not constant else 0


if __name__ == "__main__":
    sys.exit(main())
