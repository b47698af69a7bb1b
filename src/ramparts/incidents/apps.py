from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "ramparts.incidents"
    label = "incidents"
    verbose_name = "Incidents"
