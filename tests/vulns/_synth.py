"""A synthetic Trivy document of n distinct findings (for query-count and speed checks)."""

import json


def trivy_doc(n: int, start: int = 0) -> bytes:
    vulns = [
        {
            "VulnerabilityID": f"CVE-2024-{i:06d}",
            "PkgName": f"pkg{i % 997}",
            "InstalledVersion": "1.0.0",
            "FixedVersion": "1.0.1",
            "Severity": ("LOW", "MEDIUM", "HIGH", "CRITICAL")[i % 4],
            "Title": f"issue {i}",
        }
        for i in range(start, start + n)
    ]
    doc = {
        "SchemaVersion": 2,
        "ArtifactName": "synthetic:latest",
        "ArtifactType": "container_image",
        "Results": [
            {"Target": "synthetic:latest (debian 12)", "Class": "os-pkgs", "Type": "debian", "Vulnerabilities": vulns}
        ],
    }
    return json.dumps(doc).encode()
