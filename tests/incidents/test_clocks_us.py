"""SEC 8-K Item 1.05 (US federal business days), HIPAA, NYDFS 500.17 and CIRCIA, date by date."""

from zoneinfo import ZoneInfo

import pytest

from ramparts.incidents.engine.clocks import DeadlineKind

from .helpers import deadline, t

NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("material_at", "due"),
    [
        # Wed before Thanksgiving (Thu 2026-11-26): Fri 27, Mon 30, Tue 1, Wed 2 December.
        ("2026-11-25T14:00-05:00", "2026-12-02T17:30-05:00"),
        # Thanksgiving 2027 (Thu 25 Nov): Fri 26, Mon 29, Tue 30, Wed 1 December.
        ("2027-11-24T09:00-05:00", "2027-12-01T17:30-05:00"),
        # Christmas on Friday 2026-12-25; Christmas Eve is a business day.
        ("2026-12-22T11:00-05:00", "2026-12-29T17:30-05:00"),
        # Independence Day observed on Friday 2026-07-03 (4 July is a Saturday).
        ("2026-06-30T10:00-04:00", "2026-07-07T17:30-04:00"),
        # Independence Day observed on Monday 2027-07-05 (4 July is a Sunday).
        ("2027-06-30T10:00-04:00", "2027-07-07T17:30-04:00"),
        # Juneteenth on Friday 2026-06-19.
        ("2026-06-15T10:00-04:00", "2026-06-22T17:30-04:00"),
        # New Year's Day 2028 (a Saturday) observed on Friday 2027-12-31.
        ("2027-12-28T10:00-05:00", "2028-01-04T17:30-05:00"),
        # Determined on a Friday: the weekend is skipped. The count crosses the 8 March switch to EDT.
        ("2026-03-06T16:00-05:00", "2026-03-12T17:30-04:00"),
        # Determined on a Saturday: the count starts on (and includes) Monday, General Instruction B.1.
        ("2026-03-07T10:00-05:00", "2026-03-12T17:30-04:00"),
        # Determined on a Sunday before a Monday holiday (MLK Day 2026-01-19).
        ("2026-01-18T10:00-05:00", "2026-01-23T17:30-05:00"),
        # Ordinary week: Monday -> Friday.
        ("2026-04-13T08:00-04:00", "2026-04-17T17:30-04:00"),
        # Late evening: the determination day is Eastern (Thursday 12 March), not UTC (already Friday).
        ("2026-03-13T02:00+00:00", "2026-03-18T17:30-04:00"),
    ],
)
def test_sec_four_business_days_ending_1730_eastern(material_at, due):
    item = deadline("sec.8k_item_1_05", material_at=material_at)
    assert item.due == t(due)
    assert item.due.astimezone(NEW_YORK).strftime("%H:%M") == "17:30"


def test_sec_basis_lists_the_holidays_skipped():
    item = deadline("sec.8k_item_1_05", material_at="2026-11-25T14:00-05:00")
    assert item.basis.startswith("4 US federal business days after materiality determination (2026-11-25 19:00 UTC)")
    assert "2026-12-02 17:30 EST" in item.basis
    assert "skipping Thanksgiving Day 2026-11-26" in item.basis
    assert "17 CFR 229.106" in item.source and "Item 1.05" in item.source


def test_sec_ignores_the_organisation_zone():
    here = deadline("sec.8k_item_1_05", material_at="2026-11-25T14:00-05:00", zone="Europe/Brussels")
    assert here.due == t("2026-12-02T17:30-05:00")


def test_sec_materiality_time_wins_over_the_incident_determination():
    item = deadline("sec.8k_item_1_05", determined_at="2026-11-02T10:00-05:00", material_at="2026-11-25T14:00-05:00")
    assert item.due == t("2026-12-02T17:30-05:00")


def test_sec_falls_back_on_the_incident_determination_and_says_so():
    item = deadline("sec.8k_item_1_05", determined_at="2026-11-25T14:00-05:00")
    assert item.due == t("2026-12-02T17:30-05:00")
    assert "taken as the determination of a cybersecurity incident (no material_at recorded)" in item.basis


def test_sec_waits_for_a_determination():
    item = deadline("sec.8k_item_1_05", aware_at="2026-11-25T14:00-05:00")
    assert item.kind is DeadlineKind.WAITING and item.waiting_for == ("material_at",)


PHI = {"phi_breach": True}


@pytest.mark.parametrize(
    ("discovered_at", "due"),
    [
        ("2026-03-01T09:00-05:00", "2026-04-30T23:59:59-04:00"),  # EST discovery, EDT deadline
        ("2026-01-15T09:00-05:00", "2026-03-16T23:59:59-04:00"),
        ("2028-01-15T09:00-05:00", "2028-03-15T23:59:59-04:00"),  # 29 Feb 2028 counts
        ("2026-10-01T09:00-04:00", "2026-11-30T23:59:59-05:00"),
        # 03:00 UTC on 2 March is still 1 March in New York: the day of discovery is the local one.
        ("2026-03-02T03:00+00:00", "2026-04-30T23:59:59-04:00"),
    ],
)
def test_hipaa_60_calendar_days_to_the_end_of_the_day(discovered_at, due):
    item = deadline("hipaa.individuals", discovered_at=discovered_at, conditions=PHI, zone="America/New_York")
    assert item.due == t(due)


def test_hipaa_large_breach_goes_to_hhs_and_media_small_one_to_the_annual_log():
    large = {"phi_breach": True, "over_500": True, "over_500_in_state": True}
    at = "2026-05-10T12:00-04:00"
    zone = "America/New_York"
    assert deadline("hipaa.hhs", discovered_at=at, conditions=large, zone=zone).due == t("2026-07-09T23:59:59-04:00")
    assert deadline("hipaa.media", discovered_at=at, conditions=large, zone=zone).due == t("2026-07-09T23:59:59-04:00")
    annual = deadline("hipaa.hhs_annual", discovered_at=at, conditions=large, zone=zone)
    assert (
        annual.kind is DeadlineKind.NOT_APPLICABLE
        and annual.basis == "not applicable: 500 or more individuals affected"
    )
    small = {"phi_breach": True, "over_500": False, "over_500_in_state": False}
    assert deadline("hipaa.hhs", discovered_at=at, conditions=small).kind is DeadlineKind.NOT_APPLICABLE
    annual = deadline("hipaa.hhs_annual", discovered_at=at, conditions=small, zone=zone)
    assert annual.due == t("2027-03-01T23:59:59-05:00")  # 60 days after the end of 2026
    assert "after the end of the calendar year of discovery" in annual.basis


def test_hipaa_annual_log_in_a_leap_year():
    small = {"phi_breach": True, "over_500": False}
    assert deadline("hipaa.hhs_annual", discovered_at="2027-07-01T12:00+00:00", conditions=small).due == t(
        "2028-02-29T23:59:59+00:00"
    )


@pytest.mark.parametrize(
    ("rule", "facts", "due"),
    [
        ("nydfs.incident", {"determined_at": "2026-03-06T10:00-05:00"}, "2026-03-09T11:00-04:00"),
        ("nydfs.incident", {"determined_at": "2026-10-30T18:00-04:00"}, "2026-11-02T17:00-05:00"),
        # 24 h after an extortion payment, across the spring switch: 21:00 EDT, not 20:00.
        ("nydfs.extortion_notice", {"payment_at": "2026-03-07T20:00-05:00"}, "2026-03-08T21:00-04:00"),
        # 30 days after the payment: dates in the organisation's zone, same wall-clock time.
        ("nydfs.extortion_explanation", {"payment_at": "2026-03-07T20:00-05:00"}, "2026-04-06T20:00-04:00"),
    ],
)
def test_nydfs(rule, facts, due):
    assert deadline(rule, zone="America/New_York", **facts).due == t(due)


def test_nydfs_payment_clock_of_24_hours_can_fall_before_the_72_hour_one():
    facts = {"determined_at": "2026-05-01T09:00+00:00", "payment_at": "2026-05-02T09:00+00:00"}
    incident = deadline("nydfs.incident", **facts)
    payment = deadline("nydfs.extortion_notice", **facts)
    assert incident.due == t("2026-05-04T09:00+00:00")
    assert payment.due == t("2026-05-03T09:00+00:00")
    assert payment.due < incident.due
    assert payment.assumed == ()  # a recorded payment establishes the condition


def test_payment_clocks_wait_or_do_not_apply():
    waiting = deadline("nydfs.extortion_notice", determined_at="2026-05-01T09:00+00:00")
    assert waiting.kind is DeadlineKind.WAITING and waiting.waiting_for == ("payment_at",)
    no_payment = {"ransom_payment": False}
    for rule in ("nydfs.extortion_notice", "nydfs.extortion_explanation", "circia.ransom_payment"):
        assert deadline(rule, conditions=no_payment).kind is DeadlineKind.NOT_APPLICABLE


@pytest.mark.parametrize(
    ("rule", "facts", "due"),
    [
        ("circia.incident", {"aware_at": "2026-04-01T12:00+00:00"}, "2026-04-04T12:00+00:00"),
        # 00:30 EDT on the night clocks go back: 72 h later is 23:30 EST, three calendar days on.
        ("circia.incident", {"aware_at": "2026-11-01T00:30-04:00"}, "2026-11-03T23:30-05:00"),
        ("circia.ransom_payment", {"payment_at": "2026-04-01T12:00+00:00"}, "2026-04-02T12:00+00:00"),
        ("circia.ransom_payment", {"payment_at": "2026-03-07T23:00-05:00"}, "2026-03-09T00:00-04:00"),
    ],
)
def test_circia(rule, facts, due):
    assert deadline(rule, **facts).due == t(due)


def test_circia_ransom_payment_applies_even_if_not_a_covered_incident():
    facts = {"aware_at": "2026-04-01T12:00+00:00", "payment_at": "2026-04-01T18:00+00:00"}
    conditions = {"covered_cyber_incident": False}
    assert deadline("circia.incident", conditions=conditions, **facts).kind is DeadlineKind.NOT_APPLICABLE
    assert deadline("circia.ransom_payment", conditions=conditions, **facts).due == t("2026-04-02T18:00+00:00")
    assert deadline("circia.incident", **facts).assumed == ("covered_cyber_incident",)
