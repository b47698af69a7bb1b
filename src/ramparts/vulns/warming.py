"""Compute the findings' cached aggregates before anyone asks, so the first user after an import
does not pay the cold cost (1.5 s for the facets over a million findings on SQLite).

`findings_changed()` enqueues `tasks.warm_findings_caches(version)` once the change is committed;
the worker calls `warm()`. For each scope users actually have it computes, through the very selectors
a request calls, the facets of the list's default view (`FindingFilters()`) and the dashboard summary,
so a warmed value is the value that user would compute. A scope is "every unit" (administrators,
global roles) or a user's sorted unit ids; per-user values (assignee=me) are not warmed.

Bound: at most MAX_SCOPES scopes, those of the most users first; a rarer scope is computed on its
first request, as before. Stale work is skipped: the version is compared at start and before each
store (cache.warming_at), so a task overtaken by another change stops and leaves it to the next one.
"""

from collections import Counter, defaultdict

from ramparts.core.models import User
from ramparts.core.permissions import sees_all_units, user_can
from ramparts.vulns.cache import StaleVersion, version, warming_at
from ramparts.vulns.filters import FindingFilters

MAX_SCOPES = 50

Scope = tuple[int, ...] | None


def warm(at_version: int) -> str:
    """Warm the default views of `at_version`; idempotent (a value already cached is not recomputed)."""
    from ramparts.vulns.selectors import finding_facets, summary

    if version() != at_version:
        return "stale"
    users = scope_users()
    try:
        with warming_at(at_version):
            for user in users:
                finding_facets(user, FindingFilters())
                summary(user)
    except StaleVersion:
        return "stale"
    return f"warmed {len(users)} scopes"


def scope_users(limit: int = MAX_SCOPES) -> list[User]:
    """One active user per distinct scope of those who may view findings, the most shared scopes first."""
    users = [u for u in User.objects.filter(is_active=True).order_by("pk") if user_can(u, "vulns.view")]
    units: defaultdict[int, set[int]] = defaultdict(set)
    memberships = User.business_units.through.objects.filter(user_id__in=[u.pk for u in users])
    for user_id, unit_id in memberships.values_list("user_id", "businessunit_id"):
        units[user_id].add(unit_id)
    by_scope: dict[Scope, User] = {}
    counts: Counter[Scope] = Counter()
    for user in users:
        scope = None if sees_all_units(user) else tuple(sorted(units[user.pk]))
        by_scope.setdefault(scope, user)
        counts[scope] += 1
    return [by_scope[scope] for scope, _ in counts.most_common(limit)]
