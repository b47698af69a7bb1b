"""Background work of the inventory. Tasks take ids or nothing, and call services."""

from django.db import transaction
from django.tasks import task

from ramparts.core.context import Channel, acting


@task()
def propagate_criticality_task() -> dict[str, int]:
    """Recompute every system's effective criticality (e.g. nightly, or after a bulk load)."""
    from ramparts.inventory.services import propagate_criticality

    with acting(Channel.TASK, principal="propagate_criticality"):
        result = propagate_criticality()
    return {"systems": result.systems, "changed": result.changed}


def enqueue_propagation() -> None:
    """Run propagation in the background once the current transaction commits."""
    transaction.on_commit(propagate_criticality_task.enqueue)
