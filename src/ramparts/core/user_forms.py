"""Forms of the user and token pages. They only parse input: rules live in users.py and tokens.py."""

from django import forms

from ramparts.core.models import ApiToken, BusinessUnit
from ramparts.core.roles import ROLE_CHOICES
from ramparts.core.tokens import MAX_LIFETIME_DAYS


class UserEditForm(forms.Form):
    email = forms.EmailField(required=False)
    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    role = forms.ChoiceField(choices=ROLE_CHOICES)
    business_units = forms.ModelMultipleChoiceField(
        queryset=BusinessUnit.objects.order_by("name"), required=False, widget=forms.CheckboxSelectMultiple
    )
    all_units = forms.BooleanField(required=False, label="Sees every business unit")


class UserCreateForm(UserEditForm):
    username = forms.CharField(max_length=150)
    password = forms.CharField(
        widget=forms.PasswordInput(render_value=False), help_text="At least 12 characters, not a common password."
    )

    field_order = ["username", "email", "first_name", "last_name", "role", "business_units", "all_units", "password"]


class PasswordSetForm(forms.Form):
    password = forms.CharField(widget=forms.PasswordInput(render_value=False), label="New password")
    password_again = forms.CharField(widget=forms.PasswordInput(render_value=False), label="New password (again)")

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", "The passwords differ.")
        return data


class TokenCreateForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What the token is for, e.g. 'scanner import job'.")
    scopes = forms.MultipleChoiceField(
        choices=[(s, s) for s in ApiToken.SCOPES],
        initial=[ApiToken.SCOPE_READ],
        widget=forms.CheckboxSelectMultiple,
        help_text="read: GET requests only. write: also create, change and delete.",
    )
    expires_in_days = forms.IntegerField(
        min_value=1, max_value=MAX_LIFETIME_DAYS, initial=90, label="Expires in (days)"
    )
