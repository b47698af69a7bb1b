"""What we protect: people, systems and technologies, data assets, business services.

Multi-valued text fields (hostnames, IPs, URLs, tags, regulations) are stored one value per line,
so that plain `icontains` search works on SQLite and PostgreSQL alike; the `*_list` properties
give them as lists.
"""

from django.db import models

from ramparts.core.models import NumberedInUnit, User


class Criticality(models.IntegerChoices):
    """Business criticality. Tier 1 is the most critical (`tier = 5 - value`)."""

    LOW = 1, "low"
    MEDIUM = 2, "medium"
    HIGH = 3, "high"
    CRITICAL = 4, "critical"


class Level(models.IntegerChoices):
    """A confidentiality, integrity or availability need (FIPS 199 impact levels)."""

    LOW = 1, "low"
    MODERATE = 2, "moderate"
    HIGH = 3, "high"


def lines(value: str) -> list[str]:
    return [v for v in (value or "").split("\n") if v]


class InventoryItem(NumberedInUnit):
    """Fields every inventory entity has (see NumberedInUnit)."""

    class Meta:
        abstract = True


class Person(InventoryItem):
    REF_PREFIX = "PER"

    class Kind(models.TextChoices):
        EMPLOYEE = "employee", "employee"
        CONTRACTOR = "contractor", "contractor"

    class Status(models.TextChoices):
        ACTIVE = "active", "active"
        LEAVER = "leaver", "leaver"

    employee_id = models.CharField(max_length=64, unique=True)
    full_name = models.CharField(max_length=200)
    email = models.EmailField(blank=True, db_index=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.EMPLOYEE)
    department = models.CharField(max_length=120, blank=True)
    job_title = models.CharField(max_length=160, blank=True)
    manager = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    privileged = models.BooleanField(default=False)
    user = models.OneToOneField(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="person")

    class Meta:
        ordering = ["full_name"]
        indexes = [models.Index(fields=["business_unit", "full_name"])]

    def __str__(self) -> str:
        return self.full_name


class System(InventoryItem):
    REF_PREFIX = "SYS"

    class Kind(models.TextChoices):
        SERVER = "server", "server"
        WORKSTATION = "workstation", "workstation"
        NETWORK_DEVICE = "network_device", "network device"
        APPLICATION = "application", "application"
        SAAS = "saas", "SaaS"
        CLOUD_ACCOUNT = "cloud_account", "cloud account"
        CONTAINER_IMAGE = "container_image", "container image"
        CODE_REPOSITORY = "code_repository", "code repository"
        DATABASE = "database", "database"
        MOBILE_DEVICE = "mobile_device", "mobile device"
        OT_DEVICE = "ot_device", "OT device"
        SECURITY_TOOL = "security_tool", "security tool"
        OTHER = "other", "other"

    class Environment(models.TextChoices):
        PRODUCTION = "production", "production"
        STAGING = "staging", "staging"
        TEST = "test", "test"
        DEVELOPMENT = "development", "development"

    class Lifecycle(models.TextChoices):
        PLANNED = "planned", "planned"
        IN_SERVICE = "in_service", "in service"
        RETIRED = "retired", "retired"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    description = models.TextField(blank=True)
    vendor = models.CharField(max_length=120, blank=True)
    product = models.CharField(max_length=120, blank=True)
    version = models.CharField(max_length=64, blank=True)
    cpe = models.CharField(max_length=400, blank=True, db_index=True)
    hostnames = models.TextField(blank=True)
    ip_addresses = models.TextField(blank=True)
    urls = models.TextField(blank=True)
    environment = models.CharField(max_length=16, choices=Environment.choices, default=Environment.PRODUCTION)
    internet_facing = models.BooleanField(default=False)
    owner = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="systems_owned")
    tags = models.TextField(blank=True)
    lifecycle = models.CharField(max_length=16, choices=Lifecycle.choices, default=Lifecycle.IN_SERVICE)
    # Set by hand; the effective values below also take in what the system supports and holds.
    own_criticality = models.PositiveSmallIntegerField(choices=Criticality.choices, default=Criticality.LOW)
    criticality = models.PositiveSmallIntegerField(choices=Criticality.choices, default=Criticality.LOW, db_index=True)
    confidentiality = models.PositiveSmallIntegerField(choices=Level.choices, default=Level.LOW)
    integrity = models.PositiveSmallIntegerField(choices=Level.choices, default=Level.LOW)
    availability = models.PositiveSmallIntegerField(choices=Level.choices, default=Level.LOW)
    criticality_reasons = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["business_unit", "name"]),
            models.Index(fields=["kind", "name"]),
            models.Index(fields=["criticality", "name"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def hostname_list(self) -> list[str]:
        return lines(self.hostnames)

    @property
    def ip_list(self) -> list[str]:
        return lines(self.ip_addresses)

    @property
    def url_list(self) -> list[str]:
        return lines(self.urls)

    @property
    def tag_list(self) -> list[str]:
        return lines(self.tags)


class DataAsset(InventoryItem):
    REF_PREFIX = "DATA"

    class Classification(models.TextChoices):
        PUBLIC = "public", "public"
        INTERNAL = "internal", "internal"
        CONFIDENTIAL = "confidential", "confidential"
        RESTRICTED = "restricted", "restricted"

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    classification = models.CharField(max_length=16, choices=Classification.choices, default=Classification.INTERNAL)
    personal_data = models.BooleanField(default=False)
    special_category_data = models.BooleanField(default=False)
    health_data = models.BooleanField(default=False, help_text="Health information / PHI")
    cardholder_data = models.BooleanField(default=False)
    record_count = models.PositiveBigIntegerField(null=True, blank=True)
    confidentiality = models.PositiveSmallIntegerField(choices=Level.choices, default=Level.LOW)
    integrity = models.PositiveSmallIntegerField(choices=Level.choices, default=Level.LOW)
    availability = models.PositiveSmallIntegerField(choices=Level.choices, default=Level.LOW)
    systems = models.ManyToManyField(System, blank=True, related_name="data_assets")
    owner = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="data_owned")
    regulations = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["business_unit", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def regulation_list(self) -> list[str]:
        return lines(self.regulations)


class BusinessService(InventoryItem):
    REF_PREFIX = "SVC"

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    criticality = models.PositiveSmallIntegerField(choices=Criticality.choices, default=Criticality.MEDIUM)
    rto_hours = models.PositiveIntegerField(null=True, blank=True, help_text="Recovery time objective")
    rpo_hours = models.PositiveIntegerField(null=True, blank=True, help_text="Recovery point objective")
    # The service's own CIA needs; they propagate, with its criticality, to what it depends on.
    confidentiality = models.PositiveSmallIntegerField(choices=Level.choices, default=Level.LOW)
    integrity = models.PositiveSmallIntegerField(choices=Level.choices, default=Level.LOW)
    availability = models.PositiveSmallIntegerField(choices=Level.choices, default=Level.LOW)
    owner = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="services_owned")

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["business_unit", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def tier(self) -> int:
        return 5 - self.criticality


class Dependency(models.Model):
    """A service depends on exactly one system, data asset or other service."""

    service = models.ForeignKey(BusinessService, on_delete=models.CASCADE, related_name="dependencies")
    system = models.ForeignKey(System, null=True, blank=True, on_delete=models.CASCADE, related_name="supports")
    data_asset = models.ForeignKey(DataAsset, null=True, blank=True, on_delete=models.CASCADE, related_name="supports")
    upstream_service = models.ForeignKey(
        BusinessService, null=True, blank=True, on_delete=models.CASCADE, related_name="dependents"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="dependency_exactly_one_target",
                condition=(
                    models.Q(system__isnull=False, data_asset__isnull=True, upstream_service__isnull=True)
                    | models.Q(system__isnull=True, data_asset__isnull=False, upstream_service__isnull=True)
                    | models.Q(system__isnull=True, data_asset__isnull=True, upstream_service__isnull=False)
                ),
            ),
            models.UniqueConstraint(fields=["service", "system"], name="dependency_unique_system"),
            models.UniqueConstraint(fields=["service", "data_asset"], name="dependency_unique_data_asset"),
            models.UniqueConstraint(fields=["service", "upstream_service"], name="dependency_unique_service"),
        ]

    def __str__(self) -> str:
        return f"{self.service} → {self.target}"

    @property
    def target(self):
        return self.system or self.data_asset or self.upstream_service
