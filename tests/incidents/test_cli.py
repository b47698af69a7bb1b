"""`ramparts incidents clocks`: JSON and table output, time parsing and refusals."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ramparts import cli


def clocks(*args: str) -> str:
    out = StringIO()
    call_command("incidents", "clocks", *args, stdout=out)
    return out.getvalue()


def clocks_json(*args: str) -> list[dict]:
    return json.loads(clocks(*args, "--json"))


def test_json_shape_for_the_issue_example():
    rows = clocks_json("--aware-at", "2026-03-28T10:00Z", "--regimes", "gdpr")
    assert rows == [
        {
            "regime": "gdpr",
            "report": "Notification to the supervisory authority",
            "due": "2026-03-31T10:00:00+00:00",
            "source": "GDPR Art. 33(1)",
            "basis": "72 h after awareness (2026-03-28 10:00 UTC) (assuming: personal-data breach)",
            "rule": "gdpr.authority",
            "state": rows[0]["state"],
            "waiting_for": [],
            "assumed": ["personal_data"],
            "provisional": False,
        }
    ]


def test_every_regime_by_default_with_due_in_iso_8601_with_offset():
    rows = clocks_json(
        "--aware-at",
        "2026-11-25T14:00-05:00",
        "--determined-at",
        "2026-11-25T14:00-05:00",
        "--now",
        "2026-11-25T20:00Z",
    )
    assert {row["regime"] for row in rows} == {"gdpr", "nis2", "dora", "sec", "hipaa", "nydfs", "circia"}
    by_rule = {row["rule"]: row for row in rows}
    assert by_rule["sec.8k_item_1_05"]["due"] == "2026-12-02T22:30:00+00:00"
    assert by_rule["nydfs.incident"]["due"] == "2026-11-28T19:00:00+00:00"
    assert by_rule["nis2.early_warning"]["state"] == "due soon"
    assert by_rule["hipaa.individuals"]["due"] is None
    assert by_rule["hipaa.individuals"]["state"] == "waiting"
    assert by_rule["hipaa.individuals"]["waiting_for"] == ["discovered_at"]


def test_tz_shows_due_times_in_that_zone_and_reads_naive_input():
    rows = clocks_json("--aware-at", "2026-03-27T10:00", "--tz", "Europe/Brussels", "--regimes", "gdpr")
    assert rows[0]["due"] == "2026-03-30T11:00:00+02:00"


def test_dora_earliest_of_through_the_cli():
    rows = clocks_json(
        "--aware-at", "2026-03-27T08:00Z", "--classified-at", "2026-03-28T06:00Z", "--regimes", "dora", "--yes", "major"
    )
    assert rows[0]["due"] == "2026-03-28T08:00:00+00:00" and rows[0]["assumed"] == []
    assert rows[1]["state"] == "waiting"


def test_submissions_conditions_and_payments():
    rows = clocks_json(
        "--aware-at", "2026-03-27T08:00Z",
        "--payment-at", "2026-03-28T08:00Z",
        "--submitted", "nis2.notification=2026-03-30T08:00Z",
        "--yes", "significant",
        "--no", "covered_cyber_incident",
        "--regimes", "nis2,circia",
        "--tz", "Europe/Brussels",
    )  # fmt: skip
    by_rule = {row["rule"]: row for row in rows}
    assert by_rule["nis2.final"]["due"] == "2026-04-30T10:00:00+02:00"
    assert by_rule["nis2.notification"]["state"] == "submitted"
    assert by_rule["circia.incident"]["state"] == "not applicable"
    assert by_rule["circia.ransom_payment"]["due"] == "2026-03-29T10:00:00+02:00"


def test_table_output():
    text = clocks("--aware-at", "2026-03-28T10:00Z", "--regimes", "gdpr,dora", "--now", "2026-03-28T11:00Z")
    lines = text.splitlines()
    assert lines[0].split() == ["REGIME", "REPORT", "DUE", "(UTC)", "STATUS", "SOURCE"]
    assert "2026-03-31 10:00 UTC" in text and "upcoming" in text and "GDPR Art. 33(1)" in text
    assert "2026-03-29 10:00 UTC (at the latest)" in text
    assert "└ 72 h after awareness (2026-03-28 10:00 UTC)" in text
    assert "waiting" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--aware-at", "2026-03-28T10:00"], "--aware-at 2026-03-28T10:00: no UTC offset"),
        (["--aware-at", "2026-03-28T10:00Z", "--classified-at", "2026-03-28 11:00"], "--classified-at"),
        (["--aware-at", "yesterday"], "not an ISO 8601 time"),
        (["--aware-at", "2026-03-29T02:30", "--tz", "Europe/Brussels"], "does not exist (clocks go forward)"),
        (["--aware-at", "2026-10-25T02:30", "--tz", "Europe/Brussels"], "occurs twice (clocks go back)"),
        (["--aware-at", "2026-03-28T10:00Z", "--tz", "Europe/Bruxelles"], "unknown time zone"),
        (["--aware-at", "2026-03-28T10:00Z", "--regimes", "gdpr,ccpa"], "unknown regime 'ccpa'"),
        (["--aware-at", "2026-03-28T10:00Z", "--yes", "personal"], "unknown condition 'personal'"),
        (["--aware-at", "2026-03-28T10:00Z", "--yes", "major", "--no", "major"], "both --yes and --no"),
        (["--aware-at", "2026-03-28T10:00Z", "--submitted", "nis2.notification"], "expected RULE=T"),
        (["--aware-at", "2026-03-28T10:00Z", "--submitted", "nis2.x=2026-03-28T10:00Z"], "unknown report 'nis2.x'"),
        (["--aware-at", "2026-03-28T10:00Z", "--rules", "/nonexistent/rules.yaml"], "cannot read rules file"),
    ],
)
def test_refusals_are_clear(args, message):
    with pytest.raises(CommandError) as error:
        clocks(*args)
    assert message in str(error.value)


def test_naive_input_message_says_how_to_fix_it():
    with pytest.raises(CommandError) as error:
        clocks("--aware-at", "2026-03-28T10:00")
    assert "Add one (e.g. 2026-03-28T10:00+01:00 or Z) or say which zone it is in with --tz" in str(error.value)


def test_custom_rules_file(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text(
        "regimes:\n  ico:\n    name: UK GDPR\n    rules:\n"
        "      - {id: ico.report, report: ICO report, source: UK GDPR Art. 33(1), due: {after: aware_at, hours: 72}}\n"
    )
    rows = clocks_json("--aware-at", "2026-03-28T10:00Z", "--rules", str(path))
    assert [(row["regime"], row["due"]) for row in rows] == [("ico", "2026-03-31T10:00:00+00:00")]


def test_console_script(capsys):
    assert cli.main(["incidents", "clocks", "--aware-at", "2026-03-28T10:00Z", "--regimes", "gdpr", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["due"] == "2026-03-31T10:00:00+00:00"
    assert cli.main(["incidents", "clocks", "--aware-at", "2026-03-28T10:00"]) == 1
    assert "no UTC offset" in capsys.readouterr().err
    assert cli.main(["--help"]) == 0
    assert "incidents" in capsys.readouterr().out
