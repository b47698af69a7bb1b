"""`feed_update` and `ramparts feeds`: real KEV catalogues, generated EPSS files, bad files store nothing."""

import gzip
import json
import urllib.error

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ramparts.core.errors import PermissionDenied, ValidationFailed
from ramparts.core.models import AuditEntry
from ramparts.core.roles import Role
from ramparts.vulns import feed_updates
from ramparts.vulns.feed_updates import feed_update
from ramparts.vulns.models import EpssScore, FeedRun, Finding, KevEntry, Priority
from tests.conftest import SHARED_DATA
from tests.vulns._findings import V3_NETWORK_TOTAL, make_finding, make_system

pytestmark = pytest.mark.django_db
KEV_DIR = SHARED_DATA / "feeds" / "kev"


def epss_file(tmp_path, rows, *, gz=True, name="epss.csv.gz"):
    text = "#model_version:v2025.03.14,score_date:2026-11-26T00:00:00+0000\ncve,epss,percentile\n"
    text += "".join(f"{cve},{score},{pct}\n" for cve, score, pct in rows)
    path = tmp_path / name
    path.write_bytes(gzip.compress(text.encode()) if gz else text.encode())
    return path


@pytest.mark.parametrize("name", ["known_exploited_vulnerabilities.json", "known_exploited_vulnerabilities.csv"])
def test_real_kev_file_enriches_open_findings(admin_user, unit_a, name):
    system = make_system(unit_a, criticality=4, internet_facing=True)
    hit = make_finding(unit_a, system=system, cve="CVE-2023-4966", cvss3_vector=V3_NETWORK_TOTAL)
    fixed = make_finding(unit_a, cve="CVE-2023-4966", status=Finding.Status.FIXED)
    result = feed_update(actor=admin_user, feed="kev", path=KEV_DIR / name)
    assert result.count == KevEntry.objects.count() == 1404
    hit.refresh_from_db()
    fixed.refresh_from_db()
    assert hit.kev_date_added.isoformat() == "2023-10-18" and hit.kev_ransomware
    assert hit.priority == Priority.ACT
    assert fixed.kev_date_added is None  # closed findings are left alone
    run = FeedRun.objects.get()
    assert run.count == 1404 and len(run.sha256) == 64 and run.findings_updated == 1
    entries = AuditEntry.objects.filter(object_type__endswith="feedrun")
    assert entries.count() == 1 and entries.get().changes["count"] == [None, 1404]


def test_second_update_replaces_the_catalogue(admin_user):
    feed_update(actor=admin_user, feed="kev", path=KEV_DIR / "known_exploited_vulnerabilities.json")
    feed_update(actor=admin_user, feed="kev", path=KEV_DIR / "known_exploited_vulnerabilities_2025-11-16_mirror.csv")
    assert KevEntry.objects.count() == 1460 and FeedRun.objects.count() == 2


def test_epss_bulk_and_finding_scores(admin_user, unit_a, tmp_path):
    f = make_finding(unit_a, cve="CVE-2024-00005")
    rows = [(f"CVE-2024-{i:05d}", i / 100_000, 0.5) for i in range(1, 50_001)]
    feed_update(actor=admin_user, feed="epss", path=epss_file(tmp_path, rows))
    assert EpssScore.objects.count() == 50_000
    f.refresh_from_db()
    assert f.epss_score == 0.00005 and f.epss_date.isoformat() == "2026-11-26"
    assert "v2025.03.14" in FeedRun.objects.get().version


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Bad EPSS file"),
        (b"#model_version:v1,score_date:2026-11-26T00:00:00+0000\ncve,epss,percentile\nCVE-2024-1,2.5,0.1\n", "line 3"),
        (b"\x00\x01binary", "Bad EPSS file"),
    ],
)
def test_bad_epss_file_stores_nothing(admin_user, tmp_path, content, message):
    EpssScore.objects.create(cve="CVE-2020-0001", score=0.1, percentile=0.1, date="2026-01-01")
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(ValidationFailed, match=message):
        feed_update(actor=admin_user, feed="epss", path=path)
    assert list(EpssScore.objects.values_list("cve", flat=True)) == ["CVE-2020-0001"]
    assert not FeedRun.objects.exists()


def test_bad_kev_file_stores_nothing(admin_user, tmp_path):
    good = json.loads((KEV_DIR / "known_exploited_vulnerabilities.json").read_text())
    good["vulnerabilities"][5]["dateAdded"] = "yesterday"
    path = tmp_path / "kev.json"
    path.write_text(json.dumps(good))
    with pytest.raises(ValidationFailed, match="entry 6"):
        feed_update(actor=admin_user, feed="kev", path=path)
    truncated = tmp_path / "cut.json"
    truncated.write_bytes((KEV_DIR / "known_exploited_vulnerabilities.json").read_bytes()[:5000])
    with pytest.raises(ValidationFailed):
        feed_update(actor=admin_user, feed="kev", path=truncated)
    assert not KevEntry.objects.exists() and not FeedRun.objects.exists()


def test_network_failure_suggests_from_file(admin_user, monkeypatch):
    def offline(*args, **kwargs):
        raise urllib.error.URLError("Name or service not known")

    monkeypatch.setattr(feed_updates.urllib.request, "urlopen", offline)
    with pytest.raises(ValidationFailed, match="--from-file"):
        feed_update(actor=admin_user, feed="kev")


def test_permission(make_user):
    with pytest.raises(PermissionDenied):
        feed_update(actor=make_user(Role.ANALYST), feed="kev", path=KEV_DIR / "known_exploited_vulnerabilities.csv")


def test_cli(admin_user, tmp_path, capsys):
    kev = str(KEV_DIR / "known_exploited_vulnerabilities.csv")
    call_command("feeds", "update", "kev", "--from-file", kev, "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["feed"] == "kev" and out["count"] == 1404
    call_command("feeds", "status", "--json")
    status = json.loads(capsys.readouterr().out)
    assert status[0]["count"] == 1404 and status[1]["count"] == 0
    with pytest.raises(CommandError, match="no such file"):
        call_command("feeds", "update", "epss", "--from-file", str(tmp_path / "missing.csv"))
