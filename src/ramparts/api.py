"""The REST API under /api/v1. Each app contributes a router; this file only mounts them."""

from django.http import HttpRequest
from ninja import NinjaAPI

from ramparts.core.api import router as core_router
from ramparts.core.api_auth import API_AUTH
from ramparts.core.errors import DomainError, ValidationFailed
from ramparts.core.user_api import router as user_router
from ramparts.inventory.api import router as inventory_router

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
