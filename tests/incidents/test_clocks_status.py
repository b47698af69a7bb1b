"""status(): upcoming, due soon with an escalation level, late, and settled states, for the later UI."""

from datetime import timedelta

import pytest

from ramparts.incidents.engine.clocks import ClockState, Deadline, DeadlineKind, status

from .helpers import t

DUE = t("2026-03-31T10:00+00:00")


def _deadline(**extra) -> Deadline:
    fields = {"regime": "gdpr", "report": "Notification", "due": DUE, "source": "GDPR Art. 33(1)", "basis": "72 h"}
    return Deadline(**(fields | extra))


@pytest.mark.parametrize(
    ("before_due", "state", "level"),
    [
        (timedelta(days=3), ClockState.UPCOMING, 0),
        (timedelta(hours=24, seconds=1), ClockState.UPCOMING, 0),
        (timedelta(hours=24), ClockState.DUE_SOON, 1),
        (timedelta(hours=3), ClockState.DUE_SOON, 2),
        (timedelta(minutes=30), ClockState.DUE_SOON, 3),
        (timedelta(0), ClockState.DUE_SOON, 3),
        (timedelta(seconds=-1), ClockState.LATE, 4),
        (timedelta(days=-10), ClockState.LATE, 4),
    ],
)
def test_states_and_escalation_levels(before_due, state, level):
    result = status(_deadline(), DUE - before_due)
    assert (result.state, result.level) == (state, level)
    assert result.remaining == before_due


def test_custom_warning_thresholds_in_any_order():
    warn_at = (timedelta(hours=2), timedelta(hours=48))
    assert status(_deadline(), DUE - timedelta(hours=30), warn_at).level == 1
    assert status(_deadline(), DUE - timedelta(hours=1), warn_at).level == 2
    assert status(_deadline(), DUE + timedelta(hours=1), warn_at).level == 3


def test_now_in_another_zone_is_the_same_instant():
    assert status(_deadline(), t("2026-03-31T12:30+02:00")).state is ClockState.LATE


def test_submitted_on_time_or_late():
    assert status(_deadline(submitted_at=DUE), DUE + timedelta(days=5)).state is ClockState.SUBMITTED
    late = _deadline(submitted_at=DUE + timedelta(minutes=1))
    assert status(late, DUE + timedelta(days=5)).state is ClockState.SUBMITTED_LATE


def test_waiting_and_not_applicable():
    waiting = _deadline(due=None, kind=DeadlineKind.WAITING, waiting_for=("aware_at",))
    assert status(waiting, DUE).state is ClockState.WAITING
    not_applicable = _deadline(due=None, kind=DeadlineKind.NOT_APPLICABLE)
    assert status(not_applicable, DUE).state is ClockState.NOT_APPLICABLE


def test_provisional_deadline_still_goes_late():
    provisional = _deadline(provisional=True, waiting_for=("classified_at",))
    assert status(provisional, DUE + timedelta(minutes=1)).state is ClockState.LATE


def test_naive_now_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        status(_deadline(), DUE.replace(tzinfo=None))
