"""Inventory at scale: 10,000 systems, 20,000 people, 2,000 data assets, 500 services.

    .venv/bin/python bench/bench_inventory.py                 # SQLite in a temporary directory
    .venv/bin/python bench/bench_inventory.py --postgres postgres://postgres@127.0.0.1:5432/ramparts_bench

Measures the list pages and list endpoints (median server time in-process, query counts), CSV
import of 10,000 systems (fresh and re-import) and criticality propagation over the whole graph.
Each figure is printed with a baseline measured in the same run and the issue's target.
Exit status 1 when a target is missed. See bench/README.md.
"""

import argparse
import os
import random
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import measure  # noqa: E402
import synth  # noqa: E402
from measure import Report  # noqa: E402


def configure(args: argparse.Namespace, data_dir: str) -> None:
    os.environ["RAMPARTS_DATA_DIR"] = data_dir
    os.environ["RAMPARTS_SECRET_KEY"] = "bench-only-" + "x" * 40
    os.environ["RAMPARTS_ALLOWED_HOSTS"] = "testserver,localhost"
    os.environ["RAMPARTS_REQUIRE_MFA"] = "0"
    os.environ["RAMPARTS_LOG_LEVEL"] = "WARNING"
    os.environ["DJANGO_SETTINGS_MODULE"] = "ramparts.settings"
    if args.postgres:
        recreate_postgres(args.postgres, args.force)
        os.environ["DATABASE_URL"] = args.postgres
    else:
        os.environ.pop("DATABASE_URL", None)


def recreate_postgres(url: str, force: bool) -> None:
    """Drop and create the benchmark database (its name must say 'bench', unless --force)."""
    import psycopg

    name = urlparse(url).path.lstrip("/")
    if "bench" not in name and not force:
        sys.exit(f"Refusing to drop database {name!r}: its name does not contain 'bench' (use --force).")
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_postgres(url: str) -> None:
    import psycopg

    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{urlparse(url).path.lstrip("/")}"')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", metavar="URL", help="run on this PostgreSQL database (dropped and re-created)")
    parser.add_argument("--force", action="store_true", help="allow --postgres on a database not named *bench*")
    parser.add_argument("--requests", type=int, default=25, help="requests per list variant (default 25)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the imports and propagation")
    parser.add_argument("--small", action="store_true", help="a tenth of the data (a quick smoke run)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ramparts-bench-") as data_dir:
        configure(args, data_dir)
        import django

        django.setup()
        import scenarios  # needs Django set up

        scale = synth.Scale()
        if args.small:
            scale = synth.Scale(people=2_000, systems=1_000, data_assets=200, services=50)
        measure.PROFILE = args.profile
        report = Report()
        env = scenarios.prepare(scale, random.Random(args.seed))
        print(Report.header())
        scenarios.bench_import(env, report)
        scenarios.load_rest(env)
        scenarios.bench_propagation(env, report)
        scenarios.bench_lists(env, report, args.requests)
        print()
        load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
        print(f"database: {env.vendor}; data: {scale}; requests per variant: {args.requests}")
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
