"""A person acknowledges a policy addressed to them: the version they read, when, audited."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from ramparts.core import audit
from ramparts.core.errors import Conflict
from ramparts.policies import selectors
from ramparts.policies.models import Acknowledgement
from ramparts.policies.refs import parse_version
from ramparts.policies.services._common import record


def policy_acknowledge(*, actor, ref: str, label: str | None = None) -> Acknowledgement:
    """Acknowledge the published version of a policy addressed to the actor (NotFound otherwise).

    `label` is the version the person read: if a newer one was published meanwhile, nothing is
    stored (Conflict) so that nobody acknowledges what they did not read. Acknowledging again
    within the same major version returns the existing acknowledgement."""
    policy = selectors.my_policy_get(actor, ref=ref)
    version = policy.current_version
    assert version is not None  # addressed_to() holds published policies only
    if label and parse_version(label) != (version.major, version.minor):
        raise Conflict(f"{policy.ref} is now at version {version.label}: read it, then acknowledge.")
    existing = Acknowledgement.objects.filter(policy=policy, user=actor, major=version.major).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            ack = Acknowledgement.objects.create(
                policy=policy, version=version, user=actor, major=version.major, acknowledged_at=timezone.now()
            )
            record(
                actor,
                policy,
                audit.Action.UPDATE,
                {"acknowledged": [None, f"{actor.username} acknowledged version {version.label}"]},
            )
    except IntegrityError:  # the same person, twice at once (double click): the first one counts
        return Acknowledgement.objects.get(policy=policy, user=actor, major=version.major)
    return ack
