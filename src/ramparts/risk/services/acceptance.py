"""Risk acceptance: who may accept, for how long, and what happens at expiry.

- Accepting needs `risk.accept` (security managers, executives). A risk *above appetite* (its
  category's maximum level or tolerance curve) can only be accepted by a user whose role is
  executive; a security manager may accept a risk within appetite (e.g. to record that a
  treatment is not worth its cost).
- An acceptance always expires, within MAX_DAYS. A risk is accepted while an acceptance is neither
  revoked nor expired, evaluated at read time, so an expired acceptance never shows as accepted.
- `acceptances_expire` (the `ramparts risk expire` command, daily) reopens each risk whose
  acceptance has expired (status back to assessed) and notifies its owner, once.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from ramparts.core import audit
from ramparts.core.errors import Conflict, NotFound, PermissionDenied, Problem, ValidationFailed
from ramparts.core.permissions import require
from ramparts.core.roles import Role
from ramparts.risk.evaluation import Judge, active_acceptance
from ramparts.risk.models import Risk, RiskAcceptance
from ramparts.risk.services import _common
from ramparts.risk.services.risks import _load

MAX_DAYS = 3 * 365


def _as_datetime(value: dt.date | dt.datetime | str | None) -> dt.datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return dt.datetime.combine(value, dt.time(23, 59, 59), tzinfo=dt.UTC)


def acceptance_create(
    *, actor, ref: str, rationale: str, expires_at, compensating_controls: str = ""
) -> RiskAcceptance:
    require(actor, "risk.accept")
    now = timezone.now()
    problems = []
    rationale = (rationale or "").strip()
    if not rationale:
        problems.append(Problem("is required: say why the risk is accepted", column="rationale"))
    expires = _as_datetime(expires_at)
    if expires is None:
        problems.append(Problem("is required: a date, e.g. 2027-06-30", column="expires_at"))
    elif expires <= now:
        problems.append(Problem("must be in the future", column="expires_at"))
    elif expires > now + dt.timedelta(days=MAX_DAYS):
        problems.append(Problem(f"must be within {MAX_DAYS // 365} years", column="expires_at"))
    if problems or expires is None:
        raise ValidationFailed("The risk was not accepted.", problems)
    with transaction.atomic():
        risk = _load(actor, ref, "risk.accept", lock=True)
        if active_acceptance(risk, now) is not None:
            raise Conflict(f"{risk.ref} is already accepted: revoke that acceptance first.")
        if risk.status == Risk.Status.CLOSED:
            raise Conflict(f"{risk.ref} is closed.")
        verdict = Judge().verdict(risk)
        if verdict.breach and actor.role != Role.EXECUTIVE:
            reasons = "; ".join(verdict.evaluation.reasons)
            raise PermissionDenied(f"{risk.ref} is above appetite ({reasons}): only an executive may accept it.")
        acceptance = RiskAcceptance.objects.create(
            risk=risk,
            approved_by=actor,
            accepted_at=now,
            expires_at=expires,
            rationale=rationale,
            compensating_controls=(compensating_controls or "").strip(),
            above_appetite=verdict.breach,
        )
        risk.status = Risk.Status.MONITORING
        risk.save(update_fields=["status", "updated_at"])
        _common.record(
            actor,
            "accept",
            risk,
            {
                "accepted_by": [None, actor.username],
                "expires_at": [None, audit.plain(expires)],
                "above_appetite": [None, verdict.breach],
                "rationale": [None, acceptance.rationale],
                "compensating_controls": [None, acceptance.compensating_controls],
            },
        )
    return acceptance


def acceptance_revoke(*, actor, ref: str, reason: str = "") -> RiskAcceptance:
    require(actor, "risk.accept")
    with transaction.atomic():
        risk = _load(actor, ref, "risk.accept", lock=True)
        acceptance = active_acceptance(risk)
        if acceptance is None:
            raise NotFound(f"{risk.ref} has no acceptance in force.")
        acceptance.revoked_at = timezone.now()
        acceptance.revoked_by = actor
        acceptance.revoke_reason = (reason or "").strip()
        acceptance.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
        risk.status = Risk.Status.ASSESSED
        risk.save(update_fields=["status", "updated_at"])
        _common.record(
            actor,
            "revoke",
            risk,
            {"acceptance": [f"accepted by {acceptance.approved_by.username}", "revoked"], "reason": [None, reason]},
        )
    return acceptance


def acceptances_expire(*, now: dt.datetime | None = None) -> list[str]:
    """Reopen the risks whose acceptance has expired and notify their owners (once). Returns the
    refs reopened. Safe to run any number of times."""
    now = now or timezone.now()
    reopened = []
    due = RiskAcceptance.objects.filter(revoked_at__isnull=True, expires_at__lte=now, expiry_processed_at__isnull=True)
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            acceptance = (
                RiskAcceptance.objects.select_for_update(of=("self",))
                .select_related("risk__owner", "approved_by")
                .filter(pk=pk, expiry_processed_at__isnull=True)
                .first()
            )
            if acceptance is None:
                continue
            acceptance.expiry_processed_at = now
            acceptance.save(update_fields=["expiry_processed_at"])
            risk = acceptance.risk
            if active_acceptance(risk, now) is not None:  # a newer acceptance covers it
                continue
            before = risk.status
            if risk.status != Risk.Status.CLOSED:
                risk.status = Risk.Status.ASSESSED
                risk.save(update_fields=["status", "updated_at"])
            _common.record(
                None,
                "expire",
                risk,
                {
                    "acceptance": [f"accepted until {acceptance.expires_at:%Y-%m-%d}", "expired"],
                    "status": [before, risk.status],
                },
            )
            _common.notify(
                event="risk.acceptance_expired",
                recipients=[risk.owner] if risk.owner_id else [],
                subject=f"{risk.ref}: the risk acceptance expired, the risk is open again",
                body=(
                    f"The acceptance of {risk.ref} ({risk.title}) by {acceptance.approved_by.username} expired on "
                    f"{acceptance.expires_at:%Y-%m-%d}. Treat the risk or ask for a new acceptance."
                ),
                link=f"/risk/{risk.ref}/",
                payload={"risk": risk.ref, "expired_at": acceptance.expires_at.isoformat()},
            )
            reopened.append(risk.ref)
    return reopened
