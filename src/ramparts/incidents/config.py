"""What the organisation configures for incident response: incident types and their playbooks (a YAML file
in the package, or RAMPARTS_PLAYBOOKS_FILE), the regulatory regimes that apply (RAMPARTS_REGIMES), the
organisation's time zone for date-based clocks (RAMPARTS_ORG_TIME_ZONE), hourly rates per incident role
(RAMPARTS_INCIDENT_RATES) and the currency (RAMPARTS_CURRENCY). Settings win over environment variables."""

import functools
import os
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings

from ramparts.incidents.engine.ruleset import load_rules

SHIPPED_PLAYBOOKS = Path(__file__).parent / "playbooks" / "playbooks.yaml"
PHASES = ("declared", "analysis", "containment", "eradication", "recovery", "review", "closed")
ROLES = ("commander", "scribe", "communications", "legal", "participant", "observer")
DEFAULT_REGIMES = ("gdpr", "nis2", "dora")
DEFAULT_RATES = {
    "commander": "160",
    "scribe": "80",
    "communications": "110",
    "legal": "250",
    "participant": "100",
    "observer": "0",
}


class PlaybookError(ValueError):
    pass


@dataclass(frozen=True)
class PlaybookTask:
    title: str
    phase: str = ""
    due_hours: int | None = None
    owner: str = ""  # an incident role
    checklist: tuple[str, ...] = ()


@dataclass(frozen=True)
class IncidentType:
    key: str
    label: str
    tasks: tuple[PlaybookTask, ...] = ()


def _setting(name: str, default: Any = None) -> Any:
    if hasattr(settings, name):
        return getattr(settings, name)
    return os.environ.get(name, default)


def parse_playbooks(text: str, origin: str = "playbooks") -> dict[str, IncidentType]:
    data = yaml.safe_load(text)
    if not isinstance(data, dict) or not isinstance(data.get("types"), dict) or not data["types"]:
        raise PlaybookError(f"{origin}: expected a mapping with a non-empty 'types' mapping")
    types: dict[str, IncidentType] = {}
    for key, raw in data["types"].items():
        where = f"{origin}: type {key!r}"
        if not isinstance(key, str) or not key.replace("_", "").isalnum() or len(key) > 40:
            raise PlaybookError(f"{where}: the key must be letters, digits and underscores (≤ 40)")
        if not isinstance(raw, dict) or not isinstance(raw.get("label"), str):
            raise PlaybookError(f"{where}: needs a label")
        unknown = set(raw) - {"label", "tasks"}
        if unknown:
            raise PlaybookError(f"{where}: unknown key {sorted(unknown)[0]!r}")
        tasks = [_task(f"{where}, task {i + 1}", t) for i, t in enumerate(raw.get("tasks") or [])]
        types[key] = IncidentType(key, raw["label"], tuple(tasks))
    return types


def _task(where: str, raw: Any) -> PlaybookTask:
    if not isinstance(raw, dict) or not isinstance(raw.get("title"), str) or not raw["title"].strip():
        raise PlaybookError(f"{where}: needs a title")
    unknown = set(raw) - {"title", "phase", "due_hours", "owner", "checklist"}
    if unknown:
        raise PlaybookError(f"{where}: unknown key {sorted(unknown)[0]!r}")
    phase = raw.get("phase", "")
    if phase and phase not in PHASES:
        raise PlaybookError(f"{where}: unknown phase {phase!r} (known: {', '.join(PHASES)})")
    owner = raw.get("owner", "")
    if owner and owner not in ROLES:
        raise PlaybookError(f"{where}: unknown owner role {owner!r} (known: {', '.join(ROLES)})")
    due = raw.get("due_hours")
    if due is not None and (not isinstance(due, int) or isinstance(due, bool) or due < 0):
        raise PlaybookError(f"{where}: due_hours must be a whole number ≥ 0")
    checklist = raw.get("checklist") or []
    if not isinstance(checklist, list) or not all(isinstance(c, str) and c.strip() for c in checklist):
        raise PlaybookError(f"{where}: checklist must be a list of texts")
    return PlaybookTask(raw["title"], phase, due, owner, tuple(checklist))


@functools.cache
def _load(path: str) -> dict[str, IncidentType]:
    return parse_playbooks(Path(path).read_text(encoding="utf-8"), origin=path)


def incident_types() -> dict[str, IncidentType]:
    return _load(str(_setting("RAMPARTS_PLAYBOOKS_FILE") or SHIPPED_PLAYBOOKS))


def type_label(key: str) -> str:
    found = incident_types().get(key)
    return found.label if found else key


def regimes() -> list[str]:
    value = _setting("RAMPARTS_REGIMES")
    if value is None:
        chosen = list(DEFAULT_REGIMES)
    elif isinstance(value, str):
        chosen = [v.strip() for v in value.split(",") if v.strip()]
    else:
        chosen = list(value)
    known = load_rules().regimes
    unknown = [r for r in chosen if r not in known]
    if unknown:
        raise PlaybookError(f"RAMPARTS_REGIMES names unknown regime {unknown[0]!r} (known: {', '.join(known)})")
    return chosen


def org_time_zone() -> str:
    return str(_setting("RAMPARTS_ORG_TIME_ZONE") or settings.TIME_ZONE or "UTC")


def hourly_rates() -> dict[str, Decimal]:
    value = _setting("RAMPARTS_INCIDENT_RATES")
    rates = dict(DEFAULT_RATES)
    if isinstance(value, dict):
        rates.update({k: str(v) for k, v in value.items()})
    elif isinstance(value, str) and value:
        rates.update(dict(part.split("=", 1) for part in value.split(",") if "=" in part))
    return {role: Decimal(str(rates.get(role, "0"))) for role in ROLES}


def currency() -> str:
    return str(_setting("RAMPARTS_CURRENCY") or "EUR")
