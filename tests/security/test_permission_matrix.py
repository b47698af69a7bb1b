"""The permission matrix: every role × every action, on the UI and the API alike.

MATRIX maps each action of ramparts.core.roles.ACTIONS to the UI and API requests that exercise it.
For every (request, role) pair the expectation comes from roles.GRANTS, the single source of truth:
an allowed role gets 2xx/3xx, any other role 403; anonymous visitors get a redirect to the log-in
page (UI) or 401 (API). The API runs once on a session and once on a personal token.

To add a module: add its actions to roles.ACTIONS/GRANTS and its requests here. The coverage test
fails until every action has at least one UI and one API request.

Paths may name objects of the world fixture: {system} {person} {data} {service} (refs, all in the
user's unit), {username} (another user), {token} (the user's own token id).
"""

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ramparts.core import tokens
from ramparts.core.models import User
from ramparts.core.roles import ACTIONS, Role, role_allows
from tests.security import matrix_modules
from tests.security.matrix_base import Req, api, ui

# --- request bodies ----------------------------------------------------------------------------


def _csv(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("systems.csv", text.encode(), content_type="text/csv")


def system_import_file(w: "World") -> dict:
    return {"file": _csv(f"name,kind,business_unit\nImported-{w.n},server,{w.unit.code}\n")}


def system_form(w: "World", **changes) -> dict:
    """The edit form of the world's system as a browser would post it, with `changes`."""
    from ramparts.inventory.forms import initial_cells
    from ramparts.inventory.importexport.columns import ENTITIES

    cells = initial_cells(ENTITIES["systems"], w.system)
    data = {k: ("on" if v is True else v) for k, v in cells.items() if v not in (False, None)}
    return {**data, **changes}


def new_system_form(w: "World") -> dict:
    return system_form(w, name=f"Created-{w.n}", business_unit=w.unit.code)


def new_system_json(w: "World") -> dict:
    return {"name": f"Created-{w.n}", "kind": "server", "business_unit": w.unit.code}


def new_user_form(w: "World") -> dict:
    return {"username": f"new{w.n}", "password": "Long-Enough-Passphrase-1", "role": "employee"}


def _templates(response) -> set[str]:
    return {t.name for t in response.templates if t.name}


def is_personal_home(response) -> bool:
    names = _templates(response)
    return response.status_code == 200 and "core/home.html" not in names and "core/home_personal.html" in names


def is_dashboard(response) -> bool:
    return response.status_code == 200 and "core/home.html" in _templates(response)


# --- the matrix --------------------------------------------------------------------------------

CORE_MATRIX: dict[str, dict[str, list]] = {
    "inventory.view": {
        "ui": [
            ui("GET", "/inventory/systems/"),
            ui("GET", "/inventory/systems/{system}/"),
            ui("GET", "/inventory/people/"),
            ui("GET", "/inventory/people/{person}/"),
            ui("GET", "/inventory/data-assets/"),
            ui("GET", "/inventory/data-assets/{data}/"),
            ui("GET", "/inventory/services/"),
            ui("GET", "/inventory/services/{service}/"),
            ui("GET", "/inventory/services/{service}/graph/"),
        ],
        "api": [
            api("GET", "/inventory/systems"),
            api("GET", "/inventory/systems/{system}"),
            api("GET", "/inventory/people"),
            api("GET", "/inventory/people/{person}"),
            api("GET", "/inventory/data-assets"),
            api("GET", "/inventory/data-assets/{data}"),
            api("GET", "/inventory/services"),
            api("GET", "/inventory/services/{service}"),
        ],
    },
    "inventory.change": {
        "ui": [
            ui("GET", "/inventory/systems/new/"),
            ui("POST", "/inventory/systems/new/", new_system_form),
            ui("POST", "/inventory/systems/{system}/edit/", lambda w: system_form(w, description="edited")),
            ui("POST", "/inventory/systems/bulk/", lambda w: {"refs": [w.system.ref], "environment": "staging"}),
        ],
        "api": [
            api("POST", "/inventory/systems", new_system_json),
            api("PATCH", "/inventory/systems/{system}", {"description": "edited"}),
            api(
                "POST",
                "/inventory/systems/bulk-update",
                lambda w: {"refs": [w.system.ref], "fields": {"environment": "staging"}},
            ),
        ],
    },
    "inventory.delete": {
        "ui": [
            ui("POST", "/inventory/systems/{system}/delete/"),
            ui("POST", "/inventory/people/{person}/delete/"),
            ui("POST", "/inventory/data-assets/{data}/delete/"),
            ui("POST", "/inventory/services/{service}/delete/"),
        ],
        "api": [
            api("DELETE", "/inventory/systems/{system}"),
            api("DELETE", "/inventory/people/{person}"),
            api("DELETE", "/inventory/data-assets/{data}"),
            api("DELETE", "/inventory/services/{service}"),
        ],
    },
    "inventory.import": {
        "ui": [
            ui("GET", "/inventory/systems/import/"),
            ui("POST", "/inventory/systems/import/", system_import_file, body="multipart"),
        ],
        "api": [
            api("POST", "/inventory/import/systems", system_import_file, body="multipart"),
        ],
    },
    "inventory.export": {
        "ui": [
            ui("GET", "/inventory/systems/export.csv"),
            ui("GET", "/inventory/people/export.xlsx"),
            ui("GET", "/inventory/services/export.json"),
        ],
        "api": [
            api("GET", "/inventory/export/systems?format=csv"),
            api("GET", "/inventory/export/people?format=xlsx"),
        ],
    },
    "audit.view": {
        "ui": [ui("GET", "/audit/")],
        "api": [api("GET", "/audit")],
    },
    "audit.export": {
        "ui": [ui("GET", "/audit/export.csv"), ui("GET", "/audit/export.json")],
        "api": [api("GET", "/audit/export?format=csv"), api("GET", "/audit/export?format=json")],
    },
    "users.manage": {
        "ui": [
            ui("GET", "/users/"),
            ui("GET", "/users/new/"),
            ui("POST", "/users/new/", new_user_form),
            ui("GET", "/users/{username}/"),
            ui("POST", "/users/{username}/deactivate/"),
            ui(
                "POST",
                "/users/{username}/password/",
                {"password": "Brand-New-Passphrase-2", "password_again": "Brand-New-Passphrase-2"},
            ),
        ],
        "api": [
            api("GET", "/users"),
            api("GET", "/users/{username}"),
            api("POST", "/users", new_user_form),
            api("PATCH", "/users/{username}", {"role": "auditor"}),
            api("POST", "/users/{username}/deactivate"),
        ],
    },
    "tokens.own": {
        "ui": [
            ui("GET", "/tokens/"),
            ui("GET", "/tokens/new/"),
            ui("POST", "/tokens/new/", {"name": "matrix", "scopes": ["read"], "expires_in_days": 7}),
            ui("POST", "/tokens/{token}/revoke/"),
        ],
        "api": [
            api("GET", "/tokens"),
            api("POST", "/tokens", {"name": "matrix"}),
            api("POST", "/tokens/{token}/revoke"),
        ],
    },
    "dashboard.view": {
        "ui": [ui("GET", "/", denied_check=is_personal_home, allowed_check=is_dashboard)],
        "api": [api("GET", "/dashboard")],
    },
}

MATRIX = {**CORE_MATRIX, **matrix_modules.MATRIX}
ROLES = list(Role)


# --- the world each request runs in ------------------------------------------------------------


@dataclass
class World:
    user: User | None
    unit: Any
    system: Any
    person: Any
    data: Any
    service: Any
    other: User
    token_id: int | None
    n: int = field(default=1)
    # Placeholders of other modules' objects (see matrix_modules): name -> value in the path.
    extras: dict[str, str] = field(default_factory=dict)

    def fill(self, path: str) -> str:
        return path.format(
            system=self.system.ref,
            person=self.person.ref,
            data=self.data.ref,
            service=self.service.ref,
            username=self.other.username,
            token=self.token_id or 0,
            **self.extras,
        )


def build_world(make_user, unit, role: Role | None, *, owner, action: str | None = None) -> World:
    from ramparts.inventory import services

    system = services.system_create(actor=owner, business_unit=unit, name=f"sys-{unit.code}", kind="server")
    person = services.person_create(actor=owner, business_unit=unit, employee_id=f"E-{unit.code}", full_name="Pat Q")
    data = services.data_asset_create(actor=owner, business_unit=unit, name=f"data-{unit.code}")
    service = services.service_create(actor=owner, business_unit=unit, name=f"svc-{unit.code}")
    services.dependency_add(actor=owner, service=service.ref, target=system.ref)
    other = make_user(Role.EMPLOYEE, units=[unit])
    user = make_user(role, units=[unit]) if role is not None else None
    token_id = None
    if user is not None and role_allows(user.role, "tokens.own"):
        token_id = tokens.api_token_create(actor=user, name="own", scopes=["read"], expires_in_days=1).token.pk
    world = World(user, unit, system, person, data, service, other, token_id)
    if action is not None:
        world.extras = matrix_modules.objects_for(action, owner=owner, unit=unit, user=user, world=world)
    return world


def send(client: Client, req: Req, world: World, **extra):
    data = req.data(world) if callable(req.data) else (req.data or {})
    path = world.fill(req.path)
    method = req.method.lower()
    if req.body == "json" and method != "get":
        return getattr(client, method)(path, data, content_type="application/json", **extra)
    if method in ("get", "delete"):
        return getattr(client, method)(path, **extra)
    return client.post(path, data, **extra)  # form and multipart: the test client encodes both


# --- the cases ---------------------------------------------------------------------------------


def _cases(channel: str, *, first_only: bool = False):
    for action, channels in MATRIX.items():
        for item in channels.get(channel, [])[: 1 if first_only else None]:
            marks = item.marks if hasattr(item, "marks") else ()
            req = item.values[0] if hasattr(item, "values") else item
            for role in [*ROLES, None]:
                role_id = role.value if role else "anonymous"
                yield pytest.param(action, req, role, id=f"{action}|{req}|{role_id}", marks=marks)


def _expect(response, *, allowed: bool, anonymous: bool, channel: str, req: Req) -> None:
    code = response.status_code
    body = b"(streamed)" if response.streaming else response.content[:300]
    where = f"{req} -> {code}: {body!r}"
    if anonymous:
        if channel == "ui":
            assert code == 302 and response["Location"].startswith("/accounts/login/"), where
        else:
            assert code == 401, where
    elif allowed:
        assert 200 <= code < 400, where
        if code in (301, 302):
            assert not response["Location"].startswith("/accounts/login/"), where
        if req.allowed_check is not None:
            assert req.allowed_check(response), where
    elif req.denied_check is not None:
        assert req.denied_check(response), where
    else:
        assert code == 403, where


@pytest.mark.parametrize(("action", "req", "role"), list(_cases("ui")))
def test_ui(action, req, role, make_user, unit_a, admin_user, client):
    world = build_world(make_user, unit_a, role, owner=admin_user, action=action)
    if world.user is not None:
        client.force_login(world.user)
    response = send(client, req, world)
    allowed = role is not None and role_allows(role, action)
    _expect(response, allowed=allowed, anonymous=role is None, channel="ui", req=req)


@pytest.mark.parametrize(("action", "req", "role"), list(_cases("api")))
def test_api_session(action, req, role, make_user, unit_a, admin_user, client):
    world = build_world(make_user, unit_a, role, owner=admin_user, action=action)
    if world.user is not None:
        client.force_login(world.user)
    response = send(client, req, world)
    allowed = role is not None and role_allows(role, action)
    _expect(response, allowed=allowed, anonymous=role is None, channel="api", req=req)


@pytest.mark.parametrize(
    ("action", "req", "role"), [c for c in _cases("api", first_only=True) if c.values[2] is not None]
)
def test_api_token(action, req, role, make_user, unit_a, admin_user):
    """The same decisions with a read+write personal token (the first API request of each action:
    authentication differs, the permission path does not). Roles without tokens.own cannot hold
    one: their token is refused outright (401)."""
    world = build_world(make_user, unit_a, role, owner=admin_user, action=action)
    if not role_allows(role, "tokens.own"):
        # They cannot create one; plant a valid row to prove such a token is refused anyway.
        from ramparts.core.models import ApiToken

        secret = "rp_cafe0000_forged-but-hash-matches"
        ApiToken.objects.create(
            user=world.user,
            name="smuggled",
            prefix="cafe0000",
            key_hash=tokens._hash("forged-but-hash-matches"),
            scopes=["read", "write"],
            expires_at=world.system.created_at.replace(year=world.system.created_at.year + 1),
        )
        response = send(Client(), req, world, HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert response.status_code == 401, f"{req} -> {response.status_code}"
        return
    issued = tokens.api_token_create(actor=world.user, name="matrix", scopes=["read", "write"], expires_in_days=1)
    response = send(Client(), req, world, HTTP_AUTHORIZATION=f"Bearer {issued.secret}")
    _expect(response, allowed=role_allows(role, action), anonymous=False, channel="api", req=req)


# --- the matrix itself is complete -------------------------------------------------------------


def test_every_action_has_ui_and_api_cases():
    assert set(MATRIX) == set(ACTIONS), "MATRIX and roles.ACTIONS differ"
    for action in ACTIONS:
        assert MATRIX[action].get("ui"), f"{action} has no UI request in the matrix"
        assert MATRIX[action].get("api"), f"{action} has no API request in the matrix"


def test_every_role_is_in_the_matrix():
    assert set(ROLES) == set(Role)


# --- business-unit scoping: another unit's objects do not exist for you --------------------------

# (request, the action it needs): a role holding the action gets 404 for another unit's object.
SCOPING = [
    (ui("GET", "/inventory/systems/{system}/"), "inventory.view"),
    (ui("GET", "/inventory/systems/{system}/edit/"), "inventory.change"),
    (
        ui("POST", "/inventory/systems/{system}/edit/", lambda w: system_form(w, description="pwned")),
        "inventory.change",
    ),
    (ui("POST", "/inventory/systems/{system}/delete/"), "inventory.delete"),
    (ui("GET", "/inventory/people/{person}/"), "inventory.view"),
    (ui("POST", "/inventory/people/{person}/delete/"), "inventory.delete"),
    (ui("GET", "/inventory/data-assets/{data}/"), "inventory.view"),
    (ui("POST", "/inventory/data-assets/{data}/delete/"), "inventory.delete"),
    (ui("GET", "/inventory/services/{service}/"), "inventory.view"),
    (ui("GET", "/inventory/services/{service}/graph/"), "inventory.view"),
    (ui("POST", "/inventory/services/{service}/delete/"), "inventory.delete"),
    (api("GET", "/inventory/systems/{system}"), "inventory.view"),
    (api("PATCH", "/inventory/systems/{system}", {"description": "pwned"}), "inventory.change"),
    (api("DELETE", "/inventory/systems/{system}"), "inventory.delete"),
    (api("GET", "/inventory/people/{person}"), "inventory.view"),
    (api("PATCH", "/inventory/people/{person}", {"job_title": "pwned"}), "inventory.change"),
    (api("DELETE", "/inventory/people/{person}"), "inventory.delete"),
    (api("GET", "/inventory/data-assets/{data}"), "inventory.view"),
    (api("DELETE", "/inventory/data-assets/{data}"), "inventory.delete"),
    (api("GET", "/inventory/services/{service}"), "inventory.view"),
    (api("GET", "/inventory/services/{service}/dependencies"), "inventory.view"),
    (api("DELETE", "/inventory/services/{service}"), "inventory.delete"),
]
SCOPED_ROLES = [Role.SECURITY_MANAGER, Role.ANALYST, Role.AUDITOR, Role.EXECUTIVE]


def _snapshot(world: World) -> dict:
    return {type(o).__name__: type(o).objects.filter(pk=o.pk).values().first() for o in _objects(world)}


def _scoping_cases(holding: bool):
    for req, action in SCOPING:
        for role in SCOPED_ROLES:
            if role_allows(role, action) == holding:
                yield pytest.param(req, role, id=f"{req}|{role.value}")


@pytest.mark.parametrize(("req", "role"), list(_scoping_cases(holding=True)))
def test_other_units_objects_answer_404(req, role, make_user, unit_a, unit_b, admin_user, client):
    theirs = build_world(make_user, unit_b, None, owner=admin_user)
    client.force_login(make_user(role, units=[unit_a]))
    before = _snapshot(theirs)
    response = send(client, req, theirs)
    assert response.status_code == 404, f"{req} -> {response.status_code}"
    assert _snapshot(theirs) == before, "a request answered 404 but changed data"
    body = response.content.decode()
    assert theirs.system.name not in body and theirs.data.name not in body


@pytest.mark.parametrize(("req", "role"), list(_scoping_cases(holding=False)))
def test_no_existence_oracle_for_roles_without_the_action(req, role, make_user, unit_a, unit_b, admin_user, client):
    """A role that may not do the action at all may get 403 or 404, but the same answer for another
    unit's object as for one that does not exist, and nothing changes."""
    theirs = build_world(make_user, unit_b, None, owner=admin_user)
    client.force_login(make_user(role, units=[unit_a]))
    before = _snapshot(theirs)
    existing = send(client, req, theirs)
    theirs_missing = World(**{**theirs.__dict__})
    for name in ("system", "person", "data", "service"):
        ghost = type(getattr(theirs, name))(number=999_999, business_unit=unit_b)
        setattr(theirs_missing, name, ghost)
    missing = send(client, req, theirs_missing)
    assert existing.status_code in (403, 404) and existing.status_code == missing.status_code, (
        f"{req}: {existing.status_code} for another unit's object, {missing.status_code} for a missing one"
    )
    assert _snapshot(theirs) == before


def _objects(world: World) -> list:
    return [world.system, world.person, world.data, world.service]


@pytest.mark.parametrize(
    "req",
    [
        ui("GET", "/inventory/systems/"),
        api("GET", "/inventory/systems"),
        ui("GET", "/inventory/data-assets/"),
        api("GET", "/inventory/data-assets"),
        ui("GET", "/inventory/systems/export.csv"),
    ],
    ids=str,
)
def test_lists_and_exports_leave_other_units_out(req, make_user, unit_a, unit_b, admin_user, client):
    theirs = build_world(make_user, unit_b, None, owner=admin_user)
    mine = build_world(make_user, unit_a, Role.ANALYST, owner=admin_user)
    client.force_login(mine.user)
    response = send(client, req, mine)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert mine.system.name.encode() in body or mine.data.name.encode() in body
    assert theirs.system.name.encode() not in body and theirs.data.name.encode() not in body


def test_cannot_create_into_another_unit_ui(make_user, unit_a, unit_b, admin_user, client):
    from ramparts.inventory.models import System

    mine = build_world(make_user, unit_a, Role.ANALYST, owner=admin_user)
    client.force_login(mine.user)
    response = client.post("/inventory/systems/new/", system_form(mine, name="smuggled", business_unit=unit_b.code))
    assert response.status_code in (200, 400, 404)  # the form re-shows (unit not offered) or 404
    assert not System.objects.filter(name="smuggled").exists()


def test_cannot_create_into_another_unit_api(make_user, unit_a, unit_b, admin_user, client):
    from ramparts.inventory.models import System

    mine = build_world(make_user, unit_a, Role.ANALYST, owner=admin_user)
    client.force_login(mine.user)
    response = client.post(
        "/api/v1/inventory/systems",
        {"name": "smuggled", "kind": "server", "business_unit": unit_b.code},
        content_type="application/json",
    )
    assert response.status_code in (400, 404)
    assert not System.objects.filter(name="smuggled").exists()
