"""GDPR Art. 33 and NIS2 Art. 23, date by date. Hours are elapsed time; months are calendar months."""

from zoneinfo import ZoneInfo

import pytest

from ramparts.incidents.engine.clocks import DeadlineKind

from .helpers import deadline, t

BRUSSELS = ZoneInfo("Europe/Brussels")
NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("aware_at", "due"),
    [
        ("2026-03-28T10:00+00:00", "2026-03-31T10:00+00:00"),
        # Brussels, spring forward on 2026-03-29: 72 elapsed hours end at 11:00 CEST, not 10:00.
        ("2026-03-27T10:00+01:00", "2026-03-30T11:00+02:00"),
        # Brussels, fall back on 2026-10-25: 72 elapsed hours end at 09:00 CET.
        ("2026-10-23T10:00+02:00", "2026-10-26T09:00+01:00"),
        # New York, spring forward on 2026-03-08 and fall back on 2026-11-01.
        ("2026-03-06T10:00-05:00", "2026-03-09T11:00-04:00"),
        ("2026-10-30T10:00-04:00", "2026-11-02T09:00-05:00"),
        ("2026-12-30T22:00+00:00", "2027-01-02T22:00+00:00"),  # over the year end
        ("2028-02-27T12:00+00:00", "2028-03-01T12:00+00:00"),  # over a leap day
        ("2026-06-30T23:59:30+00:00", "2026-07-03T23:59:30+00:00"),  # seconds kept
    ],
)
def test_gdpr_72_hours_of_elapsed_time(aware_at, due):
    item = deadline("gdpr.authority", aware_at=aware_at, conditions={"personal_data": True})
    assert item.due == t(due)
    assert item.due.tzinfo is not None and item.due.utcoffset().total_seconds() == 0
    assert item.kind is DeadlineKind.DUE and item.assumed == ()


def test_gdpr_wall_clock_hour_moves_across_the_switch():
    before = deadline("gdpr.authority", aware_at="2026-03-27T10:00+01:00")
    assert before.due.astimezone(BRUSSELS).hour == 11
    autumn = deadline("gdpr.authority", aware_at="2026-10-30T10:00-04:00")
    assert autumn.due.astimezone(NEW_YORK).hour == 9


def test_gdpr_same_instant_in_any_offset_gives_the_same_deadline():
    utc = deadline("gdpr.authority", aware_at="2026-03-28T10:00+00:00").due
    assert deadline("gdpr.authority", aware_at="2026-03-28T11:00+01:00").due == utc
    assert deadline("gdpr.authority", aware_at="2026-03-28T05:30-04:30").due == utc
    assert deadline("gdpr.authority", aware_at="2026-03-28T10:00+00:00", zone="Asia/Tokyo").due == utc


def test_gdpr_basis_and_source():
    item = deadline("gdpr.authority", aware_at="2026-03-28T10:00+00:00", conditions={"personal_data": True})
    assert item.basis == "72 h after awareness (2026-03-28 10:00 UTC)"
    assert item.source == "GDPR Art. 33(1)"
    assert item.regime == "gdpr" and item.report == "Notification to the supervisory authority"


def test_gdpr_condition_unknown_is_assumed_false_is_not_applicable():
    unknown = deadline("gdpr.authority", aware_at="2026-03-28T10:00+00:00")
    assert unknown.due == t("2026-03-31T10:00+00:00")
    assert unknown.assumed == ("personal_data",)
    assert "assuming: personal-data breach" in unknown.basis
    ruled_out = deadline("gdpr.authority", aware_at="2026-03-28T10:00+00:00", conditions={"personal_data": False})
    assert ruled_out.kind is DeadlineKind.NOT_APPLICABLE and ruled_out.due is None
    assert ruled_out.basis == "not applicable: not a personal-data breach"


def test_gdpr_without_awareness_waits_rather_than_disappearing():
    item = deadline("gdpr.authority", discovered_at="2026-03-28T10:00+00:00")
    assert item.kind is DeadlineKind.WAITING and item.due is None
    assert item.waiting_for == ("aware_at",)
    assert item.basis.startswith("waiting for awareness (aware_at)")


@pytest.mark.parametrize(
    ("rule", "aware_at", "due"),
    [
        ("nis2.early_warning", "2026-03-28T10:00+00:00", "2026-03-29T10:00+00:00"),
        # 23:30 CET on the eve of the switch: 24 h later is 00:30 CEST two calendar days on.
        ("nis2.early_warning", "2026-03-28T23:30+01:00", "2026-03-30T00:30+02:00"),
        ("nis2.early_warning", "2026-10-24T12:00+02:00", "2026-10-25T11:00+01:00"),
        ("nis2.notification", "2026-03-28T10:00+00:00", "2026-03-31T10:00+00:00"),
        ("nis2.notification", "2026-10-24T12:00+02:00", "2026-10-27T11:00+01:00"),
    ],
)
def test_nis2_early_warning_and_notification(rule, aware_at, due):
    item = deadline(rule, aware_at=aware_at, conditions={"significant": True}, zone="Europe/Brussels")
    assert item.due == t(due)


@pytest.mark.parametrize(
    ("notified_at", "due"),
    [
        ("2026-03-10T14:00+01:00", "2026-04-10T14:00+02:00"),  # same wall-clock time, over the switch
        ("2026-01-31T10:00+01:00", "2026-02-28T10:00+01:00"),  # 31 Jan + 1 month clamps to 28 Feb
        ("2028-01-31T10:00+01:00", "2028-02-29T10:00+01:00"),  # ... and to 29 Feb in a leap year
        ("2026-03-31T10:00+02:00", "2026-04-30T10:00+02:00"),  # 31 Mar -> 30 Apr
        ("2026-08-31T09:15+02:00", "2026-09-30T09:15+02:00"),
        ("2026-12-31T10:00+01:00", "2027-01-31T10:00+01:00"),  # over the year end
        ("2026-02-28T10:00+01:00", "2026-03-28T10:00+01:00"),  # 28 Feb -> 28 Mar, not the month end
        ("2026-09-27T10:00+02:00", "2026-10-27T10:00+01:00"),
    ],
)
def test_nis2_final_report_one_calendar_month_after_the_notification(notified_at, due):
    item = deadline(
        "nis2.final",
        aware_at="2026-01-01T00:00+00:00",
        submitted={"nis2.notification": notified_at},
        conditions={"significant": True},
        zone="Europe/Brussels",
    )
    assert item.due == t(due)
    assert "1 month after submission of the incident notification" in item.basis


def test_nis2_final_counts_dates_in_the_organisation_zone():
    # 23:30 UTC on 30 January is already 31 January in Brussels: the month ends on different days.
    submitted = {"nis2.notification": "2026-01-30T23:30+00:00"}
    utc = deadline("nis2.final", submitted=submitted, zone="UTC")
    brussels = deadline("nis2.final", submitted=submitted, zone="Europe/Brussels")
    assert utc.due == t("2026-02-28T23:30+00:00")
    assert brussels.due == t("2026-02-28T00:30+01:00")


def test_nis2_final_waits_for_the_notification():
    item = deadline("nis2.final", aware_at="2026-03-28T10:00+00:00", conditions={"significant": True})
    assert item.kind is DeadlineKind.WAITING
    assert item.waiting_for == ("submitted:nis2.notification",)
    assert "submission of the incident notification" in item.basis


def test_nis2_not_significant_makes_every_report_not_applicable():
    for rule in ("nis2.early_warning", "nis2.notification", "nis2.final"):
        item = deadline(rule, aware_at="2026-03-28T10:00+00:00", conditions={"significant": False})
        assert item.kind is DeadlineKind.NOT_APPLICABLE, rule
