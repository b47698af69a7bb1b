"""Forms of the risk pages. They collect text; the services check it and name bad fields, which
the forms then show next to the field (`add_problems`)."""

import datetime as dt

import yaml
from django import forms

from ramparts.core.errors import ValidationFailed
from ramparts.core.selectors import business_unit_list
from ramparts.risk.engine.matrix import Matrix
from ramparts.risk.models import Risk, RiskCategory, TreatmentAction, TreatmentPlan
from ramparts.risk.services.fields import LEVEL_FIELDS, LINKS

TEXTAREA = forms.Textarea(attrs={"rows": 3})


def set_choices(field: forms.Field, choices: list) -> None:
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class ProblemsMixin:
    def add_problems(self, error: ValidationFailed) -> None:
        names = set(self.fields)  # type: ignore[attr-defined]
        for problem in error.problems:
            column = (problem.column or "").split(".")[0].split("[")[0]
            message = (
                f"{problem.column}: {problem.reason}" if problem.column and column != problem.column else problem.reason
            )
            self.add_error(column if column in names else None, message)  # type: ignore[attr-defined]
        if not error.problems:
            self.add_error(None, error.message)  # type: ignore[attr-defined]


def level_choices(matrix: Matrix, axis: str, *, optional: bool = False) -> list[tuple[str, str]]:
    bands = matrix.likelihood if axis == "likelihood" else matrix.impact
    unit = "a year" if axis == "likelihood" else "per event"
    choices = [(str(i), f"{i} · {b.label} ({b.range_text} {unit})") for i, b in enumerate(bands, start=1)]
    return [("", "—"), *choices] if optional else choices


class RiskForm(ProblemsMixin, forms.Form):
    business_unit = forms.ChoiceField(label="Business unit")
    # Required, but checked by the service with the rest, so that every problem shows at once.
    title = forms.CharField(max_length=300, required=False)
    because = forms.CharField(required=False, widget=TEXTAREA, label="Because… (cause)")
    affecting = forms.CharField(required=False, widget=TEXTAREA, label="affecting… (asset)")
    resulting_in = forms.CharField(required=False, widget=TEXTAREA, label="resulting in… (consequence)")
    category = forms.ChoiceField(required=False)
    owner = forms.CharField(required=False, help_text="A username")
    status = forms.ChoiceField(choices=Risk.Status.choices)
    next_review = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}), label="Next review")
    threat = forms.CharField(required=False, widget=TEXTAREA)
    existing_controls = forms.CharField(required=False, widget=TEXTAREA, label="Existing controls")
    services = forms.CharField(required=False, help_text="SVC-… references, separated by spaces or commas")
    systems = forms.CharField(required=False, help_text="SYS-… references")
    data_assets = forms.CharField(required=False, label="Data assets", help_text="DATA-… references")
    findings = forms.CharField(required=False, help_text="FND-… references")
    controls = forms.CharField(required=False, help_text="CTL-… references")
    fair = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "class": "mono"}),
        label="FAIR scenario (YAML or JSON)",
        help_text="e.g. frequency: {min: 0.05, most_likely: 0.1, max: 0.3} and loss: {p5: 100000, p95: 5000000}",
    )

    def __init__(self, *args, user, matrix: Matrix, instance: Risk | None = None, **kwargs):
        if instance is not None:  # also when bound: disabled fields take their initial value
            kwargs.setdefault("initial", initial_of(instance))
        super().__init__(*args, **kwargs)
        set_choices(self.fields["business_unit"], [(u.code, u.name) for u in business_unit_list(user)])
        set_choices(self.fields["category"], [("", "—"), *((str(c.pk), c.name) for c in RiskCategory.objects.all())])
        for name in LEVEL_FIELDS:
            stage, axis = name.split("_")
            optional = stage == "target" or (stage == "residual" and instance is None)
            self.fields[name] = forms.ChoiceField(
                choices=level_choices(matrix, axis, optional=optional),
                required=not optional,
                label=f"{stage.capitalize()} {axis}",
            )
            if stage == "residual" and instance is not None and instance.quantified:
                self.fields[name].disabled = True
                self.fields[name].help_text = "Derived from the quantification"

    def clean_fair(self) -> dict | None:
        text = self.cleaned_data.get("fair") or ""
        if not text.strip():
            return None
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as error:
            raise forms.ValidationError(f"not valid YAML or JSON: {error}") from None
        if not isinstance(data, dict):
            raise forms.ValidationError("must be a mapping: frequency (or tef and vulnerability), loss, secondary")
        return data

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        for name in LEVEL_FIELDS:
            if name in data and self.fields[name].disabled:
                data.pop(name)
        return data


def initial_of(risk: Risk) -> dict:
    values = {
        name: getattr(risk, name)
        for name in ("title", "because", "affecting", "resulting_in", "status", "next_review", "threat")
    }
    values |= {"existing_controls": risk.existing_controls, "business_unit": risk.business_unit.code}
    values |= {"category": str(risk.category_id), "owner": risk.owner.username if risk.owner else ""}
    values |= {name: getattr(risk, name) for name in LEVEL_FIELDS}
    values |= {name: " ".join(o.ref for o in getattr(risk, name).all()) for name in LINKS}
    values["fair"] = yaml.safe_dump(risk.fair, sort_keys=False) if risk.fair else ""
    return values


class QuantifyForm(forms.Form):
    years = forms.IntegerField(initial=100_000, min_value=1_000, max_value=1_000_000)
    seed = forms.IntegerField(required=False, min_value=0, help_text="Leave empty for a fresh seed")


class WhatIfForm(forms.Form):
    effectiveness = forms.FloatField(min_value=0, max_value=1, initial=0.5, help_text="0 to 1: share of events stopped")
    annual_cost = forms.FloatField(min_value=0, initial=50_000, label="Annual cost of the control")


class AcceptForm(ProblemsMixin, forms.Form):
    rationale = forms.CharField(widget=TEXTAREA)
    compensating_controls = forms.CharField(required=False, widget=TEXTAREA, label="Compensating controls")
    expires_at = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Expires on")

    def clean_expires_at(self):
        value = self.cleaned_data["expires_at"]
        return dt.datetime.combine(value, dt.time(23, 59, 59), tzinfo=dt.UTC)


class PlanForm(ProblemsMixin, forms.Form):
    option = forms.ChoiceField(choices=TreatmentPlan.Option.choices)
    description = forms.CharField(required=False, widget=TEXTAREA)
    owner = forms.CharField(required=False, help_text="A username")


class ActionForm(ProblemsMixin, forms.Form):
    title = forms.CharField(max_length=300)
    owner = forms.CharField(required=False, help_text="A username")
    due = forms.CharField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    cost = forms.CharField(required=False, initial="0")
    status = forms.ChoiceField(choices=TreatmentAction.Status.choices)
    finding = forms.CharField(required=False, help_text="FND-… (optional)")
    control = forms.CharField(required=False, help_text="CTL-… (optional)")


class AppetiteForm(ProblemsMixin, forms.Form):
    category = forms.ChoiceField(required=False, help_text="Empty: the whole portfolio")
    statement = forms.CharField(widget=TEXTAREA)
    max_level = forms.ChoiceField(required=False, label="Maximum risk level")
    tolerance = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "mono"}),
        help_text="One point a line: loss, probability — e.g. 5000000, 0.10 (≤ 10% chance of losing ≥ $5M a year)",
    )
    approved_by = forms.CharField(required=False, label="Approved by (username)")
    approved_at = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}), label="Approved on")

    def __init__(self, *args, matrix: Matrix, **kwargs):
        super().__init__(*args, **kwargs)
        set_choices(
            self.fields["category"],
            [
                ("", "Portfolio"),
                *((str(c.pk), c.name) for c in RiskCategory.objects.all()),
            ],
        )
        set_choices(self.fields["max_level"], [("", "—"), *((str(i), n) for i, n in enumerate(matrix.levels, start=1))])

    def clean_tolerance(self) -> list[dict]:
        points = []
        for number, line in enumerate((self.cleaned_data.get("tolerance") or "").splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip().replace("_", "") for p in line.replace(";", ",").split(",")]
            if len(parts) != 2:
                raise forms.ValidationError(f"line {number}: write “loss, probability”")
            points.append({"loss": parts[0], "probability": parts[1]})
        return points


class CategoryForm(ProblemsMixin, forms.Form):
    name = forms.CharField(max_length=120)
    description = forms.CharField(required=False, widget=TEXTAREA)


class ImportForm(ProblemsMixin, forms.Form):
    kind = forms.ChoiceField(choices=[("riskquant", "riskquant CSV"), ("pyfair", "pyfair JSON")], label="Format")
    file = forms.FileField()
    business_unit = forms.ChoiceField(label="Business unit")
    category = forms.ChoiceField()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        set_choices(self.fields["business_unit"], [(u.code, u.name) for u in business_unit_list(user)])
        set_choices(self.fields["category"], [(str(c.pk), c.name) for c in RiskCategory.objects.all()])
