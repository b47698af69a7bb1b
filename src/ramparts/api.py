"""The REST API under /api/v1. Each app contributes a router; this file only mounts them."""

from django.http import HttpRequest
from ninja import NinjaAPI

from ramparts.alerts.api import router as alerts_router
from ramparts.compliance.api import router as compliance_router
from ramparts.core.api import router as core_router
from ramparts.core.api_auth import API_AUTH
from ramparts.core.errors import DomainError, ValidationFailed
from ramparts.core.user_api import router as user_router
from ramparts.frameworks.api import router as frameworks_router
from ramparts.incidents.api import router as incidents_router
from ramparts.inventory.api import router as inventory_router
from ramparts.notifications.api import router as notifications_router
from ramparts.policies.api import router as policies_router
from ramparts.risk.api import router as risk_router
from ramparts.vulns.api import router as vulns_router

api = NinjaAPI(
    title="Ramparts API",
    version="1",
    description="The security program's command center. Authenticate with a personal token "
    "(`Authorization: Bearer rp_…`) or a browser session.",
    auth=API_AUTH,
    urls_namespace="api",
)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError):
    body: dict = {"detail": str(exc.args[0]) if exc.args else exc.__class__.__name__}
    if isinstance(exc, ValidationFailed):
        body = {"detail": exc.message, "problems": [p.as_dict() for p in exc.problems]}
    return api.create_response(request, body, status=exc.status)


api.add_router("/", core_router)
api.add_router("/", user_router)
api.add_router("/inventory/", inventory_router)
api.add_router("/vulns/", vulns_router)
api.add_router("/risk/", risk_router)
api.add_router("/frameworks/", frameworks_router)
api.add_router("/compliance/", compliance_router)
api.add_router("/policies/", policies_router)
api.add_router("/incidents/", incidents_router)
api.add_router("/alerts/", alerts_router)
api.add_router("/notifications/", notifications_router)
