"""`ramparts policies remind` and `ramparts policies expire`."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ramparts.policies import services

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("policies", *args, stdout=out)
    return out.getvalue()


def test_remind_sends_once_and_reports_json(make_policy):
    policy = make_policy()
    day = (policy.next_review_on - dt.timedelta(days=5)).isoformat()
    sent = json.loads(run("remind", "--today", day, "--json"))
    assert sent == [{"policy": policy.ref, "due": policy.next_review_on.isoformat(), "overdue": False,
                     "recipients": ["secmgr"]}]  # fmt: skip
    assert run("remind", "--today", day).strip() == "0 review reminders sent."


def test_expire_marks_and_reports(make_policy, manager, approver):
    policy = make_policy()
    exc = services.exception_create(
        actor=manager, policy=policy.ref, business_unit="retail", title="t", justification="j",
        expires_on=dt.date.today() + dt.timedelta(days=1),
    )  # fmt: skip
    services.exception_approve(actor=approver, ref=exc.ref)
    later = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    assert f"{exc.ref} ({policy.ref}) expired" in run("expire", "--today", later)
    assert json.loads(run("expire", "--today", later, "--json")) == []


def test_bad_dates_are_refused():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("remind", "--today", "tomorrow")
