import pytest

from ramparts.core.roles import Role
from ramparts.policies import services
from ramparts.policies.models import Policy

TEXT = "# Acceptable use\n\nUse company systems for work.\n\n- Lock your screen.\n- Report phishing.\n"


@pytest.fixture
def manager(make_user, unit_a):
    return make_user(Role.SECURITY_MANAGER, units=[unit_a], username="secmgr")


@pytest.fixture
def approver(make_user, unit_a):
    return make_user(Role.EXECUTIVE, units=[unit_a], username="exec")


@pytest.fixture
def employee(make_user, unit_a):
    return make_user(Role.EMPLOYEE, units=[unit_a], username="emp")


def publish(policy: Policy, *, author, approver, label: str = "1.0") -> Policy:
    services.version_submit(actor=author, ref=policy.ref, label=label)
    services.version_approve(actor=approver, ref=policy.ref, label=label)
    services.version_publish(actor=author, ref=policy.ref, label=label)
    policy.refresh_from_db()
    return policy


@pytest.fixture
def make_policy(manager, approver, unit_a):
    def make(title="Acceptable use", *, published=True, unit=None, author=None, approved_by=None, **fields) -> Policy:
        author = author or manager
        policy = services.policy_create(
            actor=author, business_unit=unit or unit_a, title=title, text=TEXT, change_summary="First", **fields
        )
        return publish(policy, author=author, approver=approved_by or approver) if published else policy

    return make
