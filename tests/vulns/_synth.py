"""Synthetic Trivy reports: small documents for tests, and a streamed multi-system report for the benchmark."""

import json
from pathlib import Path

_VECTORS = (
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
    "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:L/A:N",
    "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N",
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H",
)
_SEVERITIES = ("LOW", "MEDIUM", "HIGH", "CRITICAL")


def trivy_doc(n: int, start: int = 0, artifact: str = "synthetic:latest") -> bytes:
    vulns = [
        {
            "VulnerabilityID": f"CVE-2024-{i:06d}",
            "PkgName": f"pkg{i % 997}",
            "InstalledVersion": "1.0.0",
            "FixedVersion": "1.0.1",
            "Severity": _SEVERITIES[i % 4],
            "Title": f"issue {i}",
        }
        for i in range(start, start + n)
    ]
    doc = {
        "SchemaVersion": 2,
        "ArtifactName": artifact,
        "ArtifactType": "container_image",
        "Results": [
            {"Target": f"{artifact} (debian 12)", "Class": "os-pkgs", "Type": "debian", "Vulnerabilities": vulns}
        ],
    }
    return json.dumps(doc).encode()


def host_name(i: int) -> str:
    return f"host-{i:05d}"


def _vulnerability(system: int, j: int, variant: int) -> dict:
    # 2,000 CVEs spread over the fleet: the same CVE hits many systems, as in real reports
    k = (system * 7 + j * 13) % 2000 + variant * 2000
    cve = f"CVE-{2018 + k % 7}-{10000 + k:05d}"
    pkg = f"lib{(system + j) % 400}"
    return {
        "VulnerabilityID": cve,
        "PkgID": f"{pkg}@1.{j % 9}.0",
        "PkgName": pkg,
        "PkgIdentifier": {"PURL": f"pkg:deb/debian/{pkg}@1.{j % 9}.0?arch=amd64"},
        "InstalledVersion": f"1.{j % 9}.0",
        "FixedVersion": f"1.{j % 9}.1" if j % 3 else "",
        "Status": "fixed" if j % 3 else "affected",
        "SeveritySource": "nvd",
        "PrimaryURL": f"https://avd.aquasec.com/nvd/{cve.lower()}",
        "Title": f"{pkg}: memory corruption in parser ({cve})",
        "Description": f"A flaw was found in {pkg}. A remote attacker could send crafted input to cause a crash.",
        "Severity": _SEVERITIES[k % 4],
        "CweIDs": [f"CWE-{(k % 50) + 20}"],
        "CVSS": {"nvd": {"V3Vector": _VECTORS[k % 4], "V3Score": 7.5}},
        "References": [f"https://nvd.nist.gov/vuln/detail/{cve}"],
    }


def write_trivy_fleet(
    path: Path, *, findings: int, systems: int, variant: int = 0, artifact: str = "fleet-scan"
) -> int:
    """Stream a Trivy report of `findings` vulnerabilities over `systems` OS targets (host-00000 …).

    The report is written one Result at a time (memory stays flat). `variant` shifts the CVEs, so a
    file with another variant has different fingerprints. Returns the file size in bytes.
    """
    per, extra = divmod(findings, systems)
    with open(path, "w", encoding="utf-8") as out:
        out.write(f'{{"SchemaVersion": 2, "ArtifactName": {json.dumps(artifact)}, "Results": [')
        for s in range(systems):
            count = per + (1 if s < extra else 0)
            vulns = [_vulnerability(s, j, variant) for j in range(count)]
            result = {"Target": f"{host_name(s)} (debian 12.5)", "Class": "os-pkgs", "Type": "debian"}
            result["Vulnerabilities"] = vulns
            out.write(("," if s else "") + json.dumps(result, separators=(",", ":")))
        out.write("]}")
    return path.stat().st_size
