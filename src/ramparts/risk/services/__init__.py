"""Writes of the risk module: every one audited, in one transaction, raising domain errors."""

from ramparts.risk.services.acceptance import acceptance_create, acceptance_revoke, acceptances_expire
from ramparts.risk.services.appetite import (
    appetite_set,
    category_create,
    category_delete,
    category_update,
    matrix_update,
)
from ramparts.risk.services.quantify import risk_quantify, risks_import
from ramparts.risk.services.risks import risk_create, risk_delete, risk_update
from ramparts.risk.services.snapshots import snapshots_take
from ramparts.risk.services.treatment import action_create, action_update, plan_create, plan_delete

__all__ = [
    "acceptance_create",
    "acceptance_revoke",
    "acceptances_expire",
    "action_create",
    "action_update",
    "appetite_set",
    "category_create",
    "category_delete",
    "category_update",
    "matrix_update",
    "plan_create",
    "plan_delete",
    "risk_create",
    "risk_delete",
    "risk_quantify",
    "risk_update",
    "risks_import",
    "snapshots_take",
]
