"""Trivy JSON: SchemaVersion 2 reports, the legacy list of results, and Kubernetes cluster reports.

The hot path of the 1M-finding benchmark. Reports and legacy lists are read by jsonsplit: the
Results array is cut into its elements with bytes.find (one chunk of the file at a time) and each
Result is decoded by msgspec into the typed Structs of trivy_typed, which build the RawFindings
without per-field type checks. A Result with unusual types is decoded as plain dicts for
_result/_vulnerability below, the tolerant reference code; anything the splitter does not
recognise (another layout, a document that goes on after Results, a syntax error) is read by
ijson's C backend from there on, as every Trivy file used to be. Kubernetes reports use ijson.
Memory follows the largest single Result, not the file. test_trivy_fast.py holds both paths equal.

ArtifactName/ArtifactType are read from the members before Results (where Trivy writes them);
when one is missing there, the last 8 MiB of the file are searched for it instead of the whole
file (jsonsplit.ArrayScan.absent_after_prefix).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import fields
from itertools import chain
from typing import Any, BinaryIO

from .base import HEAD_BYTES, Format, ParseError, RawFinding, Severity, cvss3, cvss4
from .detect import JsonHead, json_head
from .jsonsplit import ArrayScan, open_array
from .jsonstream import as_dict, as_list, cwe_id, first, first_cwe, integer, items, split_ids, text, texts
from .trivy_typed import CVSS_CACHE, CWE_CACHE, SEVERITY, scores
from .trivy_typed import Result as TypedResult
from .trivy_typed import decode as decode_result
from .trivy_typed import vulnerabilities as typed_vulnerabilities

NAME = "trivy"
TOOL = "trivy"

_SEVERITY = SEVERITY
# Trivy's Status vocabulary -> our vex_state. "fixed" in Trivy means "a fix exists", not "fixed here".
_STATUS_VEX = {
    "not_affected": "not_affected",
    "under_investigation": "under_investigation",
    "will_not_fix": "will_not_fix",
    "fix_deferred": "fix_deferred",
    "end_of_life": "end_of_life",
    "affected": "affected",
}
_IMAGE_TYPES = {"container_image", "image"}
_REPO_TYPES = {"repository", "repo"}


def sniff(head: bytes) -> bool:
    h = json_head(head)
    if h.root == "map":
        if "SchemaVersion" in h.paths and ("ArtifactName" in h.paths or "Results" in h.paths):
            return True
        if h.any("Results.item.Target") and h.any("Results.item.Class", "Results.item.Vulnerabilities"):
            return True
        return "ClusterName" in h.paths and h.any("Vulnerabilities", "Misconfigurations", "Resources")
    if h.root == "array":
        return h.has("item.Target") and h.any("item.Vulnerabilities", "item.Type", "item.Misconfigurations")
    return False


def parse(stream: BinaryIO, *, source: str = "<stream>") -> Iterator[RawFinding]:
    start = stream.tell()
    head = stream.read(HEAD_BYTES)
    h: JsonHead = json_head(head)
    stream.seek(start)
    if h.root == "array":
        scan = open_array(stream, key=None, source=source, fmt=NAME)
        for result in _results(stream, start, scan, "item", source):
            yield from _result(result, "", "", "", "")
        return
    if h.root != "map":
        raise ParseError(
            "not a Trivy JSON report (expected an object or a list)", source=source, format=NAME, position="byte 0"
        )
    if "ClusterName" in h.paths or ("Resources" in h.paths and "Results" not in h.paths):
        yield from _cluster(stream, start, source)
        return
    whole = len(head) < HEAD_BYTES  # the head is the whole file: a key not seen is absent
    scan = open_array(stream, key="Results", source=source, fmt=NAME)
    if scan is None:
        stream.seek(start)
    artifact = _top(stream, start, h, "ArtifactName", whole, source, scan)
    kind = _top(stream, start, h, "ArtifactType", whole, source, scan)
    image = artifact if kind in _IMAGE_TYPES else ""
    repository = artifact if kind in _REPO_TYPES else ""
    for result in _results(stream, start, scan, "Results.item", source):
        # only a container scan's OS target names an image; a filesystem/rootfs/vm target does not
        yield from _result(
            result, artifact, image, repository, artifact, image_from_target=kind in _IMAGE_TYPES or not kind
        )


def _results(stream: BinaryIO, start: int, scan: ArrayScan | None, path: str, source: str) -> Iterator[Any]:
    """The Results: split and decoded by msgspec when the layout allows it (jsonsplit), else ijson."""
    if scan is not None:
        return scan.items(decode_result)
    stream.seek(start)
    return items(stream, path, source=source, fmt=NAME)


def _top(  # noqa: PLR0913 - the head, the scan and the stream are three views of one document
    stream: BinaryIO, start: int, h: JsonHead, key: str, whole: bool, source: str, scan: ArrayScan | None
) -> str:
    """A top-level value (the first one): from the head when it is there (the usual case), then
    from the members before Results; a full ijson scan only when the key may come after them."""
    if key in h.top:
        return text(h.top[key])
    if whole:
        return ""
    if scan is not None:
        for name, value in scan.members:
            if name == key:
                return text(value)
        if scan.absent_after_prefix(key):
            return ""
    here = stream.tell()
    stream.seek(start)
    try:
        return text(first(stream, key, source=source, fmt=NAME))
    finally:
        stream.seek(here)


def _cluster(stream: BinaryIO, start: int, source: str) -> Iterator[RawFinding]:
    """`trivy k8s` reports: {ClusterName, Vulnerabilities|Misconfigurations|Resources: [resource]}."""
    cluster = text(first(stream, "ClusterName", source=source, fmt=NAME))
    for section in ("Vulnerabilities", "Misconfigurations", "Resources"):
        stream.seek(start)
        for resource in items(stream, f"{section}.item", source=source, fmt=NAME):
            res = as_dict(resource)
            scope = "/".join(text(res.get(k)) for k in ("Namespace", "Kind", "Name"))
            scope = f"{cluster}:{scope}" if cluster else scope
            for result in as_list(res.get("Results")):
                yield from _result(result, scope, "", "", cluster or scope)


def _result(
    result: Any, scope: str, image: str, repository: str, scan_target: str, *, image_from_target: bool = True
) -> Iterable[RawFinding]:
    """Findings of one Result: a typed Struct (trivy_typed) or, from ijson or odd types, a dict.
    Not a generator itself: one generator level less per finding on the hot path."""
    typed = type(result) is TypedResult
    if typed:
        target, klass, ecosystem = text(result.Target), text(result.Class), text(result.Type)
        vulns, misconfigurations, secrets = result.Vulnerabilities, result.Misconfigurations, result.Secrets
    elif isinstance(result, dict):
        target, klass, ecosystem = text(result.get("Target")), text(result.get("Class")), text(result.get("Type"))
        vulns = result.get("Vulnerabilities")
        misconfigurations, secrets = result.get("Misconfigurations"), result.get("Secrets")
    else:
        return ()
    where = f"{scope} | {target}" if scope else target  # scope: the artifact or the k8s resource
    if not image and image_from_target and klass == "os-pkgs" and " (" in target:
        image = target.rsplit(" (", 1)[0]  # "redis:6.0.5 (debian 10.4)"
    lang_file = target if klass == "lang-pkgs" else ""
    found: Iterable[RawFinding] = ()
    if typed:
        if vulns:
            ctx = (where, ecosystem, image, repository, lang_file, scan_target)
            found = typed_vulnerabilities(vulns, ctx, TOOL, _cvss, _STATUS_VEX)
    elif isinstance(vulns, list):
        found = (
            _vulnerability(v, where, ecosystem, image, repository, lang_file, scan_target)
            for v in vulns
            if isinstance(v, dict)
        )
    if misconfigurations or secrets:
        return chain(found, _others(misconfigurations, secrets, where, target, image, repository, scan_target))
    return found


def _others(  # noqa: PLR0913
    misconfigurations: Any, secrets: Any, where: str, target: str, image: str, repository: str, scan_target: str
) -> Iterator[RawFinding]:
    for m in as_list(misconfigurations):
        if isinstance(m, dict) and text(m.get("Status")).upper() not in ("PASS", "EXCEPTION"):
            yield _misconfiguration(m, where, target, image, repository, scan_target)
    for s in as_list(secrets):
        if isinstance(s, dict):
            yield _secret(s, where, target, image, repository, scan_target)


# RawFinding is built positionally in the hot loop (2.4x cheaper than keywords); this guard makes
# a reordering of RawFinding's fields fail at import instead of filling the wrong fields.
_ORDER = (
    "title", "severity", "tool", "scanner_severity", "description", "rule_id", "cve", "aliases", "cwe",
    "cvss3_vector", "cvss3_score", "cvss4_vector", "cvss4_score", "epss_score", "epss_percentile", "package",
    "installed_version", "fixed_version", "ecosystem", "purl", "host", "ip", "port", "protocol", "url", "image",
    "repository", "file_path", "line", "references", "mitigation", "exploit_available", "vex_state",
    "vex_justification", "fingerprint_parts", "extra", "target",
)  # fmt: skip
if tuple(f.name for f in fields(RawFinding))[: len(_ORDER)] != _ORDER:  # pragma: no cover
    raise ImportError("RawFinding's fields changed order: update trivy._vulnerability")

_CWE_CACHE = CWE_CACHE


def _str(value: Any) -> str:
    return value if type(value) is str else text(value)


def _vulnerability(
    v: dict[str, Any], where: str, ecosystem: str, image: str, repo: str, lang_file: str, scan_target: str
) -> RawFinding:
    get = v.get
    vid = get("VulnerabilityID")
    if type(vid) is not str:
        vid = text(vid)
    pkg = get("PkgName")
    if type(pkg) is not str:
        pkg = text(pkg)
    installed = get("InstalledVersion")
    if type(installed) is not str:
        installed = text(installed)
    pkg_path = get("PkgPath")
    if type(pkg_path) is not str:
        pkg_path = text(pkg_path)
    raw_severity = get("Severity")
    if type(raw_severity) is not str:
        raw_severity = ""
    severity = _SEVERITY.get(raw_severity)
    if severity is None:
        severity = Severity.from_text(raw_severity)
    vendor_ids = get("VendorIDs")
    aliases: tuple[str, ...] = ()
    if not vendor_ids and vid.startswith("CVE-"):
        cve = vid
    else:
        cve, aliases = split_ids([vid, *texts(vendor_ids)])
    data = get("CVSS")
    v3, s3, v4, s4 = _cvss(data, get("SeveritySource")) if data else _NO_CVSS
    status = get("Status")
    if type(status) is not str:
        status = text(status)
    title = get("Title")
    if type(title) is not str or not title:
        title = f"{vid} in {pkg} {installed}".strip()
    cwe = None
    cwes = get("CweIDs")
    if cwes:
        key = cwes[0] if type(cwes) is list else cwes
        if type(key) is str:
            cwe = _CWE_CACHE.get(key, -1)
            if cwe == -1:
                cwe = cwe_id(key)
                if len(_CWE_CACHE) < 100_000:
                    _CWE_CACHE[key] = cwe
        else:
            cwe = first_cwe(cwes)
    refs = get("References")
    references: tuple[str, ...] = ()
    if refs:
        try:
            "".join(refs)  # C-speed check that every reference is a string
            references = tuple(refs) if type(refs) is list else texts(refs)
        except TypeError:
            references = texts(refs)
    purl = get("PkgIdentifier")
    description = get("Description")
    fixed = get("FixedVersion")
    return RawFinding(
        title,
        severity,
        TOOL,
        raw_severity,
        description if type(description) is str else text(description),
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
        fixed if type(fixed) is str else text(fixed),
        ecosystem,
        _str(purl.get("PURL")) if type(purl) is dict else "",
        "",
        "",
        None,
        "",
        "",
        image,
        repo,
        pkg_path or lang_file,
        None,
        references,
        "",
        None,
        _STATUS_VEX.get(status, ""),
        "",
        (where, pkg, installed, pkg_path, vid),
        {"status": status} if status else {},
        scan_target,
    )


_NO_CVSS: tuple[str, float | None, str, float | None] = ("", None, "", None)


def _cvss(data: Any, preferred: Any) -> tuple[str, float | None, str, float | None]:
    """v3 and v4 vectors from Trivy's per-source CVSS map: the severity source first, then NVD."""
    if type(data) is not dict:
        return _NO_CVSS
    if len(data) == 1:  # the common case: one source, whose vectors repeat across the report
        for entry in data.values():
            if type(entry) is not dict:
                return _NO_CVSS
            v3 = entry.get("V3Vector")
            v4 = entry.get("V40Vector")
            vectors = (v3 if type(v3) is str else None, v4 if type(v4) is str else None)
            return CVSS_CACHE.get(vectors) or scores(vectors)
    order = list(data)
    if len(data) > 1:
        for key in ("nvd", preferred):
            if isinstance(key, str) and key in data:
                order.remove(key)
                order.insert(0, key)
    v3 = v4 = ""
    s3 = s4 = None
    for key in order:
        entry = data[key]
        if type(entry) is not dict:
            continue
        vector = entry.get("V3Vector")
        if not v3 and type(vector) is str:
            v3, s3 = cvss3(vector)
        vector = entry.get("V40Vector")
        if not v4 and type(vector) is str:
            v4, s4 = cvss4(vector)
        if v3 and v4:
            break
    return v3, s3, v4, s4


def _misconfiguration(
    m: dict[str, Any], where: str, target: str, image: str, repo: str, scan_target: str
) -> RawFinding:
    rule = text(m.get("ID")) or text(m.get("AVDID"))
    raw_severity = text(m.get("Severity"))
    cause = as_dict(m.get("CauseMetadata"))
    message = text(m.get("Message"))
    description = text(m.get("Description"))
    return RawFinding(
        title=text(m.get("Title")) or rule,
        severity=Severity.from_text(raw_severity),
        tool=TOOL,
        scanner_severity=raw_severity,
        description=f"{description}\n\n{message}".strip() if message else description,
        rule_id=rule,
        image=image,
        repository=repo,
        file_path=target,
        line=integer(cause.get("StartLine")),
        references=texts(m.get("References")),
        mitigation=text(m.get("Resolution")),
        fingerprint_parts=(where, "misconfiguration", rule, message),
        extra={"type": text(m.get("Type"))},
        target=scan_target,
    )


def _secret(s: dict[str, Any], where: str, target: str, image: str, repo: str, scan_target: str) -> RawFinding:
    rule = text(s.get("RuleID"))
    raw_severity = text(s.get("Severity"))
    match = text(s.get("Match"))  # already redacted by Trivy
    return RawFinding(
        title=text(s.get("Title")) or rule,
        severity=Severity.from_text(raw_severity),
        tool=TOOL,
        scanner_severity=raw_severity,
        description=match,
        rule_id=rule,
        image=image,
        repository=repo,
        file_path=target,
        line=integer(s.get("StartLine")),
        fingerprint_parts=(where, "secret", rule, match),
        extra={"category": text(s.get("Category"))},
        target=scan_target,
    )


FORMATS = (Format(name=NAME, label="Trivy JSON", sniff=sniff, parse=parse),)
