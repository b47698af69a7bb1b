import os

from django.core.management.base import BaseCommand, CommandError

from ramparts.core.errors import DomainError
from ramparts.demo.domains import load_domains
from ramparts.demo.generate import DEFAULT_SEED, DEMO_PASSWORD, DEMO_USERS
from ramparts.demo.load import load_demo
from ramparts.demo.records import COMPANY


class Command(BaseCommand):
    help = (
        f"Load the demo organisation ({COMPANY}: business units, people, systems, data assets, business "
        "services and their dependencies) and one demo account per role. Safe to run twice: the second run "
        "changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="Another seed gives another organisation.")

    def handle(self, *args, seed: int, **options):
        try:
            summary = load_demo(seed=seed)
            module_lines = load_domains(seed=seed)
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        if summary.changed:
            self.stdout.write(f"Demo organisation {COMPANY} loaded:")
            self.stdout.write(f"  business units: {summary.units_created} created")
            if summary.users_created:
                self.stdout.write(f"  demo accounts:  {', '.join(summary.users_created)} created")
            for slug, report in summary.reports.items():
                self.stdout.write(
                    f"  {slug + ':':<15} {report.created} created, {report.updated} updated, "
                    f"{report.unchanged} unchanged"
                )
            self.stdout.write(
                f"  criticality:    propagated along the dependencies; {summary.critical_systems} systems are critical"
            )
        else:
            self.stdout.write(f"The demo organisation {COMPANY} is already loaded: nothing changed.")
        for line in module_lines:
            self.stdout.write(f"  {line}")
        host = os.environ.get("RAMPARTS_HOST", "127.0.0.1")
        port = os.environ.get("RAMPARTS_PORT", "8000")
        self.stdout.write("")
        self.stdout.write(f"Open http://{host}:{port}/ and log in as one of (password {DEMO_PASSWORD}):")
        for username, role, *_ in DEMO_USERS:
            self.stdout.write(f"  {username:<10} {role.replace('_', ' ')}")
