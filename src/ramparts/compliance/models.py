"""The organisation's compliance work: its control library, the security technologies that implement
the controls, evidence, assessments of frameworks and CSF 2.0 profiles.

Frameworks and their requirements are reference data of `ramparts.frameworks`; this app only points
at them. Every object here belongs to one business unit (its owner), which decides who sees it.
"""

from django.db import models

from ramparts.core.models import BusinessUnit, User


class Numbered(models.Model):
    """A short reference people read (`CTL-12`), from a per-model number."""

    REF_PREFIX = ""

    number = models.PositiveIntegerField(unique=True, editable=False)
    business_unit = models.ForeignKey(BusinessUnit, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    @property
    def ref(self) -> str:
        return f"{self.REF_PREFIX}-{self.number}"


class Control(Numbered):
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

    class Meta:
        ordering = ["number"]
        indexes = [models.Index(fields=["business_unit", "number"])]

    def __str__(self) -> str:
        return self.name


class Evidence(Numbered):
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

    class Meta:
        ordering = ["-number"]
        indexes = [models.Index(fields=["business_unit", "number"])]

    def __str__(self) -> str:
        return self.title
