"""A version number for "the findings changed", so that costly aggregates can be cached between writes.

Facet counts and dashboard numbers over a million findings take seconds to compute; they are read
far more often than findings change. Every write path bumps the version (`findings_changed()`:
enrichment, which imports and feed updates run; triage; acceptance expiry; scan imports), and the
cached values are keyed by it, so a change is visible at the next request. A TTL bounds the age
of a value should a write path ever forget to bump.
"""

import hashlib
from collections.abc import Callable
from typing import Any

from django.core.cache import cache

VERSION_KEY = "vulns:findings-version"
TTL_SECONDS = 600


def findings_changed() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, None)


def version() -> int:
    return int(cache.get_or_set(VERSION_KEY, 1, None) or 1)


def cached(kind: str, parts: tuple, compute: Callable[[], Any]) -> Any:
    """`compute()` once per (kind, parts, findings version), then from the cache for up to TTL_SECONDS."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    key = f"vulns:{kind}:{version()}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TTL_SECONDS)
    return value
