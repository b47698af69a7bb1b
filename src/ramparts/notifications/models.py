"""Notifications: an in-app inbox record per recipient, each person's preferences, outgoing webhook
endpoints, and one Delivery per e-mail or webhook call (with its attempts, for retries)."""

from django.conf import settings
from django.db import models


class Notification(models.Model):
    """One message in one person's in-app inbox."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    event = models.CharField(max_length=64)
    subject = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=500, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"])]

    def __str__(self) -> str:
        return self.subject


class Preference(models.Model):
    """A person's choice for one event kind. No row means the defaults (in-app and e-mail both on)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    event = models.CharField(max_length=64)
    in_app = models.BooleanField(default=True)
    email = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "event"], name="notification_pref_unique")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.event}"


class WebhookFormat(models.TextChoices):
    GENERIC = "generic", "Generic JSON"
    SLACK = "slack", "Slack (incoming webhook)"
    TEAMS = "teams", "Microsoft Teams (workflow webhook, Adaptive Card)"


class WebhookEndpoint(models.Model):
    """An outgoing webhook. The secret signs every call; it is stored because signing needs it, is
    shown once at creation, and never appears in logs, pages, the API or the audit trail."""

    name = models.CharField(max_length=100, unique=True)
    url = models.URLField(max_length=500)
    secret = models.CharField(max_length=128)
    events = models.JSONField(default=list, blank=True, help_text="Event keys; empty means every event.")
    format = models.CharField(max_length=16, choices=WebhookFormat.choices, default=WebhookFormat.GENERIC)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def wants(self, event: str) -> bool:
        return self.active and (not self.events or event in self.events)


class Channel(models.TextChoices):
    EMAIL = "email", "E-mail"
    WEBHOOK = "webhook", "Webhook"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    RETRYING = "retrying", "Retrying"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed (gave up)"


class Delivery(models.Model):
    """One message to send by e-mail or to a webhook, with its attempts: the retry loop's work list."""

    channel = models.CharField(max_length=16, choices=Channel.choices)
    event = models.CharField(max_length=64)
    endpoint = models.ForeignKey(WebhookEndpoint, null=True, blank=True, on_delete=models.CASCADE)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    to = models.CharField(max_length=500, blank=True, help_text="E-mail address or webhook URL at creation.")
    subject = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=500, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(db_index=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        verbose_name_plural = "deliveries"

    def __str__(self) -> str:
        return f"{self.channel} {self.event} → {self.to}"
