import json

import pytest
from django.core.management import CommandError, call_command

from ramparts.core.roles import Role
from ramparts.frameworks import demo
from ramparts.frameworks.models import Framework, RequirementRelation
from ramparts.frameworks.services import framework_diff
from tests.frameworks.conftest import OSCAL, REV5

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def admin(make_user):
    return make_user(Role.ADMIN)


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("frameworks", *args, stdout=out)
    return out.getvalue()


def test_import_json_and_list_includes_builtin():
    path = OSCAL / "sp800-171-rev3" / "NIST_SP800-171_rev3_catalog.xml"
    printed = json.loads(run("import", str(path), "--json"))
    assert printed == {
        "framework": "Protecting Controlled Unclassified Information in Nonfederal Systems and Organizations",
        "version": "1.0.0",
        "requirements": 227,
        "slug": printed["slug"],
    }
    rows = [json.loads(line) for line in run("list", "--json").splitlines()]
    assert (
        rows[0]["framework"] == "NIST Cybersecurity Framework"
        and rows[0]["built_in"]
        and rows[0]["requirements"] == 106
    )
    assert rows[1]["requirements"] == 227


def test_unresolvable_profile_exits_non_zero_naming_the_catalog(capsys):
    path = REV5 / "NIST_SP-800-53_rev5_MODERATE-baseline_profile.json"
    from io import StringIO

    out = StringIO()
    with pytest.raises(CommandError, match="NIST_SP-800-53_rev5_catalog"):
        call_command("frameworks", "import", str(path), "--json", stdout=out)
    assert "NIST_SP-800-53_rev5_catalog" in json.loads(out.getvalue())["error"]
    assert Framework.objects.filter(kind="profile").count() == 0


def test_cli_main_exit_code(tmp_path):
    from ramparts.cli import main

    bad = tmp_path / "bad.json"
    bad.write_text('{"catalog": {}}')
    assert main(["frameworks", "import", str(bad)]) != 0


def test_mappings_and_diff_commands(tmp_path):
    demo.load(seed=1)
    old, new = Framework.objects.filter(name=demo.STANDARD).order_by("version")
    printed = json.loads(run("diff", old.slug, new.slug, "--json"))
    assert (
        printed["added"] == ["NW-OP-04"] and printed["removed"] == ["NW-IR-02"] and printed["changed"] == ["NW-AC-03"]
    )
    csv = tmp_path / "cw.csv"
    csv.write_text(
        f"source_framework,source_id,relationship,target_framework,target_id\n{new.slug},NW-OP-04,related,{new.slug},NW-OP-03\n"
    )
    assert json.loads(run("mappings", "import", str(csv), "--json"))["created"] == 1


def test_demo_is_idempotent():
    first = demo.load(seed=1)
    counts = (Framework.objects.count(), RequirementRelation.objects.count())
    assert first and counts == (3, len(demo.CROSSWALK))
    from ramparts.core.models import AuditEntry

    entries = AuditEntry.objects.count()
    assert demo.load(seed=1) == []
    assert (Framework.objects.count(), RequirementRelation.objects.count()) == counts
    assert AuditEntry.objects.count() == entries
    diff = framework_diff(
        old=Framework.objects.get(name=demo.STANDARD, version="1"),
        new=Framework.objects.get(name=demo.STANDARD, version="2"),
    )
    assert diff.changed == ["NW-AC-03"]


def test_delete_command():
    demo.load(seed=1)
    old = Framework.objects.get(name=demo.STANDARD, version="1")
    assert run("delete", old.slug).strip() == f"deleted {old.slug}"
    with pytest.raises(CommandError, match="built in"):
        run("delete", "nist-cybersecurity-framework-2-0")
    with pytest.raises(CommandError, match="No framework"):
        run("delete", "nope")
