"""Background work of the vulns module. Tasks take ids and call services."""

from django.tasks import task

from ramparts.core.context import Channel, acting


@task()
def run_scan_import(scan_id: int) -> str:
    """Import a queued upload (see services.scan_import_queue); returns the final status."""
    from ramparts.vulns.services import scan_import_run

    with acting(Channel.TASK, principal=f"scan_import:{scan_id}"):
        return scan_import_run(scan_id=scan_id).status


@task()
def warm_findings_caches(at_version: int) -> str:
    """The column snapshot of findings version `at_version`, which facets and dashboard count from (see warming)."""
    from ramparts.vulns.warming import warm

    with acting(Channel.TASK, principal="warm_findings_caches"):
        return warm(at_version)
