"""DORA Art. 19(4) with Delegated Regulation (EU) 2025/301 Art. 5: the earliest-of rule for the initial notification."""

import pytest

from ramparts.incidents.engine.clocks import DeadlineKind

from .helpers import deadline, t

MAJOR = {"major": True}


@pytest.mark.parametrize(
    ("aware_at", "classified_at", "due"),
    [
        # Classified 2 h after awareness: 4 h after classification is the earlier limit.
        ("2026-03-27T08:00+00:00", "2026-03-27T10:00+00:00", "2026-03-27T14:00+00:00"),
        # Classified 22 h after awareness: the 24 h after awareness limit comes first.
        ("2026-03-27T08:00+00:00", "2026-03-28T06:00+00:00", "2026-03-28T08:00+00:00"),
        # Classified 20 h after: both limits coincide.
        ("2026-03-27T08:00+00:00", "2026-03-28T04:00+00:00", "2026-03-28T08:00+00:00"),
        # Classified after the 24 h have run out: 4 h after classification (RTS Art. 5(2) reading).
        ("2026-03-27T08:00+00:00", "2026-03-28T08:01+00:00", "2026-03-28T12:01+00:00"),
        ("2026-03-27T08:00+00:00", "2026-03-29T12:00+00:00", "2026-03-29T16:00+00:00"),
        # Over the Brussels spring switch: elapsed hours.
        ("2026-03-28T12:00+01:00", "2026-03-29T01:30+01:00", "2026-03-29T06:30+02:00"),
    ],
)
def test_initial_notification_whichever_is_earlier(aware_at, classified_at, due):
    item = deadline("dora.initial", aware_at=aware_at, classified_at=classified_at, conditions=MAJOR)
    assert item.due == t(due)
    assert item.kind is DeadlineKind.DUE and not item.provisional


def test_initial_basis_names_both_limits():
    early = deadline(
        "dora.initial", aware_at="2026-03-27T08:00+00:00", classified_at="2026-03-27T10:00+00:00", conditions=MAJOR
    )
    assert early.basis.startswith("4 h after classification as major (2026-03-27 10:00 UTC)")
    assert "24 h after awareness (2026-03-27 08:00 UTC) falls later, at 2026-03-28 08:00 UTC" in early.basis
    capped = deadline(
        "dora.initial", aware_at="2026-03-27T08:00+00:00", classified_at="2026-03-28T06:00+00:00", conditions=MAJOR
    )
    assert capped.basis.startswith("24 h after awareness (2026-03-27 08:00 UTC)")
    late = deadline(
        "dora.initial", aware_at="2026-03-27T08:00+00:00", classified_at="2026-03-29T12:00+00:00", conditions=MAJOR
    )
    assert "does not apply: classification as major came later" in late.basis


def test_initial_before_classification_is_a_provisional_upper_bound():
    item = deadline("dora.initial", aware_at="2026-03-27T08:00+00:00", conditions=MAJOR)
    assert item.due == t("2026-03-28T08:00+00:00")
    assert item.provisional and item.waiting_for == ("classified_at",)
    assert "may fall earlier once classification as major (classified_at) is recorded" in item.basis


def test_initial_without_awareness_uses_classification():
    item = deadline("dora.initial", classified_at="2026-03-27T10:00+00:00", conditions=MAJOR)
    assert item.due == t("2026-03-27T14:00+00:00")
    assert item.provisional and item.waiting_for == ("aware_at",)


def test_initial_without_any_fact_waits_for_both():
    item = deadline("dora.initial", conditions=MAJOR)
    assert item.kind is DeadlineKind.WAITING
    assert item.waiting_for == ("classified_at", "aware_at")


@pytest.mark.parametrize(
    ("initial_at", "due"),
    [
        ("2026-03-27T13:30+00:00", "2026-03-30T13:30+00:00"),
        ("2026-03-27T13:30+01:00", "2026-03-30T14:30+02:00"),  # 72 elapsed hours over the switch
        ("2026-10-23T18:00+02:00", "2026-10-26T17:00+01:00"),
    ],
)
def test_intermediate_72_hours_after_the_initial_notification(initial_at, due):
    item = deadline("dora.intermediate", submitted={"dora.initial": initial_at}, conditions=MAJOR)
    assert item.due == t(due)


@pytest.mark.parametrize(
    ("intermediate_at", "due"),
    [
        ("2026-01-31T16:00+01:00", "2026-02-28T16:00+01:00"),
        ("2026-03-20T09:00+01:00", "2026-04-20T09:00+02:00"),
        ("2026-05-31T09:00+02:00", "2026-06-30T09:00+02:00"),
    ],
)
def test_final_one_month_after_the_latest_intermediate(intermediate_at, due):
    item = deadline(
        "dora.final", submitted={"dora.intermediate": intermediate_at}, conditions=MAJOR, zone="Europe/Brussels"
    )
    assert item.due == t(due)


def test_follow_up_reports_wait_for_the_previous_submission():
    intermediate = deadline("dora.intermediate", aware_at="2026-03-27T08:00+00:00", conditions=MAJOR)
    assert intermediate.kind is DeadlineKind.WAITING and intermediate.waiting_for == ("submitted:dora.initial",)
    final = deadline("dora.final", aware_at="2026-03-27T08:00+00:00", conditions=MAJOR)
    assert final.waiting_for == ("submitted:dora.intermediate",)


def test_submission_is_recorded_on_the_deadline():
    item = deadline(
        "dora.initial",
        aware_at="2026-03-27T08:00+00:00",
        classified_at="2026-03-27T10:00+00:00",
        submitted={"dora.initial": "2026-03-27T13:00+00:00"},
        conditions=MAJOR,
    )
    assert item.submitted_at == t("2026-03-27T13:00+00:00")


def test_not_major_is_not_applicable():
    item = deadline("dora.initial", aware_at="2026-03-27T08:00+00:00", conditions={"major": False})
    assert item.kind is DeadlineKind.NOT_APPLICABLE
    assert item.basis == "not applicable: not a major ICT-related incident"
