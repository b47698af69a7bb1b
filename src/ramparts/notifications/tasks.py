"""Background delivery of e-mails and webhook calls (django.tasks)."""

from django.db import transaction
from django.tasks import default_task_backend, task

from ramparts.core.context import Channel, acting


@task()
def deliver_task(delivery_ids: list[int]) -> dict[str, int]:
    """Attempt each delivery once; a failed one is re-enqueued for its backoff time when the task
    backend can defer (the database backend can), else `ramparts notifications deliver` picks it up."""
    from ramparts.notifications import delivery

    counts: dict[str, int] = {}
    with acting(Channel.TASK, principal="notifications"):
        for delivery_id in delivery_ids:
            outcome = delivery.attempt(delivery_id)
            counts[outcome.status] = counts.get(outcome.status, 0) + 1
            if outcome.next_attempt_at is not None and default_task_backend.supports_defer:
                deliver_task.using(run_after=outcome.next_attempt_at).enqueue([delivery_id])
    return counts


def enqueue_delivery(delivery_ids: list[int]) -> None:
    """Send after the current transaction commits (nothing goes out for a rolled-back change)."""
    ids = list(delivery_ids)
    transaction.on_commit(lambda: deliver_task.enqueue(ids))
