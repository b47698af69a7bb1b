"""Log-in hardening: password + TOTP, wrong codes, throttling, password policy, no open sign-up,
MFA required for privileged roles, optional OIDC single sign-on from the environment."""

import json

import pytest
from django.test import override_settings
from django.urls import reverse

from ramparts.core.models import User
from ramparts.core.roles import Role
from tests.security.helpers import PASSWORD, enrol_totp, run_python, totp_code, with_password

LOGIN = "/accounts/login/"


def _reauthenticate(client, password: str = PASSWORD) -> None:
    """Adding an authenticator asks for the password again (allauth's reauthentication)."""
    response = client.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == 302


def _password_step(client, username: str, password: str = PASSWORD):
    return client.post(LOGIN, {"login": username, "password": password})


def test_password_then_totp_logs_in(make_user, client):
    user = with_password(make_user(Role.ANALYST, username="alice"))
    secret = enrol_totp(user)

    response = _password_step(client, "alice")
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    # Half-way through, the user is not logged in yet.
    assert "_auth_user_id" not in client.session

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get("/").status_code == 200


def test_wrong_totp_code_is_rejected(make_user, client):
    user = with_password(make_user(Role.ANALYST, username="bob"))
    secret = enrol_totp(user)
    _password_step(client, "bob")

    wrong = f"{(int(totp_code(secret)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("mfa_authenticate"), {"code": wrong})
    assert response.status_code == 200
    assert b"Incorrect code" in response.content
    assert "_auth_user_id" not in client.session


def test_totp_code_cannot_be_replayed(make_user, client):
    user = with_password(make_user(Role.ANALYST, username="carol"))
    secret = enrol_totp(user)
    code = totp_code(secret)
    _password_step(client, "carol")
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    client.logout()

    _password_step(client, "carol")
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_wrong_password_does_not_log_in(make_user, client):
    with_password(make_user(Role.ANALYST, username="dave"))
    response = _password_step(client, "dave", "not-the-password")
    assert response.status_code == 200
    assert b"username and/or password you specified are not correct" in response.content
    assert "_auth_user_id" not in client.session


def test_failed_logins_are_throttled_with_a_clear_message(make_user, client):
    with_password(make_user(Role.ANALYST, username="erin"))
    for _ in range(5):
        response = _password_step(client, "erin", "wrong-password-guess")
        assert b"Too many failed login attempts" not in response.content
    response = _password_step(client, "erin", "wrong-password-guess")
    assert b"Too many failed login attempts. Try again later." in response.content
    # Even the right password is refused while the account is throttled.
    response = _password_step(client, "erin")
    assert b"Too many failed login attempts" in response.content
    assert "_auth_user_id" not in client.session


def test_throttle_counters_live_in_the_shared_database_cache(settings):
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert "login_failed" in settings.ACCOUNT_RATE_LIMITS


def test_inactive_user_cannot_log_in(make_user, client):
    user = with_password(make_user(Role.ANALYST, username="frank"))
    user.is_active = False
    user.save()
    response = _password_step(client, "frank")
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert response["Location"] != "/"


def test_there_is_no_open_sign_up(db, client):
    response = client.get("/accounts/signup/")
    assert b"Sign Up Closed" in response.content or response.status_code in (403, 404)
    client.post(
        "/accounts/signup/",
        {"email": "x@example.org", "username": "intruder", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert not User.objects.filter(username="intruder").exists()


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Short-1a", "too short"),
        ("password1234", "too common"),
        ("123456789012345", "entirely numeric"),
    ],
)
def test_password_policy(admin_user, password, reason):
    from ramparts.core.errors import ValidationFailed
    from ramparts.core.users import user_create

    with pytest.raises(ValidationFailed) as exc:
        user_create(actor=admin_user, username="newbie", password=password, role="analyst")
    assert reason in str(exc.value)


def test_minimum_password_length_is_twelve(settings):
    (validator,) = [v for v in settings.AUTH_PASSWORD_VALIDATORS if v["NAME"].endswith("MinimumLengthValidator")]
    assert validator["OPTIONS"]["min_length"] >= 12


def test_webauthn_is_offered(make_user, client):
    with_password(make_user(Role.ANALYST, username="gina"))
    _password_step(client, "gina")
    _reauthenticate(client)
    response = client.get(reverse("mfa_add_webauthn"))
    assert response.status_code == 200
    assert b"security key" in response.content.lower() or b"passkey" in response.content.lower()


@pytest.mark.parametrize("role", [Role.ADMIN, Role.SECURITY_MANAGER])
@override_settings(RAMPARTS_REQUIRE_MFA=True)
def test_privileged_roles_without_mfa_are_sent_to_set_it_up(make_user, client, role):
    user = with_password(make_user(role, username="boss"))
    response = _password_step(client, "boss")
    assert response.status_code == 302
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == reverse("mfa_index")
    # The set-up pages themselves stay reachable, and the session API refuses with a reason.
    _reauthenticate(client)
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    api = client.get("/api/v1/me")
    assert api.status_code == 403 and "two-factor" in api.json()["detail"]

    secret = enrol_totp(user)
    assert secret
    assert client.get("/").status_code == 200


@override_settings(RAMPARTS_REQUIRE_MFA=True)
def test_other_roles_are_not_forced_to_enrol(make_user, client):
    client.force_login(make_user(Role.ANALYST))
    assert client.get("/").status_code == 200


@override_settings(RAMPARTS_REQUIRE_MFA=False)
def test_mfa_requirement_can_be_switched_off(make_user, client):
    client.force_login(make_user(Role.ADMIN))
    assert client.get("/").status_code == 200


_PROVIDERS = """
import json, django
django.setup()
from django.conf import settings
from allauth.socialaccount.adapter import _build_apps_from_settings
apps = [a for provider_apps in _build_apps_from_settings(provider=None, client_id=None).values() for a in provider_apps]
print(json.dumps({"apps": [[a.provider, a.provider_id, a.name, a.settings] for a in apps],
                  "require_mfa": settings.RAMPARTS_REQUIRE_MFA}))
"""


def _settings_env(**extra: str) -> dict[str, str]:
    return {"DJANGO_SETTINGS_MODULE": "ramparts.settings", "RAMPARTS_SECRET_KEY": "k" * 50, **extra}


def test_oidc_provider_comes_from_the_environment(tmp_path):
    env = _settings_env(
        RAMPARTS_DATA_DIR=str(tmp_path),
        RAMPARTS_OIDC_SERVER_URL="https://id.example.org/realms/acme",
        RAMPARTS_OIDC_CLIENT_ID="ramparts",
        RAMPARTS_OIDC_CLIENT_SECRET="s3cret",
        RAMPARTS_OIDC_NAME="Acme SSO",
    )
    result = run_python(_PROVIDERS, env)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    (app,) = out["apps"]
    assert app[:3] == ["openid_connect", "sso", "Acme SSO"]
    assert app[3]["server_url"] == "https://id.example.org/realms/acme"
    assert out["require_mfa"] is True  # on by default outside the demo


def test_no_oidc_provider_and_no_forced_mfa_in_the_demo(tmp_path):
    result = run_python(_PROVIDERS, _settings_env(RAMPARTS_DATA_DIR=str(tmp_path), RAMPARTS_DEMO="1"))
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["apps"] == [] and out["require_mfa"] is False


@override_settings(RAMPARTS_REQUIRE_MFA=True)
def test_privileged_user_who_logged_in_with_totp_gets_through(make_user, client):
    user = with_password(make_user(Role.ADMIN, username="chief"))
    secret = enrol_totp(user)
    _password_step(client, "chief")
    assert client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)}).status_code == 302
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/me").status_code == 200


@override_settings(RAMPARTS_REQUIRE_MFA=True)
def test_mfa_reset_by_an_administrator_sends_the_user_back_to_enrol(admin_user, make_user, client):
    from ramparts.core.users import user_mfa_reset

    manager = with_password(make_user(Role.SECURITY_MANAGER, username="lost-phone"))
    enrol_totp(manager)
    user_mfa_reset(actor=admin_user, user=manager)
    _password_step(client, "lost-phone")
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == reverse("mfa_index")


def test_wrong_totp_codes_are_throttled_too(make_user, client):
    user = with_password(make_user(Role.ANALYST, username="guesser"))
    secret = enrol_totp(user)
    _password_step(client, "guesser")
    wrong = f"{(int(totp_code(secret)) + 1) % 1_000_000:06d}"
    for _ in range(5):
        client.post(reverse("mfa_authenticate"), {"code": wrong})
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert b"Too many failed login attempts" in response.content
    assert "_auth_user_id" not in client.session


def test_sso_creates_accounts_only_when_asked(monkeypatch):
    from ramparts.core.auth import AccountAdapter, SocialAccountAdapter

    assert AccountAdapter().is_open_for_signup(None) is False
    monkeypatch.delenv("RAMPARTS_OIDC_AUTO_CREATE", raising=False)
    assert SocialAccountAdapter().is_open_for_signup(None, None) is False
    monkeypatch.setenv("RAMPARTS_OIDC_AUTO_CREATE", "1")
    assert SocialAccountAdapter().is_open_for_signup(None, None) is True


def test_logout_needs_a_post(make_user, client):
    user = make_user(Role.ANALYST)
    client.force_login(user)
    client.get("/accounts/logout/")  # a link or an <img> elsewhere cannot log you out
    assert client.session.get("_auth_user_id") == str(user.pk)
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session
