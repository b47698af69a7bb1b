"""Regulatory notification clocks: from an incident's facts and the rules (data), every report that is due.

Pure Python. All instants are timezone-aware and returned in UTC. Hours are elapsed time (72 h across a
daylight-saving change is 72 real hours); days, months and business days count dates in the rule's zone.
"""

from __future__ import annotations

import calendar as _calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .ruleset import (
    END_OF_DAY,
    FACT_LABELS,
    ORGANISATION,
    SAME_TIME,
    SUBMITTED,
    Calendar,
    Rule,
    RulesError,
    RuleSet,
    Term,
    fact_label,
    load_rules,
)

__all__ = [
    "ClockState",
    "ClockStatus",
    "Deadline",
    "DeadlineKind",
    "IncidentFacts",
    "RulesError",
    "compute_deadlines",
    "load_rules",
    "status",
]

DEFAULT_WARN_AT = (timedelta(hours=24), timedelta(hours=4), timedelta(hours=1))
_END_OF_DAY = time(23, 59, 59)


@dataclass(frozen=True)
class IncidentFacts:
    """What an incident has recorded. Times must be timezone-aware; conditions are True, False or absent."""

    aware_at: datetime | None = None
    classified_at: datetime | None = None
    determined_at: datetime | None = None
    material_at: datetime | None = None
    discovered_at: datetime | None = None
    payment_at: datetime | None = None
    conditions: Mapping[str, bool] = field(default_factory=dict)
    submitted: Mapping[str, datetime] = field(default_factory=dict)  # rule id -> when that report was sent

    def __post_init__(self) -> None:
        named = {name: getattr(self, name) for name in FACT_LABELS}
        named |= {f"{SUBMITTED}{rule}": when for rule, when in self.submitted.items()}
        for name, value in named.items():
            if value is not None and (not isinstance(value, datetime) or value.utcoffset() is None):
                raise ValueError(f"{name} must be a timezone-aware datetime, not {value!r}")

    def time_of(self, name: str) -> datetime | None:
        if name.startswith(SUBMITTED):
            return self.submitted.get(name.removeprefix(SUBMITTED))
        value: datetime | None = getattr(self, name)
        return value


if {f.name for f in fields(IncidentFacts)} - {"conditions", "submitted"} != set(FACT_LABELS):
    raise RuntimeError("IncidentFacts and ruleset.FACT_LABELS must name the same facts")


class DeadlineKind(StrEnum):
    DUE = "due"
    WAITING = "waiting"
    NOT_APPLICABLE = "not applicable"


@dataclass(frozen=True)
class Deadline:
    regime: str
    report: str
    due: datetime | None  # aware, UTC; None while waiting for a fact or when not applicable
    source: str
    basis: str  # human text: how the due time was reached, or what it waits for
    rule_id: str = ""
    kind: DeadlineKind = DeadlineKind.DUE
    waiting_for: tuple[str, ...] = ()  # facts not yet recorded that this deadline (or an earlier limit) needs
    assumed: tuple[str, ...] = ()  # conditions not yet established, taken as holding so no clock is missed
    provisional: bool = False  # a limit is still waiting for a fact and could fall earlier
    submitted_at: datetime | None = None
    note: str = ""


class ClockState(StrEnum):
    UPCOMING = "upcoming"
    DUE_SOON = "due soon"
    LATE = "late"
    WAITING = "waiting"
    NOT_APPLICABLE = "not applicable"
    SUBMITTED = "submitted"
    SUBMITTED_LATE = "submitted late"


@dataclass(frozen=True)
class ClockStatus:
    state: ClockState
    remaining: timedelta | None  # negative once late
    level: int  # escalation step: warning thresholds crossed (0 = none), len(warn_at) + 1 once late


def compute_deadlines(
    facts: IncidentFacts, regimes: Iterable[str], rules: RuleSet | None = None, *, zone: str = "UTC"
) -> list[Deadline]:
    """Every report of the given regimes, in rules-file order. `zone` is the organisation's time zone."""
    rules = rules or load_rules()
    try:
        org_zone = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {zone!r}") from exc
    keys = list(dict.fromkeys(regimes))
    unknown = [key for key in keys if key not in rules.regimes]
    if unknown:
        raise RulesError(f"unknown regime {unknown[0]!r} (known: {', '.join(rules.regimes)})")
    rule_ids = [rule.id for regime in rules.regimes.values() for rule in regime.rules]
    for rule_id in facts.submitted:
        if rule_id not in rule_ids:
            raise RulesError(f"a submission is recorded for unknown report {rule_id!r} (known: {', '.join(rule_ids)})")
    for name in facts.conditions:
        if name not in rules.conditions:
            raise RulesError(f"unknown condition {name!r} (known: {', '.join(rules.conditions)})")
    return [_deadline(rule, facts, rules, org_zone) for key in keys for rule in rules.regimes[key].rules]


def status(deadline: Deadline, now: datetime, warn_at: Iterable[timedelta] = DEFAULT_WARN_AT) -> ClockStatus:
    """Where a deadline stands at `now`: upcoming, due soon (a warning threshold crossed), late, or settled."""
    if now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    thresholds = sorted(warn_at, reverse=True)
    if deadline.kind is DeadlineKind.NOT_APPLICABLE:
        return ClockStatus(ClockState.NOT_APPLICABLE, None, 0)
    if deadline.due is None:
        return ClockStatus(ClockState.WAITING, None, 0)
    if deadline.submitted_at is not None:
        late = deadline.submitted_at > deadline.due
        return ClockStatus(ClockState.SUBMITTED_LATE if late else ClockState.SUBMITTED, None, 0)
    remaining = deadline.due - now
    if remaining < timedelta(0):
        return ClockStatus(ClockState.LATE, remaining, len(thresholds) + 1)
    level = sum(1 for limit in thresholds if remaining <= limit)
    return ClockStatus(ClockState.DUE_SOON if level else ClockState.UPCOMING, remaining, level)


def _deadline(rule: Rule, facts: IncidentFacts, rules: RuleSet, org_zone: ZoneInfo) -> Deadline:
    base = Deadline(
        regime=rule.regime,
        report=rule.report,
        due=None,
        source=rule.source,
        basis="",
        rule_id=rule.id,
        note=rule.note,
        submitted_at=facts.submitted.get(rule.id),
    )
    assumed: list[str] = []
    assumed_text: list[str] = []
    for name, wanted in [(name, True) for name in rule.when] + [(name, False) for name in rule.unless]:
        value = _condition(name, facts, rules)
        label = rules.conditions[name].label
        if value is None:
            assumed.append(name if wanted else f"not {name}")
            assumed_text.append(label if wanted else f"not {label}")
        elif value is not wanted:
            reason = f"not applicable: {'not a ' + label if wanted else label}"
            return replace(base, basis=reason, kind=DeadlineKind.NOT_APPLICABLE)

    candidates: list[tuple[datetime, str]] = []
    waiting: list[str] = []
    lapsed: list[str] = []
    for term in rule.terms:
        trigger_name = next((name for name in term.after if facts.time_of(name) is not None), None)
        if trigger_name is None:
            waiting.append(term.after[0])
            continue
        trigger = facts.time_of(trigger_name)
        assert trigger is not None
        due, text = _term_due(term, trigger_name, trigger, rules, org_zone)
        gate = facts.time_of(term.applies_if_before) if term.applies_if_before else None
        if gate is not None and gate > due:
            lapsed.append(f"{text} does not apply: {fact_label(term.applies_if_before or '', rules)} came later")
            continue
        candidates.append((due, text))

    suffix = f" (assuming: {'; '.join(assumed_text)})" if assumed else ""
    if not candidates:
        labels = " or ".join(f"{fact_label(name, rules)} ({name})" for name in waiting)
        basis = f"waiting for {labels}" + suffix
        return replace(base, basis=basis, kind=DeadlineKind.WAITING, waiting_for=tuple(waiting), assumed=tuple(assumed))
    candidates.sort(key=lambda pair: pair[0])
    due, basis = candidates[0]
    basis += "".join(f"; the limit {text} falls later, at {_utc(other)}" for other, text in candidates[1:])
    basis += "".join(f"; {text}" for text in lapsed)
    basis += "".join(f"; may fall earlier once {fact_label(name, rules)} ({name}) is recorded" for name in waiting)
    return replace(
        base,
        due=due,
        basis=basis + suffix,
        waiting_for=tuple(waiting),
        assumed=tuple(assumed),
        provisional=bool(waiting),
    )


def _condition(name: str, facts: IncidentFacts, rules: RuleSet) -> bool | None:
    if name in facts.conditions:
        return bool(facts.conditions[name])
    implied_by = rules.conditions[name].implied_by
    if implied_by and facts.time_of(implied_by) is not None:
        return True
    return None


def _term_due(
    term: Term, trigger_name: str, trigger: datetime, rules: RuleSet, org_zone: ZoneInfo
) -> tuple[datetime, str]:
    label = term.label or fact_label(term.after[0], rules)
    if trigger_name != term.after[0]:
        label += f", taken as the {fact_label(trigger_name, rules)} (no {term.after[0]} recorded)"
    if term.anchor == "end_of_year":
        label = f"the end of the calendar year of {label}"
    head = f"{term.offset.text()} after {label}"
    if term.offset.unit == "hours":
        due = trigger.astimezone(UTC) + timedelta(hours=term.offset.amount)
        return due, f"{head} ({_utc(trigger)})"
    zone = org_zone if term.zone == ORGANISATION else ZoneInfo(term.zone)
    local = trigger.astimezone(zone)
    start = date(local.year, 12, 31) if term.anchor == "end_of_year" else local.date()
    skipped: list[str] = []
    if term.offset.unit == "days":
        day = start + timedelta(days=term.offset.amount)
    elif term.offset.unit == "months":
        day = add_months(start, term.offset.amount)
    else:
        assert term.offset.calendar is not None
        day, skipped = add_business_days(start, term.offset.amount, term.offset.calendar)
    clock = _clock(term.at, local)
    due = resolve_local(day, clock, zone)
    counted_from = f"the end of {start.year}" if term.anchor == "end_of_year" else f"{start.isoformat()}"
    when = "end of day" if term.at == END_OF_DAY else clock.strftime("%H:%M")
    text = (
        f"{head} ({_utc(trigger)}), counting dates in {zone.key} from {counted_from}: "
        f"{day.isoformat()} {when} {due.astimezone(zone).strftime('%Z')}"
    )
    if skipped:
        text += f", skipping {', '.join(skipped)}"
    return due, text


def _clock(at: str, local: datetime) -> time:
    if at == SAME_TIME:
        return local.time().replace(tzinfo=None)
    if at == END_OF_DAY:
        return _END_OF_DAY
    hours, minutes = at.split(":")
    return time(int(hours), int(minutes))


def add_months(day: date, months: int) -> date:
    """Calendar months; a day missing from the target month clamps to its last day (31 Jan + 1 month = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = _calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def add_business_days(start: date, count: int, cal: Calendar) -> tuple[date, list[str]]:
    """The `count`-th business day after `start` (which is not counted), with the holidays skipped on the way."""
    day, found, skipped = start, 0, []
    while found < count:
        day += timedelta(days=1)
        if cal.is_business_day(day):
            found += 1
        elif (holiday := cal.holiday(day)) is not None:
            skipped.append(f"{holiday} {day.isoformat()}")
    return day, skipped


def resolve_local(day: date, clock: time, zone: ZoneInfo) -> datetime:
    """A wall-clock time in `zone` as a UTC instant. A time that occurs twice (autumn) or not at all (spring)
    resolves to the earlier of its two readings, so a deadline is never pushed later by a clock change."""
    readings = [datetime.combine(day, clock, tzinfo=zone).replace(fold=fold).astimezone(UTC) for fold in (0, 1)]
    return min(readings)


def _utc(value: datetime) -> str:
    value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%d %H:%M:%S UTC" if value.second else "%Y-%m-%d %H:%M UTC")
