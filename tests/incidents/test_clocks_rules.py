"""The rules file: the shipped one loads and cites its sources; a broken one is refused naming the rule;
a new regime needs data only."""

import json
from datetime import UTC, datetime

import pytest

from ramparts.incidents.engine.clocks import IncidentFacts, RulesError, compute_deadlines, load_rules
from ramparts.incidents.engine.ruleset import parse_rules

from .helpers import t

SOURCES = {
    "gdpr": ["GDPR Art. 33(1)"],
    "nis2": ["NIS2 Art. 23(4)(a)", "NIS2 Art. 23(4)(b)", "NIS2 Art. 23(4)(d)"],
    "dora": ["Art. 19(4)(a)", "2025/301", "Art. 5(1)(a)"],
    "sec": ["Form 8-K Item 1.05", "17 CFR 229.106"],
    "hipaa": ["45 CFR 164.404", "45 CFR 164.408"],
    "nydfs": ["23 NYCRR 500.17(a)", "23 NYCRR 500.17(c)"],
    "circia": ["6 U.S.C. 681b(a)(1)", "6 U.S.C. 681b(a)(2)"],
}


def test_shipped_rules_load_and_cite_their_sources():
    rules = load_rules()
    assert list(rules.regimes) == ["gdpr", "nis2", "dora", "sec", "hipaa", "nydfs", "circia"]
    for key, expected in SOURCES.items():
        cited = " ".join(rule.source for rule in rules.regimes[key].rules)
        for text in expected:
            assert text in cited, (key, text)
    for regime in rules.regimes.values():
        for rule in regime.rules:
            assert rule.report and rule.source and rule.id.startswith(f"{regime.key}.")


def test_every_shipped_rule_computes_with_all_facts():
    now = t("2026-03-27T08:00+00:00")
    facts = IncidentFacts(
        **dict.fromkeys(("aware_at", "classified_at", "determined_at", "material_at", "discovered_at"), now),
        payment_at=now,
        submitted={"nis2.notification": now, "dora.initial": now, "dora.intermediate": now},
    )
    rules = load_rules()
    deadlines = compute_deadlines(facts, rules.regimes, rules)
    assert len(deadlines) == sum(len(regime.rules) for regime in rules.regimes.values()) == 17
    assert all(item.due is not None and item.due.tzinfo is UTC and item.due > now for item in deadlines)


BASE = """
calendars:
  us-federal: {country: US, zone: America/New_York}
conditions:
  flag: {label: a flag}
regimes:
  demo:
    name: Demo
    rules:
      - id: demo.report
        report: A report
        source: Demo Art. 1
        when: [flag]
        due: {DUE}
"""


def _rules(due: str = "{after: aware_at, hours: 72}", **swap: str) -> str:
    text = BASE.replace("{DUE}", due)
    for old, new in swap.items():
        text = text.replace(old, new)
    return text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (_rules("{after: spotted_at, hours: 72}"), "rule 'demo.report': unknown fact 'spotted_at'"),
        (_rules("{after: aware_at, weeks: 2}"), "rule 'demo.report' due: unknown key 'weeks'"),
        (_rules("{after: aware_at}"), "rule 'demo.report': each limit needs exactly one offset"),
        (_rules("{after: aware_at, hours: 72, days: 1}"), "exactly one offset"),
        (_rules("{after: aware_at, hours: -1}"), "hours must be a positive whole number"),
        (_rules("{after: aware_at, hours: 1.5}"), "hours must be a positive whole number"),
        (
            _rules("{after: aware_at, business_days: 4, calendar: moon}"),
            "rule 'demo.report': unknown calendar 'moon' (declared: us-federal)",
        ),
        (_rules("{after: aware_at, business_days: 4}"), "business_days needs a calendar (declared: us-federal)"),
        (_rules("{after: aware_at, days: 4, calendar: us-federal}"), "a calendar only applies to business_days"),
        (_rules("{after: aware_at, hours: 4, at: end_of_day}"), "hours are elapsed time"),
        (_rules("{after: aware_at, days: 4, at: '25:00'}"), "at must be same_time, end_of_day or HH:MM"),
        (_rules("{after: aware_at, days: 4, anchor: end_of_month}"), "unknown anchor 'end_of_month'"),
        (_rules("{after: aware_at, days: 4, anchor: end_of_year}"), "anchor end_of_year needs at"),
        (_rules("{after: aware_at, days: 4, zone: Mars/Olympus}"), "unknown time zone 'Mars/Olympus'"),
        (_rules("{after: submitted:demo.other, hours: 1}"), "'submitted:demo.other' does not name another rule"),
        (_rules("{after: aware_at, hours: 1, applies_if_before: classified_at}"), "needs another limit"),
        (_rules(**{"when: [flag]": "when: [flagg]"}), "unknown condition 'flagg' in when"),
        (_rules(**{"id: demo.report": "id: other.report"}), "the id must start with the regime key, 'demo.'"),
        (_rules(**{"country: US": "country: XX"}), "calendar 'us-federal': the holidays package refuses it"),
        (_rules(**{"zone: America/New_York": "zone: Nowhere"}), "calendar 'us-federal': unknown time zone"),
        (_rules(**{"        source: Demo Art. 1\n": ""}), "rule 'demo.report': missing source"),
        (_rules(**{"label: a flag": "label: a flag, implied_by: seen_at"}), "condition 'flag': implied_by"),
        ("regimes: [1, 2]", "regimes: expected a mapping"),
        ("regimes: {demo: {name: x, rules: [}", "not valid YAML/JSON"),
        ("regimes: {}", "no regimes"),
    ],
)
def test_invalid_rules_are_refused_with_the_rule_named(text, message):
    with pytest.raises(RulesError) as error:
        parse_rules(text)
    assert message in str(error.value)


def test_duplicate_rule_ids_are_refused():
    extra = "      - id: demo.report\n        report: X\n        source: Y\n        due: {after: aware_at, hours: 1}\n"
    text = _rules().replace("      - id: demo.report", extra + "      - id: demo.report", 1)
    with pytest.raises(RulesError, match="'demo.report': the id is used twice"):
        parse_rules(text)


def test_a_new_regime_needs_data_only(tmp_path):
    # UK GDPR (ICO, 72 h) and a German 3-business-day rule on the Berlin calendar: no code involved.
    spec = {
        "calendars": {"de-berlin": {"label": "Berlin", "country": "DE", "subdiv": "BE", "zone": "Europe/Berlin"}},
        "conditions": {"personal_data": {"label": "personal-data breach"}},
        "regimes": {
            "ukgdpr": {
                "name": "UK GDPR",
                "rules": [
                    {
                        "id": "ukgdpr.ico",
                        "report": "Report to the ICO",
                        "source": "UK GDPR Art. 33(1)",
                        "when": ["personal_data"],
                        "due": {"after": "aware_at", "hours": 72},
                    },
                    {
                        "id": "ukgdpr.demo_business_days",
                        "report": "Demo business-day report",
                        "source": "Demo",
                        "due": {"after": "aware_at", "business_days": 3, "calendar": "de-berlin", "at": "end_of_day"},
                    },
                ],
            }
        },
    }
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(spec))
    rules = load_rules(path)
    facts = IncidentFacts(aware_at=datetime(2026, 12, 23, 9, tzinfo=UTC))
    ico, business = compute_deadlines(facts, ["ukgdpr"], rules)
    assert ico.due == datetime(2026, 12, 26, 9, tzinfo=UTC) and ico.source == "UK GDPR Art. 33(1)"
    # Wed 23 Dec: Thu 24 (1), Christmas 25 and 26 Dec skipped, weekend skipped, Mon 28 (2), Tue 29 (3).
    assert business.due == t("2026-12-29T23:59:59+01:00")
    assert "Berlin business days" in business.basis


def test_unreadable_rules_file(tmp_path):
    with pytest.raises(RulesError, match="cannot read rules file"):
        load_rules(tmp_path / "missing.yaml")


def test_unknown_regime_condition_or_report_is_an_error():
    facts = IncidentFacts(aware_at=t("2026-03-27T08:00+00:00"))
    with pytest.raises(RulesError, match="unknown regime 'ccpa'"):
        compute_deadlines(facts, ["gdpr", "ccpa"])
    with pytest.raises(RulesError, match="unknown condition 'personal'"):
        compute_deadlines(IncidentFacts(conditions={"personal": True}), ["gdpr"])
    with pytest.raises(RulesError, match="unknown report 'nis2.finale'"):
        compute_deadlines(IncidentFacts(submitted={"nis2.finale": t("2026-03-27T08:00+00:00")}), ["nis2"])


def test_unknown_organisation_zone_is_an_error():
    with pytest.raises(ValueError, match="unknown time zone 'Europe/Bruxelles'"):
        compute_deadlines(IncidentFacts(), ["gdpr"], zone="Europe/Bruxelles")


def test_naive_times_are_refused_by_the_engine():
    with pytest.raises(ValueError, match="aware_at must be a timezone-aware datetime"):
        IncidentFacts(aware_at=datetime(2026, 3, 27, 8))
    with pytest.raises(ValueError, match="submitted:dora.initial must be a timezone-aware"):
        IncidentFacts(submitted={"dora.initial": datetime(2026, 3, 27, 8)})


def test_regimes_are_returned_in_the_order_asked_once_each():
    facts = IncidentFacts(aware_at=t("2026-03-27T08:00+00:00"))
    regimes = [item.regime for item in compute_deadlines(facts, ["circia", "gdpr", "circia"])]
    assert regimes == ["circia", "circia", "gdpr"]
