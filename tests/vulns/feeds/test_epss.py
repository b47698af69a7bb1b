import contextlib
import gzip
import io
import tracemalloc
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ramparts.vulns.feeds import FeedError
from ramparts.vulns.feeds.epss import EpssFeed, EpssScore, open_epss

COMMENT = "#model_version:v2025.03.14,score_date:2025-11-16T00:00:00+0000\n"
SAMPLE = COMMENT + "cve,epss,percentile\nCVE-2023-4966,0.94361,0.99961\nCVE-1999-0001,0.01,0.5\n"


def _feed(text):
    return EpssFeed(io.StringIO(text, newline=""), "epss.csv")


def test_meta_and_scores():
    feed = _feed(SAMPLE)
    assert feed.meta.model_version == "v2025.03.14"
    assert feed.meta.score_date == datetime(2025, 11, 16, tzinfo=UTC)
    assert list(feed.scores()) == [
        EpssScore("CVE-2023-4966", 0.94361, 0.99961),
        EpssScore("CVE-1999-0001", 0.01, 0.5),
    ]


@pytest.mark.parametrize("suffix", [".csv", ".csv.gz"])
def test_open_plain_and_gzip(tmp_path, suffix):
    path = tmp_path / f"epss{suffix}"
    if suffix.endswith(".gz"):
        path.write_bytes(gzip.compress(SAMPLE.encode()))
    else:
        path.write_text(SAMPLE)
    with open_epss(path) as feed:
        assert feed.meta.model_version == "v2025.03.14"
        assert [s.cve for s in feed.scores()] == ["CVE-2023-4966", "CVE-1999-0001"]


def test_corrupt_gzip_is_feed_error(tmp_path):
    path = tmp_path / "epss.csv.gz"
    path.write_bytes(gzip.compress(SAMPLE.encode())[:30])
    with pytest.raises(FeedError), open_epss(path) as feed:
        list(feed.scores())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("cve,epss,percentile\nCVE-2020-1234,0.1,0.2\n", "epss.csv: line 1: missing"),
        ("#model_version:v1\ncve,epss,percentile\n", "line 1: comment lacks"),
        ("#model_version:v1,score_date:yesterday\n", "line 1: score_date is not"),
        (COMMENT + "cve,score\n", "line 2: expected header"),
        (COMMENT + "cve,epss,percentile\nCVE-2020-1234,high,0.2\n", "line 3: epss is not a number"),
        (COMMENT + "cve,epss,percentile\nCVE-2020-1234,0.1,1.5\n", "line 3: percentile must be"),
        (COMMENT + "cve,epss,percentile\nCVE-2020-1234,nan,0.1\n", "line 3: epss must be"),
        (COMMENT + "cve,epss,percentile\nCVE-1,0.1,0.1\n", "line 3: not a CVE"),
        (COMMENT + "cve,epss,percentile\n\nCVE-2020-1234,0.1\n", "line 4: expected 3 fields"),
    ],
)
def test_errors_name_line(text, message):
    with pytest.raises(FeedError, match=message):
        list(_feed(text).scores())


def _big(tmp_path, rows):
    path = tmp_path / "epss.csv.gz"
    with gzip.open(path, "wt", compresslevel=1) as fh:
        fh.write(COMMENT + "cve,epss,percentile\n")
        for i in range(rows):
            fh.write(f"CVE-2024-{i:06d},0.{i % 997:05d},0.{i % 991:05d}\n")
    return path


def _peak(path):
    tracemalloc.start()
    try:
        with open_epss(path) as feed:
            count = sum(1 for _ in feed.scores())
        return count, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_flat_on_300k_lines(tmp_path):
    _peak(_big(tmp_path, 10))  # warm up one-off imports and caches before measuring
    small_count, small_peak = _peak(_big(tmp_path, 3_000))
    (tmp_path / "epss.csv.gz").unlink()
    big_count, big_peak = _peak(_big(tmp_path, 300_000))
    assert (small_count, big_count) == (3_000, 300_000)
    # 100x the rows must not need 100x the memory (measured ~170 KiB vs ~340 KiB peak; a
    # parser that kept the rows would need tens of MiB).
    assert big_peak < 1024 * 1024
    assert big_peak < small_peak + 512 * 1024


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_fuzz_only_feed_error(body):
    with contextlib.suppress(FeedError):
        list(_feed(body).scores())
    with contextlib.suppress(FeedError):
        list(_feed(COMMENT + "cve,epss,percentile\n" + body).scores())
