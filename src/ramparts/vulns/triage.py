"""Triage of findings: assign, comment, false positive, risk acceptance, reopen; one finding or many.

States (docs/vulns-triage.md): open -> false_positive (reason) | risk_accepted (reason, approver holding
vulns.accept, expiry) -> open again by `finding_reopen`, `finding_revoke_acceptance` or, for
acceptances, `acceptances_expire()` once the expiry date has passed. A re-import never reopens a
false positive or an accepted finding (services.scan_import). Every change is audited; bulk actions
write one audit entry per finding changed, in one batch.
"""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from ramparts.core import audit
from ramparts.core.errors import Conflict, NotFound, Problem, ValidationFailed
from ramparts.core.models import User
from ramparts.core.permissions import require, scope_to_units, user_can
from ramparts.notifications.events import register_event
from ramparts.notifications.services import notify
from ramparts.vulns import selectors
from ramparts.vulns.cache import findings_changed
from ramparts.vulns.models import Finding, FindingAcceptance, FindingComment

MAX_BULK = 10_000
MAX_ACCEPTANCE_DAYS = 366 * 2
OBJECT_TYPE = audit.object_type_of(Finding)
ACCEPTANCE_EXPIRED = "vulns.acceptance_expired"
register_event(ACCEPTANCE_EXPIRED, "A risk acceptance of a vulnerability finding expires")


def _notify_assigned(user: User, refs: list[str], title: str) -> None:
    many = len(refs) > 1
    notify(
        event="vulns.assigned",
        recipients=[user],
        subject=f"{len(refs)} findings assigned to you" if many else f"{refs[0]} assigned to you: {title}"[:300],
        body=("Findings: " + ", ".join(refs[:50])) if many else title,
        link="/vulns/findings/?assignee=me" if many else f"/vulns/findings/{refs[0]}/",
        payload={"findings": refs[:200]},
    )


def _change(finding: Finding, changes: dict) -> audit.Change:
    return audit.Change(audit.Action.UPDATE, OBJECT_TYPE, str(finding.pk), finding.ref, changes)


def _record(actor, changes: list[audit.Change]) -> None:
    """The audit entries of a triage write; cached counts (facets, dashboard) are stale from now on."""
    audit.record_many(actor, changes)
    findings_changed(changed=[int(change.object_id) for change in changes])


def _reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("A reason is required.", [Problem("required", column=field)])
    if len(reason) > 5000:
        raise ValidationFailed("The reason is too long.", [Problem("at most 5,000 characters", column=field)])
    return reason


def _assignee(actor, finding_unit_ids: set[int], username_or_user) -> User | None:
    if username_or_user in (None, ""):
        return None
    if isinstance(username_or_user, User):
        user = username_or_user
    else:
        found = User.objects.filter(username=str(username_or_user), is_active=True).first()
        if found is None:
            problem = Problem(f"no active user {username_or_user!r}", column="assignee")
            raise ValidationFailed("No such user.", [problem])
        user = found
    if not user_can(user, "vulns.triage"):
        raise ValidationFailed(
            "This person cannot triage findings.", [Problem(f"{user.username} lacks vulns.triage", column="assignee")]
        )
    units = None if (user.role == "admin" or user.all_units) else set(user.business_units.values_list("id", flat=True))
    if units is not None and not finding_unit_ids <= units:
        raise ValidationFailed(
            "This person does not work in the finding's business unit.",
            [Problem(f"{user.username} is not in that unit", column="assignee")],
        )
    return user


def _approver(actor, approver) -> User:
    if approver in (None, ""):
        return actor
    user = approver if isinstance(approver, User) else User.objects.filter(username=str(approver)).first()
    if user is None or not user.is_active or not user_can(user, "vulns.accept"):
        raise ValidationFailed(
            "The approver must be an active user allowed to accept risks (vulns.accept).",
            [Problem("not allowed to approve risk acceptances", column="approver")],
        )
    return user


def _expiry(expires_on: dt.date | None) -> dt.date:
    today = timezone.now().date()
    if expires_on is None:
        raise ValidationFailed("An expiry date is required.", [Problem("required", column="expires_on")])
    if expires_on <= today:
        raise ValidationFailed("The expiry date must be in the future.", [Problem("in the past", column="expires_on")])
    if expires_on > today + dt.timedelta(days=MAX_ACCEPTANCE_DAYS):
        raise ValidationFailed(
            "An acceptance lasts at most two years.", [Problem("more than two years away", column="expires_on")]
        )
    return expires_on


def _writable(actor, ref: str, action: str) -> Finding:
    require(actor, action)
    finding = selectors.finding_get(actor, ref=ref)
    return Finding.objects.select_for_update().get(pk=finding.pk)


@transaction.atomic
def finding_assign(*, actor, ref: str, assignee) -> Finding:
    finding = _writable(actor, ref, "vulns.triage")
    user = _assignee(actor, {finding.business_unit_id}, assignee)
    before = finding.assignee.username if finding.assignee else None
    after = user.username if user else None
    if before != after:
        finding.assignee = user
        finding.save(update_fields=["assignee"])
        _record(actor, [_change(finding, {"assignee": [before, after]})])
        if user is not None and user != actor:
            _notify_assigned(user, [finding.ref], finding.title)
    return finding


@transaction.atomic
def finding_comment(*, actor, ref: str, body: str) -> FindingComment:
    finding = _writable(actor, ref, "vulns.triage")
    body = (body or "").strip()
    if not body:
        raise ValidationFailed("The comment is empty.", [Problem("required", column="body")])
    if len(body) > 10_000:
        raise ValidationFailed("The comment is too long.", [Problem("at most 10,000 characters", column="body")])
    comment = FindingComment.objects.create(finding=finding, author=actor, body=body, created_at=timezone.now())
    audit.record(
        actor,
        audit.Change(
            audit.Action.CREATE,
            audit.object_type_of(FindingComment),
            str(comment.pk),
            finding.ref,
            audit.created({"finding": finding.ref, "body": body}),
        ),
    )
    return comment


def _set_state(actor, findings: list[Finding], *, status: str, reason: str = "", until=None) -> list[audit.Change]:
    changes = []
    for f in findings:
        changes.append(
            _change(
                f,
                {
                    "status": [f.status, status],
                    **({"triage_reason": [f.triage_reason, reason]} if f.triage_reason != reason else {}),
                    **({"accepted_until": [f.accepted_until, until]} if f.accepted_until != until else {}),
                },
            )
        )
    Finding.objects.filter(pk__in=[f.pk for f in findings]).update(
        status=status, triage_reason=reason, accepted_until=until
    )
    return changes


def _require_open(finding: Finding, what: str) -> None:
    if finding.status != Finding.Status.OPEN:
        raise Conflict(f"{finding.ref} is {finding.get_status_display()}: only an open finding can be {what}.")


@transaction.atomic
def finding_mark_false_positive(*, actor, ref: str, reason: str) -> Finding:
    finding = _writable(actor, ref, "vulns.triage")
    _require_open(finding, "marked false positive")
    _record(actor, _set_state(actor, [finding], status=Finding.Status.FALSE_POSITIVE, reason=_reason(reason)))
    finding.refresh_from_db()
    return finding


def _accept(actor, findings: list[Finding], *, reason: str, approver: User, expires_on: dt.date) -> list[audit.Change]:
    now = timezone.now()
    FindingAcceptance.objects.bulk_create(
        FindingAcceptance(
            finding=f, reason=reason, requested_by=actor, approver=approver, expires_on=expires_on, created_at=now
        )
        for f in findings
    )
    changes = _set_state(actor, findings, status=Finding.Status.RISK_ACCEPTED, reason=reason, until=expires_on)
    for change in changes:
        change.changes["approver"] = [None, approver.username]
    return changes


@transaction.atomic
def finding_accept(*, actor, ref: str, reason: str, expires_on: dt.date | None, approver=None) -> Finding:
    """Risk-accept an open finding. The actor and the approver both need vulns.accept."""
    finding = _writable(actor, ref, "vulns.accept")
    _require_open(finding, "risk-accepted")
    changes = _accept(
        actor, [finding], reason=_reason(reason), approver=_approver(actor, approver), expires_on=_expiry(expires_on)
    )
    _record(actor, changes)
    finding.refresh_from_db()
    return finding


def _end_acceptances(findings: list[Finding], *, state: str, actor) -> None:
    FindingAcceptance.objects.filter(finding__in=[f.pk for f in findings], state=FindingAcceptance.State.ACTIVE).update(
        state=state, ended_at=timezone.now(), ended_by=actor
    )


@transaction.atomic
def finding_reopen(*, actor, ref: str) -> Finding:
    """A false positive back to open (vulns.triage); an accepted finding needs vulns.accept (revoke)."""
    finding = _writable(actor, ref, "vulns.triage")
    if finding.status == Finding.Status.RISK_ACCEPTED:
        return finding_revoke_acceptance(actor=actor, ref=ref)
    if finding.status != Finding.Status.FALSE_POSITIVE:
        raise Conflict(f"{finding.ref} is {finding.get_status_display()}: only a false positive can be reopened.")
    _record(actor, _set_state(actor, [finding], status=Finding.Status.OPEN))
    finding.refresh_from_db()
    return finding


@transaction.atomic
def finding_revoke_acceptance(*, actor, ref: str) -> Finding:
    finding = _writable(actor, ref, "vulns.accept")
    if finding.status != Finding.Status.RISK_ACCEPTED:
        raise Conflict(f"{finding.ref} is {finding.get_status_display()}: there is no acceptance to revoke.")
    _end_acceptances([finding], state=FindingAcceptance.State.REVOKED, actor=actor)
    _record(actor, _set_state(actor, [finding], status=Finding.Status.OPEN))
    finding.refresh_from_db()
    return finding


def acceptances_expire(*, today: dt.date | None = None) -> int:
    """Reopen every risk-accepted finding whose acceptance expired (expiry date before today). Returns the count.

    Run daily (`ramparts findings expire`, the daily task) and lazily before the lists are shown.
    """
    today = today or timezone.now().date()
    with transaction.atomic():
        findings = list(
            Finding.objects.select_for_update()
            .filter(status=Finding.Status.RISK_ACCEPTED, accepted_until__lt=today)
            .only("id", "number", "status", "triage_reason", "accepted_until")
        )
        if not findings:
            return 0
        people: dict[int, list[str]] = {}
        for acceptance in FindingAcceptance.objects.filter(
            finding__in=findings, state=FindingAcceptance.State.ACTIVE
        ).values("finding__number", "requested_by_id", "approver_id"):
            for person in {acceptance["requested_by_id"], acceptance["approver_id"]} - {None}:
                people.setdefault(person, []).append(f"{Finding.REF_PREFIX}-{acceptance['finding__number']}")
        _end_acceptances(findings, state=FindingAcceptance.State.EXPIRED, actor=None)
        changes = _set_state(None, findings, status=Finding.Status.OPEN)
        for change in changes:
            change.changes["acceptance"] = ["active", "expired"]
        _record(None, changes)
        for user in User.objects.filter(pk__in=people):
            refs = people[user.pk]
            notify(
                event=ACCEPTANCE_EXPIRED,
                recipients=[user],
                subject=f"Risk acceptance expired: {', '.join(refs[:5])}{' …' if len(refs) > 5 else ''}",
                body="These findings are open again and count against their SLA: " + ", ".join(refs[:100]),
                link=f"/vulns/findings/{refs[0]}/" if len(refs) == 1 else "/vulns/findings/",
                payload={"findings": refs[:200]},
            )
    return len(findings)


BULK_ACTIONS = ("assign", "false_positive", "accept", "reopen")


@transaction.atomic
def findings_bulk(
    *,
    actor,
    findings: QuerySet[Finding] | Iterable[str],
    action: str,
    assignee=None,
    reason: str = "",
    expires_on: dt.date | None = None,
    approver=None,
) -> int:
    """Apply one triage action to a selection (refs) or a filtered queryset. Returns how many changed.

    Findings the action does not apply to (e.g. a fixed finding marked false positive) are skipped.
    """
    if action not in BULK_ACTIONS:
        raise ValidationFailed(f"Unknown bulk action {action!r}.", [Problem(f"one of {BULK_ACTIONS}", column="action")])
    require(actor, "vulns.accept" if action == "accept" else "vulns.triage")
    qs = selectors.visible_to(actor)
    if isinstance(findings, QuerySet):
        qs = qs.filter(pk__in=findings.values_list("pk", flat=True))
    else:
        numbers = []
        for ref in findings:
            head, _, number = str(ref).upper().partition("-")
            if head != Finding.REF_PREFIX or not number.isdigit():
                raise NotFound(f"No such finding: {ref!r}.")
            numbers.append(int(number))
        qs = qs.filter(number__in=numbers)
    eligible = {
        "assign": qs,
        "false_positive": qs.filter(status=Finding.Status.OPEN),
        "accept": qs.filter(status=Finding.Status.OPEN),
        "reopen": qs.filter(status=Finding.Status.FALSE_POSITIVE),
    }[action]
    chosen = list(
        scope_to_units(actor, eligible.select_for_update().order_by("id")).only(
            "id", "number", "status", "triage_reason", "accepted_until", "assignee_id", "business_unit_id"
        )[: MAX_BULK + 1]
    )
    if len(chosen) > MAX_BULK:
        raise ValidationFailed(f"At most {MAX_BULK:,} findings at once: narrow the filters.")
    if not chosen:
        return 0
    if action == "assign":
        user = _assignee(actor, {f.business_unit_id for f in chosen}, assignee)
        after = user.username if user else None
        names = dict(User.objects.filter(pk__in={f.assignee_id for f in chosen}).values_list("pk", "username"))
        changed = [f for f in chosen if f.assignee_id != (user.pk if user else None)]
        Finding.objects.filter(pk__in=[f.pk for f in changed]).update(assignee=user)
        changes = [_change(f, {"assignee": [names.get(f.assignee_id), after]}) for f in changed]
        if user is not None and user != actor and changed:
            _notify_assigned(user, [f.ref for f in changed], "")
    elif action == "false_positive":
        changes = _set_state(actor, chosen, status=Finding.Status.FALSE_POSITIVE, reason=_reason(reason))
    elif action == "accept":
        changes = _accept(
            actor, chosen, reason=_reason(reason), approver=_approver(actor, approver), expires_on=_expiry(expires_on)
        )
    else:
        changes = _set_state(actor, chosen, status=Finding.Status.OPEN)
    _record(actor, changes)
    return len(changes)
