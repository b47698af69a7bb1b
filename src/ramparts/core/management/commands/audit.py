import sys

from django.core.management.base import BaseCommand

from ramparts.core import audit


class Command(BaseCommand):
    help = "Audit trail. `verify` checks the hash chain and exits non-zero at the first broken entry."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="check every entry of the hash chain")

    def handle(self, *args, action, **options):
        result = audit.verify()
        if result.ok:
            self.stdout.write(f"Audit trail intact: {result.checked} entries verified.")
            return
        self.stderr.write(f"Audit trail BROKEN at entry #{result.first_broken_seq}: {result.reason}.")
        sys.exit(1)
