"""Re-import sequences and the scope: the same file, a subset, a superset, another target."""

import io

import pytest

from ramparts.vulns.models import Finding, ScanImport
from ramparts.vulns.services import scan_import
from tests.vulns._synth import trivy_doc

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(admin_user, unit_a):
    return admin_user


def run(actor, data: bytes, **kw):
    r = scan_import(actor=actor, stream=io.BytesIO(data), filename="scan.json", **kw)
    return (r.new, r.unchanged, r.reopened, r.closed)


def open_count(artifact: str) -> int:
    return Finding.objects.filter(status="open", scope__key__endswith=f"target:{artifact}").count()


def test_subset_then_superset_then_same(admin):
    assert run(admin, trivy_doc(30)) == (30, 0, 0, 0)
    assert run(admin, trivy_doc(20)) == (0, 20, 0, 10)
    assert run(admin, trivy_doc(40)) == (10, 20, 10, 0)
    assert run(admin, trivy_doc(40)) == (0, 40, 0, 0)
    assert Finding.objects.count() == 40 and Finding.objects.filter(status="open").count() == 40
    assert Finding.objects.filter(reopened_count=1).count() == 10


def test_another_target_closes_nothing(admin):
    run(admin, trivy_doc(30, artifact="shop:1"))
    assert run(admin, trivy_doc(12, start=500, artifact="billing:2")) == (12, 0, 0, 0)
    assert (open_count("shop:1"), open_count("billing:2")) == (30, 12)
    # a subset of the first target closes only inside that target
    assert run(admin, trivy_doc(10, artifact="shop:1")) == (0, 10, 0, 20)
    assert (open_count("shop:1"), open_count("billing:2")) == (10, 12)
    scopes = set(ScanImport.objects.values_list("scope", flat=True))
    assert any(s.endswith("|target:shop:1") for s in scopes) and any(s.endswith("|target:billing:2") for s in scopes)


def test_same_findings_in_two_targets_are_two_findings(admin):
    run(admin, trivy_doc(5, artifact="a"))
    run(admin, trivy_doc(5, artifact="b"))
    assert Finding.objects.count() == 10


def test_replayed_file_then_changes_still_sorted_right(admin):
    data = trivy_doc(30)
    assert run(admin, data) == (30, 0, 0, 0)
    assert run(admin, data) == (0, 30, 0, 0)  # recognised by its hash: nothing parsed
    assert run(admin, data) == (0, 30, 0, 0)
    assert run(admin, trivy_doc(25)) == (0, 25, 0, 5)
    assert run(admin, data) == (0, 25, 5, 0)
    assert ScanImport.objects.filter(status="done").count() == 5


def test_replay_reopens_what_was_fixed_and_closes_what_was_reopened_by_hand(admin):
    data = trivy_doc(10)
    run(admin, data)
    run(admin, trivy_doc(5, start=100))  # same target: closes the 10
    run(admin, data)  # not the last file: full path, 10 reopened, the 5 closed
    fixed_one = Finding.objects.filter(status="open").order_by("number").first()
    Finding.objects.filter(pk=fixed_one.pk).update(status="fixed")
    back = Finding.objects.filter(status="fixed").order_by("number").last()
    Finding.objects.filter(pk=back.pk).update(status="open")
    assert run(admin, data) == (0, 9, 1, 1)  # a replay: the same rules
    assert Finding.objects.get(pk=fixed_one.pk).status == "open"
    assert Finding.objects.get(pk=back.pk).status == "fixed"


def test_judged_findings_are_never_reopened_by_a_replay(admin):
    data = trivy_doc(6)
    run(admin, data)
    Finding.objects.filter(number=1).update(status="false_positive")
    assert run(admin, data) == (0, 6, 0, 0)
    assert Finding.objects.get(number=1).status == "false_positive"


def test_duplicates_in_one_file_merge_to_the_highest_severity(admin):
    import json

    doc = json.loads(trivy_doc(3))
    vulns = doc["Results"][0]["Vulnerabilities"]
    vulns.append(dict(vulns[0], Severity="CRITICAL"))
    assert run(admin, json.dumps(doc).encode()) == (3, 0, 0, 0)
    assert Finding.objects.get(cve=vulns[0]["VulnerabilityID"]).severity == 4


def test_system_option_scope_has_no_file_target(admin):
    run(admin, trivy_doc(4, artifact="x"), system="web-1", create_system=True)
    run(admin, trivy_doc(4, start=50, artifact="y"), system="web-1")  # same system: one scope
    assert Finding.objects.filter(status="open").count() == 4
    assert ScanImport.objects.order_by("number").last().scope.endswith("|format:trivy")
