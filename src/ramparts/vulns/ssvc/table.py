"""Load and validate the SSVC decision table shipped with the package."""

from __future__ import annotations

import itertools
import json
from functools import cache
from importlib import resources
from typing import Any

EXPLOITATION = ("none", "poc", "active")
AUTOMATABLE = ("no", "yes")
TECHNICAL_IMPACT = ("partial", "total")
MISSION_WELLBEING = ("low", "medium", "high")
DECISIONS = ("Track", "Track*", "Attend", "Act")
AXES = (EXPLOITATION, AUTOMATABLE, TECHNICAL_IMPACT, MISSION_WELLBEING)

Key = tuple[str, str, str, str]


class TableError(ValueError):
    """The decision table is malformed; the message names the row (1-based)."""


def validate(data: Any) -> dict[Key, str]:
    rows = data.get("rows") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        raise TableError("table has no 'rows' list")
    table: dict[Key, str] = {}
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, list) or len(row) != 5:
            raise TableError(f"row {number}: expected 5 values, got {row!r}")
        for value, allowed in zip(row, (*AXES, DECISIONS), strict=True):
            if value not in allowed:
                raise TableError(f"row {number}: unknown value {value!r} (allowed: {allowed})")
        key: Key = (row[0], row[1], row[2], row[3])
        if key in table:
            raise TableError(f"row {number}: duplicate combination {key}")
        table[key] = row[4]
    missing = [k for k in itertools.product(*AXES) if k not in table]
    if missing:
        raise TableError(f"missing combination(s): {missing}")
    return table


@cache
def load() -> dict[Key, str]:
    text = resources.files(__package__).joinpath("cisa_tree.json").read_text("utf-8")
    return validate(json.loads(text))
