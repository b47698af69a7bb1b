"""Forms of the compliance pages. They only shape input; the services validate and write."""

from typing import Any

from django import forms
from django.db.models import Case, When

from ramparts.compliance.models import Control, CsfProfile, RequirementStatus
from ramparts.core.errors import ValidationFailed
from ramparts.core.permissions import scope_to_units
from ramparts.core.selectors import business_unit_list
from ramparts.inventory.models import BusinessService, Person, System


def _queryset(form: forms.Form, name: str, queryset) -> None:
    field: Any = form.fields[name]
    field.queryset = queryset


class ProblemsMixin:
    def add_problems(self, exc: ValidationFailed) -> None:
        for problem in exc.problems or []:
            field = problem.column if problem.column in self.fields else None  # type: ignore[attr-defined]
            self.add_error(field, problem.reason)  # type: ignore[attr-defined]
        if not exc.problems:
            self.add_error(None, exc.message)  # type: ignore[attr-defined]


class _RefChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.ref} {obj}"


class _RefMultiple(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.ref} {obj}"


class ControlForm(ProblemsMixin, forms.Form):
    name = forms.CharField(max_length=200)
    business_unit: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, to_field_name="code", empty_label=None
    )
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    owner = _RefChoice(queryset=None, required=False, to_field_name="number", help_text="Who answers for it")
    control_type = forms.ChoiceField(choices=Control.Type.choices, label="Type")
    automation = forms.ChoiceField(choices=Control.Automation.choices)
    frequency = forms.ChoiceField(choices=Control.Frequency.choices)
    status = forms.ChoiceField(choices=Control.Status.choices, label="Implementation status")
    annual_cost = forms.DecimalField(required=False, min_value=0, max_digits=14, decimal_places=2, label="Annual cost")
    effectiveness = forms.TypedChoiceField(choices=Control.Effectiveness.choices, coerce=int)
    units_in_scope: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        queryset=None, required=False, to_field_name="code", help_text="None selected: the whole organisation"
    )
    systems = _RefMultiple(queryset=None, required=False, to_field_name="number", label="Systems in scope")
    technologies = _RefMultiple(
        queryset=None,
        required=False,
        to_field_name="number",
        label="Security technologies",
        help_text="The tools (EDR, SIEM, MFA, backup, WAF…) that implement this control",
    )

    def __init__(self, *args, user, instance: Control | None = None, **kwargs):
        if instance is not None and not kwargs.get("data") and not args:
            kwargs["initial"] = {
                "name": instance.name,
                "business_unit": instance.business_unit.code,
                "description": instance.description,
                "owner": instance.owner.number if instance.owner else None,
                "control_type": instance.control_type,
                "automation": instance.automation,
                "frequency": instance.frequency,
                "status": instance.status,
                "annual_cost": instance.annual_cost,
                "effectiveness": instance.effectiveness,
                "units_in_scope": [u.code for u in instance.units_in_scope.all()],
                "systems": [s.number for s in instance.systems.all()],
                "technologies": [s.number for s in instance.technologies.all()],
            }
        super().__init__(*args, **kwargs)
        units = business_unit_list(user)
        _queryset(self, "business_unit", units)
        _queryset(self, "units_in_scope", units)
        _queryset(self, "owner", scope_to_units(user, Person.objects.all()))
        systems = scope_to_units(user, System.objects.all())
        _queryset(self, "systems", systems)
        # Security tools first: they are what people look for here.
        security_tools_first = Case(When(kind=System.Kind.SECURITY_TOOL, then=0), default=1)
        _queryset(self, "technologies", systems.order_by(security_tools_first, "name"))

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["business_unit"] = data["business_unit"].code
        data["owner"] = data["owner"].ref if data.get("owner") else None
        data["units_in_scope"] = [u.code for u in data.get("units_in_scope") or []]
        data["systems"] = [s.ref for s in data.get("systems") or []]
        data["technologies"] = [s.ref for s in data.get("technologies") or []]
        return data


class MappingForm(ProblemsMixin, forms.Form):
    framework = forms.ChoiceField(choices=())
    identifiers = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), help_text="Requirement identifiers, separated by commas or lines"
    )
    remove = forms.BooleanField(required=False, label="Remove these mappings instead")

    def __init__(self, *args, frameworks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].choices = [(f.slug, str(f)) for f in frameworks]

    def refs(self) -> list[str]:
        slug = self.cleaned_data["framework"]
        raw = self.cleaned_data["identifiers"].replace("\n", ",")
        return [f"{slug}:{part.strip()}" for part in raw.split(",") if part.strip()]


class EvidenceForm(ProblemsMixin, forms.Form):
    title = forms.CharField(max_length=200)
    file = forms.FileField(required=False)
    url = forms.URLField(required=False, max_length=1000, label="…or a link", assume_scheme="https")
    expires_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}), label="Expires on")
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    control = forms.CharField(required=False, widget=forms.HiddenInput)
    assessment = forms.CharField(required=False, widget=forms.HiddenInput)
    requirement = forms.CharField(required=False, widget=forms.HiddenInput)


class AssessmentForm(ProblemsMixin, forms.Form):
    name = forms.CharField(max_length=200)
    business_unit: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, to_field_name="code", empty_label=None
    )
    framework = forms.ChoiceField(choices=())
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    scope_units: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        queryset=None, required=False, to_field_name="code", label="Units in scope"
    )
    scope_services = _RefMultiple(queryset=None, required=False, to_field_name="number", label="Services in scope")
    reviewer = forms.CharField(required=False, help_text="User name of the reviewer who signs off")

    def __init__(self, *args, user, frameworks, **kwargs):
        super().__init__(*args, **kwargs)
        units = business_unit_list(user)
        _queryset(self, "business_unit", units)
        _queryset(self, "scope_units", units)
        _queryset(self, "scope_services", scope_to_units(user, BusinessService.objects.all()))
        self.fields["framework"].choices = [(f.slug, str(f)) for f in frameworks]

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["business_unit"] = data["business_unit"].code
        data["scope_units"] = [u.code for u in data.get("scope_units") or []]
        data["scope_services"] = [s.ref for s in data.get("scope_services") or []]
        return data


class ResultForm(ProblemsMixin, forms.Form):
    status = forms.ChoiceField(choices=[("", "derived from the controls"), *RequirementStatus.choices], required=False)
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MigrateForm(ProblemsMixin, forms.Form):
    framework = forms.ChoiceField(choices=(), label="New framework version")
    carry_mappings = forms.BooleanField(required=False, initial=True, label="Map controls to the new version too")

    def __init__(self, *args, frameworks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].choices = [(f.slug, str(f)) for f in frameworks]


class ProfileForm(ProblemsMixin, forms.Form):
    name = forms.CharField(max_length=200)
    business_unit: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, to_field_name="code", empty_label=None
    )
    kind = forms.ChoiceField(choices=CsfProfile.Kind.choices)
    tier = forms.TypedChoiceField(choices=CsfProfile.Tier.choices, coerce=int, label="Implementation tier")
    framework = forms.ChoiceField(choices=())
    current = forms.ChoiceField(choices=(), required=False, label="Compared with (for a target profile)")
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, frameworks, currents, **kwargs):
        super().__init__(*args, **kwargs)
        _queryset(self, "business_unit", business_unit_list(user))
        self.fields["framework"].choices = [(f.slug, str(f)) for f in frameworks]
        self.fields["current"].choices = [("", "—"), *[(p.ref, f"{p.ref} {p.name}") for p in currents]]

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["business_unit"] = data["business_unit"].code
        data["current"] = data.get("current") or None
        return data


class ProfileEditForm(ProblemsMixin, forms.Form):
    name = forms.CharField(max_length=200)
    tier = forms.TypedChoiceField(choices=CsfProfile.Tier.choices, coerce=int, label="Implementation tier")
    current = forms.ChoiceField(choices=(), required=False, label="Compared with (for a target profile)")
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, profile: CsfProfile, currents, **kwargs):
        if not args and not kwargs.get("data"):
            kwargs["initial"] = {
                "name": profile.name,
                "tier": profile.tier,
                "current": profile.current.ref if profile.current is not None else "",
                "description": profile.description,
            }
        super().__init__(*args, **kwargs)
        current: Any = self.fields["current"]
        current.choices = [("", "—"), *[(p.ref, f"{p.ref} {p.name}") for p in currents]]
        if profile.kind != CsfProfile.Kind.TARGET:
            del self.fields["current"]
