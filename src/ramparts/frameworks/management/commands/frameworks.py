"""`ramparts frameworks import FILE | list | diff OLD NEW | delete SLUG | mappings import FILE` (docs/frameworks.md)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ramparts.core.errors import DomainError, ValidationFailed
from ramparts.frameworks import services
from ramparts.frameworks.models import Framework
from ramparts.inventory.management.commands.inventory import resolve_actor


class Command(BaseCommand):
    help = "Frameworks: import OSCAL/YAML/CSV files, list them, compare versions, import mapping files."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import a framework file; nothing is stored if it is invalid")
        imp.add_argument("file")
        imp.add_argument("--json", action="store_true", help='print {"framework", "version", "requirements"}')
        imp.add_argument(
            "--allow-unresolved", action="store_true", help="store a profile even if some selected ids are missing"
        )
        imp.add_argument("--actor", help="username to act as (default: the first active administrator)")
        lst = sub.add_parser("list", help="every framework, built-in ones included")
        lst.add_argument("--json", action="store_true", help="one JSON object per line")
        diff = sub.add_parser("diff", help="requirements added, removed and changed between two frameworks")
        diff.add_argument("old", help="slug of the old version")
        diff.add_argument("new", help="slug of the new version")
        diff.add_argument("--json", action="store_true")
        delete = sub.add_parser("delete", help="remove an imported framework (refused while in use)")
        delete.add_argument("slug")
        delete.add_argument("--actor", help="username to act as (default: the first active administrator)")
        maps = sub.add_parser("mappings", help="`mappings import FILE`: ATT&CK mappings or a crosswalk CSV")
        maps.add_argument("mapping_action", choices=["import"])
        maps.add_argument("file")
        maps.add_argument("--framework", action="append", help="attach to this framework slug (repeatable)")
        maps.add_argument("--json", action="store_true")
        maps.add_argument("--actor", help="username to act as (default: the first active administrator)")

    def handle(self, *args, action, **options):
        services.builtin_install()
        getattr(self, f"do_{action}")(options)

    def _read(self, name: str) -> bytes:
        path = Path(name)
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        return path.read_bytes()

    def _fail(self, options, exc: DomainError):
        if options.get("json"):
            problems = [str(p) for p in exc.problems] if isinstance(exc, ValidationFailed) else []
            self.stdout.write(json.dumps({"error": getattr(exc, "message", str(exc)), "problems": problems}))
        raise CommandError(str(exc)) from exc

    def do_import(self, options):
        actor = resolve_actor(options["actor"])
        data = self._read(options["file"])
        try:
            result = services.framework_import(
                actor=actor, name=options["file"], data=data, allow_unresolved=options["allow_unresolved"]
            )
        except DomainError as exc:
            self._fail(options, exc)
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict()))
            return
        fw = result.framework
        extra = f", {len(result.unresolved)} unresolved" if result.unresolved else ""
        self.stdout.write(f"{fw.slug}: {fw.name} {fw.version} ({fw.kind}), {result.requirements} requirements{extra}")

    def do_list(self, options):
        for fw in Framework.objects.select_related("imported_from").order_by("-built_in", "name", "version"):
            row = {
                "framework": fw.name,
                "version": fw.version,
                "requirements": fw.requirement_count,
                "slug": fw.slug,
                "kind": fw.kind,
                "built_in": fw.built_in,
            }
            if fw.kind == Framework.Kind.PROFILE:
                row["unresolved"] = fw.unresolved
                row["imported_from"] = fw.imported_from.slug if fw.imported_from else None
            if options["json"]:
                self.stdout.write(json.dumps(row))
            else:
                flag = " [built-in]" if fw.built_in else ""
                self.stdout.write(f"{fw.slug:<60} {fw.kind:<8} {fw.requirement_count:>5}  {fw.name} {fw.version}{flag}")

    def do_diff(self, options):
        frameworks = {fw.slug: fw for fw in Framework.objects.filter(slug__in=[options["old"], options["new"]])}
        for slug in (options["old"], options["new"]):
            if slug not in frameworks:
                raise CommandError(f"No framework {slug!r} (see `ramparts frameworks list`).")
        result = services.framework_diff(old=frameworks[options["old"]], new=frameworks[options["new"]])
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict()))
            return
        for label, ids in (("added", result.added), ("removed", result.removed), ("changed", result.changed)):
            self.stdout.write(f"{label} ({len(ids)}): {', '.join(ids)}")
        self.stdout.write(f"unchanged: {len(result.unchanged)}")

    def do_delete(self, options):
        actor = resolve_actor(options["actor"])
        framework = Framework.objects.filter(slug=options["slug"]).first()
        if framework is None:
            raise CommandError(f"No framework {options['slug']!r} (see `ramparts frameworks list`).")
        try:
            services.framework_delete(actor=actor, framework=framework)
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"deleted {options['slug']}")

    def do_mappings(self, options):
        actor = resolve_actor(options["actor"])
        data = self._read(options["file"])
        targets = None
        if options["framework"]:
            targets = list(Framework.objects.filter(slug__in=options["framework"]))
            missing = set(options["framework"]) - {fw.slug for fw in targets}
            if missing:
                raise CommandError(f"No framework {sorted(missing)} (see `ramparts frameworks list`).")
        try:
            result = services.mapping_import(actor=actor, name=options["file"], data=data, frameworks=targets)
        except DomainError as exc:
            self._fail(options, exc)
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict()))
            return
        self.stdout.write(
            f"{result.origin}: {result.created} created, {result.updated} updated, {result.unchanged} unchanged "
            f"in {', '.join(result.frameworks)}; {len(result.unmatched)} ids matched no requirement"
        )
