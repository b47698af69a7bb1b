from django.conf import settings
from django.urls import include, path

from ramparts.api import api

urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    path("inventory/", include("ramparts.inventory.urls")),
    path("", include("ramparts.core.urls")),
]

if settings.ADMIN_ENABLED:
    from django.contrib import admin

    urlpatterns.insert(0, path("admin/", admin.site.urls))
