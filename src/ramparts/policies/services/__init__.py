"""Writes of the policies module: `<entity>_<verb>(*, actor, ...)`, one transaction each, audited.

Import from here; the submodules are an implementation detail."""

from ramparts.policies.services.acknowledgements import policy_acknowledge
from ramparts.policies.services.exceptions import (
    exception_approve,
    exception_create,
    exception_reject,
    exception_renew,
    exception_revoke,
    exception_update,
    exceptions_expire,
)
from ramparts.policies.services.policies import (
    addressed_users,
    policy_create,
    policy_retire,
    policy_review,
    policy_update,
    version_approve,
    version_create,
    version_publish,
    version_reject,
    version_submit,
    version_update,
)
from ramparts.policies.services.reviews import Reminder, policies_remind

__all__ = [
    "Reminder",
    "addressed_users",
    "exception_approve",
    "exception_create",
    "exception_reject",
    "exception_renew",
    "exception_revoke",
    "exception_update",
    "exceptions_expire",
    "policies_remind",
    "policy_acknowledge",
    "policy_create",
    "policy_retire",
    "policy_review",
    "policy_update",
    "version_approve",
    "version_create",
    "version_publish",
    "version_reject",
    "version_submit",
    "version_update",
]
