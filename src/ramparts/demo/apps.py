from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "ramparts.demo"
    label = "demo"
    verbose_name = "Demo organisation"
