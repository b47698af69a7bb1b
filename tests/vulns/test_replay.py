"""The replay (same file again) closes the scope's other open findings, whatever import they came from."""

import io

import pytest

from ramparts.vulns.models import Finding
from ramparts.vulns.services import scan_import
from tests.vulns._synth import trivy_doc

pytestmark = pytest.mark.django_db


def run(actor, data: bytes):
    r = scan_import(actor=actor, stream=io.BytesIO(data), filename="scan.json")
    return (r.new, r.unchanged, r.reopened, r.closed)


def test_replay_closes_open_findings_of_no_import_and_of_older_ones_in_its_scope_only(admin_user, unit_a):
    data = trivy_doc(8, artifact="shop")
    run(admin_user, data)
    run(admin_user, trivy_doc(4, start=100, artifact="shop"))  # closes the 8
    run(admin_user, trivy_doc(3, start=200, artifact="billing"))  # another target, stays open
    run(admin_user, data)  # full path: reopens the 8, closes the 4
    orphan, older = Finding.objects.filter(status="fixed").order_by("number")[:2]
    Finding.objects.filter(pk=orphan.pk).update(status="open", last_import=None)  # its import was deleted
    Finding.objects.filter(pk=older.pk).update(status="open")
    shop_open = Finding.objects.filter(status="open", scope__key__endswith="target:shop")
    seen_before = shop_open.latest("last_seen").last_seen

    assert run(admin_user, data) == (0, 8, 0, 2)

    shop = Finding.objects.filter(scope__key__endswith="target:shop")
    assert set(shop.filter(status="open").values_list("number", flat=True)) == set(range(1, 9))
    assert {f.status for f in Finding.objects.filter(pk__in=[orphan.pk, older.pk])} == {"fixed"}
    assert Finding.objects.filter(scope__key__endswith="target:billing", status="open").count() == 3
    assert all(f.last_seen_at > seen_before for f in shop.filter(status="open").select_related("last_import"))
