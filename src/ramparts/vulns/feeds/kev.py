"""Streaming parser for the CISA Known Exploited Vulnerabilities catalogue (JSON and CSV)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

import ijson

from ramparts.vulns.feeds.errors import FeedError

CVE_RE = re.compile(r"^CVE-\d{4}-\d{4,}$")
CSV_COLUMNS = (
    "cveID",
    "vendorProject",
    "product",
    "vulnerabilityName",
    "dateAdded",
    "dueDate",
    "knownRansomwareCampaignUse",
)
RANSOMWARE = {"known": True, "unknown": None}


@dataclass(frozen=True, slots=True)
class KevEntry:
    cve: str
    vendor: str
    product: str
    name: str
    date_added: date
    due_date: date | None
    known_ransomware: bool | None  # True = "Known"; None = CISA says "Unknown"
    notes: str
    cwes: tuple[str, ...]


def _text(raw: Mapping[str, Any], key: str, where: tuple[str, str], required: bool = True) -> str:
    value = raw.get(key)
    if value is None:
        if required:
            raise FeedError(*where, f"missing field {key!r}")
        return ""
    if not isinstance(value, str):
        raise FeedError(*where, f"field {key!r} must be text, got {type(value).__name__}")
    return value.strip()


def _date(value: str, key: str, where: tuple[str, str]) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise FeedError(*where, f"field {key!r} is not a YYYY-MM-DD date: {value!r}") from None


def _entry(raw: Any, where: tuple[str, str]) -> KevEntry:
    if not isinstance(raw, Mapping):
        raise FeedError(*where, "entry is not an object")
    cve = _text(raw, "cveID", where).upper()
    if not CVE_RE.match(cve):
        raise FeedError(*where, f"cveID is not a CVE identifier: {cve!r}")
    ransom = _text(raw, "knownRansomwareCampaignUse", where, required=False).lower() or "unknown"
    if ransom not in RANSOMWARE:
        raise FeedError(*where, f"knownRansomwareCampaignUse must be Known or Unknown: {ransom!r}")
    due = _text(raw, "dueDate", where, required=False)
    cwes_raw = raw.get("cwes") or []
    if isinstance(cwes_raw, str):
        cwes_raw = cwes_raw.split(",")
    if not isinstance(cwes_raw, list) or not all(isinstance(c, str) for c in cwes_raw):
        raise FeedError(*where, "cwes must be a list of text")
    return KevEntry(
        cve=cve,
        vendor=_text(raw, "vendorProject", where),
        product=_text(raw, "product", where),
        name=_text(raw, "vulnerabilityName", where),
        date_added=_date(_text(raw, "dateAdded", where), "dateAdded", where),
        due_date=_date(due, "dueDate", where) if due else None,
        known_ransomware=RANSOMWARE[ransom],
        notes=_text(raw, "notes", where, required=False),
        cwes=tuple(c.strip() for c in cwes_raw if c.strip()),
    )


def iter_kev_json(stream: IO[bytes], source: str = "<stream>") -> Iterator[KevEntry]:
    """Yield entries one by one from the catalogue's `vulnerabilities` array (ijson, memory flat)."""
    index = 0
    try:
        for index, raw in enumerate(ijson.items(stream, "vulnerabilities.item"), start=1):
            yield _entry(raw, (source, f"entry {index}"))
    except ijson.JSONError as exc:
        raise FeedError(source, f"after entry {index}", f"invalid JSON: {exc}") from None
    except UnicodeDecodeError:
        raise FeedError(source, f"after entry {index}", "not UTF-8") from None


def iter_kev_csv(stream: IO[str], source: str = "<stream>") -> Iterator[KevEntry]:
    reader = csv.DictReader(stream)
    try:
        header = reader.fieldnames or []
        missing = [c for c in CSV_COLUMNS if c not in header]
        if missing:
            raise FeedError(source, "line 1", f"header lacks column(s): {', '.join(missing)}")
        for row in reader:
            where = (source, f"line {reader.line_num}")
            if None in row or any(v is None for v in row.values()):
                raise FeedError(*where, "wrong number of fields")
            yield _entry(row, where)
    except csv.Error as exc:
        raise FeedError(source, f"line {reader.line_num}", f"invalid CSV: {exc}") from None
    except UnicodeDecodeError:
        raise FeedError(source, f"line {reader.line_num}", "not UTF-8") from None


def iter_kev_file(path: Path | str) -> Iterator[KevEntry]:
    """Parse a KEV file, choosing JSON or CSV by its extension."""
    path = Path(path)
    if path.suffix.lower() == ".json":
        with path.open("rb") as fh:
            yield from iter_kev_json(fh, str(path))
    elif path.suffix.lower() == ".csv":
        with path.open("r", encoding="utf-8-sig", newline="") as fh:
            yield from iter_kev_csv(fh, str(path))
    else:
        raise FeedError(str(path), "file", "expected a .json or .csv KEV catalogue")


def parse_kev_text(text: str, source: str = "<text>") -> list[KevEntry]:
    """Convenience for tests and small inputs: detect JSON vs CSV by the first character."""
    if text.lstrip().startswith("{"):
        return list(iter_kev_json(io.BytesIO(text.encode("utf-8", "surrogatepass")), source))
    return list(iter_kev_csv(io.StringIO(text, newline=""), source))
