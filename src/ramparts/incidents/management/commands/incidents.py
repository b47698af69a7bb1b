"""`ramparts incidents clocks`: compute the regulatory notification deadlines from the command line, to check
the rules. It touches no database; it is a thin adapter over the clock engine."""

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.management.base import BaseCommand, CommandError

from ramparts.incidents.engine.clocks import (
    Deadline,
    DeadlineKind,
    IncidentFacts,
    RulesError,
    compute_deadlines,
    load_rules,
    status,
)

FACT_OPTIONS = ("aware_at", "classified_at", "determined_at", "material_at", "discovered_at", "payment_at")


class Command(BaseCommand):
    help = (
        "Incidents. `clocks` computes the regulatory notification deadlines for given trigger times; `remind` sends "
        "overdue-task reminders and clock warnings."
    )
    requires_system_checks: list[str] = []  # pure computation: no database, so none of the model checks

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        clocks = sub.add_parser(
            "clocks",
            help="compute the notification deadlines",
            description=(
                "Times are ISO 8601 with a UTC offset (2026-03-28T10:00+01:00 or ...Z). A time without an offset "
                "is refused unless --tz says which zone it is in. Conditions not given with --yes/--no are "
                "assumed to hold, so that no clock is missed; each such deadline says what it assumes."
            ),
        )
        clocks.add_argument("--aware-at", required=True, metavar="T", help="when the organisation became aware")
        clocks.add_argument("--classified-at", metavar="T", help="when the incident was classified as major (DORA)")
        clocks.add_argument(
            "--determined-at", metavar="T", help="when a cybersecurity incident was determined (NYDFS; SEC fallback)"
        )
        clocks.add_argument("--material-at", metavar="T", help="when the incident was determined material (SEC)")
        clocks.add_argument("--discovered-at", metavar="T", help="when the breach was discovered (HIPAA)")
        clocks.add_argument("--payment-at", metavar="T", help="when a ransom/extortion payment was made")
        clocks.add_argument(
            "--submitted",
            action="append",
            default=[],
            metavar="RULE=T",
            help="a report already sent, e.g. nis2.notification=2026-03-30T09:00Z (repeatable)",
        )
        clocks.add_argument("--yes", action="append", default=[], metavar="COND[,COND]", help="conditions that hold")
        clocks.add_argument("--no", action="append", default=[], metavar="COND[,COND]", help="conditions that do not")
        clocks.add_argument("--regimes", metavar="LIST", help="comma-separated regime keys (default: all)")
        clocks.add_argument(
            "--tz", metavar="ZONE", help="organisation time zone: reads naive times, counts dates, shows due times"
        )
        clocks.add_argument("--now", metavar="T", help="the time the status column is computed at (default: now)")
        clocks.add_argument("--rules", metavar="FILE", help="a rules file to use instead of the shipped one")
        clocks.add_argument("--json", action="store_true", help="print a JSON list")
        remind = sub.add_parser(
            "remind",
            help="send reminders for overdue incident tasks and escalating warnings for regulatory clocks",
            description=(
                "Run it every few minutes (cron or a systemd timer). Each overdue task is reminded at most once a "
                "day; each clock warning level (24 h, 4 h, 1 h before, then late) is sent once per report."
            ),
        )
        remind.add_argument("--now", metavar="T", help="the time to check at (ISO 8601 with offset; default: now)")

    def handle(self, *args, action, **options):
        if action == "remind":
            self._remind(options)
            return
        self._clocks(options)

    def _remind(self, options) -> None:
        from ramparts.incidents.services import clocks_warn, tasks_remind

        now = _when(options["now"], "now", None) or datetime.now(UTC)
        tasks = tasks_remind(now=now)
        clocks = clocks_warn(now=now)
        self.stdout.write(f"{tasks} overdue task reminder(s), {clocks} clock warning(s) sent.")

    def _clocks(self, options) -> None:
        zone = _zone(options["tz"])
        try:
            rules = load_rules(options["rules"])
        except RulesError as exc:
            raise CommandError(str(exc)) from exc
        facts = IncidentFacts(
            **{name: _when(options[name], name, zone) for name in FACT_OPTIONS},
            conditions=_conditions(options["yes"], options["no"], set(rules.conditions)),
            submitted=_submitted(options["submitted"], zone),
        )
        regimes = [key.strip() for key in options["regimes"].split(",")] if options["regimes"] else list(rules.regimes)
        try:
            deadlines = compute_deadlines(facts, regimes, rules, zone=zone.key if zone else "UTC")
        except RulesError as exc:
            raise CommandError(str(exc)) from exc
        now = _when(options["now"], "now", zone) or datetime.now(UTC)
        shown = zone or ZoneInfo("UTC")
        if options["json"]:
            self.stdout.write(json.dumps([_as_json(item, now, shown) for item in deadlines], indent=2))
        else:
            self.stdout.write(_table(deadlines, now, shown))


def _as_json(deadline: Deadline, now: datetime, zone: ZoneInfo) -> dict:
    return {
        "regime": deadline.regime,
        "report": deadline.report,
        "due": deadline.due.astimezone(zone).isoformat() if deadline.due else None,
        "source": deadline.source,
        "basis": deadline.basis,
        "rule": deadline.rule_id,
        "state": str(status(deadline, now).state),
        "waiting_for": list(deadline.waiting_for),
        "assumed": list(deadline.assumed),
        "provisional": deadline.provisional,
    }


def _table(deadlines: list[Deadline], now: datetime, zone: ZoneInfo) -> str:
    rows = [("REGIME", "REPORT", f"DUE ({zone.key})", "STATUS", "SOURCE")]
    bases = [""]
    for item in deadlines:
        if item.due is not None:
            due = item.due.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z") + (" (at the latest)" * item.provisional)
        else:
            due = "waiting" if item.kind is DeadlineKind.WAITING else "-"
        rows.append((item.regime, item.report, due, str(status(item, now).state), item.source))
        bases.append(item.basis)
    widths = [max(len(row[col]) for row in rows) for col in range(4)]
    lines = []
    for row, basis in zip(rows, bases, strict=True):
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(row[:4], widths, strict=True)) + "  " + row[4])
        if basis:
            lines.append(" " * (widths[0] + 2) + "└ " + basis)
    return "\n".join(lines)


def _zone(name: str | None) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise CommandError(f"--tz {name}: unknown time zone (use an IANA name such as Europe/Brussels)") from exc


def _when(text: str | None, name: str, zone: ZoneInfo | None) -> datetime | None:
    if text is None:
        return None
    flag = "--" + name.replace("_", "-")
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise CommandError(f"{flag} {text}: not an ISO 8601 time (e.g. 2026-03-28T10:00+01:00)") from exc
    if value.utcoffset() is not None:
        return value
    if zone is None:
        raise CommandError(
            f"{flag} {text}: no UTC offset, so the instant is ambiguous. Add one "
            f"(e.g. {value.isoformat(timespec='minutes')}+01:00 or Z) or say which zone it is in with --tz."
        )
    first, second = value.replace(tzinfo=zone, fold=0), value.replace(tzinfo=zone, fold=1)
    if first.utcoffset() != second.utcoffset():
        exists = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == value
        problem = "occurs twice (clocks go back)" if exists else "does not exist (clocks go forward)"
        raise CommandError(f"{flag} {text}: in {zone.key} this time {problem}; give it with a UTC offset.")
    return first


def _conditions(yes: list[str], no: list[str], known: set[str]) -> dict[str, bool]:
    result: dict[str, bool] = {}
    for values, truth in ((yes, True), (no, False)):
        for name in (part.strip() for value in values for part in value.split(",") if part.strip()):
            if name not in known:
                raise CommandError(f"unknown condition {name!r} (known: {', '.join(sorted(known))})")
            if result.get(name, truth) is not truth:
                raise CommandError(f"condition {name!r} given with both --yes and --no")
            result[name] = truth
    return result


def _submitted(values: list[str], zone: ZoneInfo | None) -> dict[str, datetime]:
    result: dict[str, datetime] = {}
    for value in values:
        rule, sep, when = value.partition("=")
        if not sep or not rule.strip():
            raise CommandError(f"--submitted {value}: expected RULE=T, e.g. nis2.notification=2026-03-30T09:00Z")
        parsed = _when(when, "submitted", zone)
        assert parsed is not None
        result[rule.strip()] = parsed
    return result
