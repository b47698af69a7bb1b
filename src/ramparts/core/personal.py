"""What is addressed to one person: policies to acknowledge, tasks and actions they own, findings
assigned to them. Each module contributes in its `personal.py` (found by `autodiscover`):

    from ramparts.core.personal import Item, register

    @register
    def policies_to_acknowledge(user) -> list[Item]: ...

The personal home page (and anyone's "Assigned to you" list) shows every item, soonest due first.
A source runs a bounded number of queries whatever the number of items.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class Item:
    kind: str  # a short label: "Policy", "Task", "Finding", ...
    title: str
    url: str
    due: dt.datetime | dt.date | None = None
    detail: str = ""
    overdue: bool = False


Source = Callable[[object], list[Item]]
_sources: list[Source] = []
_discovered = False


def register(source: Source) -> Source:
    if source not in _sources:
        _sources.append(source)
    return source


def items_for(user) -> list[Item]:
    global _discovered
    if not _discovered:
        autodiscover_modules("personal")
        _discovered = True
    items = [item for source in _sources for item in source(user)]
    return sorted(items, key=_due_key)


def _due_key(item: Item) -> tuple[int, str]:
    if item.due is None:
        return (1, item.title)
    due = item.due.isoformat() if isinstance(item.due, dt.datetime) else f"{item.due.isoformat()}T00:00"
    return (0, due)
