"""The scan-parser engine's shared types. No Django here: bytes in, typed findings out.

A parser module exposes:
    FORMAT: Format                      # name, label, and a cheap content sniffer
    def parse(stream: BinaryIO, *, source: str = "<stream>") -> Iterator[RawFinding]

Parsers stream where the format allows it, and raise ParseError (never anything else) with the
source name, the format and the position of the problem.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

import cvss as _cvss


class Severity(enum.IntEnum):
    INFO = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @classmethod
    def from_text(cls, text: str | None, default: Severity | None = None) -> Severity:
        # (the default used to be the class-body name INFO, which is the plain int 0 there)
        fallback = cls.INFO if default is None else default
        if not text:
            return fallback
        key = text.strip().lower()
        return _SEVERITY_WORDS.get(key, fallback)


_SEVERITY_WORDS = {
    "info": Severity.INFO,
    "informational": Severity.INFO,
    "information": Severity.INFO,
    "none": Severity.INFO,
    "negligible": Severity.INFO,
    "unknown": Severity.INFO,
    "note": Severity.LOW,
    "low": Severity.LOW,
    "minor": Severity.LOW,
    "moderate": Severity.MEDIUM,
    "medium": Severity.MEDIUM,
    "warning": Severity.MEDIUM,
    "high": Severity.HIGH,
    "important": Severity.HIGH,
    "error": Severity.HIGH,
    "major": Severity.HIGH,
    "critical": Severity.CRITICAL,
    "blocker": Severity.CRITICAL,
}


@dataclass(slots=True)
class RawFinding:
    """One finding as the scanner reported it, normalised to our fields.

    `fingerprint_parts` are the values that identify this finding across re-imports of the same
    scope; the domain layer hashes them (together with the format name) into the fingerprint.
    """

    title: str
    severity: Severity
    tool: str
    scanner_severity: str = ""
    description: str = ""
    rule_id: str = ""
    cve: str = ""
    aliases: tuple[str, ...] = ()  # other ids: GHSA-…, CWE excluded, vendor ids
    cwe: int | None = None
    cvss3_vector: str = ""
    cvss3_score: float | None = None
    cvss4_vector: str = ""
    cvss4_score: float | None = None
    epss_score: float | None = None
    epss_percentile: float | None = None
    package: str = ""
    installed_version: str = ""
    fixed_version: str = ""
    ecosystem: str = ""
    purl: str = ""
    host: str = ""
    ip: str = ""
    port: int | None = None
    protocol: str = ""
    url: str = ""
    image: str = ""
    repository: str = ""
    file_path: str = ""
    line: int | None = None
    references: tuple[str, ...] = ()
    mitigation: str = ""
    exploit_available: bool | None = None
    # VEX / scanner status, e.g. "not_affected", "false_positive", "fixed", "suppressed"
    vex_state: str = ""
    vex_justification: str = ""
    fingerprint_parts: tuple[str, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)
    # What the scan covered, when the file says it (Trivy's ArtifactName, a Kubernetes cluster):
    # the import's scope includes it (docs/vulns.md). Empty: the import derives it from the fields.
    target: str = ""


class ParseError(Exception):
    """The file cannot be read as the format. Says which file, which format and where."""

    def __init__(self, message: str, *, source: str = "<stream>", format: str = "", position: str = "") -> None:
        self.message = message
        self.source = source
        self.format = format
        self.position = position
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f" at {self.position}" if self.position else ""
        fmt = f" as {self.format}" if self.format else ""
        return f"{self.source}: cannot read{fmt}{where}: {self.message}"


@dataclass(frozen=True)
class Format:
    name: str  # e.g. "trivy", "sarif", "nessus-xml"
    label: str  # e.g. "Trivy JSON"
    # Given the first bytes of the file (up to HEAD_BYTES), say whether this looks like the format.
    # Sniffers must be cheap and must not raise.
    sniff: Callable[[bytes], bool]
    parse: Callable[..., Iterator[RawFinding]]


HEAD_BYTES = 64 * 1024

Parser = Callable[[BinaryIO], Iterator[RawFinding]]


# --- CVSS scoring shared by all parsers (added for the JSON parsers; XML parsers may use it too) ---
# Scores come from the maintained `cvss` library; vectors repeat a lot within a file, so the results
# are cached. A vector the library rejects is dropped together with its score (never raises).


@functools.lru_cache(maxsize=4096)
def cvss3(vector: str) -> tuple[str, float | None]:
    """(clean vector, base score) for a CVSS v3.x vector, or ("", None) when it is not valid."""
    vector = vector.strip()
    if not vector.startswith("CVSS:3."):
        return "", None
    try:
        c = _cvss.CVSS3(vector)
        return c.clean_vector(), float(c.base_score)
    except Exception:  # the library raises assorted errors on bad input; a bad vector is just dropped
        return "", None


@functools.lru_cache(maxsize=4096)
def cvss4(vector: str) -> tuple[str, float | None]:
    """(clean vector, base score) for a CVSS v4.0 vector, or ("", None) when it is not valid."""
    vector = vector.strip()
    if not vector.startswith("CVSS:4."):
        return "", None
    try:
        c = _cvss.CVSS4(vector)
        return c.clean_vector(), float(c.base_score)
    except Exception:
        return "", None
