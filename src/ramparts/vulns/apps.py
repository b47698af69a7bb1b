from django.apps import AppConfig


class VulnsConfig(AppConfig):
    name = "ramparts.vulns"
    label = "vulns"
    verbose_name = "Vulnerabilities"

    def ready(self) -> None:
        from ramparts.inventory.signals import systems_rated

        systems_rated.connect(_rerate_findings, dispatch_uid="vulns.rerate_findings")


def _rerate_findings(sender, *, system_ids, **kwargs) -> None:
    from ramparts.vulns.enrichment import enrich_systems
    from ramparts.vulns.models import Finding

    # Most systems have no open finding: then there is nothing to re-rate and no cache to refresh.
    if Finding.objects.filter(system_id__in=list(system_ids), status=Finding.Status.OPEN).exists():
        enrich_systems(system_ids)
