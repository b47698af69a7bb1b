from django.contrib.auth.models import AbstractUser
from django.db import models

from ramparts.core.roles import ROLE_CHOICES, Role


class BusinessUnit(models.Model):
    """A part of the organisation. Units scope what a user sees and changes."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class NumberedInUnit(models.Model):
    """An object of a business unit with the short reference people read (`SYS-12`, `CTL-3`),
    made of the model's REF_PREFIX and a per-model number. Primary keys are never shown."""

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


class User(AbstractUser):
    role = models.CharField(max_length=32, choices=ROLE_CHOICES, default=Role.EMPLOYEE.value)
    business_units = models.ManyToManyField(BusinessUnit, blank=True, related_name="members")
    all_units = models.BooleanField(default=False, help_text="Sees every business unit (administrators always do).")
    time_zone = models.CharField(max_length=64, default="UTC")

    @property
    def role_label(self) -> str:
        try:
            return Role(self.role).label
        except ValueError:
            return self.role

    def can(self, action: str) -> bool:
        from ramparts.core.permissions import user_can

        return user_can(self, action)


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The audit trail is append-only: entries cannot be updated.")

    def delete(self):
        raise TypeError("The audit trail is append-only: entries cannot be deleted.")


class AuditEntry(models.Model):
    """One change, hash-chained to the one before it. Written only through core.audit."""

    seq = models.BigIntegerField(primary_key=True)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(User, null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    actor_label = models.CharField(max_length=200)
    channel = models.CharField(max_length=16)
    ip = models.CharField(max_length=64, blank=True)
    action = models.CharField(max_length=32)
    object_type = models.CharField(max_length=64, db_index=True)
    object_id = models.CharField(max_length=64)
    object_ref = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        indexes = [models.Index(fields=["object_type", "object_id", "seq"])]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type} {self.object_ref}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("The audit trail is append-only: entries cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The audit trail is append-only: entries cannot be deleted.")


class AuditHead(models.Model):
    """The chain's tip. Locking this row serialises appends, so the chain never forks."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"audit head #{self.last_seq}"


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 of the secret is stored; the secret is shown once."""

    SCOPE_READ = "read"
    SCOPE_WRITE = "write"
    SCOPES = [SCOPE_READ, SCOPE_WRITE]

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    last_used_ip = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
