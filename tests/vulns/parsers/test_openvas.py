"""OpenVAS/Greenbone XML and CSV parsers on DefectDojo's real OpenVAS samples."""

from __future__ import annotations

import io

import pytest

from ramparts.vulns.parsers import ParseError, Severity, openvas_csv, openvas_xml

from ._scans import by_rule, check_counts, needs_scans, parse_bytes, parse_file

pytestmark = needs_scans

# file, DefectDojo's count, our findings, our distinct fingerprints, why they differ
COUNTS = [
    ("openvas/many_vuln.xml", 44, 44, 44, ""),
    ("openvas/one_vuln.xml", 1, 1, 1, ""),
    ("openvas/no_vuln.xml", 0, 0, 0, ""),
    ("openvas/many_vuln.csv", 4, 4, 4, ""),
    ("openvas/report_using_CVE.csv", 43, 43, 43, ""),
]


@pytest.mark.parametrize(("rel", "defectdojo", "ours", "distinct_ours", "why"), COUNTS, ids=[c[0] for c in COUNTS])
def test_counts(rel, defectdojo, ours, distinct_ours, why):
    check_counts(rel, defectdojo, ours, distinct_ours, why)


def test_xml_fields():
    (f,) = parse_file("openvas/one_vuln.xml")
    assert f.rule_id == "1.3.6.1.4.1.25623.1.0.832260"
    assert f.title == "Mozilla Firefox Security Update (mfsa_2023-32_2023-36) - Windows"
    assert f.severity is Severity.HIGH and f.scanner_severity == "High"
    assert f.cve == "CVE-2023-4573" and len(f.aliases) == 11
    assert (f.ip, f.port, f.protocol) == ("10.0.101.2", None, "tcp")
    assert (f.installed_version, f.fixed_version) == ("116.0.3", "117")
    assert f.references == ("https://www.mozilla.org/en-US/security/advisories/mfsa2023-34/",)
    assert f.mitigation.startswith("Upgrade to version 117 or later")
    assert f.fingerprint_parts == ("1.3.6.1.4.1.25623.1.0.832260", "10.0.101.2", "general", "tcp")
    assert f.extra["qod"] == "97" and f.extra["solution_type"] == "VendorFix"


def test_xml_ports_hostnames_and_severity_without_threat():
    findings = parse_file("openvas/many_vuln.xml")
    rexec = by_rule(findings, "1.3.6.1.4.1.25623.1.0.100111")
    assert (rexec.port, rexec.protocol, rexec.host) == (512, "tcp", "b6b9f466d63")
    assert rexec.cve == "CVE-1999-0618"
    # two results have an empty <threat>: severity comes from the score band
    no_threat = [f for f in findings if not f.scanner_severity]
    assert len(no_threat) == 2
    for f in no_threat:
        assert f.severity is Severity.MEDIUM and f.extra["severity_score"] == "4.0"
    # multi-line NVT names are joined
    assert all("\n" not in f.title for f in findings)


def test_csv_fields():
    findings = parse_file("openvas/report_using_CVE.csv")
    f = by_rule(findings, "CVE-2021-26690")
    assert f.cve == "CVE-2021-26690" and f.ip == "45.33.32.156" and f.severity is Severity.HIGH
    first = parse_file("openvas/many_vuln.csv")[0]
    assert (first.title, first.host, first.ip, first.severity) == (
        "TCP timestamps",
        "LOGSRV",
        "192.168.118.212",
        Severity.LOW,
    )
    assert first.extra["result_id"] == "063f05eb-422b-4be5-8b95-65be1252bd17"


def test_false_positive_override_and_cvss3_from_tags():
    xml = b"""<report id="r"><report><results><result id="1">
      <host>10.0.0.9<hostname>db</hostname></host><port>5432/tcp</port>
      <nvt oid="1.2.3"><name>Weak thing</name>
      <tags>cvss_base_vector=CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H|summary=s</tags>
      <refs><ref type="cwe" id="CWE-79"/></refs></nvt>
      <threat>False Positive</threat><severity>-1.0</severity></result></results></report></report>"""
    (f,) = list(openvas_xml.parse(io.BytesIO(xml), source="fp.xml"))
    assert f.vex_state == "false_positive" and f.severity is Severity.INFO
    assert f.cvss3_score == 9.8 and f.cwe == 79 and (f.host, f.ip, f.port) == ("db", "10.0.0.9", 5432)


def test_csv_missing_columns_are_named():
    with pytest.raises(ParseError, match=r"missing required column\(s\): 'ip'.*'name'") as e:
        list(openvas_csv.parse(io.BytesIO(b"NVT OID,Hostname\n1.2,h\n"), source="o.csv"))
    assert e.value.position == "line 1"


def test_wrong_xml_root_and_detection():
    with pytest.raises(ParseError, match="root element is <issues>"):
        list(openvas_xml.parse(io.BytesIO(b"<issues/>"), source="o.xml"))
    # a generic <report> without GVM markers is not claimed by the sniffer
    assert not openvas_xml.sniff(b"<report><title>quarterly</title></report>")
    assert (
        parse_bytes(
            b"<get_reports_response status='200'><report><report><results/></report></report></get_reports_response>"
        )
        == []
    )
