"""Scan imports and the findings they keep up to date (see docs/vulns.md)."""

from django.db import models

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

    def __str__(self) -> str:
        return self.ref

    @property
    def ref(self) -> str:
        return f"{self.REF_PREFIX}-{self.number}"


class Finding(models.Model):
    REF_PREFIX = "FND"

    class Status(models.TextChoices):
        OPEN = "open", "open"
        FIXED = "fixed", "fixed"
        FALSE_POSITIVE = "false_positive", "false positive"
        RISK_ACCEPTED = "risk_accepted", "risk accepted"

    number = models.PositiveIntegerField(unique=True, editable=False)
    business_unit = models.ForeignKey(BusinessUnit, on_delete=models.PROTECT, related_name="+")
    system = models.ForeignKey(System, null=True, blank=True, on_delete=models.SET_NULL, related_name="findings")
    fingerprint = models.CharField(max_length=64)
    scope = models.CharField(max_length=300)
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
    last_seen = models.DateTimeField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    vex_state = models.CharField(max_length=40, blank=True)
    fixed_at = models.DateTimeField(null=True, blank=True)
    reopened_count = models.PositiveIntegerField(default=0)
    last_import = models.ForeignKey(ScanImport, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "fingerprint"], name="vulns_finding_scope_fp")]
        indexes = [
            models.Index(fields=["status", "severity"]),
            models.Index(fields=["system", "status"]),
            models.Index(fields=["cve"]),
            models.Index(fields=["business_unit", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    @property
    def ref(self) -> str:
        return f"{self.REF_PREFIX}-{self.number}"
