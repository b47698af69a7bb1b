from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "ramparts.alerts"
    label = "alerts"
    verbose_name = "Alerts"
