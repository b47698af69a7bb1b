from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "ramparts.compliance"
    label = "compliance"
    verbose_name = "Compliance"
