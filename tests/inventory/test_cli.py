import json

import pytest
from django.core.management import CommandError, call_command

from ramparts.core.models import AuditEntry
from ramparts.core.roles import Role
from ramparts.inventory.models import System

GOOD = "name,kind,business_unit\nweb-1,server,retail\ndb-1,database,retail\n"
BAD = "name,kind,business_unit\nweb-1,toaster,retail\ndb-1,database,nowhere\n"


def run(*args):
    """call_command, returning (exit code, stdout, stderr)."""
    import io

    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("inventory", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def csv_file(tmp_path):
    def write(text, name="systems.csv"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return str(path)

    return write


def test_import_json_summary_and_reimport(admin_user, csv_file):
    path = csv_file(GOOD)
    code, out, _ = run("import", "systems", path, "--json")
    assert code == 0
    assert json.loads(out) == {"created": 2, "updated": 0, "unchanged": 0, "errors": []}
    code, out, _ = run("import", "systems", path, "--json")
    assert json.loads(out)["unchanged"] == 2
    entry = AuditEntry.objects.order_by("seq").first()
    assert entry.actor_label == "admin"


def test_bad_file_exits_non_zero_with_every_error(admin_user, csv_file):
    code, out, _ = run("import", "systems", csv_file(BAD), "--json")
    assert code == 1
    errors = json.loads(out)["errors"]
    assert [(e["line"], e["column"]) for e in errors] == [(2, "kind"), (3, "business_unit")]
    assert not System.objects.exists()
    code, _, err = run("import", "systems", csv_file(BAD))
    assert code == 1 and "line 2, column 'kind'" in err and "nothing was imported" in err


def test_dry_run_and_text_summary(admin_user, csv_file):
    code, out, _ = run("import", "systems", csv_file(GOOD), "--dry-run")
    assert code == 0 and "2 created" in out and "dry run" in out
    assert not System.objects.exists()


def test_actor_option_and_missing_admin(make_user, csv_file, unit_a):
    with pytest.raises(CommandError, match="No active administrator"):
        run("import", "systems", csv_file(GOOD))
    make_user(Role.ANALYST, username="ann")
    code, out, _ = run("import", "systems", csv_file(GOOD), "--actor", "ann", "--json")
    assert code == 0 and json.loads(out)["created"] == 2
    with pytest.raises(CommandError, match="No active user named 'nobody'"):
        run("import", "systems", csv_file(GOOD), "--actor", "nobody")
    auditor = make_user(Role.AUDITOR, username="audrey")
    assert auditor
    with pytest.raises(CommandError, match="may not"):
        run("import", "systems", csv_file(GOOD), "--actor", "audrey")


def test_missing_file(admin_user):
    with pytest.raises(CommandError, match="no such file"):
        run("import", "systems", "/nonexistent.csv")


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_export(admin_user, csv_file, tmp_path, fmt):
    run("import", "systems", csv_file(GOOD))
    target = tmp_path / f"out.{fmt}"
    code, _, _ = run("export", "systems", "--format", fmt, "--output", str(target))
    assert code == 0 and target.stat().st_size > 0
    code, out, _ = run("import", "systems", str(target), "--json")
    assert json.loads(out)["unchanged"] == 2


def test_export_to_stdout(admin_user, csv_file, capsys):
    run("import", "systems", csv_file(GOOD))
    call_command("inventory", "export", "systems")
    captured = capsys.readouterr().out
    assert captured.splitlines()[0].startswith("ref,name,kind,business_unit")


def test_propagate(admin_user, csv_file):
    run("import", "systems", csv_file(GOOD))
    code, out, _ = run("propagate")
    assert code == 0 and "Propagated over 2 systems" in out
