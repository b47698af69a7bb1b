"""KEV and EPSS data, SSVC inputs and decision, and SLA due date of many findings at once.

Everything here is set-based: a fixed number of UPDATE statements whatever the number of findings
(about fifteen). The rules are the engine's (`ssvc.inputs`, `ssvc.table`), written as SQL CASE
expressions built from the engine's own data, and `explain()` gives one finding's reasons in words
with the evidence. docs/vulns-triage.md describes the mapping.
"""

import datetime as dt
import itertools
from collections.abc import Iterable

from django.db.models import Case, CharField, DateField, F, Func, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Concat, TruncDate
from django.db.models.lookups import Contains

from ramparts.inventory.models import System
from ramparts.vulns.cache import findings_changed
from ramparts.vulns.models import DECISION_KEYS, PRIORITY_OF_KEY, EpssScore, Finding, KevEntry, Priority
from ramparts.vulns.sla import epss_poc_threshold, sla_days
from ramparts.vulns.ssvc import inputs as ssvc_inputs
from ramparts.vulns.ssvc.decide import Decision, Inputs, decide
from ramparts.vulns.ssvc.table import load as load_table

BATCH = 5000
# Findings without a system: nothing tells us what is at stake, so neither the lowest nor the highest.
MISSION_WITHOUT_SYSTEM = "medium"


def _slashed_vector():
    """'/<v4 or v3 vector>/' so that '/AV:N/' matches a whole metric, first and last included."""
    vector = Case(When(cvss4_vector="", then=F("cvss3_vector")), default=F("cvss4_vector"), output_field=CharField())
    return Concat(Value("/"), vector, Value("/"), output_field=CharField())


def _has(metric: str):
    return Contains(_slashed_vector(), f"/{metric}/")


def _input_expressions() -> dict:
    # Same rules as ssvc.inputs.automatable / technical_impact, on the v4 vector if any, else v3.
    automatable = Case(
        When(
            _has("AV:N") & _has("AC:L") & _has("PR:N") & _has("UI:N") & ~_has("AT:P"),
            then=Value("yes"),
        ),
        default=Value("no"),
    )
    total = (_has("C:H") | _has("VC:H")) & (_has("I:H") | _has("VI:H"))
    technical_impact = Case(When(total, then=Value("total")), default=Value("partial"))
    exploitation = Case(
        When(kev_date_added__isnull=False, then=Value("active")),
        When(Q(exploit_available=True) | Q(epss_score__gte=epss_poc_threshold()), then=Value("poc")),
        default=Value("none"),
    )
    return {"exploitation": exploitation, "automatable": automatable, "technical_impact": technical_impact}


_CRITICALITIES = (1, 2, 3, 4)


def mission_of(*, has_system: bool, criticality: int, internet_facing: bool) -> str:
    """A finding's mission and well-being input; "" (undecided) for a criticality the engine does not know."""
    if not has_system:
        return MISSION_WITHOUT_SYSTEM
    if criticality not in _CRITICALITIES:
        return ""
    return ssvc_inputs.mission_wellbeing(criticality=criticality, internet_facing=internet_facing)


def _systems_by_mission() -> dict[str, Q]:
    """For each mission level, the systems (criticality, internet exposure) that give it, from the engine."""
    levels: dict[str, Q] = {}
    for criticality, facing in itertools.product(_CRITICALITIES, (False, True)):
        level = mission_of(has_system=True, criticality=criticality, internet_facing=facing)
        q = Q(criticality=criticality, internet_facing=facing)
        levels[level] = levels[level] | q if level in levels else q
    return levels


def combination(key: tuple[str, str, str, str]) -> tuple[str, int]:
    """(ssvc_decision, priority) of one combination of the four inputs, from the decision table;
    an incomplete combination (an input left undecided) is ("", Priority.NONE)."""
    decision = load_table().get(key)
    if decision is None:
        return "", int(Priority.NONE)
    decision_key = DECISION_KEYS[decision]
    return decision_key, int(PRIORITY_OF_KEY[decision_key])


def _decision_expressions() -> dict:
    whens: dict[str, list[When]] = {"ssvc_decision": [], "priority": []}
    for key in load_table():
        condition = Q(exploitation=key[0], automatable=key[1], technical_impact=key[2], mission_wellbeing=key[3])
        decision_key, priority = combination(key)
        whens["ssvc_decision"].append(When(condition, then=Value(decision_key)))
        whens["priority"].append(When(condition, then=Value(priority)))
    return {
        "ssvc_decision": Case(*whens["ssvc_decision"], default=Value("")),
        "priority": Case(*whens["priority"], default=Value(int(Priority.NONE))),
    }


def _feed_values(qs: QuerySet) -> None:
    kev_of = KevEntry.objects.filter(cve=OuterRef("cve"))
    in_kev = qs.filter(cve__in=KevEntry.objects.values("cve"))
    in_kev.update(
        kev_date_added=Subquery(kev_of.values("date_added")[:1]),
        kev_due_date=Subquery(kev_of.values("due_date")[:1]),
        kev_ransomware=Coalesce(Subquery(kev_of.values("known_ransomware")[:1]), Value(False)),
    )
    # A CVE that left the catalogue (CISA removes a few) takes its KEV data with it.
    qs.filter(kev_date_added__isnull=False).exclude(cve__in=KevEntry.objects.values("cve")).update(
        kev_date_added=None, kev_due_date=None, kev_ransomware=False
    )
    if not EpssScore.objects.exists():  # no feed loaded (yet): skip a subquery per finding
        qs.filter(epss_score__isnull=False).update(epss_score=None, epss_percentile=None, epss_date=None)
        return
    epss_of = EpssScore.objects.filter(cve=OuterRef("cve"))
    qs.exclude(cve="").update(
        epss_score=Subquery(epss_of.values("score")[:1]),
        epss_percentile=Subquery(epss_of.values("percentile")[:1]),
        epss_date=Subquery(epss_of.values("date")[:1]),
    )


class _UtcDatePlusDays(Func):
    """The UTC date of a datetime column plus N days, in the database's own date functions.

    Django's portable `TruncDate(F(...) + timedelta)` calls Python functions per row on SQLite
    (three per row: a third of a 100k-finding import); these are native on both databases.
    """

    output_field = DateField()

    def __init__(self, expression, days: int) -> None:
        super().__init__(expression)
        self.days = int(days)

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"date({sql}, '+{self.days} days')", params

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"((({sql}) AT TIME ZONE 'UTC')::date + {self.days})", params

    def as_sql(self, compiler, connection, **extra_context):  # other databases: Django's portable form
        expression = TruncDate(self.source_expressions[0] + dt.timedelta(days=self.days), tzinfo=dt.UTC)
        return compiler.compile(expression)


def _sla(qs: QuerySet) -> None:
    """The rule of `sla.due_date`, set-based."""
    days = sla_days()
    qs.filter(priority=Priority.NONE).update(sla_due=None)
    for key, priority in PRIORITY_OF_KEY.items():
        qs.filter(priority=priority).update(sla_due=_UtcDatePlusDays(F("first_seen"), days[key]))
    # KEV due dates are honoured: the earlier of the two.
    qs.filter(kev_due_date__isnull=False).filter(Q(sla_due__isnull=True) | Q(kev_due_date__lt=F("sla_due"))).update(
        sla_due=F("kev_due_date")
    )


def _enrich(qs: QuerySet) -> None:
    _feed_values(qs)
    qs.update(**_input_expressions())
    qs.filter(system__isnull=True).update(mission_wellbeing=MISSION_WITHOUT_SYSTEM)
    for level, systems in _systems_by_mission().items():
        qs.filter(system__in=System.objects.filter(systems)).update(mission_wellbeing=level)
    qs.update(**_decision_expressions())
    _sla(qs)
    findings_changed()  # after the writes: a reader in between must not cache old counts as new


def enrich_findings(findings: QuerySet | Iterable[int]) -> None:
    """Recompute enrichment, SSVC and SLA for a queryset of findings or a collection of finding ids.

    A queryset is updated in place with a fixed number of statements; ids go in batches of 5,000.
    """
    if isinstance(findings, QuerySet):
        _enrich(findings)
        return
    ids = list(findings)
    for start in range(0, len(ids), BATCH):
        _enrich(Finding.objects.filter(id__in=ids[start : start + BATCH]))


def enrich_systems(system_ids: Iterable[int]) -> None:
    """After a system's criticality or exposure changed: its open findings' mission, decision and SLA."""
    enrich_findings(Finding.objects.filter(system_id__in=list(system_ids), status=Finding.Status.OPEN))


def explain(finding: Finding) -> Decision | None:
    """One finding's decision with the evidence behind each input, in words (for the detail page)."""
    if not finding.exploitation:
        return None
    evidence = {}
    if finding.exploitation == "poc":
        if finding.exploit_available:
            evidence["exploitation"] = "the scanner reports a public exploit"
        elif finding.epss_score is not None:
            evidence["exploitation"] = f"EPSS {finding.epss_score:.2f} ≥ threshold {epss_poc_threshold():.2f}"
    if finding.kev_ransomware:
        evidence["exploitation"] = "known use in ransomware campaigns"
    vector = finding.cvss4_vector or finding.cvss3_vector
    evidence["automatable"] = f"from {vector}" if vector else "no CVSS vector"
    evidence["technical_impact"] = f"from {vector}" if vector else "no CVSS vector"
    system = finding.system
    if system is None:
        evidence["mission_wellbeing"] = "no system attached: assumed medium"
    else:
        exposure = "internet-facing" if system.internet_facing else "not internet-facing"
        evidence["mission_wellbeing"] = f"{system.ref} is {system.get_criticality_display()} criticality, {exposure}"
    return decide(
        Inputs(
            finding.exploitation,
            finding.automatable,
            finding.technical_impact,
            finding.mission_wellbeing,
            cve=finding.cve or None,
            kev_date_added=finding.kev_date_added.isoformat() if finding.kev_date_added else None,
            epss=finding.epss_score,
            evidence=evidence,
        )
    )
