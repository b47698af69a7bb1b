"""Personal API tokens: stored hashed, shown once, scoped, expiring, revocable, last use recorded."""

import datetime as dt
import logging

import pytest
from django.utils import timezone

from ramparts.core import tokens
from ramparts.core.errors import NotFound, PermissionDenied, ValidationFailed
from ramparts.core.models import ApiToken, AuditEntry
from ramparts.core.roles import Role


def _issue(user, scopes=("read",), days=30, name="ci job"):
    return tokens.api_token_create(actor=user, name=name, scopes=list(scopes), expires_in_days=days)


def _bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


# --- storage -----------------------------------------------------------------------------------


def test_token_is_stored_hashed(make_user):
    issued = _issue(make_user(Role.ANALYST))
    assert issued.secret.startswith("rp_")
    row = ApiToken.objects.values().get(pk=issued.token.pk)
    secret_part = issued.secret.split("_", 2)[2]
    for value in row.values():
        assert secret_part not in str(value)
    assert len(row["key_hash"]) == 64


def test_no_plaintext_anywhere_in_the_database(make_user, django_db_blocker):
    from django.db import connection

    issued = _issue(make_user(Role.ANALYST))
    secret_part = issued.secret.split("_", 2)[2]
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names come from the schema
            for row in cursor.fetchall():
                assert secret_part not in repr(row), f"token secret found in {table}"


def test_create_validates_input(make_user):
    user = make_user(Role.ANALYST)
    with pytest.raises(ValidationFailed) as exc:
        tokens.api_token_create(actor=user, name=" ", scopes=["admin"], expires_in_days=0)
    assert {p.column for p in exc.value.problems} == {"name", "scopes", "expires_in_days"}


def test_employees_have_no_tokens(make_user):
    with pytest.raises(PermissionDenied):
        _issue(make_user(Role.EMPLOYEE))


def test_only_the_owner_revokes(make_user):
    issued = _issue(make_user(Role.ANALYST))
    with pytest.raises(NotFound):
        tokens.api_token_revoke(actor=make_user(Role.ANALYST), token_id=issued.token.pk)


# --- authentication over the API ---------------------------------------------------------------


def test_valid_token_authenticates_and_records_last_use(make_user, client):
    user = make_user(Role.ANALYST)
    issued = _issue(user)
    response = client.get("/api/v1/me", **_bearer(issued.secret), REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 200 and response.json()["username"] == user.username
    issued.token.refresh_from_db()
    assert issued.token.last_used_at is not None and issued.token.last_used_ip == "203.0.113.9"


@pytest.mark.parametrize(
    "mangle",
    [
        lambda s: s[:-1] + ("A" if s[-1] != "A" else "B"),  # wrong secret, right prefix
        lambda s: "rp_deadbeef_" + s.split("_", 2)[2],  # unknown prefix
        lambda s: s.replace("rp_", "xx_", 1),  # not ours
        lambda s: "rp_",  # truncated
        lambda s: "",  # empty
    ],
    ids=["wrong-secret", "unknown-prefix", "foreign", "truncated", "empty"],
)
def test_forged_tokens_get_401(make_user, client, mangle):
    issued = _issue(make_user(Role.ANALYST))
    assert client.get("/api/v1/me", **_bearer(mangle(issued.secret))).status_code == 401


def test_expired_token_gets_401(make_user, client):
    issued = _issue(make_user(Role.ANALYST))
    ApiToken.objects.filter(pk=issued.token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get("/api/v1/me", **_bearer(issued.secret)).status_code == 401


def test_revoked_token_gets_401(make_user, client):
    user = make_user(Role.ANALYST)
    issued = _issue(user)
    tokens.api_token_revoke(actor=user, token_id=issued.token.pk)
    assert client.get("/api/v1/me", **_bearer(issued.secret)).status_code == 401


def test_token_of_inactive_user_gets_401(make_user, client):
    user = make_user(Role.ANALYST)
    issued = _issue(user)
    user.is_active = False
    user.save()
    assert client.get("/api/v1/me", **_bearer(issued.secret)).status_code == 401


def test_token_of_user_whose_role_lost_tokens_own_gets_401(make_user, client):
    user = make_user(Role.ANALYST)
    issued = _issue(user)
    user.role = Role.EMPLOYEE
    user.save()
    assert client.get("/api/v1/me", **_bearer(issued.secret)).status_code == 401


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/v1/tokens"),
        ("post", "/api/v1/tokens/{pk}/revoke"),
        ("delete", "/api/v1/tokens/{pk}"),
        ("patch", "/api/v1/users/{username}"),
    ],
)
def test_read_only_token_cannot_write(make_user, client, method, path):
    user = make_user(Role.ADMIN)
    issued = _issue(user, scopes=["read"])
    url = path.format(pk=issued.token.pk, username=user.username)
    response = getattr(client, method)(
        url, {"role": "employee"}, content_type="application/json", **_bearer(issued.secret)
    )
    assert response.status_code == 403
    assert "read-only" in response.json()["detail"]
    issued.token.refresh_from_db()
    user.refresh_from_db()
    assert issued.token.revoked_at is None and user.role == "admin"
    assert not ApiToken.objects.exclude(pk=issued.token.pk).exists()


def test_write_token_can_write_without_csrf(make_user, client):
    issued = _issue(make_user(Role.ANALYST), scopes=["read", "write"])
    csrf_client = client.__class__(enforce_csrf_checks=True)
    response = csrf_client.post(
        "/api/v1/tokens",
        {"name": "child", "scopes": ["read"]},
        content_type="application/json",
        **_bearer(issued.secret),
    )
    assert response.status_code == 201


# --- the secret never leaks --------------------------------------------------------------------


def test_secret_never_in_logs_or_audit(make_user, client, caplog):
    user = make_user(Role.ANALYST)
    client.force_login(user)
    caplog.set_level(logging.DEBUG)
    response = client.post(
        "/api/v1/tokens", {"name": "leak check", "scopes": ["read", "write"]}, content_type="application/json"
    )
    assert response.status_code == 201
    secret = response.json()["token"]
    secret_part = secret.split("_", 2)[2]
    client.logout()
    client.get("/api/v1/me", **_bearer(secret))
    client.get("/api/v1/me", **_bearer(secret + "x"))  # a failure is logged too: still no secret
    client.post("/api/v1/tokens", {}, content_type="application/json", **_bearer(secret))
    assert secret_part not in caplog.text
    for entry in AuditEntry.objects.all():
        assert secret_part not in repr(entry.changes) and secret_part not in entry.object_ref


def test_token_list_api_never_returns_secrets(make_user, client):
    user = make_user(Role.ANALYST)
    issued = _issue(user)
    client.force_login(user)
    body = client.get("/api/v1/tokens").content.decode()
    assert issued.token.prefix in body and issued.secret.split("_", 2)[2] not in body and "key_hash" not in body


# --- pages -------------------------------------------------------------------------------------


def test_token_pages_show_the_secret_once(make_user, client):
    user = make_user(Role.ANALYST)
    client.force_login(user)
    assert client.get("/tokens/").status_code == 200
    assert client.get("/tokens/new/").status_code == 200
    response = client.post("/tokens/new/", {"name": "importer", "scopes": ["read", "write"], "expires_in_days": 30})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=user, name="importer")
    page = response.content.decode()
    assert "rp_" + token.prefix + "_" in page and "will not be shown again" in page
    assert "no-store" in response["Cache-Control"]
    secret = "rp_" + page.split('value="rp_', 1)[1].split('"', 1)[0]
    assert tokens.authenticate(secret) == token  # the secret shown is the one that works
    assert token.scopes == ["read", "write"]

    listing = client.get("/tokens/").content.decode()
    assert "importer" in listing and token.prefix in listing and secret.split("_", 2)[2] not in listing

    response = client.post(f"/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_token_page_shows_last_use(make_user, client):
    user = make_user(Role.ANALYST)
    issued = _issue(user)
    client.get("/api/v1/me", **_bearer(issued.secret), REMOTE_ADDR="198.51.100.7")
    client.force_login(user)
    assert "198.51.100.7" in client.get("/tokens/").content.decode()


def test_token_form_rejects_bad_input(make_user, client):
    client.force_login(make_user(Role.ANALYST))
    response = client.post("/tokens/new/", {"name": "", "scopes": ["root"], "expires_in_days": 9999})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_cannot_revoke_someone_elses_token_on_the_page(make_user, client):
    issued = _issue(make_user(Role.ANALYST))
    client.force_login(make_user(Role.ANALYST))
    assert client.post(f"/tokens/{issued.token.pk}/revoke/").status_code == 404


def test_token_list_query_count_is_constant(make_user, client, django_assert_max_num_queries):
    user = make_user(Role.ANALYST)
    client.force_login(user)
    for i in range(3):
        _issue(user, name=f"t{i}")
    with django_assert_max_num_queries(12) as few:
        client.get("/tokens/")
    for i in range(30):
        _issue(user, name=f"u{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/tokens/")


def test_token_list_api_query_count_is_constant(make_user, client, django_assert_max_num_queries):
    user = make_user(Role.ANALYST)
    client.force_login(user)
    for i in range(3):
        _issue(user, name=f"t{i}")
    with django_assert_max_num_queries(12) as few:
        client.get("/api/v1/tokens?page_size=100")
    for i in range(30):
        _issue(user, name=f"u{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/api/v1/tokens?page_size=100")
    assert response.json()["count"] == 33
