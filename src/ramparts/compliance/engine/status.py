"""Requirement statuses derived from controls, across crosswalks. Pure Python, no Django.

1. A control answers with its own status (`control_level`):
   implemented → IMPLEMENTED, except when rated ineffective or partially effective → PARTIAL;
   in progress → PARTIAL; planned or not implemented → NOT_IMPLEMENTED.
2. A requirement with mapped controls (`direct`): all of them IMPLEMENTED → IMPLEMENTED; at least one
   IMPLEMENTED or PARTIAL → PARTIAL; otherwise NOT_IMPLEMENTED. No control → no direct status.
3. Crosswalks (NIST OLIR types, read "source REL target") carry a status from a requirement S to a
   related requirement T. Each edge is used in both directions with the inverse relationship
   (subset_of ↔ superset_of; equal and intersects_with are symmetric). `carry(rel, s)` for
   "S rel T":
   - S equal T: T gets S's status (IMPLEMENTED, PARTIAL or NOT_IMPLEMENTED).
   - S superset_of T (T is contained in S): IMPLEMENTED → IMPLEMENTED; PARTIAL → PARTIAL (we
     cannot know which part of S is done); NOT_IMPLEMENTED → NOT_IMPLEMENTED.
   - S subset_of T (S covers only part of T): IMPLEMENTED or PARTIAL → PARTIAL; NOT_IMPLEMENTED
     carries nothing.
   - S intersects_with T: IMPLEMENTED or PARTIAL → PARTIAL; NOT_IMPLEMENTED carries nothing.
   - "related" (no OLIR set relation) carries nothing.
4. A requirement's status is the best of its direct status and everything carried to it. Carried
   statuses travel on (multi-hop) until nothing changes: every hop keeps or lowers a status and the
   best is kept, so the walk ends on any graph, cycles included.
Not applicable is never derived: it is a decision of an assessment (with a justification).
"""

from collections import defaultdict, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import IntEnum


class Level(IntEnum):
    NOT_IMPLEMENTED = 0
    PARTIAL = 1
    IMPLEMENTED = 2


STATUS_OF_LEVEL = {Level.NOT_IMPLEMENTED: "not_implemented", Level.PARTIAL: "partial", Level.IMPLEMENTED: "implemented"}
LEVEL_OF_STATUS = {v: k for k, v in STATUS_OF_LEVEL.items()}

INVERSE = {
    "subset_of": "superset_of",
    "superset_of": "subset_of",
    "equal": "equal",
    "intersects_with": "intersects_with",
}

# Effectiveness ratings (compliance.models.Control.Effectiveness) that make an implemented control partial.
WEAK_EFFECTIVENESS = frozenset({1, 2})


def control_level(status: str, effectiveness: int = 0) -> Level:
    if status == "implemented":
        return Level.PARTIAL if effectiveness in WEAK_EFFECTIVENESS else Level.IMPLEMENTED
    if status == "in_progress":
        return Level.PARTIAL
    return Level.NOT_IMPLEMENTED


def combine(levels: Iterable[Level]) -> Level | None:
    """Several controls answering one requirement: all implemented, some, or none."""
    found = list(levels)
    if not found:
        return None
    if all(level == Level.IMPLEMENTED for level in found):
        return Level.IMPLEMENTED
    if any(level >= Level.PARTIAL for level in found):
        return Level.PARTIAL
    return Level.NOT_IMPLEMENTED


def carry(relationship: str, level: Level) -> Level | None:
    """What "S relationship T" passes to T when S has `level` (None: nothing)."""
    if relationship in ("equal", "superset_of"):
        return level
    if relationship in ("subset_of", "intersects_with"):
        return Level.PARTIAL if level >= Level.PARTIAL else None
    return None


@dataclass(frozen=True)
class Relation:
    source: int
    target: int
    relationship: str


@dataclass
class Derived:
    """A requirement's derived level and why: its own controls, or the requirement it came from."""

    level: Level
    direct: bool
    via: int | None = None  # the requirement id it was carried from
    relationship: str = ""


@dataclass
class Derivation:
    statuses: dict[int, Derived] = field(default_factory=dict)

    def status(self, requirement_id: int) -> str | None:
        found = self.statuses.get(requirement_id)
        return STATUS_OF_LEVEL[found.level] if found else None


def derive(
    control_levels: Mapping[int, Level],
    mappings: Iterable[tuple[int, int]],
    relations: Iterable[Relation] = (),
) -> Derivation:
    """Levels of every requirement reachable from the controls.

    control_levels: control id → level; mappings: (control id, requirement id); relations: crosswalk edges.
    """
    by_requirement: dict[int, list[Level]] = defaultdict(list)
    for control_id, requirement_id in mappings:
        if control_id in control_levels:
            by_requirement[requirement_id].append(control_levels[control_id])
    result: dict[int, Derived] = {}
    for requirement_id, levels in by_requirement.items():
        level = combine(levels)
        if level is not None:
            result[requirement_id] = Derived(level, direct=True)

    edges: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for rel in relations:
        if rel.relationship not in INVERSE or rel.source == rel.target:
            continue
        edges[rel.source].append((rel.target, rel.relationship))
        edges[rel.target].append((rel.source, INVERSE[rel.relationship]))

    queue = deque(result)
    while queue:
        source = queue.popleft()
        level = result[source].level
        for target, relationship in edges.get(source, ()):
            carried = carry(relationship, level)
            if carried is None:
                continue
            current = result.get(target)
            if current is None or carried > current.level:
                result[target] = Derived(carried, direct=False, via=source, relationship=relationship)
                queue.append(target)
    return Derivation(result)
