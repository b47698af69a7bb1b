from io import StringIO

import pytest
from django.core.management import call_command

from ramparts.core.management.commands.housekeeping import JOBS

pytestmark = pytest.mark.django_db


def test_housekeeping_runs_every_job_and_can_run_again():
    first, second = StringIO(), StringIO()
    call_command("housekeeping", stdout=first)
    call_command("housekeeping", stdout=second)
    for label, _ in JOBS:
        assert f"· {label}" in first.getvalue()
        assert f"· {label}" in second.getvalue()


def test_every_job_is_a_command_of_the_cli():
    from ramparts.cli import COMMANDS

    assert "housekeeping" in COMMANDS
    for _, (command, *_rest) in JOBS:
        assert command in COMMANDS
