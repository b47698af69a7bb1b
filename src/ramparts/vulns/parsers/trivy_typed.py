"""Trivy Results decoded by msgspec into typed Structs: the fast path of the Trivy parser.

msgspec checks the types in C while decoding and skips the fields we do not read, so the loop
below needs none of the type checks of trivy._vulnerability. The string fields are typed `str`:
a Result where one of them is anything else (null, a number) fails validation and is decoded
again as plain dicts for trivy._result, the tolerant reference. Fields whose odd types that code
handles itself stay `Any` and go through the same helpers. tests/vulns/parsers/test_trivy_fast.py
checks that both give the same findings.
"""

from __future__ import annotations

from typing import Any

import msgspec

from .base import RawFinding, Severity, cvss3, cvss4
from .jsonstream import cwe_id, first_cwe, split_ids, text, texts


class PkgId(msgspec.Struct, gc=False):
    PURL: Any = None


class CvssSource(msgspec.Struct, gc=False):
    V3Vector: str | None = None
    V40Vector: str | None = None


class Vulnerability(msgspec.Struct, gc=False):
    VulnerabilityID: str = ""
    VendorIDs: Any = None
    PkgName: str = ""
    PkgPath: str = ""
    PkgIdentifier: PkgId | None = None
    InstalledVersion: str = ""
    FixedVersion: str = ""
    Status: str = ""
    SeveritySource: Any = None
    Title: str = ""
    Description: str = ""
    Severity: str = ""
    CweIDs: Any = None
    CVSS: dict[str, CvssSource] | None = None
    References: tuple[str, ...] = ()


class Result(msgspec.Struct, gc=False):
    Target: Any = None
    Class: Any = None
    Type: Any = None
    Vulnerabilities: list[Vulnerability] | None = None
    Misconfigurations: Any = None
    Secrets: Any = None


_typed = msgspec.json.Decoder(Result)
_plain = msgspec.json.Decoder()


def decode(piece: Any) -> Result | Any:
    """A Result as a Struct when its types are the usual ones, else as plain JSON values.
    Raises msgspec.DecodeError (and UnicodeDecodeError) when `piece` is not one JSON value."""
    try:
        return _typed.decode(piece)
    except msgspec.ValidationError:
        return _plain.decode(piece)


def vulnerabilities(
    vulns: list[Vulnerability], ctx: tuple[str, str, str, str, str, str], tool: str, cvss: Any, status_vex: Any
) -> list[RawFinding]:
    """RawFindings of typed vulnerabilities; the same fields, in the same way, as trivy._vulnerability.
    A list, not a generator: one Result's findings at a time, without a generator switch per finding."""
    where, ecosystem, image, repo, lang_file, scan_target = ctx
    severities = SEVERITY
    cwe_cache = CWE_CACHE
    cvss_cache = CVSS_CACHE
    aliases: tuple[str, ...]
    found: list[RawFinding] = []
    add = found.append
    for v in vulns:
        vid = v.VulnerabilityID
        pkg = v.PkgName
        installed = v.InstalledVersion
        pkg_path = v.PkgPath
        raw_severity = v.Severity
        severity = severities.get(raw_severity)
        if severity is None:
            severity = Severity.from_text(raw_severity)
        vendor_ids = v.VendorIDs
        if not vendor_ids and vid.startswith("CVE-"):
            cve, aliases = vid, ()
        else:
            cve, aliases = split_ids([vid, *texts(vendor_ids)])
        data = v.CVSS
        if not data:
            v3, s3, v4, s4 = _NO_CVSS
        elif len(data) == 1:
            [source] = data.values()
            vectors = (source.V3Vector, source.V40Vector)
            scored = cvss_cache.get(vectors)
            if scored is None:
                scored = scores(vectors)
            v3, s3, v4, s4 = scored
        else:  # several sources: their order matters; the reference code reads the same two fields
            as_dicts = {k: {"V3Vector": e.V3Vector, "V40Vector": e.V40Vector} for k, e in data.items()}
            v3, s3, v4, s4 = cvss(as_dicts, v.SeveritySource)
        status = v.Status
        cwe = None
        cwes = v.CweIDs
        if cwes:
            key = cwes[0] if type(cwes) is list else cwes
            if type(key) is str:
                cwe = cwe_cache.get(key, -1)
                if cwe == -1:
                    cwe = cwe_id(key)
                    if len(cwe_cache) < 100_000:
                        cwe_cache[key] = cwe
            else:
                cwe = first_cwe(cwes)
        ident = v.PkgIdentifier
        purl = ""
        if ident is not None:
            purl = ident.PURL
            if type(purl) is not str:
                purl = text(purl)
        add(
            RawFinding(
                v.Title or f"{vid} in {pkg} {installed}".strip(),
                severity,
                tool,
                raw_severity,
                v.Description,
                vid,
                cve,
                aliases,
                cwe,
                v3,
                s3,
                v4,
                s4,
                None,
                None,
                pkg,
                installed,
                v.FixedVersion,
                ecosystem,
                purl,
                "",
                "",
                None,
                "",
                "",
                image,
                repo,
                pkg_path or lang_file,
                None,
                v.References,
                "",
                None,
                status_vex.get(status, ""),
                "",
                (where, pkg, installed, pkg_path, vid),
                {"status": status} if status else {},
                scan_target,
            )
        )
    return found


Scored = tuple[str, float | None, str, float | None]
_NO_CVSS: Scored = ("", None, "", None)
# (v3 vector, v4 vector) of a single-source CVSS map -> scores: a fleet repeats a few vectors
CVSS_CACHE: dict[tuple[str | None, str | None], Scored] = {}


def scores(vectors: tuple[str | None, str | None]) -> Scored:
    """Scores of one CVSS source's vectors (None: absent or not a string), remembered."""
    v3, v4 = vectors
    scored = (*(cvss3(v3) if v3 is not None else ("", None)), *(cvss4(v4) if v4 is not None else ("", None)))
    if len(CVSS_CACHE) < 100_000:
        CVSS_CACHE[vectors] = scored
    return scored


SEVERITY = {"CRITICAL": Severity.CRITICAL, "HIGH": Severity.HIGH, "MEDIUM": Severity.MEDIUM, "LOW": Severity.LOW}
CWE_CACHE: dict[str, int | None] = {}
