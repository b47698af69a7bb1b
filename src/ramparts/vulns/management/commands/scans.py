"""`ramparts scans import FILE [--system NAME] [--create-system] [--business-unit CODE] [--format auto] [--json]`."""

import json
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ramparts.core.errors import DomainError
from ramparts.inventory.management.commands.inventory import resolve_actor
from ramparts.vulns import services


class Command(BaseCommand):
    help = "Import scanner output (format detected from the content). Rules: docs/vulns.md."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import one scan file; nothing is stored if the file is bad")
        imp.add_argument("file")
        imp.add_argument("--system", help="assign every finding to this system")
        imp.add_argument("--create-system", action="store_true", help="create the --system if it does not exist")
        imp.add_argument("--business-unit", help="business unit code (default: the actor's first unit)")
        imp.add_argument("--format", default="auto", help="auto (default) or a format name")
        imp.add_argument(
            "--json", action="store_true", help="print {format, findings, new, unchanged, reopened, closed}"
        )
        imp.add_argument("--actor", help="username to act as (default: the first active administrator)")

    def handle(self, *args, action, **options):
        actor = resolve_actor(options["actor"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        tty = sys.stderr.isatty() and not options["json"]
        began = time.perf_counter()
        try:
            with path.open("rb") as fh:
                result = services.scan_import(
                    actor=actor,
                    stream=fh,
                    filename=str(path),
                    format=options["format"],
                    system=options["system"],
                    create_system=options["create_system"],
                    business_unit=options["business_unit"],
                    progress=_bar(path.stat().st_size) if tty else None,
                )
        except DomainError as exc:
            if tty:
                sys.stderr.write("\n")
            raise CommandError(str(exc)) from exc
        if tty:
            sys.stderr.write("\n")
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict()))
            return
        self.stdout.write(
            f"{result.scan_ref} {result.format}: {result.findings} findings — {result.new} new, "
            f"{result.unchanged} unchanged, {result.reopened} reopened, {result.closed} closed "
            f"({time.perf_counter() - began:.1f} s)"
        )


def _bar(size: int, width: int = 30):
    """A one-line progress bar on stderr: phase, share of the file read, MB."""

    def show(phase: str, done: int) -> None:
        share = min(1.0, done / size) if size else 1.0
        filled = int(width * share)
        sys.stderr.write(
            f"\r{phase:<10} [{'#' * filled}{'.' * (width - filled)}] {share:>4.0%} "
            f"{done / 1e6:,.1f}/{size / 1e6:,.1f} MB"
        )
        sys.stderr.flush()

    return show
