"""POSTs without a CSRF token are refused on the UI and on the session-authenticated API; a
personal token (not a cookie) needs no CSRF token."""

import pytest
from django.test import Client

from ramparts.core import tokens
from ramparts.core.models import ApiToken, User
from ramparts.core.roles import Role
from tests.security.helpers import PASSWORD


@pytest.fixture
def csrf_client(admin_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    return client


UI_POSTS = [
    ("/users/new/", {"username": "csrf-victim", "password": PASSWORD, "role": "admin"}),
    ("/tokens/new/", {"name": "csrf", "scopes": ["read", "write"], "expires_in_days": 30}),
    ("/users/admin/deactivate/", {}),
]


@pytest.mark.parametrize(("path", "data"), UI_POSTS)
def test_ui_post_without_csrf_is_refused(csrf_client, path, data):
    response = csrf_client.post(path, data)
    assert response.status_code == 403
    assert not User.objects.filter(username="csrf-victim").exists()
    assert not ApiToken.objects.exists()


def test_ui_post_with_csrf_is_accepted(csrf_client):
    csrf_client.get("/tokens/new/")
    token = csrf_client.cookies["csrftoken"].value
    response = csrf_client.post(
        "/tokens/new/", {"name": "ok", "scopes": ["read"], "expires_in_days": 30, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 200 and ApiToken.objects.filter(name="ok").exists()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/v1/tokens"),
        ("post", "/api/v1/users"),
        ("patch", "/api/v1/users/admin"),
        ("delete", "/api/v1/tokens/1"),
    ],
)
def test_session_api_write_without_csrf_is_refused(csrf_client, method, path):
    body = {"name": "csrf", "username": "csrf-victim", "password": PASSWORD, "role": "employee"}
    response = getattr(csrf_client, method)(path, body, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.content.decode()
    assert not ApiToken.objects.exists() and not User.objects.filter(username="csrf-victim").exists()
    assert User.objects.get(username="admin").role == "admin"


def test_session_api_write_with_csrf_header_is_accepted(csrf_client):
    csrf_client.get("/tokens/")
    token = csrf_client.cookies["csrftoken"].value
    response = csrf_client.post(
        "/api/v1/tokens", {"name": "ok"}, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 201


def test_login_form_needs_csrf(db):
    client = Client(enforce_csrf_checks=True)
    assert client.post("/accounts/login/", {"login": "x", "password": "y"}).status_code == 403


def test_token_auth_needs_no_csrf(make_user):
    issued = tokens.api_token_create(
        actor=make_user(Role.ANALYST), name="bot", scopes=["read", "write"], expires_in_days=1
    )
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/v1/tokens",
        {"name": "child"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {issued.secret}",
    )
    assert response.status_code == 201
