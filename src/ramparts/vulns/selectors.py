"""Reads of findings. The acting user comes first; every query starts from `visible_to`.

Findings of another business unit answer NotFound, exactly like findings that do not exist. List
querysets carry their select_related, so a page costs the same few queries whatever its length.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import timezone

from ramparts.core.errors import NotFound
from ramparts.core.models import BusinessUnit, User
from ramparts.core.permissions import require, scope_to_units, unit_ids
from ramparts.core.roles import Role, role_allows
from ramparts.inventory.models import BusinessService, System
from ramparts.inventory.selectors import parse_ref
from ramparts.vulns import facet_columns, facets
from ramparts.vulns.cache import cached
from ramparts.vulns.facets import FACET_TOP, Facets, FacetValue, finding_facets  # noqa: F401  (re-exported)
from ramparts.vulns.filters import (
    AGE_BANDS,
    CVE_RE,
    EPSS_BANDS,
    SORTS,
    STATUSES,
    FindingFilters,
    age_band_q,
    epss_band_q,
    overdue_q,
    text_q,
)
from ramparts.vulns.models import EpssScore, FeedRun, Finding, FindingSnapshot, KevEntry, Priority
from ramparts.vulns.snapshot_rows import SnapshotRows, sort_keys

LIST_FIELDS = (
    "id", "number", "title", "severity", "priority", "ssvc_decision", "status", "cve", "tool", "package",
    "host", "first_seen", "last_seen", "sla_due", "kev_date_added", "epss_score", "system_id", "business_unit_id",
    "assignee_id", "system__number", "system__name", "business_unit__code", "business_unit__name",
    "assignee__username", "last_import_id", "last_import__seen_at",
)  # fmt: skip


def visible_to(user) -> QuerySet[Finding]:
    """Every finding the user may read (role allows vulns.view, unit in scope)."""
    require(user, "vulns.view")
    return scope_to_units(user, Finding.objects.all())


def apply_filters(user, qs: QuerySet[Finding], filters: FindingFilters, *, skip: tuple[str, ...] = ()) -> QuerySet:
    """Narrow `qs` by every filter except those named in `skip` (facets count without their own filter)."""
    f = filters
    if "status" not in skip and f.status != "all":
        qs = qs.filter(status=f.status if f.status in STATUSES else Finding.Status.OPEN)
    if f.severities and "severity" not in skip:
        qs = qs.filter(severity__in=f.severities)
    if f.priorities and "priority" not in skip:
        qs = qs.filter(priority__in=f.priorities)
    if f.kev is not None and "kev" not in skip:
        qs = qs.filter(kev_date_added__isnull=not f.kev)
    if f.epss and "epss" not in skip:
        bands = [b for b in f.epss.split(",") if b in EPSS_BANDS]
        if bands:
            q = Q()
            for band in bands:
                q |= epss_band_q(band)
            qs = qs.filter(q)
    if f.tool and "tool" not in skip:
        qs = qs.filter(tool=f.tool)
    if f.system and "system" not in skip:
        try:
            qs = qs.filter(system__number=parse_ref(f.system, System.REF_PREFIX))
        except NotFound:
            qs = qs.none()
    if f.business_unit and "business_unit" not in skip:
        qs = qs.filter(business_unit__code=f.business_unit)
    if f.age in AGE_BANDS and "age" not in skip:
        qs = qs.filter(age_band_q(f.age))
    if f.overdue is not None and "overdue" not in skip:
        qs = qs.filter(overdue_q()) if f.overdue else qs.exclude(overdue_q())
    if f.cve:
        qs = qs.filter(cve=f.cve.upper())
    if f.assignee:
        qs = qs.filter(assignee=user) if f.assignee == "me" else qs.filter(assignee__username=f.assignee)
    if f.q:
        qs = qs.filter(text_q(f.q))
    return qs


def finding_list(user, filters: FindingFilters | None = None) -> QuerySet[Finding]:
    filters = filters or FindingFilters()
    return _with_list_fields(apply_filters(user, visible_to(user), filters)).order_by(*filters.ordering())


def _with_list_fields(qs: QuerySet[Finding]) -> QuerySet[Finding]:
    related = ("system", "business_unit", "assignee", "last_import")  # last_import: Finding.last_seen_at
    return qs.select_related(*related).only(*LIST_FIELDS)


def finding_rows(user, filters: FindingFilters | None = None) -> QuerySet[Finding] | SnapshotRows:
    """finding_list for a page: ordered and counted by the column snapshot when one exists and holds
    the sort (snapshot_rows), the QuerySet otherwise. Either one slices and counts: the QuerySet's
    `known_count`, when the snapshot could tell, is what `count()` would answer (pagination reads it)."""
    require(user, "vulns.view")
    filters = filters or FindingFilters()
    sort = filters.sort if filters.sort in SORTS else "priority"
    if not set(filters.as_params()) - {"sort"} and sort == "priority" and unit_ids(user) is None:
        return _counted(user, filters)  # every open finding: the (status, priority, severity, id) index pages
    columns = facet_columns.current(build_if_missing=False)
    keys = sort_keys(columns, sort) if columns is not None else None
    if columns is None or keys is None:
        return _counted(user, filters)
    matching, _ = facets.snapshot_masks(user, filters, columns)
    # The page is read by id alone (and the user's scope): the filters are the snapshot's, and with
    # them the database may prefer a filter's index to the primary key (seen: 200 ms at 1M).
    return SnapshotRows(_with_list_fields(visible_to(user)), columns.id[matching], keys[matching])


def _counted(user, filters: FindingFilters) -> QuerySet[Finding]:
    qs = finding_list(user, filters)
    qs.known_count = facets.snapshot_count(user, filters)  # type: ignore[attr-defined]
    return qs


def finding_get(user, *, ref: str) -> Finding:
    number = parse_ref(ref, Finding.REF_PREFIX)
    finding = (
        visible_to(user)
        .select_related("system", "business_unit", "assignee", "last_import")
        .filter(number=number)
        .first()
    )
    if finding is None:
        raise NotFound(f"Finding {ref} not found.")
    return finding


def findings_of_system(user, *, ref: str, filters: FindingFilters | None = None) -> tuple[System, QuerySet[Finding]]:
    require(user, "vulns.view")
    number = parse_ref(ref, System.REF_PREFIX)
    system = scope_to_units(user, System.objects.all()).filter(number=number).first()
    if system is None:
        raise NotFound(f"System {ref} not found.")
    filters = filters or FindingFilters()
    return system, finding_list(user, filters).filter(system=system)


@dataclass
class CveView:
    cve: str
    kev: KevEntry | None
    epss: EpssScore | None
    findings: list[Finding]  # the first FINDINGS_SHOWN, highest priority first
    finding_count: int
    systems: list[dict]
    services: list[BusinessService]
    open_count: int


# The findings a CVE page lists; its systems and counts cover all of them (the list has the rest).
FINDINGS_SHOWN = 200


def cve_view(user, *, cve: str) -> CveView:
    """Which of our systems have CVE-X, with KEV and EPSS data and the services at stake."""
    cve = cve.strip().upper()
    if not CVE_RE.match(cve):
        raise NotFound(f"{cve!r} is not a CVE id (CVE-YYYY-NNNN).")
    with_cve = visible_to(user).filter(cve=cve)
    is_open = Q(status=Finding.Status.OPEN)
    counted = (
        with_cve.order_by()
        .values("system_id")
        .annotate(findings=Count("id"), open=Count("id", filter=is_open), priority=Max("priority", filter=is_open))
    )
    per_system = {row["system_id"]: row for row in counted}
    system_ids = [sid for sid in per_system if sid is not None]
    named = System.objects.in_bulk(system_ids)
    systems = [
        {"system": named.get(sid) if sid else None, "findings": row["findings"], "open": row["open"],
         "priority": row["priority"] or 0}
        for sid, row in per_system.items()
    ]  # fmt: skip
    findings = list(
        with_cve.select_related("system", "business_unit", "assignee").order_by("-priority", "system__name", "id")[
            :FINDINGS_SHOWN
        ]
    )
    services = list(
        scope_to_units(user, BusinessService.objects.all())
        .filter(dependencies__system_id__in=system_ids)
        .distinct()
        .order_by("-criticality", "name")
    )
    return CveView(
        cve=cve,
        kev=KevEntry.objects.filter(cve=cve).first(),
        epss=EpssScore.objects.filter(cve=cve).first(),
        findings=findings,
        finding_count=sum(row["findings"] for row in per_system.values()),
        systems=sorted(systems, key=lambda e: (-e["open"], -e["priority"], e["system"].name if e["system"] else "")),
        services=services,
        open_count=sum(row["open"] for row in per_system.values()),
    )


def burndown(user, *, days: int = 90) -> dict[str, list[tuple[dt.date, int]]]:
    """Open findings per day by priority (label -> [(day, count)]), summed over the user's units."""
    require(user, "vulns.view")
    since = timezone.now().date() - dt.timedelta(days=days)
    rows = (
        scope_to_units(user, FindingSnapshot.objects.filter(date__gte=since))
        .values_list("date", "priority")
        .annotate(n=Sum("open"))
        .order_by("date")
    )
    series: dict[str, dict[dt.date, int]] = {p.label: {} for p in sorted(Priority, reverse=True) if p != Priority.NONE}
    for day, priority, count in rows:
        if priority != Priority.NONE:
            series[Priority(priority).label][day] = count
    return {label: sorted(points.items()) for label, points in series.items()}


def summary(user) -> dict:
    """Dashboard numbers: open by priority, KEV hits, overdue; from the column snapshot, else SQL cached
    until the findings change."""
    require(user, "vulns.view")
    columns = facet_columns.current()
    if columns is not None:
        return _summary_dict(*facets.open_summary(user, columns))
    units = unit_ids(user)
    scope = tuple(sorted(units)) if units is not None else None
    return cached("summary", (scope, timezone.now().date()), lambda: _summary(user))


def _summary(user) -> dict:
    qs = visible_to(user).filter(status=Finding.Status.OPEN)
    by_priority = dict(qs.values_list("priority").annotate(n=Count("id")).order_by())
    kev = qs.filter(kev_date_added__isnull=False).aggregate(
        findings=Count("id"), systems=Count("system", distinct=True)
    )
    return _summary_dict(by_priority, kev["findings"], kev["systems"], qs.filter(overdue_q()).count())


def _summary_dict(by_priority: dict[int, int], kev_findings: int, kev_systems: int, overdue: int) -> dict:
    return {
        "by_priority": [(p.label, by_priority.get(int(p), 0), key) for p, key in facets.PRIORITY_KEYS.items()],
        "open": sum(by_priority.values()),
        "kev_findings": kev_findings,
        "kev_systems": kev_systems,
        "overdue": overdue,
    }


def assignable_users(user, finding: Finding) -> QuerySet[User]:
    """People who may be assigned the finding: active, in its unit (or all units), holding vulns.triage."""
    roles = [r.value for r in Role if role_allows(r.value, "vulns.triage")]
    return (
        User.objects.filter(is_active=True, role__in=roles)
        .filter(Q(all_units=True) | Q(role="admin") | Q(business_units=finding.business_unit_id))
        .distinct()
        .order_by("username")
    )


def latest_feed_runs() -> dict[str, FeedRun | None]:
    return {feed: FeedRun.objects.filter(feed=feed).first() for feed in FeedRun.Feed.values}


def units_of(user) -> QuerySet[BusinessUnit]:
    return scope_to_units(user, BusinessUnit.objects.all(), "id")
