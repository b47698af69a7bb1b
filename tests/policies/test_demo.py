"""The demo library loads on top of the demo organisation, through the services, and twice is once."""

import time

import pytest

from ramparts.core.models import AuditEntry
from ramparts.policies import demo, selectors
from ramparts.policies.models import Acknowledgement, Policy, PolicyException

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation(db):
    from ramparts.demo.load import load_demo
    from ramparts.frameworks.services import builtin_install

    load_demo()
    builtin_install()  # the frameworks demo runs before this one: CSF 2.0 is there to link to


def test_demo_loads_once_and_a_second_run_changes_nothing(organisation):
    from ramparts.core.models import User

    started = time.perf_counter()
    first = demo.load(seed=1)
    assert time.perf_counter() - started < 10
    assert "11 created" in first[0]
    assert Policy.objects.filter(current_version__isnull=False).count() == 10
    assert Policy.objects.get(title="Cryptography Standard").versions.get().status == "in_approval"
    assert Policy.objects.get(title="Acceptable Use Policy").current_version.label == "1.1"
    exc = PolicyException.objects.get()
    assert exc.status_now == "approved" and exc.systems.get().name == "lon-legacy01"
    employee = User.objects.get(username="employee")
    pending = {p.title for p in selectors.my_pending(employee)}
    assert "Information Security Policy" not in pending and "Incident Response Policy" in pending
    assert "Vulnerability and Patch Management Standard" not in pending  # Technology & Operations only
    isp = Policy.objects.get(title="Information Security Policy")
    assert {r.identifier for r in isp.requirements.all()} == {"GV.PO-01", "GV.PO-02", "GV.RR-01"}
    secmgr = User.objects.get(username="secmgr")
    assert selectors.reviews_due(secmgr).count() == 2

    counts = (Policy.objects.count(), Acknowledgement.objects.count(), AuditEntry.objects.count())
    assert demo.load(seed=1) == ["policies: already loaded, nothing changed"]
    assert (Policy.objects.count(), Acknowledgement.objects.count(), AuditEntry.objects.count()) == counts
