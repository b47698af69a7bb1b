"""Alert intake: sources (each with its own signing secret and JSONPath mapping), the alerts they
send (deduplicated per source reference), groups of related alerts, suppression rules, and the
short-lived replay and rate-limit records the webhook endpoint keeps in the database (so that they
hold across worker processes)."""

from django.conf import settings
from django.db import models

from ramparts.core.models import BusinessUnit


class Severity(models.TextChoices):
    INFO = "info", "info"
    LOW = "low", "low"
    MEDIUM = "medium", "medium"
    HIGH = "high", "high"
    CRITICAL = "critical", "critical"


SEVERITY_RANK = {s.value: i for i, s in enumerate(Severity)}


class AlertSource(models.Model):
    """A sender of alerts. The HMAC secret is stored as such, because verifying a signature needs
    the secret itself (a hash of it would not do): it is shown once, kept out of logs, pages, the API
    and the audit trail, and can be rotated. Anyone who can read the database can forge alerts for
    this source; they could also write alerts directly, so this adds no new power."""

    class Kind(models.TextChoices):
        GENERIC = "generic", "Generic JSON"
        WAZUH = "wazuh", "Wazuh"
        ELASTIC = "elastic", "Elastic / Kibana webhook connector"
        ALERTMANAGER = "alertmanager", "Prometheus Alertmanager"

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.GENERIC)
    business_unit = models.ForeignKey(BusinessUnit, on_delete=models.PROTECT, related_name="+")
    secret = models.CharField(max_length=128)
    mapping = models.JSONField(help_text="JSONPath mapping (see docs/alerts.md).")
    group_by = models.JSONField(default=list, blank=True, help_text="Alert fields whose equal values group alerts.")
    group_window_minutes = models.PositiveIntegerField(default=10)
    rate_limit_per_minute = models.PositiveIntegerField(default=6000)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AlertGroup(models.Model):
    """Alerts of one source sharing the group-by values, each within the window of the previous one."""

    source = models.ForeignKey(AlertSource, on_delete=models.CASCADE, related_name="groups")
    key = models.CharField(max_length=64)
    label = models.CharField(max_length=500)
    first_seen = models.DateTimeField()
    last_seen = models.DateTimeField()
    alert_count = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = [models.Index(fields=["source", "key", "-last_seen"])]

    def __str__(self) -> str:
        return self.label


class SuppressionRule(models.Model):
    """Alerts whose field equals (or matches, with * wildcards) the value are stored as suppressed
    until the given time: nothing is lost, but they stay out of the triage queue."""

    FIELDS = ("title", "severity", "source_ref", "host", "ip", "user", "technique", "rule")

    source = models.ForeignKey(
        AlertSource, null=True, blank=True, on_delete=models.CASCADE, related_name="suppressions"
    )
    field = models.CharField(max_length=16, choices=[(f, f) for f in FIELDS])
    value = models.CharField(max_length=255)
    until = models.DateTimeField()
    reason = models.CharField(max_length=500)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-until"]

    def __str__(self) -> str:
        return f"{self.field}={self.value} until {self.until:%Y-%m-%d %H:%M}"


class Alert(models.Model):
    REF_PREFIX = "ALR"

    class Status(models.TextChoices):
        NEW = "new", "new"
        SUPPRESSED = "suppressed", "suppressed"
        DISMISSED = "dismissed", "dismissed"
        MERGED = "merged", "merged into an incident"
        PROMOTED = "promoted", "promoted to an incident"

    source = models.ForeignKey(AlertSource, on_delete=models.PROTECT, related_name="alerts")
    business_unit = models.ForeignKey(BusinessUnit, on_delete=models.PROTECT, related_name="+")
    dedup_key = models.CharField(max_length=220)
    source_ref = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=500)
    severity = models.CharField(max_length=16, choices=Severity.choices, default=Severity.MEDIUM)
    occurred_at = models.DateTimeField(null=True, blank=True)
    host = models.CharField(max_length=255, blank=True)
    ip = models.CharField(max_length=64, blank=True)
    user = models.CharField(max_length=150, blank=True)
    technique = models.CharField(max_length=200, blank=True)
    rule = models.CharField(max_length=200, blank=True)
    raw = models.JSONField()
    first_seen = models.DateTimeField()
    last_seen = models.DateTimeField()
    count = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEW)
    group = models.ForeignKey(AlertGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="alerts")
    suppressed_by = models.ForeignKey(
        SuppressionRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dismiss_reason = models.CharField(max_length=500, blank=True)
    incident_ref = models.CharField(max_length=32, blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    triaged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_seen", "-id"]
        constraints = [models.UniqueConstraint(fields=["source", "dedup_key"], name="alert_dedup_unique")]
        indexes = [
            models.Index(fields=["business_unit", "status", "-last_seen"]),
            models.Index(fields=["status", "-last_seen"]),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    @property
    def ref(self) -> str:
        return f"{self.REF_PREFIX}-{self.pk}"


class ReplayGuard(models.Model):
    """A signature seen recently: the same signed request a second time is a replay."""

    source = models.ForeignKey(AlertSource, on_delete=models.CASCADE, related_name="+")
    signature = models.CharField(max_length=64)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "signature"], name="alert_replay_unique")]

    def __str__(self) -> str:
        return f"{self.source_id}:{self.signature[:12]}…"


class RateWindow(models.Model):
    """Requests of one source in one minute (fixed window), counted in the database for all workers."""

    source = models.ForeignKey(AlertSource, on_delete=models.CASCADE, related_name="+")
    minute = models.BigIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "minute"], name="alert_rate_unique")]

    def __str__(self) -> str:
        return f"{self.source_id}@{self.minute}: {self.count}"
