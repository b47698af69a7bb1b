"""Appetite breaches: when a change puts a risk above its appetite, its owner and the security
managers of its unit are notified (once per crossing, not on every save)."""

from ramparts.risk.evaluation import Judge, active_acceptance
from ramparts.risk.models import Risk
from ramparts.risk.services import _common


def is_breach(risk: Risk) -> bool:
    return Judge().verdict(risk).breach


def notify_if_new(risk: Risk, *, was_breach: bool) -> bool:
    verdict = Judge().verdict(risk)
    if not verdict.breach or was_breach or active_acceptance(risk) is not None:
        return False
    recipients = _common.security_managers(risk.business_unit_id)
    if risk.owner is not None:
        recipients.append(risk.owner)
    reasons = "; ".join(verdict.evaluation.reasons)
    _common.notify(
        event="risk.appetite_breach",
        recipients=recipients,
        subject=f"{risk.ref} is above appetite: {risk.title}",
        body=f"{risk.ref} ({risk.category}) breaches the appetite: {reasons}.",
        link=f"/risk/{risk.ref}/",
        payload={"risk": risk.ref, "reasons": verdict.evaluation.reasons},
    )
    return True
