"""Regulatory clocks on an incident: its facts for the engine, proof of notice, escalating warnings."""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from ramparts.core import audit
from ramparts.core.errors import Problem
from ramparts.incidents import config
from ramparts.incidents.engine.clocks import (
    ClockState,
    ClockStatus,
    Deadline,
    IncidentFacts,
    compute_deadlines,
    status,
)
from ramparts.incidents.engine.ruleset import load_rules
from ramparts.incidents.models import ClockWarning, EntryKind, Incident, Notice, Phase
from ramparts.incidents.services._common import aware, fail_if, guard, record, send, text, timeline

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Clock:
    deadline: Deadline
    status: ClockStatus

    @property
    def css(self) -> str:
        return self.status.state.value.replace(" ", "-")


def facts_of(incident: Incident, notices: list[Notice] | None = None) -> IncidentFacts:
    """The engine's view of the incident. The first notice recorded for a report is its submission."""
    submitted: dict[str, datetime] = {}
    for notice in notices if notices is not None else incident.notices.all():
        if notice.rule_id not in submitted or notice.sent_at < submitted[notice.rule_id]:
            submitted[notice.rule_id] = notice.sent_at
    conditions = {k: bool(v) for k, v in incident.conditions.items() if not k.startswith("_")}
    return IncidentFacts(
        aware_at=incident.aware_at,
        classified_at=incident.classified_at,
        determined_at=incident.determined_at,
        material_at=incident.material_at,
        discovered_at=incident.discovered_at,
        payment_at=incident.payment_at,
        conditions=conditions,
        submitted=submitted,
    )


def clocks_of(incident: Incident, *, now: datetime | None = None, notices: list[Notice] | None = None) -> list[Clock]:
    now = now or timezone.now()
    deadlines = compute_deadlines(facts_of(incident, notices), config.regimes(), zone=config.org_time_zone())
    return [Clock(d, status(d, now)) for d in deadlines]


def report_choices() -> list[tuple[str, str]]:
    rules = load_rules()
    return [
        (rule.id, f"{regime.name}: {rule.report}")
        for key in config.regimes()
        for regime in [rules.regimes[key]]
        for rule in regime.rules
    ]


def notice_record(
    *,
    actor,
    incident: Incident,
    rule_id: str,
    sent_at: datetime,
    recipient: str,
    content: str,
    reference: str = "",
    evidence: bytes | None = None,
    evidence_name: str = "",
    evidence_type: str = "",
) -> Notice:
    """Proof that a report was sent (when, to whom, what, with an evidence file). Marks the report submitted."""
    guard(actor, incident)
    problems: list[Problem] = []
    known = dict(report_choices())
    if rule_id not in known:
        problems.append(
            Problem(f"{rule_id!r} is not a report of the configured regimes ({', '.join(known)})", column="rule_id")
        )
    when = aware(sent_at, "sent_at", problems)
    if when is None and not any(p.column == "sent_at" for p in problems):
        problems.append(Problem("is required", column="sent_at"))
    recipient = text(recipient, "recipient", problems, max_length=300, required=True)
    content = text(content, "content", problems, max_length=50000, required=True)
    reference = text(reference, "reference", problems, max_length=200)
    if evidence is not None and len(evidence) > MAX_EVIDENCE_BYTES:
        problems.append(Problem(f"is larger than {MAX_EVIDENCE_BYTES // (1024 * 1024)} MB", column="evidence"))
    if evidence is not None and not evidence:
        problems.append(Problem("is empty", column="evidence"))
    fail_if(problems, "The notice was not recorded.")
    assert when is not None
    digest = hashlib.sha256(evidence).hexdigest() if evidence else ""
    with transaction.atomic():
        if evidence:
            path = evidence_path(digest)
            if not default_storage.exists(path):
                default_storage.save(path, ContentFile(evidence))
        notice = Notice.objects.create(
            incident=incident,
            rule_id=rule_id,
            sent_at=when,
            recipient=recipient,
            content=content,
            reference=reference,
            evidence_name=(evidence_name or "evidence")[:255] if evidence else "",
            evidence_sha256=digest,
            evidence_size=len(evidence) if evidence else None,
            evidence_type=(evidence_type or "application/octet-stream")[:120] if evidence else "",
            recorded_by=actor,
            recorded_at=timezone.now(),
        )
        record(actor, audit.Action.CREATE, notice, incident.ref, audit.created(audit.snapshot(notice)))
        timeline(
            incident,
            EntryKind.NOTICE,
            f"Report sent — {known[rule_id]} — to {recipient}",
            actor=actor,
            occurred_at=when,
        )
    return notice


def evidence_path(sha256: str) -> str:
    return f"incidents/notices/{sha256[:2]}/{sha256}"


def evidence_bytes(notice: Notice) -> bytes:
    with default_storage.open(evidence_path(notice.evidence_sha256), "rb") as fh:
        return fh.read()


def clocks_warn(*, now: datetime | None = None) -> int:
    """Escalating warnings: one notification per report and level (24 h, 4 h, 1 h before; and once late).
    Returns how many were sent."""
    now = now or timezone.now()
    from ramparts.incidents.services.lifecycle import responders

    sent = 0
    for incident in Incident.objects.exclude(phase=Phase.CLOSED).prefetch_related(
        "notices", "clock_warnings", "roles__user"
    ):
        done = {(w.rule_id, w.level) for w in incident.clock_warnings.all()}
        for clock in clocks_of(incident, now=now, notices=list(incident.notices.all())):
            level = clock.status.level
            if level == 0 or (clock.deadline.rule_id, level) in done:
                continue
            late = clock.status.state is ClockState.LATE
            left = clock.status.remaining
            hours = abs(left.total_seconds()) / 3600 if left is not None else 0.0
            words = f"LATE by {hours:.1f} h" if late else f"due in {hours:.1f} h"
            try:
                with transaction.atomic():
                    ClockWarning.objects.create(
                        incident=incident, rule_id=clock.deadline.rule_id, level=level, sent_at=now
                    )
                    commanders = [
                        r.user
                        for r in incident.roles.all()
                        if r.role in ("commander", "legal") and r.held_until is None
                    ]
                    send(
                        incident,
                        event="incident.clock",
                        recipients=[*commanders, *responders(incident)],
                        subject=f"{incident.ref}: {clock.deadline.report} ({clock.deadline.regime}) {words}",
                        body=f"Due {clock.deadline.due:%Y-%m-%d %H:%M} UTC. {clock.deadline.basis}. "
                        f"Source: {clock.deadline.source}.",
                    )
                    sent += 1
            except IntegrityError:  # another worker sent this level meanwhile
                continue
    return sent
