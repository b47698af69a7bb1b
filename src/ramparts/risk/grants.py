"""The risk module's actions and which roles hold them (collected by ramparts.core.roles).

Accepting is held by security managers and executives, but a risk *above appetite* can only be
accepted by the executive role (risk.services.acceptance_create enforces it); admin holds every
action yet is not an executive, so an administrator cannot accept above appetite either.
"""

ACTIONS: tuple[str, ...] = (
    "risk.view",  # register, heat map, loss exceedance curves, appetite, treatment views, portfolio
    "risk.change",  # create and edit risks, quantify, treatment plans and actions
    "risk.delete",
    "risk.appetite",  # categories, the matrix, appetite statements (record the board's approval)
    "risk.accept",  # accept a risk (above appetite: executive only) and revoke acceptances
    "risk.import",  # import pyfair JSON / riskquant CSV scenarios as risks
)

# role value -> the actions of this module that the role holds; admin holds them all.
GRANTS: dict[str, set[str]] = {
    "security_manager": set(ACTIONS),
    "analyst": {"risk.view", "risk.change", "risk.import"},
    "auditor": {"risk.view"},
    "executive": {"risk.view", "risk.accept"},
}
