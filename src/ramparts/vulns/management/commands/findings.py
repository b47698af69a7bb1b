"""`ramparts findings expire|snapshot|daily`: the findings' periodic work (run daily from cron or a timer)."""

from django.core.management.base import BaseCommand

from ramparts.vulns.snapshots import snapshot_findings
from ramparts.vulns.triage import acceptances_expire


class Command(BaseCommand):
    help = "Findings housekeeping: reopen expired risk acceptances, record the burn-down snapshot."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("expire", help="reopen findings whose risk acceptance has expired")
        sub.add_parser("snapshot", help="record today's open findings per unit and priority (burn-down)")
        sub.add_parser("daily", help="expire, then snapshot")

    def handle(self, *args, action, **options):
        if action in ("expire", "daily"):
            self.stdout.write(f"{acceptances_expire()} expired risk acceptance(s): findings reopened")
        if action in ("snapshot", "daily"):
            self.stdout.write(f"{snapshot_findings()} snapshot row(s) recorded")
