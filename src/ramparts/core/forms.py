"""Forms of the core web UI."""

import datetime as dt

from django import forms

from ramparts.core.audit import Action
from ramparts.core.context import Channel
from ramparts.core.selectors import AuditFilters

OBJECT_TYPES = [
    ("", "Any type"),
    ("inventory.system", "System"),
    ("inventory.person", "Person"),
    ("inventory.dataasset", "Data asset"),
    ("inventory.businessservice", "Business service"),
    ("inventory.dependency", "Dependency"),
    ("core.user", "User"),
    ("core.apitoken", "API token"),
    ("core.businessunit", "Business unit"),
]
OBJECT_TYPE_LABELS = dict(OBJECT_TYPES[1:])
ACTIONS = [("", "Any action"), (Action.CREATE, "create"), (Action.UPDATE, "update"), (Action.DELETE, "delete")]
CHANNELS = [("", "Any channel"), *[(c.value, c.value.upper()) for c in Channel]]


class AuditFilterForm(forms.Form):
    object_type = forms.CharField(required=False, widget=forms.Select(choices=OBJECT_TYPES), label="Object type")
    object_id = forms.CharField(required=False, label="Object id", widget=forms.HiddenInput)
    q = forms.CharField(
        required=False,
        label="Object reference",
        widget=forms.TextInput(attrs={"placeholder": "SYS-12, PER-3…", "type": "search"}),
    )
    actor = forms.CharField(required=False, label="User", widget=forms.TextInput(attrs={"placeholder": "username"}))
    action = forms.ChoiceField(required=False, choices=ACTIONS)
    channel = forms.ChoiceField(required=False, choices=CHANNELS)
    since = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, label="To (inclusive)", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, zone: dt.tzinfo = dt.UTC, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone

    def filters(self) -> AuditFilters:
        if not self.is_bound:
            return AuditFilters()
        self.is_valid()  # invalid fields are left out of cleaned_data and shown as errors
        data = self.cleaned_data
        since = until = None
        if data.get("since"):
            since = dt.datetime.combine(data["since"], dt.time.min, tzinfo=self.zone)
        if data.get("until"):
            until = dt.datetime.combine(data["until"] + dt.timedelta(days=1), dt.time.min, tzinfo=self.zone)
        return AuditFilters(
            object_type=data.get("object_type") or "",
            object_id=data.get("object_id") or "",
            actor=data.get("actor") or "",
            action=data.get("action") or "",
            channel=data.get("channel") or "",
            since=since,
            until=until,
            q=data.get("q") or "",
        )
