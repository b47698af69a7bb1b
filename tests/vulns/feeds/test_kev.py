import contextlib
import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ramparts.vulns.feeds import FeedError
from ramparts.vulns.feeds.kev import iter_kev_file, parse_kev_text

DATA = Path("/work/shared/data/feeds/kev")
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason="shared KEV data not present")

GOOD = {
    "cveID": "CVE-2023-4966",
    "vendorProject": "Citrix",
    "product": "NetScaler ADC and NetScaler Gateway",
    "vulnerabilityName": "Citrix Bleed",
    "dateAdded": "2023-10-18",
    "dueDate": "2023-11-08",
    "knownRansomwareCampaignUse": "Known",
    "notes": "",
    "cwes": ["CWE-119"],
}


def _json(*entries):
    return json.dumps({"vulnerabilities": list(entries)})


@needs_data
def test_real_json_count_and_spot_check():
    entries = list(iter_kev_file(DATA / "known_exploited_vulnerabilities.json"))
    assert len(entries) == 1404
    bleed = next(e for e in entries if e.cve == "CVE-2023-4966")
    assert bleed.vendor == "Citrix"
    assert "NetScaler" in bleed.product
    assert bleed.date_added == date(2023, 10, 18)
    assert bleed.known_ransomware is True


@needs_data
def test_real_json_and_csv_identical():
    from_json = list(iter_kev_file(DATA / "known_exploited_vulnerabilities.json"))
    from_csv = list(iter_kev_file(DATA / "known_exploited_vulnerabilities.csv"))
    assert from_json == from_csv


@needs_data
def test_real_mirror_csv_count():
    entries = list(iter_kev_file(DATA / "known_exploited_vulnerabilities_2025-11-16_mirror.csv"))
    assert len(entries) == 1460
    assert len({e.cve for e in entries}) == 1460


def test_unknown_ransomware_is_none_and_cwes_split():
    csv_text = (
        "cveID,vendorProject,product,vulnerabilityName,dateAdded,shortDescription,"
        "requiredAction,dueDate,knownRansomwareCampaignUse,notes,cwes\n"
        'CVE-2025-0001,V,P,N,2025-01-02,d,a,,Unknown,n,"CWE-1, CWE-2"\n'
    )
    [entry] = parse_kev_text(csv_text, "x.csv")
    assert entry.known_ransomware is None
    assert entry.due_date is None
    assert entry.cwes == ("CWE-1", "CWE-2")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"cveID": "nope"}, "entry 2: cveID is not a CVE"),
        ({"dateAdded": "18/10/2023"}, "entry 2: field 'dateAdded' is not a YYYY-MM-DD"),
        ({"knownRansomwareCampaignUse": "Maybe"}, "entry 2: knownRansomwareCampaignUse"),
        ({"vendorProject": None}, "entry 2: missing field 'vendorProject'"),
        ({"cwes": [1]}, "entry 2: cwes must be a list"),
    ],
)
def test_json_errors_name_file_and_entry(change, message):
    with pytest.raises(FeedError, match=f"^kev.json: {message}"):
        parse_kev_text(_json(GOOD, {**GOOD, **change}), "kev.json")


def test_truncated_json_is_feed_error():
    with pytest.raises(FeedError, match="kev.json: after entry 1: invalid JSON"):
        parse_kev_text(_json(GOOD, GOOD)[:-40], "kev.json")


def test_csv_missing_column_and_ragged_row():
    with pytest.raises(FeedError, match="k.csv: line 1: header lacks column"):
        parse_kev_text("cveID,product\nCVE-2020-1234,x\n", "k.csv")
    header = ",".join(GOOD) + "\n"
    with pytest.raises(FeedError, match="k.csv: line 2: wrong number of fields"):
        parse_kev_text(header + "CVE-2020-1234,x\n", "k.csv")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_fuzz_text_only_feed_error(text):
    with contextlib.suppress(FeedError):
        parse_kev_text(text)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=8), c, max_size=3),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(GOOD)), json_values, max_size=9))
def test_fuzz_entry_shapes_only_feed_error(overrides):
    with contextlib.suppress(FeedError):
        parse_kev_text(_json({**GOOD, **overrides}))
