import json

from django import forms

from ramparts.alerts.engine.mapping import FIELDS
from ramparts.alerts.models import AlertSource, SuppressionRule
from ramparts.core.models import BusinessUnit
from ramparts.core.permissions import unit_ids


def _units_for(user):
    units = unit_ids(user)
    qs = BusinessUnit.objects.all()
    return qs if units is None else qs.filter(pk__in=units)


class JSONTextField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 14, "class": "mono", "spellcheck": "false"})

    def prepare_value(self, value):
        return value if isinstance(value, str) else json.dumps(value, indent=2, ensure_ascii=False)

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                f"Not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."
            ) from None


class SourceForm(forms.Form):
    name = forms.CharField(max_length=100)
    business_unit = forms.ModelChoiceField(queryset=BusinessUnit.objects.none(), to_field_name="code")
    kind = forms.ChoiceField(
        choices=AlertSource.Kind.choices, help_text="Sets the ready-made mapping when none is given."
    )
    mapping = JSONTextField(required=False, help_text="JSONPath mapping; empty uses the kind's ready-made mapping.")
    group_by = forms.MultipleChoiceField(
        choices=[(f, f) for f in FIELDS], required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Alerts with equal values of these fields, each within the window of the last, form one group.",
    )  # fmt: skip
    group_window_minutes = forms.IntegerField(min_value=1, max_value=7 * 24 * 60, initial=10)
    rate_limit_per_minute = forms.IntegerField(min_value=1, initial=6000, label="Rate limit (requests a minute)")
    active = forms.BooleanField(required=False, initial=True)

    def __init__(self, *args, user, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["business_unit"].queryset = _units_for(user)  # type: ignore[attr-defined]
        if editing:
            del self.fields["business_unit"]
            del self.fields["kind"]


class DismissForm(forms.Form):
    reason = forms.CharField(
        max_length=500, widget=forms.TextInput(attrs={"placeholder": "e.g. scheduled vulnerability scan"})
    )


class MergeForm(forms.Form):
    incident = forms.CharField(
        max_length=32, label="Incident", widget=forms.TextInput(attrs={"placeholder": "INC-2026-007"})
    )


SEVERITY_CHOICES = [("low", "low"), ("medium", "medium"), ("high", "high"), ("critical", "critical")]


class PromoteForm(forms.Form):
    title = forms.CharField(max_length=300)
    incident_type = forms.ChoiceField(label="Type")
    severity = forms.ChoiceField(choices=SEVERITY_CHOICES)

    def __init__(self, *args, **kwargs):
        from ramparts.incidents.config import incident_types

        super().__init__(*args, **kwargs)
        self.fields["incident_type"].choices = [(k, t.label) for k, t in incident_types().items()]


class SuppressionForm(forms.Form):
    source = forms.ModelChoiceField(
        queryset=AlertSource.objects.none(), to_field_name="slug", required=False, empty_label="every source"
    )
    field = forms.ChoiceField(choices=[(f, f) for f in SuppressionRule.FIELDS])
    value = forms.CharField(max_length=255, help_text="Exact value (case-insensitive); * matches anything.")
    until = forms.DateTimeField(
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), help_text="In your time zone."
    )
    reason = forms.CharField(max_length=500)

    def __init__(self, *args, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources  # type: ignore[attr-defined]
