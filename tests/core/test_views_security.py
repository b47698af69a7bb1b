"""Pages are CSP-clean (nonced scripts only, no inline handlers or styles) and POSTs need CSRF."""

import re

import pytest
from django.test import Client

from ramparts.core.roles import Role
from ramparts.inventory import services
from ramparts.inventory.models import System

SCRIPT = re.compile(r"<script\b([^>]*)>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
STYLE_ATTR = re.compile(r"<[^>]+\sstyle\s*=", re.I)


@pytest.fixture
def world(make_user, unit_a):
    manager = make_user(Role.ADMIN, units=[unit_a], username="boss")
    web = services.system_create(actor=manager, business_unit=unit_a, name="web-1", kind="server")
    person = services.person_create(actor=manager, business_unit=unit_a, employee_id="E1", full_name="Ada")
    data = services.data_asset_create(actor=manager, business_unit=unit_a, name="Cards", systems="web-1")
    svc = services.service_create(actor=manager, business_unit=unit_a, name="Payments", criticality="critical")
    services.dependency_add(actor=manager, service=svc.ref, target=web.ref)
    services.dependency_add(actor=manager, service=svc.ref, target=data.ref)
    return {"user": manager, "system": web, "person": person, "data": data, "service": svc}


def pages(w) -> list[str]:
    return [
        "/",
        "/audit/",
        "/inventory/systems/",
        f"/inventory/systems/{w['system'].ref}/",
        f"/inventory/systems/{w['system'].ref}/edit/",
        "/inventory/systems/new/",
        "/inventory/systems/import/",
        "/inventory/people/",
        f"/inventory/people/{w['person'].ref}/",
        "/inventory/data-assets/",
        f"/inventory/data-assets/{w['data'].ref}/",
        "/inventory/services/",
        f"/inventory/services/{w['service'].ref}/",
        f"/inventory/services/{w['service'].ref}/graph/",
        "/inventory/systems/SYS-9999/",  # the 404 page
    ]


def assert_csp_clean(response) -> None:
    csp = response.headers.get("Content-Security-Policy", "")
    assert "script-src 'self' 'nonce-" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    html = response.content.decode()
    scripts = SCRIPT.findall(html)
    for attrs in scripts:
        if 'type="application/json"' in attrs:
            continue  # data, never executed
        assert f'nonce="{nonce}"' in attrs, attrs
        src = re.search(r'src="([^"]+)"', attrs)
        assert src and src.group(1).startswith("/static/"), attrs
    assert not INLINE_HANDLER.search(html), INLINE_HANDLER.search(html).group(0)
    assert not STYLE_ATTR.search(html)
    assert "hx-on" not in html
    assert "<style" not in html or f'<style nonce="{nonce}"' in html


def test_every_page_is_csp_clean(world):
    client = Client()
    client.force_login(world["user"])
    for path in pages(world):
        response = client.get(path)
        assert response.status_code in (200, 404), path
        assert_csp_clean(response)


def test_log_in_page_is_csp_clean(db):
    response = Client().get("/accounts/login/")
    assert response.status_code == 200
    assert_csp_clean(response)
    html = response.content.decode()
    assert 'name="login"' in html and 'name="password"' in html and "auth-card" in html


def test_htmx_is_configured_safely(world):
    client = Client()
    client.force_login(world["user"])
    html = client.get("/").content.decode()
    config = re.search(r'<meta name="htmx-config" content=\'([^\']+)\'', html).group(1)
    assert '"allowEval":false' in config and '"allowScriptTags":false' in config
    assert '"includeIndicatorStyles":false' in config
    assert '<meta name="csrf-token" content="' in html


def test_static_assets_exist(world):
    from django.contrib.staticfiles import finders

    for path in ("vendor/htmx/htmx.min.js", "vendor/pico/pico.min.css", "ramparts/app.css", "ramparts/app.js"):
        assert finders.find(path), path


def test_vendored_files_match_their_recorded_hashes():
    import hashlib
    from pathlib import Path

    import ramparts

    vendor = Path(ramparts.__file__).parent / "static" / "vendor"
    lines = [line.split() for line in (vendor / "VERSIONS").read_text().splitlines() if not line.startswith("#")]
    assert lines
    for name, version, licence, _source, digest, path in lines:
        assert hashlib.sha256((vendor / path).read_bytes()).hexdigest() == digest, name
        assert version and licence
    assert any(n == "htmx.org" and v.startswith("2.0.") for n, v, *_ in lines)


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/inventory/systems/new/", {"name": "x", "kind": "server"}),
        ("/inventory/systems/{system}/edit/", {"name": "x"}),
        ("/inventory/systems/{system}/delete/", {}),
        ("/inventory/systems/bulk/", {"refs": ["{system}"], "environment": "test"}),
        ("/inventory/services/{service}/dependencies/remove/", {"target": "{system}"}),
        ("/inventory/systems/import/", {}),
    ],
)
def test_posts_without_csrf_are_rejected(world, path, data):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["user"])
    refs = {k: v.ref for k, v in world.items() if k != "user"}
    data = {k: ([x.format(**refs) for x in v] if isinstance(v, list) else v.format(**refs)) for k, v in data.items()}
    response = client.post(path.format(**refs), data)
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()
    assert System.objects.filter(name="web-1", environment="production").exists()
    assert System.objects.count() == 1


def test_post_with_csrf_header_is_accepted(world):
    """What app.js does for htmx requests: the token from the meta tag in the X-CSRFToken header."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["user"])
    html = client.get(f"/inventory/services/{world['service'].ref}/").content.decode()
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', html).group(1)
    response = client.post(
        f"/inventory/services/{world['service'].ref}/dependencies/remove/",
        {"target": world["system"].ref},
        HTTP_X_CSRFTOKEN=token,
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200


def test_error_pages_are_styled(world, make_user, unit_a):
    client = Client()
    client.force_login(make_user(Role.EMPLOYEE, units=[unit_a]))
    response = client.get("/inventory/systems/")
    assert response.status_code == 403 and "You may not do this" in response.content.decode()
    response = client.get("/no/such/page/")
    assert response.status_code == 404 and "Nothing here" in response.content.decode()


def test_500_page_renders_without_a_request():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Something went wrong" in html and "<script" not in html
