from django import template

from ramparts.compliance.views._common import status_badge

register = template.Library()

LABELS = {
    "implemented": "implemented",
    "partial": "partially",
    "not_implemented": "not implemented",
    "not_applicable": "not applicable",
}


@register.filter
def badge(status: str | None) -> str:
    return status_badge(status)


@register.filter
def status_label(status: str | None) -> str:
    return LABELS.get(status or "", "not assessed")


@register.filter
def level_status(level: str) -> str:
    """An engine level name (implemented/partial/not_implemented) is already a status."""
    return level


@register.filter
def expired(evidence) -> bool:
    from django.utils import timezone

    return bool(evidence.expires_on and evidence.expires_on < timezone.localdate())
