"""Trivy JSON parser on DefectDojo's real Trivy samples."""

from __future__ import annotations

import io

import orjson
import pytest

from ramparts.vulns.parsers import ParseError, Severity, trivy

from ._scans import by_rule, check_counts, needs_scans, parse_bytes, parse_file

pytestmark = needs_scans

# file, DefectDojo's count, our findings, our distinct fingerprints, why they differ
COUNTS = [
    ("trivy/scheme_2_many_vulns.json", 5, 5, 5, ""),
    ("trivy/legacy_many_vulns.json", 93, 93, 93, ""),
    ("trivy/kubernetes.json", 20, 20, 20, ""),
    ("trivy/kubernetes_fabricated_subset.json", None, 13, 13, ""),
    ("trivy/misconfigurations_and_secrets.json", 5, 5, 5, ""),
    ("trivy/scheme_2_no_vuln.json", 0, 0, 0, ""),
    ("trivy/cvssv4_severity_source.json", 3, 3, 3, ""),
    ("trivy/all_statuses.json", 8, 8, 8, ""),
]


@pytest.mark.parametrize(("rel", "defectdojo", "ours", "distinct_ours", "why"), COUNTS, ids=[c[0] for c in COUNTS])
def test_counts(rel, defectdojo, ours, distinct_ours, why):
    check_counts(rel, defectdojo, ours, distinct_ours, why)


def test_cvss_v4_and_v3_vectors_with_scores_from_the_library():
    f = by_rule(parse_file("trivy/cvssv4_severity_source.json"), "CVE-2025-66614")
    assert f.cvss4_vector == "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N"
    assert f.cvss4_score == 6.3
    assert f.cvss3_vector == "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:N/A:N"
    assert f.cvss3_score == 5.3
    assert f.cve == "CVE-2025-66614"
    assert f.aliases == ("GHSA-fpj8-gq4v-p354",)
    assert f.cwe == 20
    assert (f.package, f.installed_version) == ("org.apache.tomcat:tomcat-catalina", "9.0.109")
    assert f.fixed_version == "11.0.14, 10.1.49, 9.0.112"
    assert f.purl == "pkg:maven/org.apache.tomcat/tomcat-catalina@9.0.109"
    assert f.ecosystem == "jar"
    assert f.file_path == "catalina.jar"
    assert f.severity is Severity.MEDIUM and f.scanner_severity == "MEDIUM"
    # a v4 vector with a threat metric (E:U) is scored too
    low = by_rule(parse_file("trivy/cvssv4_severity_source.json"), "CVE-2025-61795")
    assert low.cvss4_vector.endswith("/E:U") and low.cvss4_score == 2.3


def test_statuses_become_vex_states():
    states = {f.extra["status"]: f.vex_state for f in parse_file("trivy/all_statuses.json")}
    assert states == {
        "unknown": "",
        "not_affected": "not_affected",
        "affected": "affected",
        "fixed": "",  # Trivy's "fixed" means a fix exists, not that it is applied
        "under_investigation": "under_investigation",
        "will_not_fix": "will_not_fix",
        "fix_deferred": "fix_deferred",
        "end_of_life": "end_of_life",
    }


def test_image_from_container_report_and_os_target():
    f = by_rule(parse_file("trivy/all_statuses.json"), "CVE-2011-3374")
    assert f.image == "noppaknopsta/example-app:main-159"
    assert (f.package, f.installed_version, f.ecosystem) == ("apt", "1.8.2.3", "debian")
    assert f.cvss3_vector == "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:L/A:N" and f.cvss3_score == 3.7
    assert f.cwe == 347
    assert len(f.references) == 7


def test_misconfigurations_and_secrets():
    findings = parse_file("trivy/misconfigurations_and_secrets.json")
    misconf = by_rule(findings, "DS002")
    assert misconf.file_path == "Dockerfile" and misconf.severity is Severity.HIGH
    assert misconf.mitigation.startswith("Add 'USER")
    secrets = [f for f in findings if f.rule_id == "github-pat"]
    assert sorted((s.file_path, s.line) for s in secrets) == [("Dockerfile", 24), ("secret.txt", 1)]
    assert all(s.severity is Severity.CRITICAL and "*****" in s.description for s in secrets)


def test_kubernetes_report_scopes_findings_by_resource():
    findings = parse_file("trivy/kubernetes.json")
    misconf = [f for f in findings if f.rule_id.startswith("KSV")]
    assert len(misconf) == 10
    first = misconf[0]
    assert first.line == 132 and first.file_path == "Deployment/redis-follower"
    assert first.fingerprint_parts[0].endswith("default/Deployment/redis-follower | Deployment/redis-follower")
    images = {f.image for f in findings if f.cve}
    assert images == {"gcr.io/google_samples/gb-redis-follower:v2", "docker.io/redis:6.0.5"}


def test_subset_fingerprints_are_a_subset_of_the_full_report():
    full = {f.fingerprint_parts for f in parse_file("trivy/kubernetes.json")}
    subset = {f.fingerprint_parts for f in parse_file("trivy/kubernetes_fabricated_subset.json")}
    assert subset < full


def test_reparse_gives_identical_fingerprints():
    a = [f.fingerprint_parts for f in parse_file("trivy/legacy_many_vulns.json")]
    b = [f.fingerprint_parts for f in parse_file("trivy/legacy_many_vulns.json")]
    assert a == b


def test_fingerprint_ignores_non_identity_fields():
    doc = {"SchemaVersion": 2, "ArtifactName": "app:1", "ArtifactType": "container_image", "Results": [
        {"Target": "app:1 (alpine 3.19)", "Class": "os-pkgs", "Type": "alpine", "Vulnerabilities": [
            {"VulnerabilityID": "CVE-2024-0001", "PkgName": "zlib", "InstalledVersion": "1.0", "Severity": "HIGH"}]}]}  # fmt: skip  # noqa: E501
    before = parse_bytes(orjson.dumps(doc))[0]
    vuln = doc["Results"][0]["Vulnerabilities"][0]
    vuln.update(Severity="CRITICAL", Description="changed", FixedVersion="1.1", Title="new title")
    after = parse_bytes(orjson.dumps(doc))[0]
    assert before.fingerprint_parts == after.fingerprint_parts
    assert after.severity is Severity.CRITICAL and after.image == "app:1"


def test_bad_cvss_vector_is_dropped_not_fatal():
    doc = {"SchemaVersion": 2, "ArtifactName": "x", "Results": [{"Target": "t", "Vulnerabilities": [
        {"VulnerabilityID": "CVE-1", "PkgName": "p", "InstalledVersion": "1",
         "CVSS": {"nvd": {"V3Vector": "CVSS:3.1/AV:X", "V40Vector": "CVSS:4.0/garbage"}}}]}]}  # fmt: skip
    (f,) = parse_bytes(orjson.dumps(doc))
    assert (f.cvss3_vector, f.cvss3_score, f.cvss4_vector, f.cvss4_score) == ("", None, "", None)


def test_truncated_report_names_file_format_and_position():
    data = (parse_file.__globals__["SCANS"] / "trivy/scheme_2_many_vulns.json").read_bytes()[:5000]
    with pytest.raises(ParseError) as err:
        list(trivy.parse(io.BytesIO(data), source="cut.json"))
    assert err.value.source == "cut.json" and err.value.format == "trivy"
    assert "line" in err.value.position and "byte" in err.value.position


def test_streaming_reads_results_one_at_a_time():
    """A generator: the first finding comes out before the rest of the file is read."""
    doc = b'{"SchemaVersion":2,"ArtifactName":"a","ArtifactType":"container_image","Results":[{"Target":"t","Vulnerabilities":[{"VulnerabilityID":"CVE-1"}]}'  # noqa: E501
    gen = trivy.parse(io.BytesIO(doc + b", {broken"), source="s")
    assert next(gen).rule_id == "CVE-1"
    with pytest.raises(ParseError):
        list(gen)


def _synthetic(results: int, per_result: int) -> bytes:
    vuln = {"VulnerabilityID": "CVE-2024-12345", "PkgName": "zlib", "InstalledVersion": "1.2", "Severity": "HIGH",
            "Description": "x" * 300, "References": ["https://example.org/a", "https://example.org/b"],
            "CVSS": {"nvd": {"V3Vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}}}  # fmt: skip
    body = {"SchemaVersion": 2, "ArtifactName": "fleet", "ArtifactType": "filesystem", "Results": [
        {"Target": f"host-{i}", "Class": "os-pkgs", "Type": "debian", "Vulnerabilities": [vuln] * per_result}
        for i in range(results)]}  # fmt: skip
    return orjson.dumps(body)


def test_memory_stays_flat_as_the_file_grows(monkeypatch):
    import tracemalloc

    from ramparts.vulns.parsers import jsonsplit

    monkeypatch.setattr(jsonsplit, "CHUNK", 64 * 1024)  # both files larger than one chunk

    def peak(data: bytes) -> int:
        stream = io.BytesIO(data)
        tracemalloc.start()
        count = sum(1 for _ in trivy.parse(stream, source="big"))
        assert count == counts[len(data)]
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top

    small, large = _synthetic(10, 20), _synthetic(200, 20)  # 200 and 4,000 findings
    counts = {len(small): 200, len(large): 4000}
    # the BytesIO buffers are allocated before tracing starts; the parser's own peak must not follow size
    assert peak(large) < 3 * peak(small)


def test_filesystem_scan_target_is_not_taken_for_an_image():
    doc = {"SchemaVersion": 2, "ArtifactName": "/", "ArtifactType": "filesystem", "Results": [
        {"Target": "web01 (debian 12.1)", "Class": "os-pkgs", "Type": "debian",
         "Vulnerabilities": [{"VulnerabilityID": "CVE-2024-12345", "PkgName": "zlib", "InstalledVersion": "1"}]}]}  # fmt: skip  # noqa: E501
    (f,) = parse_bytes(orjson.dumps(doc))
    assert f.image == "" and f.fingerprint_parts[0] == "/ | web01 (debian 12.1)"
