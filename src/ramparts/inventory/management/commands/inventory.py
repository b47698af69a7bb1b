"""`ramparts inventory import <entity> FILE` and `ramparts inventory export <entity>`."""

import json
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ramparts.core.errors import DomainError
from ramparts.core.models import User
from ramparts.core.roles import Role
from ramparts.inventory import services
from ramparts.inventory.importexport.columns import ENTITIES
from ramparts.inventory.importexport.export import inventory_export
from ramparts.inventory.importexport.files import FORMATS, check_size


def resolve_actor(username: str | None) -> User:
    """The named active user, or else the first active administrator."""
    if username:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {username!r}.")
        return user
    admin = User.objects.filter(role=Role.ADMIN.value, is_active=True).order_by("id").first()
    if admin is None:
        raise CommandError(
            "No active administrator exists to act as. Create one with `ramparts createadmin`, "
            "or name a user with --actor USERNAME."
        )
    return admin


class Command(BaseCommand):
    help = (
        "Inventory import and export. Entities: " + ", ".join(ENTITIES) + ". "
        "Columns and accepted values: docs/inventory-import.md."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import a CSV (UTF-8) or XLSX file; nothing is stored if a row is bad")
        imp.add_argument("entity", choices=list(ENTITIES))
        imp.add_argument("file", help="the CSV or XLSX file ('-' reads CSV from standard input)")
        imp.add_argument("--dry-run", action="store_true", help="check every row and report, store nothing")
        imp.add_argument("--json", action="store_true", help="print {created, updated, unchanged, errors} as JSON")
        imp.add_argument("--actor", help="username to act as (default: the first active administrator)")
        exp = sub.add_parser("export", help="export an entity as CSV, XLSX or JSON")
        exp.add_argument("entity", choices=list(ENTITIES))
        exp.add_argument("--format", choices=FORMATS, default="csv")
        exp.add_argument("--output", "-o", help="file to write (default: standard output)")
        exp.add_argument("--actor", help="username to act as (default: the first active administrator)")
        sub.add_parser("propagate", help="recompute every system's effective criticality and CIA needs now")

    def handle(self, *args, action, **options):
        if action == "propagate":
            return self._propagate()
        actor = resolve_actor(options.pop("actor", None))
        try:
            if action == "import":
                return self._import(actor, **options)
            return self._export(actor, **options)
        except DomainError as exc:
            raise CommandError(str(exc)) from None

    def _import(self, actor, *, entity, file, dry_run, json: bool, **_):
        data = self._read(file)
        report = services.inventory_import_file(
            actor=actor, entity=entity, data=data, filename=Path(file).name, dry_run=dry_run
        )
        if json:
            out = report.as_dict()
            self.stdout.write(_json_dumps({k: out[k] for k in ("created", "updated", "unchanged", "errors")}))
        else:
            self._summary(entity, file, report)
        if report.errors:
            sys.exit(1)

    def _read(self, file: str) -> bytes:
        if file == "-":
            return sys.stdin.buffer.read()
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file.")
        try:
            check_size(path.stat().st_size, path.name)
        except DomainError as exc:
            raise CommandError(str(exc)) from None
        return path.read_bytes()

    def _summary(self, entity, file, report) -> None:
        verb = "would be" if report.dry_run else "was"
        if report.errors:
            self.stderr.write(f"{file}: {len(report.errors)} problem(s); nothing {verb} imported.")
            for problem in report.errors:
                self.stderr.write(f"  {problem}")
            return
        self.stdout.write(
            f"{entity}: {report.created} created, {report.updated} updated, {report.unchanged} unchanged"
            + (" (dry run: nothing stored)" if report.dry_run else "")
        )

    def _propagate(self) -> None:
        start = time.perf_counter()
        result = services.propagate_criticality()
        elapsed = time.perf_counter() - start
        self.stdout.write(f"Propagated over {result.systems} systems in {elapsed:.2f} s; {result.changed} changed.")

    def _export(self, actor, *, entity, format, output, **_):
        data, _, _ = inventory_export(actor, entity_slug=entity, fmt=format)
        if output:
            Path(output).write_bytes(data)
            self.stderr.write(f"Wrote {output} ({len(data)} bytes).")
        elif format == "xlsx" and sys.stdout.isatty():
            raise CommandError("An XLSX workbook is binary: write it to a file with --output FILE.")
        else:
            self.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.flush()


def _json_dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)
