"""Update the KEV and EPSS feeds from the official URLs or a local file, then re-enrich open findings.

The whole file is parsed before anything is written: a bad file raises ValidationFailed (naming the
file and position) and stores nothing. A feed update replaces the feed's table in one transaction
(both feeds are published as complete snapshots) and writes one audit entry.
"""

import hashlib
import shutil
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from ramparts.core import audit
from ramparts.core.errors import ValidationFailed
from ramparts.core.permissions import require
from ramparts.vulns.enrichment import enrich_findings
from ramparts.vulns.feeds import FeedError
from ramparts.vulns.feeds.epss import open_epss
from ramparts.vulns.feeds.kev import iter_kev_file
from ramparts.vulns.models import EpssScore, FeedRun, Finding, KevEntry

URLS = {
    "kev": "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json",
    "epss": "https://epss.empiricalsecurity.com/epss_scores-current.csv.gz",
}
SUFFIXES = {"kev": ".json", "epss": ".csv.gz"}
DOWNLOAD_TIMEOUT = 60
MAX_DOWNLOAD_BYTES = 200 * 1024 * 1024
BATCH = 10_000


@dataclass(frozen=True)
class FeedResult:
    feed: str
    source: str
    count: int
    sha256: str
    version: str
    findings_updated: int

    def as_dict(self) -> dict:
        return {
            "feed": self.feed,
            "source": self.source,
            "count": self.count,
            "sha256": self.sha256,
            "version": self.version,
            "findings_updated": self.findings_updated,
        }


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def download(feed: str, directory: Path) -> Path:
    """Fetch the official file into `directory`. Network trouble -> ValidationFailed suggesting --from-file."""
    url = URLS[feed]
    target = directory / f"{feed}{SUFFIXES[feed]}"
    request = urllib.request.Request(url, headers={"User-Agent": "Ramparts feed update"})  # noqa: S310 - fixed https URL
    try:
        with urllib.request.urlopen(request, timeout=DOWNLOAD_TIMEOUT) as response, target.open("wb") as out:  # noqa: S310
            copied = 0
            while chunk := response.read(1 << 20):
                copied += len(chunk)
                if copied > MAX_DOWNLOAD_BYTES:
                    raise ValidationFailed(f"{url}: larger than {MAX_DOWNLOAD_BYTES} bytes, refused")
                out.write(chunk)
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise ValidationFailed(
            f"Could not download the {feed.upper()} feed from {url}: {exc}. "
            f"Offline? Download it elsewhere and run `ramparts feeds update {feed} --from-file FILE`."
        ) from exc
    return target


def _read_kev(path: Path) -> tuple[list[KevEntry], str]:
    rows = [
        KevEntry(
            cve=e.cve,
            vendor=e.vendor[:200],
            product=e.product[:200],
            name=e.name[:500],
            date_added=e.date_added,
            due_date=e.due_date,
            known_ransomware=e.known_ransomware,
            notes=e.notes,
            cwes=", ".join(e.cwes)[:200],
        )
        for e in iter_kev_file(path)
    ]
    if not rows:
        raise FeedError(str(path), "file", "the catalogue lists no vulnerabilities")
    latest = max(r.date_added for r in rows)
    return rows, f"{len(rows)} entries, latest added {latest.isoformat()}"


def _read_epss(path: Path) -> tuple[list[tuple[str, float, float]], str, object]:
    with open_epss(path) as feed:
        rows = [(s.cve, s.score, s.percentile) for s in feed.scores()]
        meta = feed.meta
    if not rows:
        raise FeedError(str(path), "file", "no scores")
    return rows, f"model {meta.model_version}, scores of {meta.score_date.date().isoformat()}", meta.score_date.date()


def _store_kev(rows: list[KevEntry]) -> None:
    KevEntry.objects.all().delete()
    KevEntry.objects.bulk_create(rows, batch_size=2000)


def _store_epss(rows: list[tuple[str, float, float]], day) -> None:
    EpssScore.objects.all().delete()
    ops = connection.ops
    table = ops.quote_name(EpssScore._meta.db_table)
    sql = f"INSERT INTO {table} (cve, score, percentile, date) VALUES (%s, %s, %s, %s)"  # noqa: S608 - model names
    day_value = ops.adapt_datefield_value(day)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, [(*row, day_value) for row in rows[start : start + BATCH]])


def feed_update(*, actor, feed: str, path: Path | str | None = None) -> FeedResult:
    """Replace the `feed` ("kev" or "epss") from `path`, or download it, and re-enrich open findings."""
    require(actor, "feeds.update")
    if feed not in URLS:
        raise ValidationFailed(f"Unknown feed {feed!r}: expected kev or epss.")
    with tempfile.TemporaryDirectory(prefix="ramparts-feed-") as tmp:
        if path is None:
            source, file = URLS[feed], download(feed, Path(tmp))
        else:
            file = Path(path)
            if not file.is_file():
                raise ValidationFailed(f"{file}: no such file")
            source = str(file)
            if feed == "epss" and not file.name.endswith((".csv", ".gz")):
                # open_epss picks gzip by suffix; keep the user's name out of that decision.
                file = Path(shutil.copy(file, Path(tmp) / "epss.csv"))
        sha = _sha256(file)
        try:
            if feed == "kev":
                kev_rows, version = _read_kev(file)
            else:
                epss_rows, version, day = _read_epss(file)
        except FeedError as exc:
            raise ValidationFailed(f"Bad {feed.upper()} file: {exc}") from exc
    with transaction.atomic():
        if feed == "kev":
            _store_kev(kev_rows)
            count = len(kev_rows)
        else:
            _store_epss(epss_rows, day)
            count = len(epss_rows)
        affected = Finding.objects.filter(status=Finding.Status.OPEN).exclude(cve="")
        updated = affected.count()
        enrich_findings(affected)
        run = FeedRun.objects.create(
            feed=feed,
            source=source[:500],
            fetched_at=timezone.now(),
            count=count,
            sha256=sha,
            version=version[:100],
            findings_updated=updated,
            actor=actor,
        )
        summary = {"feed": feed, "source": source, "count": count, "sha256": sha, "version": version}
        audit.record(
            actor,
            audit.Change(
                audit.Action.CREATE,
                audit.object_type_of(FeedRun),
                str(run.pk),
                f"{feed.upper()} feed",
                audit.created({**summary, "findings_updated": updated}),
            ),
        )
    return FeedResult(feed, source, count, sha, version, updated)


def feed_status() -> list[dict]:
    """The latest run of each feed, for the feeds status page and API."""
    status = []
    for feed, label in FeedRun.Feed.choices:
        run = FeedRun.objects.filter(feed=feed).first()
        status.append(
            {
                "feed": feed,
                "name": label,
                "url": URLS[feed],
                "last_update": run.fetched_at if run else None,
                "source": run.source if run else "",
                "count": run.count if run else 0,
                "version": run.version if run else "",
                "sha256": run.sha256 if run else "",
            }
        )
    return status
