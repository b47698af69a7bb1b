"""Nessus .nessus XML and Nessus CSV parsers on DefectDojo's real Nessus samples."""

from __future__ import annotations

import io

import pytest

from ramparts.vulns import parsers
from ramparts.vulns.parsers import ParseError, Severity, nessus_xml

from ._scans import by_rule, check_counts, needs_scans, parse_bytes, parse_file, scan

pytestmark = needs_scans

PER_PORT = "one finding per plugin per host:port/protocol; plugin 58987 is reported twice on 80/tcp and merges"
# file, DefectDojo's count, our findings, our distinct fingerprints, why they differ
COUNTS = [
    ("nessus/nessus_with_cvssv3.nessus", 48, 49, 48, PER_PORT),
    ("nessus/nessus_many_vuln.csv", 4, 4, 4, ""),
    # rows 12-13 are plugin 22964 on 443/tcp twice (two services): merged in the parser
    ("nessus/nessus_many_vuln2-all.csv", 29, 29, 29, ""),
]


@pytest.mark.parametrize(("rel", "defectdojo", "ours", "distinct_ours", "why"), COUNTS, ids=[c[0] for c in COUNTS])
def test_counts(rel, defectdojo, ours, distinct_ours, why):
    check_counts(rel, defectdojo, ours, distinct_ours, why)


def test_detected_formats():
    for rel, name in [
        ("nessus/nessus_with_cvssv3.nessus", "nessus-xml"),
        ("nessus/nessus_many_vuln.csv", "nessus-csv"),
        ("nessus/nessus_many_vuln2-all.csv", "nessus-csv"),
    ]:
        with open(scan(rel), "rb") as fh:
            assert parsers.detect(fh.read(65536)).name == name


def test_nessus_xml_fields_with_cvss_v3():
    findings = parse_file("nessus/nessus_with_cvssv3.nessus")
    f = by_rule(findings, "17797")
    assert f.title == "PHP 5.x < 5.2.2 Multiple vulnerabilities"
    assert f.cvss3_vector == "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"
    assert f.cvss3_score == 7.5
    assert f.severity is Severity.HIGH and f.scanner_severity == "High"
    assert f.cve == "CVE-2007-1001"
    assert f.aliases == ("CVE-2007-1583", "CVE-2007-1649", "CVE-2007-1717", "CVE-2007-1718")
    assert (f.host, f.ip, f.port, f.protocol) == ("testphp.vulnweb.com", "44.228.249.3", 80, "tcp")
    assert (f.installed_version, f.fixed_version, f.package) == ("5.1.6", "5.2.2", "php")
    assert f.exploit_available is False
    assert f.mitigation == "Upgrade to PHP version 5.2.2 or later."
    assert f.references == ("http://www.php.net/releases/5_2_2.php",)
    assert f.fingerprint_parts == ("17797", "testphp.vulnweb.com", "80", "tcp")
    assert f.extra["cvss2_vector"] == "CVSS2#AV:N/AC:L/Au:N/C:C/I:N/A:N"
    # the critical one has a scope-changed vector
    crit = by_rule(findings, "58987")
    assert crit.severity is Severity.CRITICAL and crit.cvss3_score == 10.0
    assert crit.cvss3_vector == "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"
    # informational items are kept, with port 0 as "no port"
    info = by_rule(findings, "19506")
    assert info.severity is Severity.INFO and info.port is None and info.fingerprint_parts[2] == "0"
    assert sum(1 for x in findings if x.cvss3_vector) == 9
    assert by_rule(findings, "10114").protocol == "icmp"


def test_nessus_csv_tenable_sc_layout():
    (first, *_rest) = parse_file("nessus/nessus_many_vuln.csv")
    assert first.rule_id == "35291" and first.cve == "CVE-2004-2761"
    assert first.cvss3_vector == "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N/E:P/RL:O/RC:C"
    assert first.cvss3_score == 7.5  # base score; the temporal metrics do not change it
    assert (first.ip, first.port, first.protocol) == ("10.1.1.1", 443, "tcp")
    assert first.severity is Severity.MEDIUM and first.cwe == 310
    assert first.exploit_available is True
    assert "Plugin output:\nThe following certificates" in first.description


def test_nessus_csv_professional_layout_merges_rows_of_one_result():
    findings = parse_file("nessus/nessus_many_vuln2-all.csv")
    svc = [f for f in findings if f.rule_id == "22964" and f.port == 443]
    assert len(svc) == 1
    assert "A TLSv1 server answered" in svc[0].description and "web server is running" in svc[0].description
    info = by_rule(findings, "10107")
    assert info.severity is Severity.INFO and info.scanner_severity == "None" and info.ip == "52.208.101.182"
    assert sum(1 for f in findings if f.severity is Severity.MEDIUM) == 1


def test_nessus_csv_one_row_per_cve_is_merged():
    header = "Plugin ID,CVE,CVSS,Risk,Host,Protocol,Port,Name\n"
    rows = "".join(f"1234,CVE-2020-000{i},5.0,Medium,10.0.0.1,tcp,22,Old SSH\n" for i in range(1, 4))
    (f,) = parse_bytes((header + rows).encode(), "nessus-csv", "n.csv")
    assert f.cve == "CVE-2020-0001" and f.aliases == ("CVE-2020-0002", "CVE-2020-0003")


def test_nessus_csv_errors_name_columns_and_encoding():
    with pytest.raises(ParseError, match=r"missing required column\(s\): 'name'"):
        parse_bytes(b"Plugin ID,Host,Risk,Port\n1,h,High,1\n", "nessus-csv", "n.csv")
    with pytest.raises(ParseError, match="UTF-16") as e:
        parse_bytes("Plugin ID,Name,Host,Risk\n1,x,h,High\n".encode("utf-16"), "nessus-csv", "n.csv")
    assert e.value.format == "nessus-csv"
    latin1 = "Plugin ID,Name,Host,Risk\n1,Caf\u00e9 plugin,h,High\n".encode("latin-1")
    with pytest.raises(ParseError, match="not valid UTF-8") as e:
        parse_bytes(latin1, "nessus-csv", "n.csv")
    assert e.value.position == "line 2"
    # a UTF-8 BOM is fine
    (f,) = parse_bytes(b"\xef\xbb\xbfPlugin ID,Name,Host,Risk\n1,x,h,High\n", "nessus-csv", "n.csv")
    assert f.severity is Severity.HIGH


def test_nessus_xml_wrong_root_is_a_clear_error():
    with pytest.raises(ParseError, match=r"root element is <catalog>, expected <NessusClientData_v2>") as e:
        list(nessus_xml.parse(io.BytesIO(b"<?xml version='1.0'?><catalog/>"), source="x.nessus"))
    assert e.value.format == "nessus-xml"
