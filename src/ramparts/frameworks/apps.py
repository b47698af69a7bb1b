from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "ramparts.frameworks"
    label = "frameworks"
    verbose_name = "Frameworks"
