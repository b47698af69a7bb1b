"""The audit trail records who, from where and through which channel (UI, API, CLI, task), and
`ramparts audit verify` exits 0 on an intact chain, 1 naming the first broken entry."""

import os
import sqlite3
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from ramparts import cli
from ramparts.core import tokens, users
from ramparts.core.context import Channel, acting
from ramparts.core.models import AuditEntry, User
from ramparts.core.roles import Role
from tests.security.helpers import PASSWORD, ROOT


@pytest.fixture
def keep_connection(monkeypatch):
    """`ramparts <command>` closes database connections when it ends (Django's run_from_argv);
    in a test that would drop the connection holding the test's transaction (PostgreSQL)."""
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)


def _last(object_type: str = "core.user") -> AuditEntry:
    return AuditEntry.objects.filter(object_type=object_type).order_by("-seq").first()


def test_ui_channel_and_ip(admin_user, client):
    client.force_login(admin_user)
    client.post("/users/new/", {"username": "viaui", "password": PASSWORD, "role": "analyst"}, REMOTE_ADDR="192.0.2.10")
    entry = _last()
    assert (entry.channel, entry.ip, entry.actor_label, entry.object_ref) == ("ui", "192.0.2.10", "admin", "viaui")


def test_api_session_channel_and_ip(admin_user, client):
    client.force_login(admin_user)
    response = client.post(
        "/api/v1/users",
        {"username": "viaapi", "password": PASSWORD, "role": "analyst"},
        content_type="application/json",
        REMOTE_ADDR="198.51.100.20",
    )
    assert response.status_code == 201
    entry = _last()
    assert (entry.channel, entry.ip, entry.actor_id) == ("api", "198.51.100.20", admin_user.pk)


def test_api_token_channel_and_ip(admin_user, client):
    issued = tokens.api_token_create(actor=admin_user, name="bot", scopes=["read", "write"], expires_in_days=1)
    response = client.patch(
        f"/api/v1/users/{admin_user.username}",
        {"email": "root@example.org"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {issued.secret}",
        REMOTE_ADDR="203.0.113.30",
    )
    assert response.status_code == 200
    entry = _last()
    assert (entry.channel, entry.ip, entry.actor_id) == ("api", "203.0.113.30", admin_user.pk)
    assert entry.changes == {"email": ["", "root@example.org"]}


def test_forwarded_for_is_ignored_unless_behind_a_proxy(admin_user, client):
    client.force_login(admin_user)
    spoof = {"REMOTE_ADDR": "192.0.2.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6"}
    client.post("/users/new/", {"username": "direct", "password": PASSWORD, "role": "analyst"}, **spoof)
    assert _last().ip == "192.0.2.1"
    with override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")):
        client.post("/users/new/", {"username": "proxied", "password": PASSWORD, "role": "analyst"}, **spoof)
        assert _last().ip == "6.6.6.6"
        # A client that sends its own X-Forwarded-For only gets it prepended by the proxy.
        forged = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.77"}
        client.post("/users/new/", {"username": "forger", "password": PASSWORD, "role": "analyst"}, **forged)
        assert _last().ip == "203.0.113.77"


def test_cli_channel(db, monkeypatch, keep_connection):
    monkeypatch.setenv("RAMPARTS_ADMIN_PASSWORD", PASSWORD)
    assert cli.main(["createadmin", "--username", "firstadmin"]) == 0
    entry = _last()
    assert entry.channel == "cli" and entry.actor_id is None
    assert entry.actor_label.startswith("cli:") and entry.object_ref == "firstadmin"
    assert "password" not in entry.changes and PASSWORD not in str(entry.changes)


def test_task_channel(admin_user):
    with acting(Channel.TASK, principal="nightly-sync"):
        users.user_create(actor=None, username="bytask", password=PASSWORD, role="employee")
    entry = _last()
    assert (entry.channel, entry.actor_label) == ("task", "task:nightly-sync")


def test_every_entry_says_when_in_utc(admin_user, make_user):
    users.user_deactivate(actor=admin_user, user=make_user(Role.ANALYST))
    assert _last().at.utcoffset().total_seconds() == 0


# --- ramparts audit verify ---------------------------------------------------------------------


def _some_history(admin_user):
    for name in ("one", "two", "three"):
        users.user_create(actor=admin_user, username=name, password=PASSWORD, role="analyst")


def test_verify_command_intact(admin_user, capsys, keep_connection):
    _some_history(admin_user)
    call_command("audit", "verify")
    assert "intact: 3 entries verified" in capsys.readouterr().out
    assert cli.main(["audit", "verify"]) == 0


def test_verify_command_names_the_first_broken_entry(admin_user, capsys, keep_connection):
    _some_history(admin_user)
    second = AuditEntry.objects.order_by("seq")[1].seq
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET actor_label = 'someone-else' WHERE seq = %s", [second])
    with pytest.raises(SystemExit) as exit_:
        call_command("audit", "verify")
    assert exit_.value.code == 1
    assert f"BROKEN at entry #{second}" in capsys.readouterr().err
    assert cli.main(["audit", "verify"]) == 1


_WRITE = """
import django; django.setup()
from ramparts.core import audit
audit.record_many(None, [audit.Change("create", "inventory.system", str(i), f"SYS-{i}", {"name": [None, str(i)]})
                         for i in range(1, 6)])
"""


@pytest.fixture(scope="module")
def sqlite_install(tmp_path_factory):
    """A real installation on a SQLite file, driven through the `ramparts` console script."""
    data = tmp_path_factory.mktemp("install")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RAMPARTS_", "DJANGO_", "DATABASE_URL"))}
    env.update(RAMPARTS_DATA_DIR=str(data), RAMPARTS_SECRET_KEY="k" * 50, DJANGO_SETTINGS_MODULE="ramparts.settings")
    ramparts = str(Path(ROOT) / ".venv" / "bin" / "ramparts")
    subprocess.run([ramparts, "migrate", "-v", "0"], env=env, check=True, timeout=300)  # noqa: S603
    subprocess.run([str(Path(ROOT) / ".venv/bin/python"), "-c", _WRITE], env=env, check=True, timeout=120)  # noqa: S603
    return ramparts, env, data / "ramparts.sqlite3"


def _verify(install) -> subprocess.CompletedProcess:
    ramparts, env, _ = install
    return subprocess.run([ramparts, "audit", "verify"], env=env, capture_output=True, text=True, timeout=120)  # noqa: S603


def test_cli_verify_exit_codes(sqlite_install):
    result = _verify(sqlite_install)
    assert result.returncode == 0, result.stderr
    assert "5 entries verified" in result.stdout

    db_file = sqlite_install[2]
    with sqlite3.connect(db_file) as db:
        db.execute('UPDATE core_auditentry SET changes = \'{"name": [null, "forged"]}\' WHERE seq = 4')
    result = _verify(sqlite_install)
    assert result.returncode == 1
    assert "#4" in result.stderr and "altered" in result.stderr


def test_usernames_are_restricted(admin_user):
    from ramparts.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        users.user_create(actor=admin_user, username="=cmd|' /c calc'!A0", password=PASSWORD, role="analyst")
    assert not User.objects.filter(username__startswith="=").exists()
