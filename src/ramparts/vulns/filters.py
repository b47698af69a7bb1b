"""What the findings list may be filtered and sorted by: one set of filters for the UI, the API and benchmarks.

`FindingFilters.from_params` reads a query dict (request.GET, an API schema's dict) and ignores
empty or unknown values, so a hand-edited URL never errors. Multi-valued filters (severity,
priority, epss) take comma-separated values.
"""

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, Self

from django.db.models import F, Q
from django.db.models.expressions import OrderBy
from django.utils import timezone

from ramparts.vulns.models import LAST_SEEN, PRIORITY_OF_KEY, Finding

CVE_RE = re.compile(r"^CVE-\d{4}-\d{4,}$", re.IGNORECASE)
SEVERITY_WORDS = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}
SEVERITY_LABELS = {v: k for k, v in SEVERITY_WORDS.items()}
# EPSS bands: probability of exploitation in the next 30 days.
EPSS_BANDS: dict[str, tuple[str, float | None, float | None]] = {
    "very_high": ("≥ 50%", 0.5, None),
    "high": ("10–50%", 0.1, 0.5),
    "medium": ("1–10%", 0.01, 0.1),
    "low": ("< 1%", None, 0.01),
}
# Age since first seen, in days: (label, from, to).
AGE_BANDS: dict[str, tuple[str, int | None, int | None]] = {
    "week": ("< 7 days", None, 7),
    "month": ("7–30 days", 7, 30),
    "quarter": ("30–90 days", 30, 90),
    "year": ("90–365 days", 90, 365),
    "older": ("> 1 year", 365, None),
}
STATUSES = {s.value for s in Finding.Status}
SORTS: dict[str, tuple[str | OrderBy, ...]] = {
    "priority": ("-priority", "-severity", "-id"),
    "severity": ("-severity", "-priority", "-id"),
    # Without an SLA or an EPSS score, last, on every database (SQLite and PostgreSQL differ by default).
    "due": (F("sla_due").asc(nulls_last=True), "-priority", "id"),
    "first_seen": ("first_seen", "id"),
    "last_seen": (LAST_SEEN.desc(), "-id"),
    "epss": (F("epss_score").desc(nulls_last=True), "-id"),
    "ref": ("number",),
}
TRUE_WORDS = {"1", "true", "yes", "on", "y"}
FALSE_WORDS = {"0", "false", "no", "off", "n"}


def _words(text: str, allowed) -> tuple[str, ...]:
    return tuple(w for w in (p.strip().lower() for p in text.split(",")) if w in allowed)


@dataclass(frozen=True)
class FindingFilters:
    q: str = ""  # text: title, CVE, package, host; FND-n or CVE id match exactly
    status: str = "open"  # a status, or "all"
    severity: str = ""  # critical,high,...
    priority: str = ""  # act,attend,track_star,track
    kev: bool | None = None
    epss: str = ""  # very_high,high,medium,low
    tool: str = ""
    system: str = ""  # SYS-n
    business_unit: str = ""  # unit code
    age: str = ""  # week, month, quarter, year, older
    overdue: bool | None = None
    cve: str = ""
    assignee: str = ""  # a username, or "me"
    sort: str = "priority"

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> Self:
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = params.get(f.name)
            if raw is None or raw == "":
                continue
            if f.type in (bool | None, "bool | None"):
                text = str(raw).strip().lower()
                if raw is True or text in TRUE_WORDS:
                    values[f.name] = True
                elif raw is False or text in FALSE_WORDS:
                    values[f.name] = False
            else:
                values[f.name] = str(raw).strip()[:200]
        return cls(**values)

    def as_params(self) -> dict[str, str]:
        """The non-default filters as query parameters (links, exports)."""
        default = FindingFilters()
        params = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value != getattr(default, f.name):
                params[f.name] = ("yes" if value else "no") if isinstance(value, bool) else str(value)
        return params

    @property
    def severities(self) -> tuple[int, ...]:
        return tuple(SEVERITY_WORDS[w] for w in _words(self.severity, SEVERITY_WORDS))

    @property
    def priorities(self) -> tuple[int, ...]:
        return tuple(int(PRIORITY_OF_KEY[w]) for w in _words(self.priority, PRIORITY_OF_KEY))

    def ordering(self) -> tuple[str | OrderBy, ...]:
        return SORTS.get(self.sort, SORTS["priority"])


def epss_band_q(band: str) -> Q:
    _, low, high = EPSS_BANDS[band]
    q = Q(epss_score__isnull=False)
    if low is not None:
        q &= Q(epss_score__gte=low)
    if high is not None:
        q &= Q(epss_score__lt=high)
    return q


def age_band_q(band: str, now: dt.datetime | None = None) -> Q:
    now = now or timezone.now()
    _, younger_than, older_than = AGE_BANDS[band]
    q = Q()
    if younger_than is not None:
        q &= Q(first_seen__lte=now - dt.timedelta(days=younger_than))
    if older_than is not None:
        q &= Q(first_seen__gt=now - dt.timedelta(days=older_than))
    return q


def overdue_q(today: dt.date | None = None) -> Q:
    return Q(status=Finding.Status.OPEN, sla_due__lt=today or timezone.now().date())


def text_q(text: str) -> Q:
    """The `q` filter: FND-n or a CVE id match exactly; other text is searched in title, package, host, CVE."""
    text = text.strip()
    exact = _exact_q(text)
    if exact is not None:
        return exact
    return Q(title__icontains=text) | Q(package__icontains=text) | Q(host__icontains=text) | Q(cve__icontains=text)


def searched_text(text: str) -> str | None:
    """The substring a `q` value searches for, or None when it names a finding or a CVE (see text_q)."""
    text = text.strip()
    return text if _exact_q(text) is None else None


def _exact_q(text: str) -> Q | None:
    head, _, number = text.upper().partition("-")
    if head == Finding.REF_PREFIX and number.isdigit():
        return Q(number=int(number))
    if CVE_RE.match(text):
        return Q(cve=text.upper())
    return None
