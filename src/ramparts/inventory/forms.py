"""Inventory forms, generated from the import/export column table so that the UI, files and the API
accept exactly the same fields and values. A form only collects cells (text); the services parse
and validate them, and their problems come back onto the form's fields."""

from typing import Any

from django import forms

from ramparts.core.errors import ValidationFailed
from ramparts.core.selectors import business_unit_list
from ramparts.inventory.importexport.columns import Column, Entity, Kind, current_cell

# Long text and lists get a text area; lists are one value per line.
_TEXTAREAS = {"description"}
_LIST_KINDS = (Kind.LINES, Kind.IPS, Kind.URLS, Kind.SYSTEMS)
_CRITICALITY = [("low", "low"), ("medium", "medium"), ("high", "high"), ("critical", "critical")]
_LEVELS = [("low", "low"), ("moderate", "moderate"), ("high", "high")]
_PLACEHOLDERS = {
    Kind.PERSON: "employee id, e.g. E1042",
    Kind.USER: "Ramparts username",
    Kind.CPE: "cpe:2.3:a:vendor:product:version:*:*:*:*:*:*:*",
}
_LABELS = {
    "cpe": "CPE 2.3 name",
    "ip_addresses": "IP addresses",
    "urls": "URLs",
    "rto_hours": "RTO (hours)",
    "rpo_hours": "RPO (hours)",
    "criticality": "Criticality",
    "user": "Ramparts account",
    "employee_id": "Employee id",
}


def _choice_labels(entity: Entity, column: Column) -> list[tuple[str, str]]:
    model = entity.model
    if model is not None:
        try:
            field = model._meta.get_field(column.attr)
            if field.choices:  # type: ignore[union-attr]
                return [(str(v), str(label)) for v, label in field.choices]  # type: ignore[union-attr]
        except Exception:  # noqa: S110 - a column without a model field keeps its raw choices
            pass
    return [(c, c.replace("_", " ")) for c in column.choices]


def form_field(entity: Entity, column: Column, units: list[tuple[str, str]]) -> forms.Field:
    label = _LABELS.get(column.name, column.name.replace("_", " ").capitalize())
    common: dict[str, Any] = {"label": label, "required": column.required, "help_text": column.help}
    if column.default is not None and column.kind in (Kind.CHOICE, Kind.BOOL):
        common["initial"] = column.default
    match column.kind:
        case Kind.BOOL:
            return forms.BooleanField(**{**common, "required": False})
        case Kind.CHOICE:
            return forms.ChoiceField(choices=_choice_labels(entity, column), **common)
        case Kind.CRITICALITY:
            return forms.ChoiceField(choices=_CRITICALITY, **common)
        case Kind.LEVEL:
            return forms.ChoiceField(choices=_LEVELS, **common)
        case Kind.UNIT:
            return forms.ChoiceField(choices=[("", "—"), *units], **common)
        case Kind.DATE:
            return forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **common)
        case Kind.INT:
            return forms.CharField(widget=forms.NumberInput(attrs={"min": 0}), **common)
        case kind if kind in _LIST_KINDS:
            common["help_text"] = (column.help + " One per line.").strip()
            return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **common)
    attrs = {"placeholder": _PLACEHOLDERS[column.kind]} if column.kind in _PLACEHOLDERS else {}
    if column.name in _TEXTAREAS:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3, **attrs}), **common)
    return forms.CharField(widget=forms.TextInput(attrs=attrs), max_length=column.max_length, **common)


class InventoryForm(forms.Form):
    """The fields of one entity. `cells()` gives what the services take."""

    entity: Entity

    def __init__(self, *args, entity: Entity, user, instance=None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_cells(entity, instance)
        super().__init__(*args, **kwargs)
        self.entity = entity
        self.instance = instance
        units = [(u.code, u.name) for u in business_unit_list(user)]
        for column in entity.writable:
            self.fields[column.name] = form_field(entity, column, units)

    def cells(self) -> dict[str, str]:
        result: dict[str, str] = {}
        for column in self.entity.writable:
            value = self.cleaned_data.get(column.name)
            if column.kind == Kind.BOOL:
                result[column.name] = "true" if value else "false"
            else:
                text = "" if value is None else str(value).strip()
                if column.kind in _LIST_KINDS:
                    text = "; ".join(line.strip() for line in text.splitlines() if line.strip())
                result[column.name] = text
        return result

    def add_problems(self, error: ValidationFailed) -> None:
        """Service problems onto the fields they name; the rest onto the form."""
        if not error.problems:
            self.add_error(None, error.message)
        for problem in error.problems:
            name = problem.column if problem.column in self.fields else None
            reason = problem.reason if name else str(problem)
            if name and self.has_error(name):
                self.errors[name].append(reason)
            else:
                self.add_error(name, reason)


def initial_cells(entity: Entity, obj) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    for column in entity.writable:
        cell = current_cell(column, obj)
        if column.kind == Kind.BOOL:
            initial[column.name] = cell == "true"
        elif column.kind in _LIST_KINDS:
            initial[column.name] = "\n".join(v.strip() for v in cell.split(";") if v.strip())
        else:
            initial[column.name] = cell
    return initial


class DependencyAddForm(forms.Form):
    target_type = forms.ChoiceField(
        choices=[("system", "System"), ("data_asset", "Data asset"), ("service", "Business service")],
        label="Depends on a",
    )
    target = forms.CharField(
        label="Name or reference",
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "SYS-12, or the exact name"}),
    )
