"""Scan imports and the findings they keep up to date (see docs/vulns.md)."""

from __future__ import annotations

from django.db import models
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest

from ramparts.core.models import BusinessUnit, User
from ramparts.inventory.models import System


class ScanImport(models.Model):
    """One imported scan file: its hash, format, scope and what it did to the findings."""

    REF_PREFIX = "SCAN"

    class Status(models.TextChoices):
        QUEUED = "queued", "queued"
        RUNNING = "running", "running"
        DONE = "done", "done"
        FAILED = "failed", "failed"

    number = models.PositiveIntegerField(unique=True, editable=False)
    business_unit = models.ForeignKey(BusinessUnit, on_delete=models.PROTECT, related_name="+")
    system = models.ForeignKey(System, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    scope = models.CharField(max_length=300, db_index=True)
    format = models.CharField(max_length=40)
    file_name = models.CharField(max_length=400)
    file_sha256 = models.CharField(max_length=64, db_index=True)
    size = models.BigIntegerField(default=0)
    complete = models.BooleanField(default=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    findings = models.PositiveIntegerField(default=0)
    new = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    reopened = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DONE)
    # A background import (upload page, API) reports its progress here while it runs.
    phase = models.CharField(max_length=20, blank=True)
    bytes_read = models.BigIntegerField(default=0)
    error = models.TextField(blank=True)
    upload_path = models.CharField(max_length=500, blank=True)  # the stored upload, deleted when done
    options = models.JSONField(default=dict, blank=True)  # format override, system, create-missing
    # When a replay of this import's file last saw its findings (importing/replay.py): one row moves
    # instead of a million `Finding.last_seen`, which is the later of the two (Finding.last_seen_at).
    seen_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.ref

    @property
    def ref(self) -> str:
        return f"{self.REF_PREFIX}-{self.number}"


SEVERITY_NAMES = ("info", "low", "medium", "high", "critical")


def _keep_last_seen_then_set_null(collector, field, sub_objs, using):
    """SET_NULL, after writing the deleted import's `seen_at` into its findings' own `last_seen`.

    Without the import, `last_seen_at` falls back to the stored column, which must already hold it.
    """
    ids = sub_objs.values("pk") if isinstance(sub_objs, QuerySet) else [f.pk for f in sub_objs]
    seen_at = Subquery(ScanImport.objects.filter(pk=OuterRef("last_import_id")).values("seen_at"))
    Finding.objects.using(using).filter(pk__in=ids).update(
        last_seen=Greatest("last_seen", Coalesce(seen_at, "last_seen"))
    )
    models.SET_NULL(collector, field, sub_objs, using)


class FindingScope(models.Model):
    """What one import compares its findings with (docs/vulns.md, "Scope"): unit, system, format, target.

    A finding holds its scope's id: the (scope, fingerprint) key is then ~25 bytes instead of
    ~110, and every import writes one entry of it per new finding at a random place."""

    key = models.CharField(max_length=300, unique=True)

    def __str__(self) -> str:
        return self.key

    @staticmethod
    def ids_of(keys) -> dict[str, int]:
        """The id of each scope key, creating the missing ones."""
        keys = list(dict.fromkeys(keys))
        found = dict(FindingScope.objects.filter(key__in=keys).values_list("key", "id"))
        missing = [k for k in keys if k not in found]
        if missing:
            FindingScope.objects.bulk_create([FindingScope(key=k) for k in missing], ignore_conflicts=True)
            found.update(FindingScope.objects.filter(key__in=missing).values_list("key", "id"))
        return found


class Finding(models.Model):
    REF_PREFIX = "FND"

    class Status(models.TextChoices):
        OPEN = "open", "open"
        FIXED = "fixed", "fixed"
        FALSE_POSITIVE = "false_positive", "false positive"
        RISK_ACCEPTED = "risk_accepted", "risk accepted"

    number = models.PositiveIntegerField(unique=True, editable=False)
    # No single-column indexes on these two: (system, status) serves every query by system, the column
    # snapshot every count by unit (deleting a unit scans: rare), and each b-tree costs every insert.
    business_unit = models.ForeignKey(BusinessUnit, on_delete=models.PROTECT, related_name="+", db_index=False)
    system = models.ForeignKey(
        System, null=True, blank=True, on_delete=models.SET_NULL, related_name="findings", db_index=False
    )
    # The first 16 bytes of a SHA-256 (docs/vulns.md, "Fingerprint"): unique within the scope.
    fingerprint = models.BinaryField(max_length=16)
    scope = models.ForeignKey(FindingScope, on_delete=models.PROTECT, related_name="+", db_index=False)
    title = models.CharField(max_length=500)
    description = models.TextField(blank=True)
    severity = models.PositiveSmallIntegerField(default=0)  # 0 info … 4 critical
    scanner_severity = models.CharField(max_length=40, blank=True)
    cvss3_vector = models.CharField(max_length=200, blank=True)
    cvss3_score = models.FloatField(null=True, blank=True)
    cvss4_vector = models.CharField(max_length=300, blank=True)
    cvss4_score = models.FloatField(null=True, blank=True)
    cwe = models.PositiveIntegerField(null=True, blank=True)
    cve = models.CharField(max_length=64, blank=True)
    aliases = models.TextField(blank=True)  # one id per line
    package = models.CharField(max_length=300, blank=True)
    installed_version = models.CharField(max_length=200, blank=True)
    fixed_version = models.CharField(max_length=300, blank=True)
    ecosystem = models.CharField(max_length=60, blank=True)
    purl = models.CharField(max_length=500, blank=True)
    host = models.CharField(max_length=300, blank=True)
    ip = models.CharField(max_length=64, blank=True)
    port = models.PositiveIntegerField(null=True, blank=True)
    url = models.TextField(blank=True)
    image = models.CharField(max_length=500, blank=True)
    repository = models.CharField(max_length=500, blank=True)
    file_path = models.TextField(blank=True)
    line = models.PositiveIntegerField(null=True, blank=True)
    tool = models.CharField(max_length=80, blank=True)
    rule_id = models.CharField(max_length=300, blank=True)
    first_seen = models.DateTimeField()
    last_seen = models.DateTimeField()  # when an import parsed it; read last_seen_at (a replay moves the import's)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    vex_state = models.CharField(max_length=40, blank=True)
    fixed_at = models.DateTimeField(null=True, blank=True)
    # The import leaves the columns it does not fill to the database (fewer bound parameters).
    reopened_count = models.PositiveIntegerField(default=0, db_default=0)
    last_import = models.ForeignKey(
        ScanImport, null=True, blank=True, on_delete=_keep_last_seen_then_set_null, related_name="+", db_index=False
    )  # indexed with status in Meta.indexes
    exploit_available = models.BooleanField(default=False)  # the scanner says a public exploit exists
    # Enrichment (docs/vulns-triage.md): copied from the feeds so that the list filters on one table.
    kev_date_added = models.DateField(null=True, blank=True)  # null <=> not in CISA KEV
    kev_due_date = models.DateField(null=True, blank=True)
    kev_ransomware = models.BooleanField(default=False)
    epss_score = models.FloatField(null=True, blank=True)
    epss_percentile = models.FloatField(null=True, blank=True)
    epss_date = models.DateField(null=True, blank=True)
    # SSVC inputs and decision; priority is the decision as a number to sort on (Priority).
    exploitation = models.CharField(max_length=8, blank=True)
    automatable = models.CharField(max_length=3, blank=True)
    technical_impact = models.CharField(max_length=8, blank=True)
    mission_wellbeing = models.CharField(max_length=8, blank=True)
    ssvc_decision = models.CharField(max_length=10, blank=True)
    priority = models.PositiveSmallIntegerField(default=0)
    sla_due = models.DateField(null=True, blank=True)
    # Triage
    # Indexed where set only (vulns_find_assignee): an import's findings have none.
    assignee = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    triage_reason = models.TextField(blank=True, default="", db_default="")  # why false positive / risk accepted
    accepted_until = models.DateField(null=True, blank=True)  # a risk acceptance's expiry

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "fingerprint"], name="vulns_finding_scope_fp")]
        # Each secondary index costs an import ~1.5 s per million findings (tests/…/bench_vulns.py). Facets,
        # counts, sorted pages, dashboards and the burn-down come from the column snapshot
        # (facet_columns), so the indexes are those of the reads it does not serve: the default page
        # (before a snapshot exists), a system's findings, a CVE's, a replay, KEV, expiries, assignees.
        indexes = [
            models.Index(fields=["system", "status"]),
            models.Index(fields=["cve"]),
            models.Index(fields=["status", "priority", "severity", "id"]),
            # A replay reads the fixed findings of one import and walks past its rows (importing/replay.py).
            models.Index(fields=["last_import", "status"]),
            models.Index(
                fields=["status", "kev_date_added"], name="vulns_find_kev", condition=Q(kev_date_added__isnull=False)
            ),
            models.Index(
                fields=["accepted_until"], name="vulns_find_accepted", condition=Q(accepted_until__isnull=False)
            ),
            models.Index(fields=["assignee"], name="vulns_find_assignee", condition=Q(assignee__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    @property
    def ref(self) -> str:
        return f"{self.REF_PREFIX}-{self.number}"

    @property
    def last_seen_at(self):
        """When a scan last showed it: its own time, or its import's if a replay of the file saw it since.

        Readers select_related("last_import") (LAST_SEEN is the same in SQL, for sorting).
        """
        seen = self.last_import.seen_at if self.last_import_id is not None else None
        return self.last_seen if seen is None else max(self.last_seen, seen)

    @property
    def severity_label(self) -> str:
        return SEVERITY_NAMES[self.severity] if 0 <= self.severity < len(SEVERITY_NAMES) else str(self.severity)

    @property
    def in_kev(self) -> bool:
        return self.kev_date_added is not None

    @property
    def ssvc_reason(self) -> str:
        from ramparts.vulns.ssvc.decide import reason

        return reason(self.exploitation, self.automatable, self.technical_impact, self.mission_wellbeing)

    @property
    def priority_label(self) -> str:
        return Priority(self.priority).label

    @property
    def closed(self) -> bool:
        return self.status != self.Status.OPEN


# Finding.last_seen_at as an expression. Greatest is null on SQLite if any argument is: coalesce first.
LAST_SEEN = Greatest("last_seen", Coalesce("last_import__seen_at", "last_seen"))


class Priority(models.IntegerChoices):
    """The SSVC decision as a number, highest first. NONE: not yet decided (no open finding keeps it)."""

    NONE = 0, "none"
    TRACK = 1, "Track"
    TRACK_STAR = 2, "Track*"
    ATTEND = 3, "Attend"
    ACT = 4, "Act"


# decide() answers with the table's words; the finding stores the lower-case key and the number.
DECISION_KEYS = {"Track": "track", "Track*": "track_star", "Attend": "attend", "Act": "act"}
PRIORITY_OF_KEY = {
    "track": Priority.TRACK,
    "track_star": Priority.TRACK_STAR,
    "attend": Priority.ATTEND,
    "act": Priority.ACT,
}


class FindingComment(models.Model):
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"comment on {self.finding_id}"


class FindingAcceptance(models.Model):
    """A risk acceptance: who asked, who approved, why and until when. Revoked or expired ones stay as history."""

    class State(models.TextChoices):
        ACTIVE = "active", "active"
        REVOKED = "revoked", "revoked"
        EXPIRED = "expired", "expired"

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="acceptances")
    reason = models.TextField()
    requested_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    approver = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    expires_on = models.DateField()
    created_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.ACTIVE)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "expires_on"])]

    def __str__(self) -> str:
        return f"acceptance of {self.finding_id} until {self.expires_on}"


class FindingSnapshot(models.Model):
    """Open findings of one unit and priority on one day: the burn-down chart's data."""

    date = models.DateField()
    business_unit = models.ForeignKey(BusinessUnit, on_delete=models.CASCADE, related_name="+")
    priority = models.PositiveSmallIntegerField()
    open = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)
    kev = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["date", "business_unit", "priority"], name="vulns_snapshot_day_unit_prio")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.priority}: {self.open}"


class KevEntry(models.Model):
    """One entry of CISA's Known Exploited Vulnerabilities catalogue."""

    cve = models.CharField(max_length=32, unique=True)
    vendor = models.CharField(max_length=200, blank=True)
    product = models.CharField(max_length=200, blank=True)
    name = models.CharField(max_length=500, blank=True)
    date_added = models.DateField()
    due_date = models.DateField(null=True, blank=True)
    known_ransomware = models.BooleanField(null=True)  # CISA says "Known" or "Unknown", never "no"
    notes = models.TextField(blank=True)
    cwes = models.CharField(max_length=200, blank=True)  # comma-separated

    def __str__(self) -> str:
        return self.cve


class EpssScore(models.Model):
    """FIRST EPSS: probability of exploitation in the next 30 days, for one CVE on one day."""

    cve = models.CharField(max_length=32, unique=True)
    score = models.FloatField()
    percentile = models.FloatField()
    date = models.DateField()

    def __str__(self) -> str:
        return f"{self.cve} {self.score}"


class FeedRun(models.Model):
    """One feed update: where it came from, what it held, how many findings it changed."""

    class Feed(models.TextChoices):
        KEV = "kev", "CISA KEV"
        EPSS = "epss", "FIRST EPSS"

    feed = models.CharField(max_length=8, choices=Feed.choices)
    source = models.CharField(max_length=500)
    fetched_at = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    version = models.CharField(max_length=100, blank=True)  # EPSS model version and score date, KEV catalogue version
    findings_updated = models.PositiveIntegerField(default=0)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-fetched_at", "-id"]
        indexes = [models.Index(fields=["feed", "-fetched_at"])]

    def __str__(self) -> str:
        return f"{self.feed} {self.fetched_at:%Y-%m-%d %H:%M}"


class FindingsVersion(models.Model):
    """The findings version (ramparts.vulns.cache): one row, moved by an atomic UPDATE in the
    transaction of each change, so that two changes committed at once never share a number."""

    value = models.BigIntegerField()

    class Meta:
        verbose_name = "findings version"

    def __str__(self) -> str:
        return f"findings version {self.value}"
