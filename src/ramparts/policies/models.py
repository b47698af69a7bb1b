"""Policies, standards and procedures: versioned Markdown documents that go through approval, are
published to business units and roles, acknowledged by the people addressed, reviewed on a cycle,
and that allow time-bound exceptions.

A policy belongs to one business unit (its owner unit, which decides who may change it) and is
*addressed* to an audience: business units (none = the whole organisation) and roles (none =
every role). People without a Ramparts account count as employees.
"""

import datetime as dt

from django.db import models
from django.utils import timezone

from ramparts.core.models import BusinessUnit, User


class Policy(models.Model):
    REF_PREFIX = "POL"

    class Kind(models.TextChoices):
        POLICY = "policy", "policy"
        STANDARD = "standard", "standard"
        PROCEDURE = "procedure", "procedure"

    number = models.PositiveIntegerField(unique=True, editable=False)
    business_unit = models.ForeignKey(BusinessUnit, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.POLICY)
    summary = models.TextField(blank=True)
    owner = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="policies_owned")
    review_interval_months = models.PositiveSmallIntegerField(default=12)
    next_review_on = models.DateField(null=True, blank=True, db_index=True)
    last_reviewed_on = models.DateField(null=True, blank=True)
    # The due date the last review reminder was sent for: one reminder per due date.
    review_reminded_for = models.DateField(null=True, blank=True)
    # The published version everyone reads and acknowledges; None until the first publication.
    current_version = models.ForeignKey(
        "PolicyVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    retired_at = models.DateTimeField(null=True, blank=True)
    audience_units = models.ManyToManyField(BusinessUnit, blank=True, related_name="policies_addressed")
    # Role values wrapped in commas (",employee,analyst,") so that `contains` works on every database;
    # empty means every role.
    audience_roles = models.CharField(max_length=200, blank=True)
    controls = models.ManyToManyField("compliance.Control", blank=True, related_name="policies")
    requirements = models.ManyToManyField("frameworks.Requirement", blank=True, related_name="policies")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["number"]
        verbose_name_plural = "policies"
        indexes = [models.Index(fields=["business_unit", "number"])]

    def __str__(self) -> str:
        return self.title

    @property
    def ref(self) -> str:
        return f"{self.REF_PREFIX}-{self.number}"

    @property
    def role_list(self) -> list[str]:
        return [r for r in self.audience_roles.split(",") if r]

    @property
    def state(self) -> str:
        if self.retired_at is not None:
            return "retired"
        return "published" if self.current_version_id else "draft"

    def review_overdue(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.state == "published" and self.next_review_on is not None and self.next_review_on < today


class PolicyVersion(models.Model):
    """One version of a policy's text. Every version is kept; only drafts can be edited."""

    class Status(models.TextChoices):
        DRAFT = "draft", "draft"
        IN_APPROVAL = "in_approval", "in approval"
        APPROVED = "approved", "approved"
        PUBLISHED = "published", "published"
        SUPERSEDED = "superseded", "superseded"
        RETIRED = "retired", "retired"

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="versions")
    major = models.PositiveIntegerField()
    minor = models.PositiveIntegerField()
    text = models.TextField()
    change_summary = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)
    author = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    approver = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    # The approver's remark, or why the version was sent back to draft.
    decision_note = models.TextField(blank=True)
    published_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)  # superseded or retired
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["policy", "-major", "-minor"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "major", "minor"], name="policy_version_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.policy.ref} v{self.label}"

    @property
    def label(self) -> str:
        return f"{self.major}.{self.minor}"


class Acknowledgement(models.Model):
    """A person read and accepted a policy. One per major version: a minor change keeps it valid."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="acknowledgements")
    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="acknowledgements")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="policy_acknowledgements")
    major = models.PositiveIntegerField()
    acknowledged_at = models.DateTimeField()

    class Meta:
        ordering = ["-acknowledged_at"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "user", "major"], name="acknowledgement_once_per_major")
        ]
        indexes = [models.Index(fields=["policy", "major", "user"])]

    def __str__(self) -> str:
        return f"{self.user} acknowledged {self.version}"


class PolicyException(models.Model):
    """A time-bound, approved departure from a policy for named systems.

    The stored status is what people decided; `effective_status` is what holds today: an approved
    exception past its expiry date is expired even before `exceptions_expire` has marked it."""

    REF_PREFIX = "EXC"

    class Status(models.TextChoices):
        REQUESTED = "requested", "requested"
        APPROVED = "approved", "approved"
        REJECTED = "rejected", "rejected"
        EXPIRED = "expired", "expired"
        REVOKED = "revoked", "revoked"

    number = models.PositiveIntegerField(unique=True, editable=False)
    business_unit = models.ForeignKey(BusinessUnit, on_delete=models.PROTECT, related_name="+")
    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="exceptions")
    title = models.CharField(max_length=200)
    justification = models.TextField()
    compensating_controls = models.TextField(blank=True)
    systems = models.ManyToManyField("inventory.System", blank=True, related_name="policy_exceptions")
    # The risk the organisation accepts by departing from the policy (risk register).
    risk = models.ForeignKey(
        "risk.Risk", null=True, blank=True, on_delete=models.SET_NULL, related_name="policy_exceptions"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.REQUESTED, db_index=True)
    expires_on = models.DateField(db_index=True)
    requested_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    expired_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-number"]
        indexes = [models.Index(fields=["business_unit", "number"])]

    def __str__(self) -> str:
        return self.title

    @property
    def ref(self) -> str:
        return f"{self.REF_PREFIX}-{self.number}"

    def effective_status(self, today: dt.date | None = None) -> str:
        today = today or timezone.localdate()
        if self.status == self.Status.APPROVED and self.expires_on < today:
            return self.Status.EXPIRED.value
        return self.status

    @property
    def status_now(self) -> str:
        return self.effective_status()
