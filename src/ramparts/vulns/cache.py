"""A version number for "the findings changed", so that costly aggregates can be cached between writes.

Facet counts and dashboard numbers over a million findings take seconds to compute; they are read
far more often than findings change. Every write path bumps the version (`findings_changed()`:
enrichment, which imports and feed updates run; triage; acceptance expiry; scan imports), and the
cached values are keyed by it, so a change is visible at the next request. A TTL bounds the age
of a value should a write path ever forget to bump. The version is one row (FindingsVersion) moved
by an atomic UPDATE in the change's own transaction: readers see the new number with the new data,
and two changes committed at once get two numbers.

Once a change is committed, one background task per version computes the default views' values
ahead of the first request (ramparts.vulns.warming), inside `warming_at(version)`.
"""

import hashlib
import secrets
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, NamedTuple

from django.core.cache import cache
from django.db import transaction
from django.db.models import F

TTL_SECONDS = 600
DELTA_LIMIT = 10_000  # findings: beyond, reading them all again costs about the same

_pinned: ContextVar[int | None] = ContextVar("vulns_cache_pinned_version", default=None)
_deferred: ContextVar[bool] = ContextVar("vulns_cache_announced_once", default=False)


class StaleVersion(Exception):
    """The findings changed again while a value was being warmed for the version before."""


class Delta(NamedTuple):
    """What a version changed since the one before: the findings whose rows changed, among them the
    ones added. A changed finding keeps its title, package, host and CVE; an added one is new."""

    before: int
    changed: list[int]
    added: list[int]


def findings_changed(*, changed: Collection[int] | None = None, added: Collection[int] = ()) -> None:
    """Announce a change of the findings (call it in the change's transaction).

    `changed`: when the change is known to touch only these findings (`added`: those among them that
    are new), the snapshots of the version before are patched with their rows instead of being read
    again in full (snapshot_files.Shelf). A triage knows its findings; so does an import, which
    announces once for the whole import (`announced_once`).
    """
    if _deferred.get():
        return
    now = _bump()
    if changed is not None and len(changed) <= DELTA_LIMIT:
        delta = Delta(now - 1, sorted(set(changed)), sorted(set(added)))
        cache.set(_delta_key(now), delta, TTL_SECONDS)
    # Warming is a convenience: an enqueue that fails must not fail the committed write (robust).
    transaction.on_commit(_enqueue_warming, robust=True)


@contextmanager
def announced_once() -> Iterator[None]:
    """`findings_changed()` does nothing inside: the caller announces the whole change itself, with
    the findings it changed (the enrichment of an import's findings would announce each batch)."""
    token = _deferred.set(True)
    try:
        yield
    finally:
        _deferred.reset(token)


def _enqueue_warming() -> None:
    """One task per committed version, though a transaction (enrichment batches) announces it many times."""
    current = version()
    if cache.add(f"vulns:warming-queued:{current}", True, TTL_SECONDS):
        from ramparts.vulns.tasks import warm_findings_caches

        warm_findings_caches.enqueue(current)


def delta(at_version: int) -> Delta | None:
    """What `at_version` changed, when it was announced with its findings."""
    found = cache.get(_delta_key(at_version))
    return found if isinstance(found, Delta) else None


def _delta_key(at_version: int) -> str:
    return f"vulns:delta:{at_version}"


def version() -> int:
    from ramparts.vulns.models import FindingsVersion

    found = FindingsVersion.objects.filter(pk=1).values_list("value", flat=True).first()
    return found if found is not None else _first_version()


def _bump() -> int:
    """The next version, in the caller's transaction. An UPDATE of one row: a concurrent change waits
    for this one's commit and counts on from its value (a read, then a write, would count twice)."""
    from ramparts.vulns.models import FindingsVersion

    rows = FindingsVersion.objects.filter(pk=1)
    if not rows.update(value=F("value") + 1):
        _first_version()
        rows.update(value=F("value") + 1)
    return rows.values_list("value", flat=True).get()


def _first_version() -> int:
    from ramparts.vulns.models import FindingsVersion

    row, _ = FindingsVersion.objects.get_or_create(pk=1, defaults={"value": _fresh_version()})
    return row.value


def _fresh_version() -> int:
    """A random start, not 1: a counter that was lost (a deleted row, a rolled-back test) must not
    count again through numbers whose snapshots a process still holds (facet_columns)."""
    return secrets.randbits(48)


@contextmanager
def warming_at(at_version: int) -> Iterator[None]:
    """`cached()` keys by `at_version` and raises StaleVersion instead of storing once the version moved."""
    token = _pinned.set(at_version)
    try:
        yield
    finally:
        _pinned.reset(token)


def cached(kind: str, parts: tuple, compute: Callable[[], Any]) -> Any:
    """`compute()` once per (kind, parts, findings version), then from the cache for up to TTL_SECONDS."""
    pinned = _pinned.get()
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    key = f"vulns:{kind}:{pinned or version()}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        if pinned is not None and version() != pinned:
            raise StaleVersion(kind)
        cache.set(key, value, TTL_SECONDS)
    return value
