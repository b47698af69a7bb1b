"""The incident page at scale: one incident with 5,000 timeline entries and 200 tasks.

    .venv/bin/python bench/bench_incidents.py                 # SQLite in a temporary directory
    .venv/bin/python bench/bench_incidents.py --postgres postgres://postgres@127.0.0.1:5432/ramparts_bench

Issue 6, "Performance": with 5,000 timeline entries and 200 tasks, the incident page renders in
≤ 200 ms.

What it loads (in a fresh database): one ransomware incident declared through the service (its
playbook, roles and notifications), then 5,000 timeline entries (every tenth pinned, at most 50 pinned
are shown), 200 tasks with 3 checklist items each (600 items), 40 IOCs, 10 ATT&CK techniques, 5
notices; and a small incident of the same shape (20 entries, 5 tasks) for the query count.

What the page shows, stated honestly: the header with the clocks, all 200 tasks with their checklists,
roles, assets, IOCs, the review and cost in full; the timeline's **100 most recent entries** plus the
pinned ones (up to 50), with a link to the full, paginated timeline (100 per page) and the CSV export
of all entries. The full timeline page (first page) and the timeline CSV of all 5,000 entries are
measured too.

What it measures, each the median of --requests requests through Django's test client (in-process:
the server's time, no network): the baseline is a trivial login-protected view in the same run. The
query count of the incident page is taken with the small incident and with the big one; "constant"
means equal. Exit status 1 when a target is missed or the query count grows.

Recorded run (2026-11-27, SQLite, 2 CPUs shared with other jobs at load average ~11, --requests 15):
    trivial view 0.73 ms (baseline); incident page 150.5 ms (x206, 25 queries, constant: PASS);
    full timeline page 38.0 ms (5 queries); incident API 89.5 ms (24 queries); timeline CSV of all
    5,059 entries 281.5 ms (3 queries). Earlier runs on the same busy machine ranged 150-215 ms for the
    incident page: the margin under 200 ms is thin when the machine is saturated.
"""

import argparse
import random
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from bench_inventory import configure, drop_postgres  # noqa: E402
from measure import Report, Row, median_ms  # noqa: E402

TARGET_MS = 200.0
ENTRIES, TASKS, CHECKLIST = 5_000, 200, 3


def fill(incident, *, entries: int, tasks: int, actor, rng: random.Random) -> None:
    from django.utils import timezone

    from ramparts.incidents import services
    from ramparts.incidents.models import ChecklistItem, IncidentTask, TimelineEntry

    now = timezone.now()
    TimelineEntry.objects.bulk_create(
        TimelineEntry(
            incident=incident,
            kind=rng.choice(["note", "note", "note", "task", "phase", "notification"]),
            occurred_at=now - timedelta(minutes=entries - n),
            written_at=now,
            author=actor,
            text=f"Entry {n}: host lon-app-{n % 40:02d} isolated, evidence collected and hashes recorded in the case",
            pinned=n % 10 == 0,
        )
        for n in range(entries)
    )
    start = incident.tasks.count() + 1
    IncidentTask.objects.bulk_create(
        IncidentTask(
            incident=incident,
            number=start + n,
            title=f"Task {n}: check backups of system {n}",
            owner=actor,
            due_at=now + timedelta(hours=n),
            status=rng.choice(["open", "in_progress", "done"]),
        )
        for n in range(tasks)
    )
    created = list(incident.tasks.filter(number__gte=start))
    ChecklistItem.objects.bulk_create(
        ChecklistItem(task=t, position=i, text=f"Step {i} of {t.title}", done=bool(i % 2))
        for t in created
        for i in range(CHECKLIST)
    )
    for n in range(min(40, entries)):
        services.observable_add(actor=actor, incident=incident, kind="ip", value=f"198.51.100.{n + 1}", tlp="amber")
    for n in range(min(10, entries)):
        services.technique_add(actor=actor, incident=incident, technique_id=f"T10{n:02d}")
    rules = ("gdpr.authority", "nis2.early_warning", "nis2.notification", "dora.initial", "dora.intermediate")
    for rule in rules:
        services.notice_record(
            actor=actor, incident=incident, rule_id=rule, sent_at=now, recipient="CSIRT", content="x"
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

        from ramparts.core.models import BusinessUnit, User
        from ramparts.incidents import services
        from scenarios import _install_trivial_view

        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)  # as `ramparts serve` does
        rng = random.Random(args.seed)
        admin = User.objects.create_user(username="admin", password="x", role="admin", time_zone="Europe/Brussels")
        unit = BusinessUnit.objects.create(code="bench", name="Bench unit")
        _install_trivial_view()
        client = Client()
        client.force_login(admin)

        def declare(title: str):
            return services.incident_declare(
                actor=admin, title=title, incident_type="ransomware", severity="critical", business_unit=unit
            )

        def queries(url: str) -> int:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code, response.content[:300])
            with CaptureQueriesContext(connection) as ctx:
                client.get(url)
            return len(ctx.captured_queries)

        small = declare("Small incident")
        fill(small, entries=20, tasks=5, actor=admin, rng=rng)
        small_queries = queries(f"/incidents/{small.ref}/")
        big = declare("Big incident")
        fill(big, entries=ENTRIES, tasks=TASKS, actor=admin, rng=rng)
        print(
            f"loaded: {big.ref} with {big.timeline.count()} timeline entries, {big.tasks.count()} tasks, "
            f"{sum(t.checklist.count() for t in big.tasks.all())} checklist items, {big.observables.count()} IOCs"
        )
        pages = {
            "incident page (5,000 entries, 200 tasks)": f"/incidents/{big.ref}/",
            "full timeline, first page of 100": f"/incidents/{big.ref}/timeline/",
            "incident API": f"/api/v1/incidents/incidents/{big.ref}",
            "timeline CSV (all 5,000 entries)": f"/incidents/{big.ref}/export/csv/",
        }
        report = Report()
        print(Report.header())
        trivial_ms = median_ms(lambda: client.get("/__bench__/trivial/"), args.requests)
        constant = True
        for label, url in pages.items():
            count = queries(url)
            if url.endswith("/export/csv/"):
                ms = median_ms(lambda u=url: b"".join(client.get(u).streaming_content), max(3, args.requests // 5))
            else:
                ms = median_ms(lambda u=url: client.get(u), args.requests)
            note = ""
            if label.startswith("incident page"):
                same = count == small_queries
                constant &= same
                note = f"{small_queries} queries with 20 entries/5 tasks: {'constant' if same else 'NOT CONSTANT'}"
            target = TARGET_MS if label.startswith("incident page") else None
            report.add(Row(label, ms, "trivial view", trivial_ms, target, count, note=note))
        print()
        failed = report.failed
        print(
            f"{len(report.rows) - len(failed)} passed, {len(failed)} failed of {len(report.rows)} measures; "
            f"incident page queries {'constant' if constant else 'NOT constant'}"
        )
        for row in failed:
            print(f"FAIL: {row.name}: {row.ms:.1f} ms (target < {row.target_ms:g} ms)")
        if args.postgres:
            from django.db import connections

            connections.close_all()
            drop_postgres(args.postgres)
        return 1 if failed or not constant else 0


if __name__ == "__main__":
    sys.exit(main())
