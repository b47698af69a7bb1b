"""The organisation's compliance work: its control library, the security technologies that implement
the controls, evidence, assessments of frameworks and CSF 2.0 profiles.

Frameworks and their requirements are reference data of `ramparts.frameworks`; this app only points
at them. Every object here belongs to one business unit (its owner), which decides who sees it.
"""

from django.db import models

from ramparts.core.models import BusinessUnit, NumberedInUnit, User


class Control(NumberedInUnit):
    """A control of the organisation's own library. One control can answer many frameworks."""

    REF_PREFIX = "CTL"

    class Type(models.TextChoices):
        PREVENTIVE = "preventive", "preventive"
        DETECTIVE = "detective", "detective"
        CORRECTIVE = "corrective", "corrective"

    class Automation(models.TextChoices):
        MANUAL = "manual", "manual"
        AUTOMATED = "automated", "automated"

    class Frequency(models.TextChoices):
        CONTINUOUS = "continuous", "continuous"
        DAILY = "daily", "daily"
        WEEKLY = "weekly", "weekly"
        MONTHLY = "monthly", "monthly"
        QUARTERLY = "quarterly", "quarterly"
        SEMIANNUAL = "semiannual", "twice a year"
        ANNUAL = "annual", "yearly"
        AD_HOC = "ad_hoc", "as needed"

    class Status(models.TextChoices):
        """How far the control is implemented (see engine/status.py for what each one answers)."""

        PLANNED = "planned", "planned"
        IN_PROGRESS = "in_progress", "in progress"
        IMPLEMENTED = "implemented", "implemented"
        NOT_IMPLEMENTED = "not_implemented", "not implemented"

    class Effectiveness(models.IntegerChoices):
        NOT_RATED = 0, "not rated"
        INEFFECTIVE = 1, "ineffective"
        PARTIALLY_EFFECTIVE = 2, "partially effective"
        LARGELY_EFFECTIVE = 3, "largely effective"
        EFFECTIVE = 4, "effective"

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        "inventory.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="controls_owned"
    )
    control_type = models.CharField(max_length=16, choices=Type.choices, default=Type.PREVENTIVE)
    automation = models.CharField(max_length=16, choices=Automation.choices, default=Automation.MANUAL)
    frequency = models.CharField(max_length=16, choices=Frequency.choices, default=Frequency.CONTINUOUS)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PLANNED, db_index=True)
    annual_cost = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    effectiveness = models.PositiveSmallIntegerField(choices=Effectiveness.choices, default=Effectiveness.NOT_RATED)
    # Empty means the whole organisation.
    units_in_scope = models.ManyToManyField(BusinessUnit, blank=True, related_name="controls_in_scope")
    systems = models.ManyToManyField("inventory.System", blank=True, related_name="controls_in_scope")
    # Security technologies: the inventory systems (EDR, SIEM, MFA, backup, WAF…) that implement it.
    technologies = models.ManyToManyField("inventory.System", blank=True, related_name="controls_implemented")
    requirements = models.ManyToManyField(
        "frameworks.Requirement", blank=True, through="ControlRequirement", related_name="controls"
    )

    class Meta:
        ordering = ["number"]
        indexes = [models.Index(fields=["business_unit", "number"])]

    def __str__(self) -> str:
        return self.name


class ControlRequirement(models.Model):
    """A control answers a framework requirement (many-to-many)."""

    control = models.ForeignKey(Control, on_delete=models.CASCADE, related_name="mappings")
    requirement = models.ForeignKey("frameworks.Requirement", on_delete=models.CASCADE, related_name="control_mappings")
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["control", "requirement"], name="control_requirement_unique")]

    def __str__(self) -> str:
        return f"{self.control_id} answers {self.requirement_id}"


class RequirementStatus(models.TextChoices):
    """A requirement's status in an assessment."""

    IMPLEMENTED = "implemented", "implemented"
    PARTIAL = "partial", "partially implemented"
    NOT_IMPLEMENTED = "not_implemented", "not implemented"
    NOT_APPLICABLE = "not_applicable", "not applicable"


class Assessment(NumberedInUnit):
    """An assessment of one framework (or resolved profile) for a scope of business units and services."""

    REF_PREFIX = "ASM"

    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", "in progress"
        SIGNED_OFF = "signed_off", "signed off"

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    framework = models.ForeignKey("frameworks.Framework", on_delete=models.PROTECT, related_name="assessments")
    scope_units = models.ManyToManyField(BusinessUnit, blank=True, related_name="assessments_in_scope")
    scope_services = models.ManyToManyField("inventory.BusinessService", blank=True, related_name="assessments")
    state = models.CharField(max_length=16, choices=State.choices, default=State.IN_PROGRESS)
    reviewer = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    signed_off_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    signed_off_at = models.DateTimeField(null=True, blank=True)
    signoff_note = models.TextField(blank=True)
    migrated_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="migrations"
    )
    # What changed between the framework versions, when migrated: {"added": [...], "removed": [...], ...}
    migration_report = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-number"]
        indexes = [models.Index(fields=["business_unit", "number"])]

    def __str__(self) -> str:
        return self.name


class AssessmentResult(models.Model):
    """One assessable requirement of an assessment. Its status is derived from the mapped controls
    unless `override` is set (with a reason); at sign-off the effective status is frozen in `final`."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="results")
    requirement = models.ForeignKey("frameworks.Requirement", on_delete=models.PROTECT, related_name="+")
    override = models.CharField(max_length=16, choices=RequirementStatus.choices, blank=True)
    reason = models.TextField(blank=True)  # why overridden; for not applicable: the justification
    final = models.CharField(max_length=16, choices=RequirementStatus.choices, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "requirement"], name="assessment_result_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}/{self.requirement_id}: {self.override or self.final or 'derived'}"


class Evidence(NumberedInUnit):
    """A file (stored under the data directory by its SHA-256) or a link proving a control works."""

    REF_PREFIX = "EVD"

    class Kind(models.TextChoices):
        FILE = "file", "file"
        LINK = "link", "link"

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    url = models.URLField(max_length=1000, blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    collected_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    control = models.ForeignKey(Control, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence")
    result = models.ForeignKey(
        AssessmentResult, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )

    class Meta:
        ordering = ["-number"]
        indexes = [models.Index(fields=["business_unit", "number"])]

    def __str__(self) -> str:
        return self.title


class CsfProfile(NumberedInUnit):
    """A NIST CSF 2.0 organisational profile: the current or the target state, with an
    implementation tier (1 partial, 2 risk informed, 3 repeatable, 4 adaptive)."""

    REF_PREFIX = "PRF"

    class Kind(models.TextChoices):
        CURRENT = "current", "current"
        TARGET = "target", "target"

    class Tier(models.IntegerChoices):
        PARTIAL = 1, "Tier 1 – partial"
        RISK_INFORMED = 2, "Tier 2 – risk informed"
        REPEATABLE = 3, "Tier 3 – repeatable"
        ADAPTIVE = 4, "Tier 4 – adaptive"

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    framework = models.ForeignKey("frameworks.Framework", on_delete=models.PROTECT, related_name="csf_profiles")
    tier = models.PositiveSmallIntegerField(choices=Tier.choices, default=Tier.PARTIAL)
    # A target profile is compared with its current profile in the gap analysis.
    current = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="targets")

    class Meta:
        ordering = ["-number"]

    def __str__(self) -> str:
        return self.name


class ProfileOutcome(models.Model):
    """A subcategory in a profile: the tier at which it is achieved (current) or wanted (target);
    0 means not achieved / not wanted."""

    class Priority(models.TextChoices):
        HIGH = "high", "high"
        MEDIUM = "medium", "medium"
        LOW = "low", "low"

    profile = models.ForeignKey(CsfProfile, on_delete=models.CASCADE, related_name="outcomes")
    requirement = models.ForeignKey("frameworks.Requirement", on_delete=models.PROTECT, related_name="+")
    tier = models.PositiveSmallIntegerField(default=0)
    priority = models.CharField(max_length=8, choices=Priority.choices, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["profile", "requirement"], name="profile_outcome_unique")]

    def __str__(self) -> str:
        return f"{self.profile_id}/{self.requirement_id}: tier {self.tier}"
