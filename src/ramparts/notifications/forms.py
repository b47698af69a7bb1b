from django import forms

from ramparts.notifications.events import EVENTS
from ramparts.notifications.models import WebhookFormat


def event_choices() -> list[tuple[str, str]]:
    return [(key, f"{kind.label} ({key})") for key, kind in sorted(EVENTS.items())]


class WebhookEndpointForm(forms.Form):
    name = forms.CharField(max_length=100)
    url = forms.URLField(
        max_length=500,
        label="URL",
        assume_scheme="https",
        help_text="Where to POST. Kept secret: only its host is shown after saving.",
    )
    format = forms.ChoiceField(choices=WebhookFormat.choices)
    events = forms.MultipleChoiceField(
        choices=event_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: every event.",
    )
    active = forms.BooleanField(required=False, initial=True)


class WebhookEndpointEditForm(WebhookEndpointForm):
    url = forms.URLField(
        max_length=500,
        label="URL",
        required=False,
        assume_scheme="https",
        help_text="Leave empty to keep the current URL.",
    )
