"""The risk register: risks, their matrix ratings and quantification, appetite, treatment,
acceptance and daily snapshots (see docs/risk.md).

A risk is never *stored* as accepted: it is accepted while it has an acceptance that is neither
revoked nor past its expiry, evaluated at read time, so an expired acceptance can never show.
"""

from django.db import models

from ramparts.compliance.models import Control
from ramparts.core.models import BusinessUnit, User
from ramparts.inventory.models import BusinessService, DataAsset, System
from ramparts.vulns.models import Finding


class RiskMatrix(models.Model):
    """The likelihood × impact matrix. One row, named "default", is the one in use.

    likelihood  [{"label", "description", "min_frequency", "max_frequency"}], lowest level first;
                frequencies are loss events a year, max of the last level null (open-ended).
    impact      [{"label", "description", "min_loss", "max_loss"}], lowest first, in money per event.
    levels      risk level labels, lowest first (e.g. Very Low … Very High).
    grid        grid[likelihood - 1][impact - 1] = the risk level (1-based) of that cell.
    """

    name = models.CharField(max_length=40, unique=True, default="default")
    likelihood = models.JSONField()
    impact = models.JSONField()
    levels = models.JSONField()
    grid = models.JSONField()
    currency = models.CharField(max_length=8, default="$")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{len(self.likelihood)}×{len(self.impact)} matrix"


class RiskCategory(models.Model):
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "risk categories"

    def __str__(self) -> str:
        return self.name


class Risk(models.Model):
    REF_PREFIX = "RISK"

    class Status(models.TextChoices):
        IDENTIFIED = "identified", "identified"
        ASSESSED = "assessed", "assessed"
        TREATING = "treating", "in treatment"
        MONITORING = "monitoring", "monitoring"
        CLOSED = "closed", "closed"

    number = models.PositiveIntegerField(unique=True, editable=False)
    business_unit = models.ForeignKey(BusinessUnit, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=300)
    # The scenario statement: because <cause>, affecting <asset>, resulting in <consequence>.
    because = models.TextField(blank=True)
    affecting = models.TextField(blank=True)
    resulting_in = models.TextField(blank=True)
    category = models.ForeignKey(RiskCategory, on_delete=models.PROTECT, related_name="risks")
    owner = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="risks_owned")
    services = models.ManyToManyField(BusinessService, blank=True, related_name="risks")
    systems = models.ManyToManyField(System, blank=True, related_name="risks")
    data_assets = models.ManyToManyField(DataAsset, blank=True, related_name="risks")
    threat = models.TextField(blank=True)
    findings = models.ManyToManyField(Finding, blank=True, related_name="risks")
    existing_controls = models.TextField(blank=True)
    controls = models.ManyToManyField(Control, blank=True, related_name="risks")
    inherent_likelihood = models.PositiveSmallIntegerField()
    inherent_impact = models.PositiveSmallIntegerField()
    residual_likelihood = models.PositiveSmallIntegerField()
    residual_impact = models.PositiveSmallIntegerField()
    target_likelihood = models.PositiveSmallIntegerField(null=True, blank=True)
    target_impact = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.IDENTIFIED)
    next_review = models.DateField(null=True, blank=True)
    # Quantification: an Open FAIR scenario (the SPEC format of docs/risk-quant.md, without `id`)
    # and the results of its last run. The residual rating follows them when present.
    fair = models.JSONField(null=True, blank=True)
    quant_seed = models.BigIntegerField(null=True, blank=True)
    quant_years = models.PositiveIntegerField(null=True, blank=True)
    quantified_at = models.DateTimeField(null=True, blank=True)
    ale = models.FloatField(null=True, blank=True, db_index=True)
    p5 = models.FloatField(null=True, blank=True)
    p50 = models.FloatField(null=True, blank=True)
    p90 = models.FloatField(null=True, blank=True)
    p95 = models.FloatField(null=True, blank=True)
    p99 = models.FloatField(null=True, blank=True)
    es99 = models.FloatField(null=True, blank=True)
    p_no_loss = models.FloatField(null=True, blank=True)
    lec = models.JSONField(null=True, blank=True)  # {"amounts": [...], "probabilities": [...]}
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-number"]
        indexes = [
            models.Index(fields=["business_unit", "number"]),
            models.Index(fields=["status", "number"]),
            models.Index(fields=["category", "number"]),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    @property
    def ref(self) -> str:
        return f"{self.REF_PREFIX}-{self.number}"

    @property
    def quantified(self) -> bool:
        return self.ale is not None


class AppetiteStatement(models.Model):
    """The board's appetite for one category, or for the whole portfolio (category null).

    max_level   the highest risk level (1-based, of the matrix's levels) a risk may sit at;
    tolerance   [{"loss": amount, "probability": p}]: at most p chance of losing `loss` or more a year.
    """

    category = models.OneToOneField(
        RiskCategory, null=True, blank=True, on_delete=models.CASCADE, related_name="appetite"
    )
    statement = models.TextField()
    max_level = models.PositiveSmallIntegerField(null=True, blank=True)
    tolerance = models.JSONField(default=list, blank=True)
    approved_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["category"], condition=models.Q(category__isnull=True), name="risk_one_portfolio_appetite"
            )
        ]

    def __str__(self) -> str:
        return f"Appetite: {self.category or 'portfolio'}"


class TreatmentPlan(models.Model):
    class Option(models.TextChoices):
        MITIGATE = "mitigate", "mitigate"
        ACCEPT = "accept", "accept"
        TRANSFER = "transfer", "transfer"
        AVOID = "avoid", "avoid"

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="plans")
    option = models.CharField(max_length=16, choices=Option.choices)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.risk.ref}: {self.option}"


class TreatmentAction(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", "planned"
        IN_PROGRESS = "in_progress", "in progress"
        DONE = "done", "done"
        CANCELLED = "cancelled", "cancelled"

    plan = models.ForeignKey(TreatmentPlan, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(max_length=300)
    owner = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="risk_actions")
    due = models.DateField(null=True, blank=True)
    cost = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PLANNED)
    finding = models.ForeignKey(Finding, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    control = models.ForeignKey(Control, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due", "id"]
        indexes = [models.Index(fields=["status", "due"]), models.Index(fields=["owner", "status"])]

    def __str__(self) -> str:
        return self.title


class RiskAcceptance(models.Model):
    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="acceptances")
    approved_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    rationale = models.TextField()
    compensating_controls = models.TextField(blank=True)
    above_appetite = models.BooleanField(default=False)  # as evaluated when accepted
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    revoke_reason = models.TextField(blank=True)
    expiry_processed_at = models.DateTimeField(null=True, blank=True)  # owner notified, risk reopened

    class Meta:
        ordering = ["-accepted_at"]

    def __str__(self) -> str:
        return f"{self.risk.ref} accepted until {self.expires_at:%Y-%m-%d}"


class RiskSnapshot(models.Model):
    """One business unit's residual exposure on one day, for trends."""

    date = models.DateField()
    business_unit = models.ForeignKey(BusinessUnit, on_delete=models.CASCADE, related_name="+")
    risks = models.PositiveIntegerField(default=0)
    quantified = models.PositiveIntegerField(default=0)
    residual_ale = models.FloatField(default=0)
    above_appetite = models.PositiveIntegerField(default=0)
    by_level = models.JSONField(default=dict)  # {"1": count, …} of residual levels

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["date", "business_unit"], name="risk_snapshot_unique_day")]

    def __str__(self) -> str:
        return f"{self.business_unit} {self.date}"
