"""A finding's last seen time: a replay moves its import's `seen_at`, and every reader shows the later of the two."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from ramparts.vulns import selectors
from ramparts.vulns.export import findings_csv
from ramparts.vulns.filters import FindingFilters
from ramparts.vulns.models import Finding, ScanImport
from ramparts.vulns.services import scan_import
from tests.vulns._synth import trivy_doc
from tests.vulns.test_findings_views import API, api_client

pytestmark = pytest.mark.django_db
SHOP = trivy_doc(6, artifact="shop")


def run(actor, data: bytes) -> ScanImport:
    result = scan_import(actor=actor, stream=io.BytesIO(data), filename="scan.json")
    return ScanImport.objects.get(number=int(result.scan_ref.removeprefix(f"{ScanImport.REF_PREFIX}-")))


def seen(**filters) -> dict[int, dt.datetime]:
    """number -> last_seen_at, read the way every reader reads it."""
    rows = Finding.objects.filter(**filters).select_related("last_import")
    return {f.number: f.last_seen_at for f in rows}


def stored(**filters) -> dict[int, dt.datetime]:
    return dict(Finding.objects.filter(**filters).values_list("number", "last_seen"))


def root_of(scan: ScanImport) -> ScanImport:
    return ScanImport.objects.get(pk=scan.options.get("findings_of", scan.pk))


def test_replays_move_the_import_not_the_rows(admin_user, unit_a):
    first = run(admin_user, SHOP)
    parsed = stored()
    assert seen() == parsed and ScanImport.objects.get(pk=first.pk).seen_at is None
    once = run(admin_user, SHOP)
    at_once = root_of(once).seen_at
    assert at_once is not None and at_once > max(parsed.values())
    assert set(seen().values()) == {at_once}
    twice = run(admin_user, SHOP)
    at_twice = root_of(twice).seen_at
    assert root_of(twice).pk == first.pk and at_twice > at_once
    assert set(seen().values()) == {at_twice}
    assert stored() == parsed  # the wide rows were not rewritten


def test_a_full_import_after_a_replay_stores_its_own_time_and_the_closed_keep_the_replay(admin_user, unit_a):
    run(admin_user, SHOP)
    replayed_at = root_of(run(admin_user, SHOP)).seen_at
    subset = run(admin_user, trivy_doc(4, artifact="shop"))  # other bytes: parsed, the last 2 close
    kept = seen(status="open")
    assert len(kept) == 4 and all(t > replayed_at for t in kept.values())
    assert kept == stored(status="open")  # they moved to the new import: the stored column is right
    assert set(Finding.objects.filter(status="open").values_list("last_import", flat=True)) == {subset.pk}
    assert set(seen(status="fixed").values()) == {replayed_at}  # closed: last seen by the replay


def test_reopened_false_positive_and_accepted_findings_of_a_replayed_file(admin_user, unit_a):
    run(admin_user, SHOP)
    fixed, fp, accepted = Finding.objects.order_by("number")[:3]
    Finding.objects.filter(pk=fixed.pk).update(status="fixed")
    Finding.objects.filter(pk=fp.pk).update(status="false_positive")
    Finding.objects.filter(pk=accepted.pk).update(status="risk_accepted")
    replay = run(admin_user, SHOP)
    assert replay.reopened == 1 and replay.unchanged == 5
    at = root_of(replay).seen_at
    assert seen() == dict.fromkeys(range(1, 7), at)  # as before: every finding of the file moves
    assert Finding.objects.get(pk=fixed.pk).status == "open"


def test_a_finding_closed_by_a_replay_of_another_file_keeps_its_time(admin_user, unit_a):
    run(admin_user, trivy_doc(3, start=50, artifact="shop"))
    before = seen()
    run(admin_user, SHOP)  # closes the 3
    run(admin_user, SHOP)  # a replay: closes nothing more, moves only its own file
    assert seen(number__in=before) == before
    assert {f.status for f in Finding.objects.filter(number__in=before)} == {"fixed"}


def test_findings_of_no_import_show_their_own_time(admin_user, unit_a):
    run(admin_user, SHOP)
    run(admin_user, SHOP)
    orphan = Finding.objects.order_by("number").first()
    Finding.objects.filter(pk=orphan.pk).update(last_import=None)
    assert seen(pk=orphan.pk) == stored(pk=orphan.pk)
    newest = selectors.finding_list(admin_user, FindingFilters(sort="last_seen"))
    assert newest.last().number == orphan.number  # null import: sorted by its own time (Coalesce)


@pytest.mark.parametrize("how", ["instance", "queryset"])
def test_deleting_an_import_writes_its_time_into_its_findings(admin_user, unit_a, how):
    first = run(admin_user, SHOP)
    run(admin_user, SHOP)
    at = ScanImport.objects.get(pk=first.pk).seen_at
    later = at + dt.timedelta(hours=1)
    Finding.objects.filter(number=1).update(last_seen=later)  # its own time is later: kept
    if how == "instance":
        ScanImport.objects.get(pk=first.pk).delete()
    else:
        ScanImport.objects.filter(pk=first.pk).delete()
    assert not Finding.objects.filter(last_import__isnull=False).exists()
    assert stored() == {1: later, **dict.fromkeys(range(2, 7), at)}
    assert seen() == stored()


def test_every_reader_shows_and_sorts_by_the_replayed_time(admin_user, unit_a, client):
    run(admin_user, trivy_doc(2, start=100, artifact="billing"))
    run(admin_user, SHOP)
    Finding.objects.filter(scope__key__endswith="shop").update(last_seen=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    at = root_of(run(admin_user, SHOP)).seen_at
    at_ms = at.replace(microsecond=at.microsecond // 1000 * 1000)  # the API's precision
    shop = set(range(3, 9))

    ordered = [f.number for f in selectors.finding_list(admin_user, FindingFilters(sort="last_seen"))]
    assert set(ordered[:6]) == shop  # the stored column alone would put billing first

    api = api_client(admin_user)
    listed = api.get(f"{API}/findings", {"sort": "last_seen"}).json()["items"]
    assert {r["ref"] for r in listed[:6]} == {f"FND-{n}" for n in shop}
    assert dt.datetime.fromisoformat(listed[0]["last_seen"]) == at_ms
    detail = api.get(f"{API}/findings/FND-3").json()
    assert dt.datetime.fromisoformat(detail["last_seen"]) == at_ms

    rows = list(csv.DictReader(io.StringIO("".join(findings_csv(admin_user, FindingFilters(sort="last_seen"))))))
    assert [r["ref"] for r in rows] == [f"FND-{n}" for n in ordered]
    assert dt.datetime.fromisoformat(rows[0]["last_seen"]) == at

    client.force_login(admin_user)
    page = client.get(reverse("vulns:finding_detail", args=["FND-3"]))
    assert page.context["f"].last_seen_at == at and b"1 Jan 2020" not in page.content
