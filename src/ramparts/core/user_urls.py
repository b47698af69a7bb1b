from django.urls import path

from ramparts.core import token_views, user_views

urlpatterns = [
    path("users/", user_views.user_list, name="user_list"),
    path("users/new/", user_views.user_create, name="user_create"),
    path("users/<str:username>/", user_views.user_edit, name="user_edit"),
    path("users/<str:username>/deactivate/", user_views.user_deactivate, name="user_deactivate"),
    path("users/<str:username>/reactivate/", user_views.user_reactivate, name="user_reactivate"),
    path("users/<str:username>/password/", user_views.user_set_password, name="user_password"),
    path("users/<str:username>/mfa-reset/", user_views.user_mfa_reset, name="user_mfa_reset"),
    path("tokens/", token_views.token_list, name="token_list"),
    path("tokens/new/", token_views.token_create, name="token_create"),
    path("tokens/<int:token_id>/revoke/", token_views.token_revoke, name="token_revoke"),
]
