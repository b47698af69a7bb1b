"""Coverage in % of a set of requirements, overall and per group (CSF function, category…). Pure Python.

Each requirement scores 1 when implemented, 0.5 when partially implemented, 0 when not implemented
or not assessed, and is left out when not applicable:
    coverage = (implemented + 0.5 × partial) / (requirements − not applicable)
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

SCORES = {"implemented": 1.0, "partial": 0.5, "not_implemented": 0.0, None: 0.0, "": 0.0}


@dataclass
class Tally:
    key: str
    label: str = ""
    implemented: int = 0
    partial: int = 0
    not_implemented: int = 0
    not_applicable: int = 0
    unassessed: int = 0
    score: float = 0.0

    @property
    def total(self) -> int:
        return self.implemented + self.partial + self.not_implemented + self.not_applicable + self.unassessed

    @property
    def applicable(self) -> int:
        return self.total - self.not_applicable

    @property
    def percent(self) -> float:
        return round(100.0 * self.score / self.applicable, 1) if self.applicable else 0.0

    def add(self, status: str | None, score: float | None = None) -> None:
        if status == "not_applicable":
            self.not_applicable += 1
            return
        if status == "implemented":
            self.implemented += 1
        elif status == "partial":
            self.partial += 1
        elif status == "not_implemented":
            self.not_implemented += 1
        else:
            self.unassessed += 1
        self.score += SCORES.get(status, 0.0) if score is None else score


@dataclass(frozen=True)
class Item:
    status: str | None  # implemented / partial / not_implemented / not_applicable / None (unassessed)
    groups: Sequence[tuple[str, str]] = ()  # (key, label) of each group it counts in, outermost first
    score: float | None = None  # overrides the status's score (profile gaps: current tier / target tier)


@dataclass
class Coverage:
    overall: Tally
    groups: list[Tally] = field(default_factory=list)  # in first-seen order

    def depth(self, level: int) -> list[Tally]:
        return [g for g in self.groups if g.key.count("/") == level]


def coverage(items: Iterable[Item]) -> Coverage:
    overall = Tally("all", "All")
    groups: dict[str, Tally] = {}
    for item in items:
        overall.add(item.status, item.score)
        path = ""
        for key, label in item.groups:
            path = f"{path}/{key}" if path else key
            tally = groups.get(path)
            if tally is None:
                tally = groups[path] = Tally(path, label)
            tally.add(item.status, item.score)
    return Coverage(overall, list(groups.values()))


def tier_score(current: int, target: int) -> float:
    """How much of a target outcome's tier the current profile reaches (0…1)."""
    if target <= 0:
        return 1.0
    return min(max(current, 0), target) / target
