"""Forms of the policies pages. They only shape input; the services check it and name bad fields."""

import re
from typing import Any

from django import forms

from ramparts.core.errors import ValidationFailed
from ramparts.core.models import BusinessUnit, User
from ramparts.core.roles import ROLE_CHOICES, Role
from ramparts.core.selectors import business_unit_list
from ramparts.policies.models import Policy
from ramparts.policies.services._common import MAX_INTERVAL_MONTHS

_SPLIT = re.compile(r"[\s,;]+")


def split_refs(text: str) -> list[str]:
    return [part for part in _SPLIT.split(text or "") if part]


class ProblemsForm(forms.Form):
    def _choices(self, name: str, choices: list[tuple[str, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

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


def _unit_choices(user) -> list[tuple[str, str]]:
    return [(u.code, u.name) for u in business_unit_list(user)]


def _owner_choices() -> list[tuple[str, str]]:
    people = User.objects.filter(is_active=True).exclude(role=Role.EMPLOYEE).order_by("username")
    return [("", "—"), *[(u.username, f"{u.get_full_name() or u.username} ({u.username})") for u in people]]


class PolicyForm(ProblemsForm):
    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=Policy.Kind.choices)
    business_unit = forms.ChoiceField(label="Owner unit", help_text="The unit that writes and maintains it.")
    owner = forms.ChoiceField(required=False, help_text="Submits versions for approval and gets review reminders.")
    summary = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    review_interval_months = forms.IntegerField(
        label="Review every (months)", min_value=1, max_value=MAX_INTERVAL_MONTHS, initial=12
    )
    audience_units = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Addressed to units",
        help_text="None ticked: the whole organisation.",
    )
    audience_roles = forms.MultipleChoiceField(
        required=False,
        choices=ROLE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        label="Addressed to roles",
        help_text="None ticked: everyone. People without an account count as employees.",
    )
    controls = forms.CharField(
        required=False, label="Supports controls", help_text="Control references, e.g. CTL-3, CTL-12."
    )
    requirements = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Supports requirements",
        help_text="framework:identifier, one per line, e.g. nist-cybersecurity-framework-2-0:GV.PO-01.",
    )

    def __init__(self, *args, user, policy: Policy | None = None, **kwargs):
        if policy is not None and not kwargs.get("data") and not args:
            kwargs["initial"] = {
                "title": policy.title,
                "kind": policy.kind,
                "business_unit": policy.business_unit.code,
                "owner": policy.owner.username if policy.owner else "",
                "summary": policy.summary,
                "review_interval_months": policy.review_interval_months,
                "audience_units": [u.code for u in policy.audience_units.all()],
                "audience_roles": policy.role_list,
                "controls": ", ".join(c.ref for c in policy.controls.all()),
                "requirements": "\n".join(
                    f"{r.framework.slug}:{r.identifier}" for r in policy.requirements.select_related("framework")
                ),
            }
        if policy is None:
            kwargs.setdefault("initial", {}).setdefault("owner", user.username)
        super().__init__(*args, **kwargs)
        self._choices("business_unit", _unit_choices(user))
        self._choices("owner", _owner_choices())
        self._choices("audience_units", [(u.code, u.name) for u in BusinessUnit.objects.order_by("name")])

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "kind": data["kind"],
            "business_unit": data["business_unit"],
            "owner": data["owner"] or None,
            "summary": data["summary"],
            "review_interval_months": data["review_interval_months"],
            "audience_units": data["audience_units"],
            "audience_roles": data["audience_roles"],
            "controls": split_refs(data["controls"]),
            "requirements": [line.strip() for line in data["requirements"].splitlines() if line.strip()],
        }


class NewPolicyForm(PolicyForm):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 16, "class": "mono"}), help_text="Markdown. Raw HTML is shown as text."
    )
    change_summary = forms.CharField(required=False, max_length=500, initial="First version")


class VersionForm(ProblemsForm):
    bump = forms.ChoiceField(
        choices=[
            ("minor", "Minor (wording, clarifications: acknowledgements stay valid)"),
            ("major", "Major (new obligations: everyone addressed acknowledges again)"),
        ],
        widget=forms.RadioSelect,
        initial="minor",
        label="Kind of change",
    )
    change_summary = forms.CharField(max_length=500, label="What changed")
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 20, "class": "mono"}), help_text="Markdown.")


class DraftForm(ProblemsForm):
    change_summary = forms.CharField(max_length=500, required=False, label="What changed")
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 20, "class": "mono"}), help_text="Markdown.")


class NoteForm(ProblemsForm):
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class ExceptionForm(ProblemsForm):
    policy = forms.ChoiceField(help_text="The published policy the systems depart from.")
    business_unit = forms.ChoiceField()
    title = forms.CharField(max_length=200)
    justification = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    compensating_controls = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    systems = forms.CharField(required=False, help_text="System references, e.g. SYS-12, SYS-40.")
    risk = forms.CharField(required=False, help_text="The risk accepted meanwhile, e.g. RISK-7 (risk register).")
    expires_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), help_text="A year at most.")

    def __init__(self, *args, user, policies, exception=None, **kwargs):
        if exception is not None and not kwargs.get("data") and not args:
            kwargs["initial"] = {
                "policy": exception.policy.ref,
                "business_unit": exception.business_unit.code,
                "title": exception.title,
                "justification": exception.justification,
                "compensating_controls": exception.compensating_controls,
                "systems": ", ".join(s.ref for s in exception.systems.all()),
                "risk": exception.risk.ref if exception.risk else "",
                "expires_on": exception.expires_on,
            }
        super().__init__(*args, **kwargs)
        self._choices("policy", [(p.ref, f"{p.ref} {p.title}") for p in policies])
        self._choices("business_unit", _unit_choices(user))
        if exception is not None:  # what it departs from is fixed once requested
            for name in ("policy", "business_unit"):
                self.fields[name].disabled = True

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "justification": data["justification"],
            "compensating_controls": data["compensating_controls"],
            "systems": split_refs(data["systems"]),
            "risk": data["risk"].strip() or None,
            "expires_on": data["expires_on"],
        }


class RenewForm(ProblemsForm):
    expires_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="New expiry date")
    justification = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), help_text="Why it is still needed.")
