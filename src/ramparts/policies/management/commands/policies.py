"""`ramparts policies remind` and `ramparts policies expire`: the daily jobs of the policies module."""

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from ramparts.policies import services


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--today must be a date (YYYY-MM-DD), not {text!r}.") from None


class Command(BaseCommand):
    help = (
        "Policies: `remind` tells owners of policies whose review falls due soon (once per due date); "
        "`expire` marks approved exceptions past their date expired and tells who asked. Run both daily."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        remind = sub.add_parser("remind", help="send review reminders before the due date (and when overdue)")
        remind.add_argument(
            "--days-before", type=int, default=services.reviews.REMIND_DAYS_BEFORE, help="how early (default 30)"
        )
        remind.add_argument("--today", help="act as if it were this date (YYYY-MM-DD)")
        remind.add_argument("--json", action="store_true", help="print what was sent as JSON")
        expire = sub.add_parser("expire", help="mark expired exceptions and notify")
        expire.add_argument("--today", help="act as if it were this date (YYYY-MM-DD)")
        expire.add_argument("--json", action="store_true", help="print the exceptions marked as JSON")

    def handle(self, *args, action, **options):
        today = _date(options.get("today"))
        if action == "remind":
            if options["days_before"] < 0:
                raise CommandError("--days-before cannot be negative.")
            sent = services.policies_remind(today=today, days_before=options["days_before"])
            rows = [
                {"policy": r.policy, "due": r.due.isoformat(), "overdue": r.overdue, "recipients": r.recipients}
                for r in sent
            ]
            lines = [
                f"{r['policy']}: review {'was' if r['overdue'] else 'is'} due {r['due']}"
                f" -> {', '.join(r['recipients']) or 'nobody'}"
                for r in rows
            ]
            summary = f"{len(rows)} review reminder{'s' if len(rows) != 1 else ''} sent."
        else:
            done = services.exceptions_expire(today=today)
            rows = [{"exception": e.ref, "policy": e.policy.ref, "expired_on": e.expires_on.isoformat()} for e in done]
            lines = [f"{r['exception']} ({r['policy']}) expired on {r['expired_on']}" for r in rows]
            summary = f"{len(rows)} exception{'s' if len(rows) != 1 else ''} marked expired."
        if options["json"]:
            self.stdout.write(json.dumps(rows))
            return
        for line in lines:
            self.stdout.write(line)
        self.stdout.write(summary)
