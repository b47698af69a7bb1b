"""CycloneDX XML: DefectDojo's real 1.2 + vulnerability-extension sample, and a 1.5 VEX document."""

from __future__ import annotations

import pytest

from ramparts.vulns.parsers import Severity

from ._scans import check_counts, needs_scans, parse_bytes, parse_file

pytestmark = needs_scans

# file, DefectDojo's count, our findings, our distinct fingerprints, why they differ
COUNTS = [("cyclonedx/dd_1_15_0.xml", 381, 381, 381, "")]


@pytest.mark.parametrize(("rel", "defectdojo", "ours", "distinct_ours", "why"), COUNTS, ids=[c[0] for c in COUNTS])
def test_counts(rel, defectdojo, ours, distinct_ours, why):
    check_counts(rel, defectdojo, ours, distinct_ours, why)


def test_extension_layout_fields():
    findings = parse_file("cyclonedx/dd_1_15_0.xml")
    f = findings[0]
    assert f.tool == "grype" and f.cve == "CVE-2011-3374"
    assert (f.package, f.installed_version) == ("apt", "1.8.2.1")
    assert f.severity is Severity.LOW and f.scanner_severity == "Low"
    assert f.references[0] == "http://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2011-3374"
    assert f.fingerprint_parts[0].startswith("defectdojo/defectdojo-django:1.15.0")
    assert {x.package for x in findings} >= {"apt", "tar", "bash"}


VEX_15 = b"""<?xml version="1.0" encoding="UTF-8"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.5" serialNumber="urn:uuid:1" version="1">
  <metadata>
    <tools><components><component type="application"><name>dependency-track</name></component></components></tools>
    <component type="application" bom-ref="app"><name>shop</name><version>2.1</version></component>
  </metadata>
  <components>
    <component type="library" bom-ref="pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1">
      <group>org.apache.logging.log4j</group><name>log4j-core</name><version>2.14.1</version>
      <purl>pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1</purl>
    </component>
    <component type="library" bom-ref="lib-b"><name>left-pad</name><version>1.0.0</version>
      <components>
        <component type="library" bom-ref="lib-c"><name>inner</name><version>0.1</version></component>
      </components>
    </component>
  </components>
  <vulnerabilities>
    <vulnerability bom-ref="v1">
      <id>CVE-2021-44228</id>
      <source><name>NVD</name><url>https://nvd.nist.gov/vuln/detail/CVE-2021-44228</url></source>
      <references><reference><id>GHSA-jfh8-c2jp-5v3q</id><source><name>GitHub</name></source></reference></references>
      <ratings>
        <rating><source><name>NVD</name></source><score>10.0</score><severity>critical</severity><method>CVSSv31</method>
          <vector>AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H</vector></rating>
      </ratings>
      <cwes><cwe>502</cwe></cwes>
      <description>Log4Shell</description>
      <recommendation>Upgrade to 2.17.1</recommendation>
      <advisories><advisory><title>Apache</title><url>https://logging.apache.org/log4j/2.x/security.html</url></advisory></advisories>
      <analysis><state>not_affected</state><justification>code_not_reachable</justification>
        <responses><response>will_not_fix</response><response>update</response></responses>
        <detail>JNDI lookups disabled</detail></analysis>
      <affects><target><ref>pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1</ref></target></affects>
    </vulnerability>
    <vulnerability>
      <id>GHSA-aaaa-bbbb-cccc</id>
      <ratings><rating><score>5.3</score><method>CVSSv4</method><vector>CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N</vector></rating></ratings>
      <analysis><state>in_triage</state></analysis>
      <affects><target><ref>lib-b</ref></target><target><ref>lib-c</ref></target></affects>
    </vulnerability>
  </vulnerabilities>
</bom>"""


def test_cyclonedx_15_vex_states():
    findings = parse_bytes(VEX_15, source="vex.xml")
    assert len(findings) == 3
    log4j = findings[0]
    assert log4j.tool == "dependency-track"
    assert log4j.cve == "CVE-2021-44228" and log4j.aliases == ("GHSA-jfh8-c2jp-5v3q",)
    assert log4j.cvss3_vector == "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H" and log4j.cvss3_score == 10.0
    assert log4j.severity is Severity.CRITICAL and log4j.scanner_severity == "critical" and log4j.cwe == 502
    assert (log4j.package, log4j.installed_version, log4j.ecosystem) == (
        "org.apache.logging.log4j:log4j-core", "2.14.1", "maven",
    )  # fmt: skip
    assert log4j.vex_state == "not_affected" and log4j.vex_justification == "code_not_reachable"
    assert log4j.extra["analysis_state"] == "not_affected" and log4j.extra["response"] == "will_not_fix,update"
    assert log4j.mitigation == "Upgrade to 2.17.1"
    assert "https://logging.apache.org/log4j/2.x/security.html" in log4j.references
    assert log4j.fingerprint_parts == (
        "shop 2.1",
        "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
        "CVE-2021-44228",
    )
    b, c = findings[1:]
    assert (b.package, c.package) == ("left-pad", "inner")  # nested components resolve too
    assert b.vex_state == "under_investigation" and b.cvss4_score is not None and b.severity is Severity.MEDIUM
    assert b.fingerprint_parts == ("shop 2.1", "left-pad@1.0.0", "GHSA-aaaa-bbbb-cccc")
