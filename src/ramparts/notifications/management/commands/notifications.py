import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Notifications: `deliver` sends every due e-mail and webhook call (retries included); "
        "`deliver --loop` keeps doing so every --interval seconds."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        deliver = sub.add_parser("deliver", help="send due deliveries")
        deliver.add_argument("--loop", action="store_true", help="run until interrupted")
        deliver.add_argument("--interval", type=float, default=10.0, help="seconds between rounds (with --loop)")

    def handle(self, *args, subcommand, loop=False, interval=10.0, **options):
        from ramparts.notifications import delivery

        while True:
            counts: dict[str, int] = {}
            for delivery_id in delivery.due_ids():
                status = delivery.attempt(delivery_id).status
                counts[status] = counts.get(status, 0) + 1
            if counts or not loop:
                summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "nothing due"
                self.stdout.write(summary)
            if not loop:
                return
            time.sleep(interval)
