"""Who a policy addresses, and how many of them have acknowledged it.

The same rule as the database query in `selectors.audience_people` (a test holds them together):
a person is addressed when the policy names no unit or names theirs, and names no role or theirs.
A person without a Ramparts account counts as an employee.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

DEFAULT_ROLE = "employee"


@dataclass(frozen=True)
class Audience:
    units: frozenset[int]  # empty: every unit
    roles: frozenset[str]  # empty: every role

    def addresses(self, unit_id: int | None, role: str | None) -> bool:
        if self.units and unit_id not in self.units:
            return False
        return not self.roles or (role or DEFAULT_ROLE) in self.roles


@dataclass(frozen=True)
class PersonRow:
    person_id: int
    unit_id: int
    department: str
    user_id: int | None
    role: str | None


@dataclass(frozen=True)
class Rate:
    addressed: int
    acknowledged: int

    @property
    def missing(self) -> int:
        return self.addressed - self.acknowledged

    @property
    def percent(self) -> float | None:
        return round(100.0 * self.acknowledged / self.addressed, 1) if self.addressed else None


def rates(
    audiences: dict[int, Audience], people: Iterable[PersonRow], acknowledged: set[tuple[int, int]]
) -> dict[int, Rate]:
    """policy id -> its rate, from (policy id, user id) pairs that acknowledged the current major."""
    people = list(people)
    result = {}
    for policy_id, audience in audiences.items():
        addressed = acked = 0
        for person in people:
            if audience.addresses(person.unit_id, person.role):
                addressed += 1
                acked += person.user_id is not None and (policy_id, person.user_id) in acknowledged
        result[policy_id] = Rate(addressed, acked)
    return result


def rates_by_department(
    audience: Audience, people: Iterable[PersonRow], acknowledged_users: set[int]
) -> dict[str, Rate]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for person in people:
        if audience.addresses(person.unit_id, person.role):
            row = counts[person.department or ""]
            row[0] += 1
            row[1] += person.user_id is not None and person.user_id in acknowledged_users
    return {dept: Rate(*counts[dept]) for dept in sorted(counts)}
