from django.conf import settings
from django.urls import include, path

from ramparts.api import api

urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    path("inventory/", include("ramparts.inventory.urls")),
    path("vulns/", include("ramparts.vulns.urls")),
    path("risk/", include("ramparts.risk.urls")),
    path("frameworks/", include("ramparts.frameworks.urls")),
    path("compliance/", include("ramparts.compliance.urls")),
    path("policies/", include("ramparts.policies.urls")),
    path("incidents/", include("ramparts.incidents.urls")),
    path("alerts/", include("ramparts.alerts.urls")),
    path("notifications/", include("ramparts.notifications.urls")),
    path("", include("ramparts.core.urls")),
]

if settings.ADMIN_ENABLED:
    from django.contrib import admin

    urlpatterns.insert(0, path("admin/", admin.site.urls))
