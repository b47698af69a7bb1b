from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "ramparts.policies"
    label = "policies"
    verbose_name = "Policies"
