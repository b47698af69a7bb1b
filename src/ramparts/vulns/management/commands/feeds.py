"""`ramparts feeds update kev|epss [--from-file FILE] [--json]` and `ramparts feeds status`."""

import json

from django.core.management.base import BaseCommand, CommandError

from ramparts.core.errors import DomainError
from ramparts.inventory.management.commands.inventory import resolve_actor
from ramparts.vulns import feed_updates


class Command(BaseCommand):
    help = "Vulnerability feeds (CISA KEV, FIRST EPSS): update them, show their status. See docs/vulns-triage.md."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        update = sub.add_parser("update", help="download a feed (or read --from-file) and re-enrich open findings")
        update.add_argument("feed", choices=sorted(feed_updates.URLS))
        update.add_argument("--from-file", help="a KEV .json/.csv or an EPSS .csv/.csv.gz file (offline)")
        update.add_argument("--json", action="store_true", help="print one JSON object")
        update.add_argument("--actor", help="username to act as (default: the first active administrator)")
        status = sub.add_parser("status", help="when each feed was last updated, from where")
        status.add_argument("--json", action="store_true")

    def handle(self, *args, action, **options):
        if action == "status":
            rows = feed_updates.feed_status()
            if options["json"]:
                self.stdout.write(json.dumps(rows, default=str))
                return
            for row in rows:
                when = row["last_update"].isoformat(timespec="minutes") if row["last_update"] else "never"
                self.stdout.write(f"{row['feed']}: {row['count']} entries, updated {when} {row['version']}")
            return
        actor = resolve_actor(options["actor"])
        try:
            result = feed_updates.feed_update(actor=actor, feed=options["feed"], path=options["from_file"])
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict()))
            return
        self.stdout.write(
            f"{result.feed}: {result.count} entries ({result.version}) from {result.source}; "
            f"{result.findings_updated} open findings re-enriched"
        )
