"""Shared helpers for the clock tables: parse a time, compute one rule's deadline."""

from datetime import datetime

from ramparts.incidents.engine.clocks import Deadline, IncidentFacts, compute_deadlines


def t(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    assert value.utcoffset() is not None, "test times carry their offset"
    return value


def deadline(rule_id: str, *, zone: str = "UTC", conditions=None, submitted=None, **facts) -> Deadline:
    regime = rule_id.split(".")[0]
    incident = IncidentFacts(
        conditions=conditions or {},
        submitted={rule: t(when) for rule, when in (submitted or {}).items()},
        **{name: t(value) for name, value in facts.items()},
    )
    found = [item for item in compute_deadlines(incident, [regime], zone=zone) if item.rule_id == rule_id]
    assert len(found) == 1, rule_id
    return found[0]
