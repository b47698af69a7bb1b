"""The notification rules as data: load a rules file (YAML or JSON), validate every rule, return typed objects.

Adding a regime is an edit of the rules file, never of code: a rule names its trigger facts, its offset, its
calendar and its conditions from the vocabularies below, and anything outside them is refused at load time with
an error that names the rule.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
import yaml

# The trigger facts an incident can record, with the words the basis text uses for them.
FACT_LABELS: dict[str, str] = {
    "aware_at": "awareness",
    "classified_at": "classification as major",
    "determined_at": "determination of a cybersecurity incident",
    "material_at": "materiality determination",
    "discovered_at": "discovery",
    "payment_at": "ransom payment",
}
# A trigger may also be the recorded submission of another report: "submitted:<rule id>".
SUBMITTED = "submitted:"
UNITS = ("hours", "days", "business_days", "months")
UNIT_WORDS = {"hours": ("h", "h"), "days": ("calendar day", "calendar days"), "months": ("month", "months")}
ANCHORS = ("event", "end_of_year")
ORGANISATION = "organisation"  # the organisation's own time zone, given at computation time
SAME_TIME, END_OF_DAY = "same_time", "end_of_day"
WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
SHIPPED = "regimes.yaml"

_CLOCK = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


class RulesError(ValueError):
    """The rules file is not valid; the message names the rule (or calendar, condition) at fault."""


@dataclass(frozen=True)
class Calendar:
    name: str
    label: str
    country: str
    subdiv: str | None
    categories: tuple[str, ...]
    weekend: frozenset[int]
    zone: str
    _holidays: Any = field(compare=False, repr=False, default=None)

    def holiday(self, day: date) -> str | None:
        return self._holidays.get(day) if self._holidays is not None else None

    def is_business_day(self, day: date) -> bool:
        return day.weekday() not in self.weekend and self.holiday(day) is None


@dataclass(frozen=True)
class Condition:
    name: str
    label: str
    implied_by: str | None = None  # a recorded fact that establishes the condition (a payment time: a payment)


@dataclass(frozen=True)
class Offset:
    amount: int
    unit: str
    calendar: Calendar | None = None

    def text(self) -> str:
        if self.unit == "business_days":
            assert self.calendar is not None
            word = "business day" if self.amount == 1 else "business days"
            return f"{self.amount} {self.calendar.label} {word}"
        one, many = UNIT_WORDS[self.unit]
        return f"{self.amount} {one if self.amount == 1 else many}"


@dataclass(frozen=True)
class Term:
    """One limit: `offset` after the first recorded fact of `after`, in `zone`, ending `at` a time of day."""

    after: tuple[str, ...]
    offset: Offset
    at: str = SAME_TIME
    anchor: str = "event"
    zone: str = ORGANISATION
    applies_if_before: str | None = None  # the limit holds only when this fact is recorded by then (or not yet)
    label: str = ""  # overrides the fact's words in the basis text


@dataclass(frozen=True)
class Rule:
    id: str
    regime: str
    report: str
    source: str
    terms: tuple[Term, ...]  # several terms: whichever falls earliest
    when: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Regime:
    key: str
    name: str
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class RuleSet:
    regimes: Mapping[str, Regime]
    conditions: Mapping[str, Condition]
    calendars: Mapping[str, Calendar]

    def rule(self, rule_id: str) -> Rule:
        for regime in self.regimes.values():
            for rule in regime.rules:
                if rule.id == rule_id:
                    return rule
        raise KeyError(rule_id)


def fact_label(name: str, rules: RuleSet) -> str:
    if name.startswith(SUBMITTED):
        return f"submission of the {rules.rule(name.removeprefix(SUBMITTED)).report.lower()}"
    return FACT_LABELS[name]


@cache
def _shipped() -> RuleSet:
    text = resources.files("ramparts.incidents.engine.rules").joinpath(SHIPPED).read_text(encoding="utf-8")
    return parse_rules(text, origin=SHIPPED)


def load_rules(path: str | Path | None = None) -> RuleSet:
    """The shipped rules, or a rules file of your own (YAML, of which JSON is a subset)."""
    if path is None:
        return _shipped()
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RulesError(f"cannot read rules file {path}: {exc.strerror}") from exc
    return parse_rules(text, origin=str(path))


def parse_rules(text: str, *, origin: str = "rules") -> RuleSet:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RulesError(f"{origin}: not valid YAML/JSON: {exc}") from exc
    doc = _mapping(data, origin, required={"regimes"}, optional={"version", "calendars", "conditions"})
    calendars = {name: _calendar(name, raw) for name, raw in _mapping_of(doc.get("calendars"), "calendars").items()}
    conditions = {name: _condition(name, raw) for name, raw in _mapping_of(doc.get("conditions"), "conditions").items()}
    regimes: dict[str, Regime] = {}
    for key, raw in _mapping_of(doc["regimes"], "regimes").items():
        regimes[key] = _regime(key, raw, calendars, conditions)
    _check_references(regimes)
    if not regimes:
        raise RulesError(f"{origin}: no regimes")
    return RuleSet(regimes=regimes, conditions=conditions, calendars=calendars)


def _calendar(name: str, raw: Any) -> Calendar:
    where = f"calendar {name!r}"
    spec = _mapping(raw, where, required={"country", "zone"}, optional={"label", "subdiv", "categories", "weekend"})
    categories = tuple(_str_list(spec.get("categories", ["public"]), f"{where} categories"))
    weekend_names = _str_list(spec.get("weekend", ["sat", "sun"]), f"{where} weekend")
    unknown_days = [day for day in weekend_names if day not in WEEKDAYS]
    if unknown_days:
        raise RulesError(f"{where}: unknown weekend day {unknown_days[0]!r} (use {', '.join(WEEKDAYS)})")
    try:
        table = holidays.country_holidays(str(spec["country"]), subdiv=spec.get("subdiv"), categories=categories)
    except (NotImplementedError, ValueError) as exc:
        raise RulesError(f"{where}: the holidays package refuses it: {exc}") from exc
    return Calendar(
        name=name,
        label=str(spec.get("label", name)),
        country=str(spec["country"]),
        subdiv=spec.get("subdiv"),
        categories=categories,
        weekend=frozenset(WEEKDAYS[day] for day in weekend_names),
        zone=_zone(spec["zone"], where),
        _holidays=table,
    )


def _condition(name: str, raw: Any) -> Condition:
    where = f"condition {name!r}"
    spec = _mapping(raw, where, required={"label"}, optional={"description", "implied_by"})
    implied_by = spec.get("implied_by")
    if implied_by is not None and implied_by not in FACT_LABELS:
        raise RulesError(f"{where}: implied_by names unknown fact {implied_by!r} ({_known_facts()})")
    return Condition(name=name, label=str(spec["label"]), implied_by=implied_by)


def _regime(key: str, raw: Any, calendars: Mapping[str, Calendar], conditions: Mapping[str, Condition]) -> Regime:
    where = f"regime {key!r}"
    spec = _mapping(raw, where, required={"name", "rules"}, optional={"zone", "description"})
    zone = _zone(spec.get("zone", ORGANISATION), where)
    if not isinstance(spec["rules"], list) or not spec["rules"]:
        raise RulesError(f"{where}: rules must be a non-empty list")
    rules = tuple(_rule(key, raw_rule, zone, calendars, conditions) for raw_rule in spec["rules"])
    return Regime(key=key, name=str(spec["name"]), rules=rules)


def _rule(
    regime: str, raw: Any, zone: str, calendars: Mapping[str, Calendar], conditions: Mapping[str, Condition]
) -> Rule:
    rule_id = raw.get("id") if isinstance(raw, dict) else None
    where = f"rule {rule_id!r}" if rule_id else f"a rule of regime {regime!r} (no id)"
    spec = _mapping(raw, where, required={"id", "report", "source", "due"}, optional={"when", "unless", "note"})
    if not str(rule_id).startswith(f"{regime}."):
        raise RulesError(f"{where}: the id must start with the regime key, '{regime}.'")
    for key in ("when", "unless"):
        for name in _str_list(spec.get(key, []), f"{where} {key}"):
            if name not in conditions:
                known = ", ".join(conditions) or "none declared"
                raise RulesError(f"{where}: unknown condition {name!r} in {key} (declared: {known})")
    raw_terms = spec["due"] if isinstance(spec["due"], list) else [spec["due"]]
    if not raw_terms:
        raise RulesError(f"{where}: due needs at least one limit")
    terms = tuple(_term(where, raw_term, zone, calendars) for raw_term in raw_terms)
    if len(terms) == 1 and terms[0].applies_if_before:
        raise RulesError(f"{where}: applies_if_before needs another limit to fall back on")
    return Rule(
        id=str(rule_id),
        regime=regime,
        report=str(spec["report"]),
        source=str(spec["source"]),
        terms=terms,
        when=tuple(spec.get("when", ())),
        unless=tuple(spec.get("unless", ())),
        note=" ".join(str(spec.get("note", "")).split()),
    )


def _term(where: str, raw: Any, zone: str, calendars: Mapping[str, Calendar]) -> Term:
    spec = _mapping(
        raw,
        f"{where} due",
        required={"after"},
        optional={*UNITS, "calendar", "at", "anchor", "zone", "applies_if_before", "label"},
    )
    after = tuple(_str_list(spec["after"], f"{where} after"))
    for name in after:
        if name not in FACT_LABELS and not name.startswith(SUBMITTED):
            raise RulesError(f"{where}: unknown fact {name!r} ({_known_facts()})")
    units = [unit for unit in UNITS if unit in spec]
    if len(units) != 1:
        raise RulesError(f"{where}: each limit needs exactly one offset among {', '.join(UNITS)}")
    unit = units[0]
    amount = spec[unit]
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise RulesError(f"{where}: {unit} must be a positive whole number, not {amount!r}")
    calendar = None
    if unit == "business_days":
        if "calendar" not in spec:
            raise RulesError(f"{where}: business_days needs a calendar (declared: {', '.join(calendars) or 'none'})")
        cal_name = str(spec["calendar"])
        if cal_name not in calendars:
            raise RulesError(f"{where}: unknown calendar {cal_name!r} (declared: {', '.join(calendars) or 'none'})")
        calendar = calendars[cal_name]
    elif "calendar" in spec:
        raise RulesError(f"{where}: a calendar only applies to business_days")
    at = str(spec.get("at", SAME_TIME))
    anchor = str(spec.get("anchor", "event"))
    if unit == "hours" and (at != SAME_TIME or anchor != "event"):
        raise RulesError(f"{where}: hours are elapsed time; at and anchor apply to day-based offsets only")
    if at not in (SAME_TIME, END_OF_DAY) and not _CLOCK.match(at):
        raise RulesError(f"{where}: at must be same_time, end_of_day or HH:MM, not {at!r}")
    if anchor not in ANCHORS:
        raise RulesError(f"{where}: unknown anchor {anchor!r} (use {', '.join(ANCHORS)})")
    if anchor == "end_of_year" and at == SAME_TIME:
        raise RulesError(f"{where}: anchor end_of_year needs at: end_of_day or HH:MM")
    applies_if_before = spec.get("applies_if_before")
    if applies_if_before is not None and applies_if_before not in FACT_LABELS:
        raise RulesError(f"{where}: unknown fact {applies_if_before!r} in applies_if_before ({_known_facts()})")
    default_zone = calendar.zone if calendar else zone
    return Term(
        after=after,
        offset=Offset(amount=amount, unit=unit, calendar=calendar),
        at=at,
        anchor=anchor,
        zone=_zone(spec.get("zone", default_zone), where),
        applies_if_before=applies_if_before,
        label=str(spec.get("label", "")),
    )


def _check_references(regimes: Mapping[str, Regime]) -> None:
    ids: set[str] = set()
    for regime in regimes.values():
        for rule in regime.rules:
            if rule.id in ids:
                raise RulesError(f"rule {rule.id!r}: the id is used twice")
            ids.add(rule.id)
    for regime in regimes.values():
        for rule in regime.rules:
            for term in rule.terms:
                for name in term.after:
                    target = name.removeprefix(SUBMITTED)
                    if name.startswith(SUBMITTED) and (target not in ids or target == rule.id):
                        raise RulesError(f"rule {rule.id!r}: {name!r} does not name another rule")


def _zone(value: Any, where: str) -> str:
    if value == ORGANISATION:
        return ORGANISATION
    try:
        ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise RulesError(f"{where}: unknown time zone {value!r}") from exc
    return str(value)


def _mapping(value: Any, where: str, *, required: set[str], optional: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise RulesError(f"{where}: expected a mapping")
    missing = sorted(required - value.keys())
    if missing:
        raise RulesError(f"{where}: missing {', '.join(missing)}")
    unknown = sorted(str(key) for key in value.keys() - required - optional)
    if unknown:
        raise RulesError(f"{where}: unknown key {unknown[0]!r} (allowed: {', '.join(sorted(required | optional))})")
    return value


def _mapping_of(value: Any, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise RulesError(f"{where}: expected a mapping")
    return {str(key): item for key, item in value.items()}


def _str_list(value: Any, where: str) -> list[str]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        raise RulesError(f"{where}: expected a name or a list of names")
    return items


def _known_facts() -> str:
    return "known facts: " + ", ".join(FACT_LABELS) + f", or {SUBMITTED}<rule id>"
