"""OWASP ZAP XML (DefectDojo's real samples) and ZAP JSON (the traditional-json report layout)."""

from __future__ import annotations

import orjson
import pytest

from ramparts.vulns.parsers import Severity, zap

from ._scans import check_counts, needs_scans, parse_bytes, parse_file

pytestmark = needs_scans

PER_INSTANCE = "one finding per alert instance (URL, param, method); DefectDojo makes one per alert"
# file, DefectDojo's count, our findings (instances), distinct fingerprints, why they differ
COUNTS = [
    ("zap/0_zap_sample.xml", 4, 12, 10, PER_INSTANCE + "; 3 Timestamp Disclosure instances on one URL merge"),
    ("zap/1_zap_sample_0_and_new_absent.xml", None, 12, 10, ""),
    ("zap/2_zap_sample_0_and_new_endpoint.xml", None, 13, 11, ""),
    ("zap/3_zap_sampl_0_and_different_severities.xml", None, 12, 10, ""),
    ("zap/dvwa_baseline_dojo.xml", 19, 124, 97, PER_INSTANCE + "; instances differing only in evidence merge"),
    ("zap/dvwa_baseline_dojo_subset.xml", None, 97, 71, ""),
    ("zap/zap-results-first-scan.xml", 15, 130, 87, PER_INSTANCE + "; instances differing only in evidence merge"),
    ("zap/zap-results-second-scan.xml", None, 126, 79, ""),
    ("zap/empty_2.9.0.xml", 0, 0, 0, ""),
]


@pytest.mark.parametrize(("rel", "defectdojo", "ours", "distinct_ours", "why"), COUNTS, ids=[c[0] for c in COUNTS])
def test_counts(rel, defectdojo, ours, distinct_ours, why):
    check_counts(rel, defectdojo, ours, distinct_ours, why)


def test_alerts_match_defectdojo_when_grouped_by_rule():
    # DefectDojo's finding = one alert item; ours grouped by alert rule gives the same numbers
    assert len({f.rule_id for f in parse_file("zap/0_zap_sample.xml")}) == 4
    assert len({f.rule_id for f in parse_file("zap/zap-results-first-scan.xml")}) == 15


def test_instance_fields():
    findings = parse_file("zap/0_zap_sample.xml")
    cookie = [f for f in findings if f.rule_id == "10011"]
    assert [(f.url, f.extra["param"]) for f in cookie] == [
        ("https://mainsite.com/dashboard", "opvc"),
        ("https://mainsite.com/dashboard", "dmid"),
        ("https://mainsite.com", "sitevisitscookie"),
    ]
    f = cookie[0]
    assert f.title == "Cookie Without Secure Flag" and f.severity is Severity.LOW
    assert f.scanner_severity == "Low (Medium)" and f.cwe == 614
    assert (f.host, f.port) == ("mainsite.com", 443)
    assert f.extra["evidence"] == "Set-Cookie: opvc" and f.extra["method"] == "GET"
    assert f.fingerprint_parts == ("10011", "https://mainsite.com/dashboard", "opvc", "GET")
    assert f.references == ("http://www.owasp.org/index.php/Testing_for_cookies_attributes_(OWASP-SM-002)",)


def test_query_values_do_not_split_a_place():
    assert zap.strip_query_values("http://h/p?id=1&x=2#frag") == "http://h/p?id&x"
    assert zap.strip_query_values("http://h/p") == "http://h/p"
    found = parse_file("zap/dvwa_baseline_dojo.xml")
    fi = [f for f in found if f.rule_id == "2" and "/fi/" in f.url]
    assert {f.url for f in fi} == {
        "http://172.17.0.2/vulnerabilities/fi/?page=file3.php",
        "http://172.17.0.2/vulnerabilities/fi/?page=file1.php",
    }
    assert len({f.fingerprint_parts for f in fi}) == 1


def test_reimport_series_new_endpoint_and_severity_change():
    base = {f.fingerprint_parts: f for f in parse_file("zap/0_zap_sample.xml")}
    new_endpoint = {f.fingerprint_parts: f for f in parse_file("zap/2_zap_sample_0_and_new_endpoint.xml")}
    assert set(base) < set(new_endpoint) and len(set(new_endpoint) - set(base)) == 1
    changed = {f.fingerprint_parts: f for f in parse_file("zap/3_zap_sampl_0_and_different_severities.xml")}
    assert set(changed) == set(base)  # a severity change keeps the identity
    assert any(changed[k].severity != base[k].severity for k in base)


ZAP_JSON = {
    "@programName": "ZAP",
    "@version": "2.14.0",
    "@generated": "Mon, 1 Jan 2024 10:00:00",
    "site": [
        {
            "@name": "https://shop.example",
            "@host": "shop.example",
            "@port": "443",
            "@ssl": "true",
            "alerts": [
                {
                    "pluginid": "40012",
                    "alertRef": "40012",
                    "alert": "Cross Site Scripting (Reflected)",
                    "name": "Cross Site Scripting (Reflected)",
                    "riskcode": "3",
                    "confidence": "2",
                    "riskdesc": "High (Medium)",
                    "desc": "<p>Cross-site Scripting (XSS) is an attack technique.</p>",
                    "instances": [
                        {"uri": "https://shop.example/search?q=%3Cscript%3E", "method": "GET", "param": "q",
                         "attack": "<script>alert(1)</script>", "evidence": "<script>alert(1)</script>"},
                        {"uri": "https://shop.example/search?q=other", "method": "GET", "param": "q",
                         "attack": "x", "evidence": "x", "otherinfo": ""},
                    ],
                    "count": "2",
                    "solution": "<p>Encode output.</p>",
                    "otherinfo": "",
                    "reference": "<p>https://owasp.org/www-community/attacks/xss/</p>",
                    "cweid": "79",
                    "wascid": "8",
                    "sourceid": "1",
                },
                {"pluginid": "10020", "alertRef": "10020-1", "name": "Missing Anti-clickjacking Header",
                 "riskcode": "2", "confidence": "0", "riskdesc": "Medium (False Positive)", "desc": "d",
                 "instances": [], "cweid": "1021"},
            ],
        }
    ],
}  # fmt: skip


def test_zap_json():
    findings = parse_bytes(orjson.dumps(ZAP_JSON), source="zap.json")
    assert len(findings) == 3
    xss = findings[0]
    assert xss.tool == "zap" and xss.severity is Severity.HIGH and xss.cwe == 79
    assert xss.url == "https://shop.example/search?q=%3Cscript%3E" and xss.extra["param"] == "q"
    assert xss.description == "Cross-site Scripting (XSS) is an attack technique."
    assert xss.references == ("https://owasp.org/www-community/attacks/xss/",)
    assert xss.mitigation == "Encode output."
    assert (
        xss.fingerprint_parts == findings[1].fingerprint_parts == ("40012", "https://shop.example/search?q", "q", "GET")
    )
    clickjack = findings[2]  # no instances: one finding on the site, confidence 0 = false positive
    assert clickjack.url == "https://shop.example" and clickjack.rule_id == "10020-1"
    assert clickjack.vex_state == "false_positive"


def test_zap_json_detection_does_not_claim_other_json():
    assert zap.sniff_json(orjson.dumps(ZAP_JSON))
    assert not zap.sniff_json(b'{"site": "x", "version": 1}')
    assert not zap.sniff_json(b"[1,2]")
