from django import template

from ramparts.notifications.services import host_of

register = template.Library()


@register.filter
def url_host(url: str) -> str:
    """Only scheme and host of a webhook URL: Slack and Teams put the credential in the path."""
    return host_of(url)
