"""Every module's periodic work in one command, for cron or a systemd timer (or `--loop`)."""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

# (label, command arguments). Each job is idempotent: running it again the same day (or minute)
# sends nothing twice and records nothing twice. Clock warnings are why it should run often.
JOBS = (
    ("incident reminders and regulatory clock warnings", ("incidents", "remind")),
    ("findings: expired risk acceptances, burn-down snapshot", ("findings", "daily")),
    ("risks: expired acceptances, exposure snapshot", ("risk", "daily")),
    ("policy review reminders", ("policies", "remind")),
    ("policy exceptions past their date", ("policies", "expire")),
    ("due e-mails and webhook calls", ("notifications", "deliver")),
)


class Command(BaseCommand):
    help = (
        "Run every module's periodic work: incident reminders and clock warnings, expiries of risk and "
        "finding acceptances and policy exceptions, snapshots for trends, review reminders, and due "
        "notifications. Run it every few minutes (clock warnings escalate at 24 h, 4 h and 1 h), "
        "or keep it running with --loop."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Keep running, once every --interval seconds.")
        parser.add_argument("--interval", type=int, default=300, help="Seconds between runs with --loop (300).")

    def handle(self, *args, loop: bool, interval: int, **options):
        while True:
            self.run_once(verbosity=options["verbosity"])
            if not loop:
                return
            time.sleep(max(interval, 10))

    def run_once(self, *, verbosity: int) -> None:
        for label, arguments in JOBS:
            if verbosity:
                self.stdout.write(f"· {label}")
            call_command(*arguments, stdout=self.stdout, stderr=self.stderr, verbosity=verbosity)
