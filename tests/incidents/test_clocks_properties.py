"""Properties over many instants (hypothesis), and wall-clock times that a clock change skips or repeats."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from ramparts.incidents.engine.clocks import IncidentFacts, add_months, compute_deadlines, load_rules

from .helpers import deadline, t

NEW_YORK = ZoneInfo("America/New_York")
ZONES = st.sampled_from(["UTC", "Europe/Brussels", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"])
INSTANTS = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2029, 12, 31), timezones=st.just(UTC))


@settings(max_examples=300, deadline=None)
@given(aware_at=INSTANTS, zone=ZONES)
def test_hour_clocks_are_exact_elapsed_time_in_any_zone(aware_at, zone):
    facts = IncidentFacts(aware_at=aware_at.astimezone(ZoneInfo(zone)), payment_at=aware_at, determined_at=aware_at)
    for item in compute_deadlines(facts, ["gdpr", "nis2", "nydfs", "circia"], zone=zone):
        if item.due is None:
            continue
        hours = {"nis2.early_warning": 24, "nydfs.extortion_notice": 24, "circia.ransom_payment": 24}.get(
            item.rule_id, 72
        )
        if item.rule_id == "nydfs.extortion_explanation":
            continue
        assert item.due - aware_at == timedelta(hours=hours), item.rule_id


@settings(max_examples=300, deadline=None)
@given(material_at=INSTANTS)
def test_sec_due_is_1730_eastern_on_the_fourth_business_day(material_at):
    item = deadline("sec.8k_item_1_05", material_at=material_at.isoformat())
    calendar = load_rules().calendars["us-federal"]
    local_due = item.due.astimezone(NEW_YORK)
    assert local_due.strftime("%H:%M") == "17:30"
    assert calendar.is_business_day(local_due.date())
    start = material_at.astimezone(NEW_YORK).date()
    between = [start + timedelta(days=n) for n in range(1, (local_due.date() - start).days + 1)]
    assert sum(calendar.is_business_day(day) for day in between) == 4


@settings(max_examples=300, deadline=None)
@given(day=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)), months=st.integers(1, 24))
def test_add_months_keeps_the_day_or_clamps_to_the_month_end(day, months):
    result = add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day == day.day or (result.day < day.day and (result + timedelta(days=1)).day == 1)


def test_a_wall_clock_time_skipped_by_the_spring_switch_resolves_to_the_earlier_reading():
    # 30 days after 2026-02-27 02:30 CET is 2026-03-29 02:30, which Brussels skips (02:00 -> 03:00).
    item = deadline("nydfs.extortion_explanation", payment_at="2026-02-27T02:30+01:00", zone="Europe/Brussels")
    assert item.due == t("2026-03-29T01:30+01:00")


def test_a_wall_clock_time_repeated_by_the_autumn_switch_resolves_to_its_first_occurrence():
    # 30 days after 2026-09-25 02:30 CEST is 2026-10-25 02:30, which Brussels lives twice.
    item = deadline("nydfs.extortion_explanation", payment_at="2026-09-25T02:30+02:00", zone="Europe/Brussels")
    assert item.due == t("2026-10-25T02:30+02:00")
