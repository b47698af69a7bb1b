"""SLA days per priority and the EPSS threshold, configurable (docs/vulns-triage.md).

Django setting `RAMPARTS_VULNS_SLA_DAYS` (a dict) or the environment variable of the same name
(`act=7,attend=30,track_star=90,track=180`) override the defaults key by key. A finding is due
`days` after it was first seen, or on its KEV due date when that comes first.
"""

import datetime as dt
import os

from django.conf import settings

from ramparts.vulns.ssvc.inputs import EPSS_POC_THRESHOLD

DEFAULT_SLA_DAYS: dict[str, int] = {"act": 7, "attend": 30, "track_star": 90, "track": 180}


def _from_env(text: str) -> dict[str, int]:
    days: dict[str, int] = {}
    for part in text.split(","):
        key, sep, value = part.partition("=")
        key = key.strip()
        if not sep or key not in DEFAULT_SLA_DAYS or not value.strip().isdigit():
            raise ValueError(f"RAMPARTS_VULNS_SLA_DAYS: bad entry {part!r} (expected e.g. act=7,attend=30)")
        days[key] = int(value)
    return days


def sla_days() -> dict[str, int]:
    days = dict(DEFAULT_SLA_DAYS)
    if text := os.environ.get("RAMPARTS_VULNS_SLA_DAYS"):
        days.update(_from_env(text))
    days.update(getattr(settings, "RAMPARTS_VULNS_SLA_DAYS", {}) or {})
    return days


def epss_poc_threshold() -> float:
    """EPSS score at or above which a finding counts as "PoC" exploitation."""
    value = getattr(settings, "RAMPARTS_VULNS_EPSS_POC_THRESHOLD", None)
    if value is None:
        value = os.environ.get("RAMPARTS_VULNS_EPSS_POC_THRESHOLD", EPSS_POC_THRESHOLD)
    return float(str(value))


def due_date(
    decision_key: str, first_seen_day: dt.date, kev_due: dt.date | None, days: dict[str, int]
) -> dt.date | None:
    """`days[decision_key]` after the (UTC) day first seen, or the KEV due date when that is earlier.
    No decision (""): only the KEV due date, if any."""
    due = first_seen_day + dt.timedelta(days=days[decision_key]) if decision_key else None
    if kev_due is not None and (due is None or kev_due < due):
        return kev_due
    return due
