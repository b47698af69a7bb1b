"""Framework imports: NIST SP 800-53 rev5 MODERATE resolved catalog (3.9 MB OSCAL JSON, 287 controls
and enhancements, 305 requirement rows with the 18 families) into a fresh database.

    .venv/bin/python bench/bench_frameworks.py                 # SQLite in a temporary directory
    .venv/bin/python bench/bench_frameworks.py --postgres postgres://postgres@127.0.0.1:5432/ramparts_bench

Issue 5, "Performance": importing the 800-53 rev5 MODERATE resolved catalog takes ≤ 2 s.

What it measures, each the median of --repeat runs (the framework is deleted between imports):
- baselines, same file, same run: `json.load` (stdlib) and `orjson.loads` of the file;
- the parse alone (`ramparts.frameworks.engine.parse_framework`: validation, tree walk, parameter
  rendering, part flattening; no database);
- the full import through the service (`framework_import`: parse, store every requirement with its
  parent link, audit entry, one transaction) — the figure with the 2 s target;
- for scale, the complete rev4 catalog (2.7 MB, 922 items) and the CTID ATT&CK → 800-53 mapping
  file (4,929 rows) attached to the MODERATE catalog.

Each figure is printed with its ratio to the stdlib json.load baseline and the target with
PASS/FAIL; exit status 1 when a target is missed. Needs ../shared/data (RAMPARTS_SHARED_DATA).

Recorded run (2026-11-27, SQLite, 2 CPUs shared with other jobs, load average 9.5):
    orjson.loads MODERATE 87 ms, json.loads 112 ms (baseline); parse alone 206 ms (x1.8);
    import MODERATE 505 ms (x4.5, target < 2000 ms: PASS); rev4 full catalog 1,118 ms;
    CTID mappings 989 ms (4,535 requirement-technique rows attached).
Same day, PostgreSQL (--repeat 3, load average 13.9): orjson 15 ms, json.loads 37 ms; parse 106 ms;
    import MODERATE 740 ms (PASS); rev4 1,071 ms; CTID mappings 766 ms.
"""

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import measure  # noqa: E402
from bench_inventory import configure, drop_postgres  # noqa: E402
from measure import Report, Row  # noqa: E402

SHARED = Path(os.environ.get("RAMPARTS_SHARED_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data")
FRAMEWORKS = SHARED / "frameworks"
MODERATE = FRAMEWORKS / "nist-oscal/sp800-53-rev5/NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog.json"
REV4 = FRAMEWORKS / "nist-oscal/sp800-53-rev4/NIST_SP-800-53_rev4_catalog-min.json"
CTID = FRAMEWORKS / "mappings/ctid-attack-12-1-to-nist800-53-r5-mappings.tsv"
TARGET_MS = 2000.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", metavar="URL", help="run on this PostgreSQL database (dropped and re-created)")
    parser.add_argument("--force", action="store_true", help="allow --postgres on a database not named *bench*")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measure (default 5)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one MODERATE import")
    args = parser.parse_args()
    if not MODERATE.is_file():
        sys.exit(f"{MODERATE}: missing (set RAMPARTS_SHARED_DATA to the shared data folder)")
    with tempfile.TemporaryDirectory(prefix="ramparts-bench-") as data_dir:
        configure(args, data_dir)
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        import orjson

        from ramparts.core.models import User
        from ramparts.frameworks.engine import parse_framework
        from ramparts.frameworks.models import Framework
        from ramparts.frameworks.services import framework_import, mapping_import

        admin = User.objects.create_user(username="bench-admin", password="x" * 20, role="admin")
        data = MODERATE.read_bytes()
        rev4 = REV4.read_bytes()
        report = Report()
        print(Report.header())
        stdlib_ms = measure.median_ms(lambda: json.loads(data), args.repeat)
        orjson_ms = measure.median_ms(lambda: orjson.loads(data), args.repeat)
        report.add(Row("baseline: orjson.loads MODERATE (3.9 MB)", orjson_ms, "json.loads", stdlib_ms))
        parse_ms = measure.median_ms(lambda: parse_framework(MODERATE.name, data), args.repeat)
        report.add(Row("parse MODERATE (engine, no database)", parse_ms, "json.loads", stdlib_ms))

        def import_once(name: str, payload: bytes):
            Framework.objects.filter(built_in=False).delete()
            return framework_import(actor=admin, name=name, data=payload)

        if args.profile:
            measure.PROFILE = True
            measure.once_ms(lambda: import_once(MODERATE.name, data), "MODERATE import")
            measure.PROFILE = False
        import_ms = measure.median_ms(lambda: import_once(MODERATE.name, data), args.repeat, warmup=1)
        result = import_once(MODERATE.name, data)
        report.add(
            Row(
                "import MODERATE resolved catalog (service)",
                import_ms,
                "json.loads",
                stdlib_ms,
                target_ms=TARGET_MS,
                note=f"{result.requirements} requirements",
            )
        )
        rev4_ms = measure.median_ms(lambda: import_once(REV4.name, rev4), max(1, args.repeat // 2), warmup=0)
        report.add(Row("import rev4 full catalog (922 items)", rev4_ms, "json.loads", stdlib_ms))
        import_once(MODERATE.name, data)
        ctid = CTID.read_bytes()
        ctid_ms, mapped = measure.once_ms(lambda: mapping_import(actor=admin, name=CTID.name, data=ctid))
        report.add(Row("import CTID ATT&CK mappings (4,929 rows)", ctid_ms, "json.loads", stdlib_ms,
                       note=f"{mapped.created} attached"))  # fmt: skip
        print()
        load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
        from django.db import connection

        print(f"database: {connection.vendor}; repeat: {args.repeat}")
        print(f"machine: {os.cpu_count()} CPUs, load average {load} (ratios matter more than ms on a busy machine)")
        failed = report.failed
        print(f"{len(report.rows) - len(failed)} passed, {len(failed)} failed of {len(report.rows)} measures")
        for row in failed:
            print(f"FAIL: {row.name}: {row.ms:.1f} ms (target < {row.target_ms:g} ms)")
        if args.postgres:
            from django.db import connections

            connections.close_all()
            drop_postgres(args.postgres)
        return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
