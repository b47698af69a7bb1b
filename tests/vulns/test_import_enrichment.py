"""A first import computes KEV, EPSS, SSVC and SLA while it inserts: the same values, column by
column, as the set-based enrichment that feed updates and system changes still run."""

import datetime as dt
import io
import itertools
import json
import random

import pytest

from ramparts.vulns.enrichment import enrich_findings
from ramparts.vulns.importing import ahead
from ramparts.vulns.importing.enriched import ENRICHED_COLUMNS
from ramparts.vulns.models import Finding
from ramparts.vulns.services import scan_import
from ramparts.vulns.ssvc.inputs import EPSS_POC_THRESHOLD
from tests.vulns._findings import add_epss, add_kev, make_system
from tests.vulns.test_enrichment import VECTORS

pytestmark = pytest.mark.django_db

V3 = [v for v in VECTORS if v.startswith("CVSS:3.")]
V4 = [v for v in VECTORS if v.startswith("CVSS:4.")]
KEV_DUE = [dt.date(2023, 11, 8), dt.date(2099, 1, 1), None]  # before any SLA, after every SLA, none
EPSS = [0.0, 0.05, EPSS_POC_THRESHOLD, 0.5]


def _feeds(rng: random.Random, cves: list[str]) -> None:
    for cve in cves:
        if rng.random() < 0.3:
            add_kev(cve, due=rng.choice(KEV_DUE), ransomware=rng.choice([True, False, None]))
        if rng.random() < 0.6:
            add_epss(cve, rng.choice(EPSS), percentile=rng.random(), day=dt.date(2026, 11, rng.randint(1, 28)))


def _systems(unit) -> list[str]:
    """One system per (criticality, exposure), and host names that match none."""
    hosts = []
    for criticality, facing in itertools.product((1, 2, 3, 4), (False, True)):
        hosts.append(make_system(unit, criticality=criticality, internet_facing=facing).name)
    return [*hosts, "unknown-host-1", "unknown-host-2"]


def _finding(rng: random.Random, cves: list[str], hosts: list[str], n: int) -> dict:
    item = {
        "title": f"finding {n}",
        "severity": rng.choice(["info", "low", "medium", "high", "critical"]),
        "cve": rng.choice([*cves, ""]),
        "host": rng.choice(hosts),
        "package": f"pkg{n}",
        "cvss3_vector": rng.choice([*V3, ""]),
        "cvss4_vector": rng.choice([*V4, "", "", ""]),
    }
    exploit = rng.choice([True, False, None])
    if exploit is not None:
        item["exploit_available"] = exploit
    return item


def _enrichment() -> dict[int, tuple]:
    return {row[0]: row[1:] for row in Finding.objects.values_list("id", *ENRICHED_COLUMNS, "system_id")}


def _import(actor, items: list[dict]) -> None:
    doc = {"schema": "ramparts-findings/1", "tool": "mix", "findings": items}
    scan_import(actor=actor, stream=io.BytesIO(json.dumps(doc).encode()), filename="mix.json")


@pytest.mark.parametrize("seed", [1, 2])
def test_import_time_enrichment_equals_the_set_based_one(admin_user, unit_a, monkeypatch, settings, seed):
    settings.RAMPARTS_VULNS_SLA_DAYS = {"act": 3, "attend": 20, "track_star": 60, "track": 120}
    monkeypatch.setattr(ahead, "BATCH", 64)  # several batches: feeds and systems are read per batch
    rng = random.Random(seed)
    cves = [f"CVE-2024-{i:05d}" for i in range(120)]
    _feeds(rng, cves)
    hosts = _systems(unit_a)
    items = [_finding(rng, cves, hosts, n) for n in range(600)]
    # One finding twice, in the first and the last batch, the second time with a higher severity,
    # another system and other inputs: the stored row takes the later item's details and keeps its
    # system; its enrichment follows. (Same scope: the URL's site is the target; the system is
    # matched by host name first.)
    twice = {"title": "twice", "fingerprint": "twice", "url": "https://shop.example/"}
    items.insert(1, {**_finding(rng, cves, hosts, 1), **twice, "severity": "info", "host": hosts[0]})
    items.append({**_finding(rng, cves, hosts, 2), **twice, "severity": "critical", "host": hosts[7]})
    _import(admin_user, items)

    at_import = _enrichment()
    enrich_findings(Finding.objects.all())
    after = _enrichment()
    assert after == at_import, repr({k: (v, after[k]) for k, v in at_import.items() if after[k] != v})
    stored = Finding.objects.values_list(*ENRICHED_COLUMNS[6:], "kev_date_added", "epss_score", "sla_due")
    exploitation, _, _, mission, decision, priority, *_ = zip(*stored, strict=True)
    # the sample covers every input value and every decision, so the comparison means something
    assert set(exploitation) == {"active", "poc", "none"} and set(mission) == {"low", "medium", "high"}
    assert set(decision) == {"act", "attend", "track_star", "track"} and 0 not in priority
    merged = Finding.objects.get(title="twice")
    assert (merged.severity, merged.system.name, merged.mission_wellbeing) == (4, hosts[0], "low")
    assert merged.cve == items[-1]["cve"] and merged.cvss4_vector == items[-1]["cvss4_vector"]


def test_reopened_findings_take_feed_changes_since_their_import(admin_user, unit_a):
    cve = "CVE-2024-77777"
    items = [{"title": "t", "severity": "high", "cve": cve, "cvss3_vector": V3[0]}]
    _import(admin_user, items)
    _import(admin_user, [{"title": "other", "severity": "low"}])  # closes the first finding
    add_kev(cve)
    _import(admin_user, items)
    finding = Finding.objects.get(cve=cve)
    assert finding.reopened_count == 1 and finding.exploitation == "active" and finding.kev_date_added
