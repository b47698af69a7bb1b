"""Incidents: identity, lifecycle (NIST SP 800-61r3 / CSF 2.0), key times, roles, what was hit, IOCs,
ATT&CK techniques, tasks and playbook checklists, the timeline, regulatory facts and proof of notice,
the post-incident review with its actions, and cost.

All times are timezone-aware and stored in UTC. Writes go through `ramparts.incidents.services`.
"""

from django.db import models

from ramparts.core.models import BusinessUnit, User
from ramparts.inventory.models import BusinessService, DataAsset, System


class Severity(models.IntegerChoices):
    LOW = 1, "low"
    MEDIUM = 2, "medium"
    HIGH = 3, "high"
    CRITICAL = 4, "critical"


class Priority(models.IntegerChoices):
    """P1 is the most urgent. Defaults from severity when not given (critical → P1)."""

    P1 = 1, "P1"
    P2 = 2, "P2"
    P3 = 3, "P3"
    P4 = 4, "P4"


class Phase(models.TextChoices):
    """The lifecycle, in order. NIST SP 800-61r3 maps these onto CSF 2.0 Respond and Recover."""

    DECLARED = "declared", "declared"
    ANALYSIS = "analysis", "analysis"
    CONTAINMENT = "containment", "containment"
    ERADICATION = "eradication", "eradication"
    RECOVERY = "recovery", "recovery"
    REVIEW = "review", "post-incident review"
    CLOSED = "closed", "closed"


PHASE_ORDER: tuple[str, ...] = tuple(Phase.values)


class Incident(models.Model):
    year = models.PositiveSmallIntegerField(editable=False)
    number = models.PositiveIntegerField(editable=False)
    business_unit = models.ForeignKey(BusinessUnit, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=300)
    incident_type = models.CharField(max_length=40, db_index=True)
    severity = models.PositiveSmallIntegerField(choices=Severity.choices, default=Severity.MEDIUM)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.P3)
    summary = models.TextField(blank=True)
    phase = models.CharField(max_length=16, choices=Phase.choices, default=Phase.DECLARED)
    declared_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    declared_at = models.DateTimeField()

    # Key times (each its own aware timestamp; null until known).
    occurred_at = models.DateTimeField(null=True, blank=True)
    occurred_estimated = models.BooleanField(default=False)
    detected_at = models.DateTimeField(null=True, blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    contained_at = models.DateTimeField(null=True, blank=True)
    eradicated_at = models.DateTimeField(null=True, blank=True)
    recovered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    # Regulatory trigger facts (see docs/notification-clocks.md) and conditions {name: bool}.
    aware_at = models.DateTimeField(null=True, blank=True)
    classified_at = models.DateTimeField(null=True, blank=True)
    determined_at = models.DateTimeField(null=True, blank=True)
    material_at = models.DateTimeField(null=True, blank=True)
    discovered_at = models.DateTimeField(null=True, blank=True)
    payment_at = models.DateTimeField(null=True, blank=True)
    conditions = models.JSONField(default=dict, blank=True)
    # Set when an affected data asset holds personal data: the privacy clocks then run.
    personal_data = models.BooleanField(default=False)

    systems = models.ManyToManyField(System, blank=True, related_name="incidents")
    data_assets = models.ManyToManyField(DataAsset, blank=True, related_name="incidents")
    services = models.ManyToManyField(BusinessService, blank=True, related_name="incidents")
    # Risks this incident realised: frequency evidence for the risk register.
    risks = models.ManyToManyField("risk.Risk", blank=True, related_name="incidents")

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-declared_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["year", "number"], name="incident_unique_year_number")]
        indexes = [
            models.Index(fields=["business_unit", "-declared_at"]),
            models.Index(fields=["phase", "-declared_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    @property
    def ref(self) -> str:
        return f"INC-{self.year}-{self.number:03d}"

    @property
    def is_open(self) -> bool:
        return self.phase != Phase.CLOSED


class IncidentTransition(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="transitions")
    from_phase = models.CharField(max_length=16, choices=Phase.choices, blank=True)
    to_phase = models.CharField(max_length=16, choices=Phase.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_phase or '-'} → {self.to_phase}"


class IncidentRole(models.TextChoices):
    COMMANDER = "commander", "incident commander"
    SCRIBE = "scribe", "scribe"
    COMMUNICATIONS = "communications", "communications lead"
    LEGAL = "legal", "legal"
    PARTICIPANT = "participant", "participant"
    OBSERVER = "observer", "observer"


class RoleAssignment(models.Model):
    """Who held which role, from when until when (held_until null: still holds it)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="incident_roles")
    role = models.CharField(max_length=16, choices=IncidentRole.choices)
    held_from = models.DateTimeField()
    held_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["held_from", "id"]
        indexes = [models.Index(fields=["incident", "role"])]

    def __str__(self) -> str:
        return f"{self.user} as {self.role}"


class TaskStatus(models.TextChoices):
    OPEN = "open", "open"
    IN_PROGRESS = "in_progress", "in progress"
    DONE = "done", "done"
    CANCELLED = "cancelled", "cancelled"


class IncidentTask(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="tasks")
    number = models.PositiveIntegerField()  # per incident: INC-2026-007/T3
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    phase = models.CharField(max_length=16, choices=Phase.choices, blank=True)
    owner = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="incident_tasks")
    due_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    playbook = models.CharField(max_length=40, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["incident", "number"], name="incident_task_unique_number")]
        indexes = [models.Index(fields=["status", "due_at"]), models.Index(fields=["owner", "status"])]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    @property
    def ref(self) -> str:
        return f"T{self.number}"

    @property
    def is_open(self) -> bool:
        return self.status in (TaskStatus.OPEN, TaskStatus.IN_PROGRESS)


class ChecklistItem(models.Model):
    task = models.ForeignKey(IncidentTask, on_delete=models.CASCADE, related_name="checklist")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=500)
    done = models.BooleanField(default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class EntryKind(models.TextChoices):
    NOTE = "note", "note"
    DECLARED = "declared", "declared"
    PHASE = "phase", "phase change"
    ROLE = "role", "role change"
    TASK = "task", "task completed"
    NOTIFICATION = "notification", "notification sent"
    NOTICE = "notice", "regulatory notice"
    FACT = "fact", "fact recorded"
    ALERT = "alert", "alert"
    CHANGE = "change", "change"


class TimelineEntry(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(max_length=16, choices=EntryKind.choices, default=EntryKind.NOTE)
    occurred_at = models.DateTimeField()
    written_at = models.DateTimeField()
    author = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField()
    pinned = models.BooleanField(default=False)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["incident", "-occurred_at", "-id"]),
            models.Index(fields=["incident", "pinned"]),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class ObservableKind(models.TextChoices):
    IP = "ip", "IP address"
    DOMAIN = "domain", "domain"
    URL = "url", "URL"
    HASH = "hash", "file hash"
    EMAIL = "email", "e-mail address"
    ACCOUNT = "account", "account"


class Tlp(models.TextChoices):
    """Traffic Light Protocol 2.0."""

    CLEAR = "clear", "TLP:CLEAR"
    GREEN = "green", "TLP:GREEN"
    AMBER = "amber", "TLP:AMBER"
    AMBER_STRICT = "amber+strict", "TLP:AMBER+STRICT"
    RED = "red", "TLP:RED"


class Observable(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="observables")
    kind = models.CharField(max_length=8, choices=ObservableKind.choices)
    value = models.CharField(max_length=2000)
    tlp = models.CharField(max_length=16, choices=Tlp.choices, default=Tlp.AMBER)
    note = models.TextField(blank=True)
    added_at = models.DateTimeField()
    added_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["kind", "value"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "kind", "value"], name="observable_unique_per_incident")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.value}"


class Technique(models.Model):
    """A MITRE ATT&CK technique seen in the incident (T1566 or sub-technique T1566.001)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="techniques")
    technique_id = models.CharField(max_length=12)
    name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["technique_id"]
        constraints = [models.UniqueConstraint(fields=["incident", "technique_id"], name="technique_unique")]

    def __str__(self) -> str:
        return self.technique_id


class Notice(models.Model):
    """Proof that a regulatory report was sent: it marks the report (rule id) as submitted."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="notices")
    rule_id = models.CharField(max_length=80)
    sent_at = models.DateTimeField()
    recipient = models.CharField(max_length=300)
    content = models.TextField(help_text="What was reported")
    reference = models.CharField(max_length=200, blank=True, help_text="The authority's case or receipt number")
    evidence_name = models.CharField(max_length=255, blank=True)
    evidence_sha256 = models.CharField(max_length=64, blank=True)
    evidence_size = models.PositiveBigIntegerField(null=True, blank=True)
    evidence_type = models.CharField(max_length=120, blank=True)
    recorded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["sent_at", "id"]
        indexes = [models.Index(fields=["incident", "rule_id"])]

    def __str__(self) -> str:
        return f"{self.rule_id} to {self.recipient}"


class ClockWarning(models.Model):
    """An escalation already sent for a report (rule id) at a level, so each is sent once."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="clock_warnings")
    rule_id = models.CharField(max_length=80)
    level = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["incident", "rule_id", "level"], name="clock_warning_once_per_level")
        ]

    def __str__(self) -> str:
        return f"{self.rule_id} level {self.level}"


class Review(models.Model):
    """Post-incident review: the lessons learned."""

    incident = models.OneToOneField(Incident, on_delete=models.CASCADE, related_name="review")
    what_happened = models.TextField(blank=True)
    went_well = models.TextField(blank=True)
    went_badly = models.TextField(blank=True)
    root_cause = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self) -> str:
        return f"review of {self.incident_id}"


class ActionItem(models.Model):
    """A lesson turned into a tracked action with an owner; optionally improves a control."""

    class Status(models.TextChoices):
        OPEN = "open", "open"
        DONE = "done", "done"
        CANCELLED = "cancelled", "cancelled"

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="actions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    owner = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="incident_actions")
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    control = models.ForeignKey(
        "compliance.Control", null=True, blank=True, on_delete=models.SET_NULL, related_name="incident_actions"
    )
    treatment_plan = models.ForeignKey(
        "risk.TreatmentPlan", null=True, blank=True, on_delete=models.SET_NULL, related_name="incident_actions"
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["incident", "number"], name="action_item_unique_number")]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    @property
    def ref(self) -> str:
        return f"A{self.number}"


class EffortEntry(models.Model):
    """Hours spent in a role; costed at the configured rate for that role."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="effort")
    role = models.CharField(max_length=16, choices=IncidentRole.choices)
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    hours = models.DecimalField(max_digits=8, decimal_places=2)
    note = models.CharField(max_length=300, blank=True)
    recorded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.hours} h as {self.role}"


class CostItem(models.Model):
    """A cost recorded by hand (forensics retainer, legal counsel, replacement hardware...)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="costs")
    description = models.CharField(max_length=300)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self) -> str:
        return f"{self.description}: {self.amount}"
