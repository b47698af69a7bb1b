"""User management: services, pages and /api/v1/users, all audited and for administrators only."""

import pytest
from allauth.mfa.models import Authenticator

from ramparts.core import users
from ramparts.core.errors import Conflict, PermissionDenied, ValidationFailed
from ramparts.core.models import AuditEntry, User
from ramparts.core.roles import Role
from tests.security.helpers import PASSWORD, enrol_totp

NEW_PASSWORD = "Another-Long-Passphrase-7"


def _entries(user):
    return list(AuditEntry.objects.filter(object_type="core.user", object_id=str(user.pk)).order_by("seq"))


# --- services ----------------------------------------------------------------------------------


def test_create_is_audited_without_the_password(admin_user, unit_a):
    account = users.user_create(
        actor=admin_user, username="nina", password=PASSWORD, role="analyst", business_units=[unit_a]
    )
    (entry,) = _entries(account)
    assert entry.action == "create" and entry.actor_label == "admin"
    assert entry.changes["role"] == [None, "analyst"]
    assert entry.changes["business_units"] == [None, ["Retail Banking"]]
    assert "password" not in entry.changes and PASSWORD not in str(entry.changes)


def test_only_administrators_manage_users(make_user):
    manager = make_user(Role.SECURITY_MANAGER)
    with pytest.raises(PermissionDenied):
        users.user_create(actor=manager, username="x", password=PASSWORD, role="admin")
    with pytest.raises(PermissionDenied):
        users.user_list(manager)


def test_duplicate_username_conflicts(admin_user):
    with pytest.raises(Conflict):
        users.user_create(actor=admin_user, username="ADMIN", password=PASSWORD, role="analyst")


def test_update_records_a_field_diff(admin_user, make_user, unit_b):
    account = make_user(Role.ANALYST)
    users.user_update(actor=admin_user, user=account, role="auditor", business_units=[unit_b])
    entry = _entries(account)[-1]
    assert entry.changes == {
        "role": ["analyst", "auditor"],
        "business_units": [["Retail Banking"], ["Wealth Management"]],
    }


def test_deactivate(admin_user, make_user):
    account = make_user(Role.ANALYST)
    users.user_deactivate(actor=admin_user, user=account)
    account.refresh_from_db()
    assert not account.is_active
    assert _entries(account)[-1].changes == {"is_active": [True, False]}


def test_cannot_deactivate_self_or_the_last_admin(admin_user, make_user):
    with pytest.raises(Conflict, match="your own"):
        users.user_deactivate(actor=admin_user, user=admin_user)
    with pytest.raises(Conflict, match="last active administrator"):
        users.user_update(actor=admin_user, user=admin_user, role="analyst")
    other = make_user(Role.ADMIN)
    users.user_update(actor=other, user=admin_user, role="analyst")  # now allowed: another admin exists


def test_set_password_checks_policy_and_hides_the_value(admin_user, make_user):
    account = make_user(Role.ANALYST)
    with pytest.raises(ValidationFailed):
        users.user_set_password(actor=admin_user, user=account, password="short")
    users.user_set_password(actor=admin_user, user=account, password=NEW_PASSWORD)
    account.refresh_from_db()
    assert account.check_password(NEW_PASSWORD)
    entry = _entries(account)[-1]
    assert "password_set" in entry.changes and NEW_PASSWORD not in str(entry.changes)


def test_mfa_reset(admin_user, make_user):
    account = make_user(Role.ANALYST)
    enrol_totp(account)
    assert users.user_mfa_reset(actor=admin_user, user=account) == 1
    assert not Authenticator.objects.filter(user=account).exists()
    assert _entries(account)[-1].changes == {"authenticators": [["totp"], []]}


# --- pages -------------------------------------------------------------------------------------


def test_user_pages(admin_user, unit_a, client):
    client.force_login(admin_user)
    assert client.get("/users/").status_code == 200
    assert client.get("/users/new/").status_code == 200
    response = client.post(
        "/users/new/",
        {"username": "omar", "password": PASSWORD, "role": "auditor", "business_units": [unit_a.pk], "email": ""},
    )
    assert response.status_code == 302 and response["Location"] == "/users/omar/"
    omar = User.objects.get(username="omar")
    assert omar.role == "auditor" and list(omar.business_units.all()) == [unit_a]
    assert _entries(omar)[0].channel == "ui"

    response = client.post("/users/omar/", {"role": "analyst", "business_units": [unit_a.pk], "email": "o@x.org"})
    assert response.status_code == 302
    omar.refresh_from_db()
    assert omar.role == "analyst" and omar.email == "o@x.org"

    assert (
        client.post("/users/omar/password/", {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD}).status_code
        == 302
    )
    assert client.post("/users/omar/deactivate/").status_code == 302
    omar.refresh_from_db()
    assert not omar.is_active and omar.check_password(NEW_PASSWORD)
    assert client.post("/users/omar/reactivate/").status_code == 302
    assert client.post("/users/omar/mfa-reset/").status_code == 302


def test_user_page_shows_policy_errors(admin_user, client):
    client.force_login(admin_user)
    response = client.post("/users/new/", {"username": "pat", "password": "short", "role": "analyst"})
    assert response.status_code == 400
    assert b"too short" in response.content
    assert not User.objects.filter(username="pat").exists()


def test_unknown_user_page_is_404(admin_user, client):
    client.force_login(admin_user)
    assert client.get("/users/nobody/").status_code == 404


def test_user_list_page_query_count_is_constant(admin_user, make_user, client, django_assert_max_num_queries):
    client.force_login(admin_user)
    for _ in range(3):
        make_user(Role.ANALYST)
    with django_assert_max_num_queries(12) as few:
        client.get("/users/")
    for _ in range(30):
        make_user(Role.AUDITOR)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/users/")
    assert response.content.count(b"/users/auditor-") >= 30


# --- API ---------------------------------------------------------------------------------------


def test_user_api(admin_user, unit_a, client):
    client.force_login(admin_user)
    response = client.post(
        "/api/v1/users",
        {"username": "quinn", "password": PASSWORD, "role": "analyst", "business_units": ["retail"]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["business_units"] == ["retail"]
    assert "password" not in response.json()
    quinn = User.objects.get(username="quinn")
    assert _entries(quinn)[0].channel == "api"

    response = client.patch("/api/v1/users/quinn", {"role": "auditor"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["role"] == "auditor"

    response = client.post("/api/v1/users/quinn/deactivate")
    assert response.status_code == 200 and response.json()["is_active"] is False

    response = client.post("/api/v1/users/quinn/password", {"password": "short"}, content_type="application/json")
    assert response.status_code == 400 and response.json()["problems"][0]["column"] == "password"
    response = client.post("/api/v1/users/quinn/password", {"password": NEW_PASSWORD}, content_type="application/json")
    assert response.status_code == 204

    listed = client.get("/api/v1/users?q=quinn").json()
    assert listed["count"] == 1 and listed["items"][0]["username"] == "quinn"
    assert client.get("/api/v1/users/nobody").status_code == 404


def test_user_api_rejects_unknown_units_and_roles(admin_user, client):
    client.force_login(admin_user)
    response = client.post(
        "/api/v1/users",
        {"username": "r", "password": PASSWORD, "role": "analyst", "business_units": ["nope"]},
        content_type="application/json",
    )
    assert response.status_code == 400 and "nope" in response.content.decode()
    response = client.post(
        "/api/v1/users", {"username": "r", "password": PASSWORD, "role": "god"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert not User.objects.filter(username="r").exists()


def test_user_api_list_query_count_is_constant(admin_user, make_user, client, django_assert_max_num_queries):
    client.force_login(admin_user)
    for _ in range(3):
        make_user(Role.ANALYST)
    with django_assert_max_num_queries(12) as few:
        client.get("/api/v1/users?page_size=100")
    for _ in range(30):
        make_user(Role.AUDITOR)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/api/v1/users?page_size=100")
    assert response.json()["count"] == 34


# --- effects on live sessions ------------------------------------------------------------------


def test_deactivation_ends_open_sessions(admin_user, make_user, client):
    account = make_user(Role.ANALYST)
    client.force_login(account)
    assert client.get("/inventory/systems/").status_code == 200
    users.user_deactivate(actor=admin_user, user=account)
    response = client.get("/inventory/systems/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get("/api/v1/me").status_code == 401


def test_password_reset_by_admin_ends_open_sessions(admin_user, make_user, client):
    account = make_user(Role.ANALYST)
    client.force_login(account)
    users.user_set_password(actor=admin_user, user=account, password=NEW_PASSWORD)
    assert client.get("/api/v1/me").status_code == 401


def test_role_change_applies_at_once(admin_user, make_user, client):
    account = make_user(Role.ANALYST)
    client.force_login(account)
    assert client.get("/inventory/systems/new/").status_code == 200
    users.user_update(actor=admin_user, user=account, role="executive")
    assert client.get("/inventory/systems/new/").status_code == 403


def test_user_page_shows_the_accounts_history(admin_user, make_user, client):
    account = make_user(Role.ANALYST)
    users.user_update(actor=admin_user, user=account, role="auditor")
    client.force_login(admin_user)
    html = client.get(f"/users/{account.username}/").content.decode()
    assert 'id="history"' in html and "auditor" in html and "analyst" in html
