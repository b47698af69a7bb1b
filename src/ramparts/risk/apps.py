from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "ramparts.risk"
    label = "risk"
    verbose_name = "Risk"
