from django.urls import path

from ramparts.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read/", views.mark_read, name="mark_read"),
    path("preferences/", views.preferences, name="preferences"),
    path("webhooks/", views.endpoint_list, name="endpoints"),
    path("webhooks/new/", views.endpoint_create, name="endpoint_create"),
    path("webhooks/<int:endpoint_id>/", views.endpoint_edit, name="endpoint_edit"),
    path("webhooks/<int:endpoint_id>/rotate/", views.endpoint_rotate, name="endpoint_rotate"),
    path("webhooks/<int:endpoint_id>/test/", views.endpoint_test, name="endpoint_test"),
    path("webhooks/<int:endpoint_id>/delete/", views.endpoint_delete, name="endpoint_delete"),
    path("deliveries/", views.delivery_list, name="deliveries"),
    path("deliveries/<int:delivery_id>/retry/", views.delivery_retry, name="delivery_retry"),
]
