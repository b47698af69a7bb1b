from django.apps import AppConfig


class VulnsConfig(AppConfig):
    name = "ramparts.vulns"
    label = "vulns"
    verbose_name = "Vulnerabilities"
