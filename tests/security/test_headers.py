"""Production defaults: HSTS, secure cookies, strict CSP with nonces, no framing, no sniffing;
SECRET_KEY required outside the demo. Settings are read once per process, so the variants run
in a fresh interpreter."""

import json
import re

import pytest
from django.test import Client

from ramparts.core.roles import Role
from tests.security.helpers import PASSWORD, run_python, with_password

PAGES = [
    "/accounts/login/",
    "/",
    "/tokens/",
    "/tokens/new/",
    "/users/",
    "/users/new/",
    "/audit/",
    "/inventory/systems/",
    "/inventory/systems/new/",
    "/inventory/systems/import/",
    "/inventory/people/",
    "/inventory/data-assets/",
    "/inventory/services/",
    "/accounts/2fa/",
]


@pytest.fixture
def logged_in(admin_user, client):
    """Logged in for every page but the log-in page itself, which redirects logged-in users."""

    class _Client:
        def get(self, path, **extra):
            if path.startswith("/accounts/login/"):
                return Client().get(path, **extra)
            return client.get(path, **extra)

    client.force_login(admin_user)
    return _Client()


@pytest.mark.parametrize("path", PAGES)
def test_security_headers_on_every_page(logged_in, path):
    response = logged_in.get(path, secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "includeSubDomains" in response["Strict-Transport-Security"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.parametrize("path", PAGES)
def test_csp_is_strict_and_every_script_carries_the_nonce(logged_in, path):
    response = logged_in.get(path, secure=True)
    csp = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if " " in d.strip())
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    # Django adds the nonce to the header only when the page used it.
    found = re.search(r"'nonce-([^']+)'", directives["script-src"])
    nonce = found.group(1) if found else "(no nonce sent)"
    assert directives["script-src"].startswith("'self'") and directives["style-src"].startswith("'self'")
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert directives["default-src"] == "'self'"
    html = response.content.decode()
    for tag in re.findall(r"<script\b[^>]*>", html):
        if 'type="application/json"' in tag or "type='application/json'" in tag:
            continue  # data, never executed
        assert f'nonce="{nonce}"' in tag, tag
    for tag in re.findall(r"<style\b[^>]*>", html):
        assert f'nonce="{nonce}"' in tag, tag
    # No inline event handlers, no inline style attributes, no htmx hx-on.
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", html)
    assert not re.search(r"<[^>]+\sstyle\s*=", html)
    assert "hx-on" not in html


@pytest.fixture
def objects(admin_user, unit_a):
    from ramparts.inventory import services

    system = services.system_create(actor=admin_user, business_unit=unit_a, name="web-1", kind="server")
    service = services.service_create(actor=admin_user, business_unit=unit_a, name="Payments")
    services.dependency_add(actor=admin_user, service=service.ref, target=system.ref)
    person = services.person_create(actor=admin_user, business_unit=unit_a, employee_id="E1", full_name="Ann")
    data = services.data_asset_create(actor=admin_user, business_unit=unit_a, name="Cards")
    return {"system": system.ref, "service": service.ref, "person": person.ref, "data": data.ref}


@pytest.mark.parametrize(
    "path",
    [
        "/inventory/systems/{system}/",
        "/inventory/systems/{system}/edit/",
        "/inventory/services/{service}/",
        "/inventory/services/{service}/graph/",
        "/inventory/people/{person}/",
        "/inventory/data-assets/{data}/",
        "/users/admin/",
    ],
)
def test_detail_pages_follow_the_csp_too(logged_in, objects, path):
    test_csp_is_strict_and_every_script_carries_the_nonce(logged_in, path.format(**objects))


def test_nonce_changes_per_response(logged_in):
    first = logged_in.get("/", secure=True)["Content-Security-Policy"]
    second = logged_in.get("/", secure=True)["Content-Security-Policy"]
    assert "'nonce-" in first and first != second


def test_cookies_are_secure_and_http_only(make_user, client):
    with_password(make_user(Role.ANALYST, username="cookie"))
    client.get("/accounts/login/", secure=True)
    response = client.post("/accounts/login/", {"login": "cookie", "password": PASSWORD}, secure=True)
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    assert client.cookies["csrftoken"]["secure"]


_SETTINGS = """
import json
from django.conf import settings
import django
django.setup()
print(json.dumps({k: getattr(settings, k, None) for k in [
    "DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS", "X_FRAME_OPTIONS",
    "SECURE_CONTENT_TYPE_NOSNIFF", "SESSION_COOKIE_HTTPONLY", "RAMPARTS_MAX_UPLOAD_BYTES",
    "DATA_UPLOAD_MAX_MEMORY_SIZE", "SECURE_PROXY_SSL_HEADER", "ALLAUTH_TRUSTED_PROXY_COUNT"]}))
"""


def _env(tmp_path, **extra):
    return {"DJANGO_SETTINGS_MODULE": "ramparts.settings", "RAMPARTS_DATA_DIR": str(tmp_path), **extra}


def test_production_defaults(tmp_path):
    result = run_python(_SETTINGS, _env(tmp_path, RAMPARTS_SECRET_KEY="k" * 50))
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"] and values["SESSION_COOKIE_HTTPONLY"]
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert values["X_FRAME_OPTIONS"] == "DENY" and values["SECURE_CONTENT_TYPE_NOSNIFF"]
    # X-Forwarded-* is only trusted when the operator says a proxy is in front.
    assert values["SECURE_PROXY_SSL_HEADER"] is None


def test_behind_a_proxy(tmp_path):
    result = run_python(_SETTINGS, _env(tmp_path, RAMPARTS_SECRET_KEY="k" * 50, RAMPARTS_BEHIND_PROXY="1"))
    values = json.loads(result.stdout)
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    # Log-in throttling counts per client, not per proxy (else one attacker locks everyone out).
    assert values["ALLAUTH_TRUSTED_PROXY_COUNT"] == 1


def test_plain_http_only_when_asked(tmp_path):
    result = run_python(_SETTINGS, _env(tmp_path, RAMPARTS_SECRET_KEY="k" * 50, RAMPARTS_HTTPS="0"))
    values = json.loads(result.stdout)
    assert not values["SESSION_COOKIE_SECURE"] and values["SECURE_HSTS_SECONDS"] == 0


def test_upload_limit_comes_from_the_environment(tmp_path):
    result = run_python(_SETTINGS, _env(tmp_path, RAMPARTS_SECRET_KEY="k" * 50, RAMPARTS_MAX_UPLOAD_BYTES="1234"))
    values = json.loads(result.stdout)
    assert values["RAMPARTS_MAX_UPLOAD_BYTES"] == 1234 and values["DATA_UPLOAD_MAX_MEMORY_SIZE"] == 1234


def test_secret_key_is_required_outside_the_demo(tmp_path):
    result = run_python(_SETTINGS, _env(tmp_path))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "RAMPARTS_SECRET_KEY is required" in result.stderr
    assert not (tmp_path / "demo-secret-key").exists()


def test_demo_mode_generates_a_private_key(tmp_path):
    result = run_python(_SETTINGS, _env(tmp_path, RAMPARTS_DEMO="1"))
    assert result.returncode == 0, result.stderr
    key_file = tmp_path / "demo-secret-key"
    assert key_file.exists() and oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert not json.loads(result.stdout)["SESSION_COOKIE_SECURE"]  # plain http on a laptop
