"""The enrichment columns of new findings (KEV, EPSS, SSVC, SLA), computed while their rows are built.

The set-based `enrichment.enrich_findings` rewrites every new row a second time (about fifteen
UPDATE passes, a third of a first import); here each value comes from a memo instead: the feeds
per CVE (read per batch, only for CVEs not seen yet), the CVE-level inputs per (CVE, exploit flag,
vectors), mission and well-being per system, decision and SLA per combination. The rules are
the same functions (`ssvc.inputs`, the decision table through `enrichment.combination`,
`sla.due_date`), and a test checks column by column that both paths write the same values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import connection

from ramparts.inventory.models import System
from ramparts.vulns.enrichment import combination, mission_of
from ramparts.vulns.models import EpssScore, KevEntry
from ramparts.vulns.sla import due_date, epss_poc_threshold, sla_days
from ramparts.vulns.ssvc import inputs

ENRICHED_COLUMNS = (
    "kev_date_added", "kev_due_date", "kev_ransomware", "epss_score", "epss_percentile", "epss_date",
    "exploitation", "automatable", "technical_impact", "mission_wellbeing",
    "ssvc_decision", "priority", "sla_due",
)  # fmt: skip
_CHUNK = 1000  # values per IN (...) lookup
# Memos keyed by a finding's own values stop growing here (memory stays flat on odd files).
_MEMO_LIMIT = 200_000

_Kev = tuple[dt.date, dt.date | None, bool]
_Epss = tuple[float, float, dt.date]


class Enricher:
    """`columns(...)` gives a new finding's ENRICHED_COLUMNS values, ready for the INSERT;
    `load(...)` must have seen its CVE and system first (one call per batch)."""

    def __init__(self, first_seen: dt.datetime) -> None:
        self._first_day = first_seen.astimezone(dt.UTC).date()
        self._threshold = epss_poc_threshold()
        self._days = sla_days()
        self._date = connection.ops.adapt_datefield_value
        self._feeds = (KevEntry.objects.exists(), EpssScore.objects.exists())
        self._kev: dict[str, _Kev] = {}
        self._epss: dict[str, _Epss] = {}
        self._looked_up: set[str] = set()
        self._missions: dict[int | None, str] = {
            None: mission_of(has_system=False, criticality=0, internet_facing=False)
        }
        self._inputs: dict[tuple[str, bool, str, str], tuple] = {}
        self._decisions: dict[tuple, tuple] = {}

    def load(self, cves: Iterable[str], system_ids: Iterable[int]) -> None:
        """Read the feed entries of the CVEs and the criticality of the systems not seen yet."""
        missing = [c for c in set(cves) if c and c not in self._looked_up]
        self._looked_up.update(missing)
        kev_loaded, epss_loaded = self._feeds
        for start in range(0, len(missing), _CHUNK):
            chunk = missing[start : start + _CHUNK]
            if kev_loaded:
                kev = KevEntry.objects.filter(cve__in=chunk).values_list(
                    "cve", "date_added", "due_date", "known_ransomware"
                )
                for cve, added, due, ransomware in kev:
                    self._kev[cve] = (added, due, bool(ransomware))
            if epss_loaded:
                for cve, score, percentile, day in EpssScore.objects.filter(cve__in=chunk).values_list(
                    "cve", "score", "percentile", "date"
                ):
                    self._epss[cve] = (score, percentile, day)
        systems = [s for s in set(system_ids) if s not in self._missions]
        for start in range(0, len(systems), _CHUNK):
            found = System.objects.filter(id__in=systems[start : start + _CHUNK]).values_list(
                "id", "criticality", "internet_facing"
            )
            for pk, criticality, facing in found:
                self._missions[pk] = mission_of(has_system=True, criticality=criticality, internet_facing=facing)

    def columns(self, cve: str, exploit_available: bool, cvss3_vector: str, cvss4_vector: str, system_id) -> tuple:
        key = (cve, exploit_available, cvss3_vector, cvss4_vector)
        found = self._inputs.get(key)
        if found is None:
            found = self._finding_inputs(key)
        values, exploitation, automatable, technical_impact, kev_due = found
        mission = self._missions[system_id]
        combo = (exploitation, automatable, technical_impact, mission, kev_due)
        decided = self._decisions.get(combo)
        if decided is None:
            decided = self._decided(combo)
        return (*values, mission, *decided)

    def _finding_inputs(self, key: tuple[str, bool, str, str]) -> tuple:
        cve, exploit_available, cvss3_vector, cvss4_vector = key
        kev = self._kev.get(cve)
        epss = self._epss.get(cve)
        vector = cvss4_vector or cvss3_vector
        exploitation = inputs.exploitation(
            in_kev=kev is not None,
            epss=epss[0] if epss else None,
            exploit_available=exploit_available,
            threshold=self._threshold,
        )
        automatable, technical_impact = inputs.automatable(vector), inputs.technical_impact(vector)
        date = self._date
        values = (
            *((date(kev[0]), date(kev[1]), kev[2]) if kev else (None, None, False)),
            *((epss[0], epss[1], date(epss[2])) if epss else (None, None, None)),
            exploitation, automatable, technical_impact,
        )  # fmt: skip
        found = (values, exploitation, automatable, technical_impact, kev[1] if kev else None)
        if len(self._inputs) < _MEMO_LIMIT:
            self._inputs[key] = found
        return found

    def _decided(self, combo: tuple) -> tuple:
        *four, kev_due = combo
        decision_key, priority = combination(tuple(four))  # type: ignore[arg-type]
        decided = (decision_key, priority, self._date(due_date(decision_key, self._first_day, kev_due, self._days)))
        self._decisions[combo] = decided
        return decided
