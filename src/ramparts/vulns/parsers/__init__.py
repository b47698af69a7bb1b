"""Scan parsers: detect a file's format from its content and stream typed findings out of it.

    fmt = detect(head, source="scan.json")            # Format, or ParseError
    for finding in parse(stream, source="scan.json"):  # detection + parsing
        ...
    formats()                                          # every supported Format, in sniff order

Each module listed in MODULES exposes FORMATS (a tuple of base.Format). To add a parser, add one
line to MODULES. Order matters only for sniffing: the first format whose sniffer accepts the head
wins, so the loosest sniffers (generic) go last.
"""

from __future__ import annotations

import functools
import importlib
import logging
from collections.abc import Iterator
from typing import BinaryIO

from .base import HEAD_BYTES, Format, ParseError, RawFinding, Severity
from .detect import json_head, looks_binary, strip_bom

_log = logging.getLogger(__name__)

__all__ = ["Format", "ParseError", "RawFinding", "Severity", "detect", "formats", "get", "parse", "sniff_head"]

MODULES: tuple[str, ...] = (
    # JSON formats
    "trivy",
    "grype",
    "sarif",
    "cyclonedx_json",
    "openvex",
    "semgrep",
    "gitleaks",
    "nuclei",
    "snyk",
    "npm_audit",
    "pip_audit",
    # XML and CSV formats (one line each)
    "nessus_xml",
    "nessus_csv",
    "openvas_xml",
    "openvas_csv",
    "zap",
    "burp",
    "dependency_check",
    "cyclonedx_xml",
    # the generic formats last: their sniffers are the loosest
    "generic",
)


@functools.cache
def formats() -> tuple[Format, ...]:
    found: list[Format] = []
    for name in MODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        found.extend(module.FORMATS)
    return tuple(found)


def get(name: str, *, source: str = "<stream>") -> Format:
    key = name.strip().lower().replace("_", "-")
    for fmt in formats():
        if fmt.name == key:
            return fmt
    raise ParseError(f"unknown format {name!r}; supported: {_names()}", source=source, format=name)


def _names() -> str:
    return ", ".join(f.name for f in formats())


def detect(head: bytes, *, source: str = "<stream>") -> Format:
    """The format of a file from its first bytes (HEAD_BYTES are enough), or ParseError."""
    head = head[:HEAD_BYTES]
    if not strip_bom(head).strip():
        raise ParseError("the file is empty", source=source, position="byte 0")
    if looks_binary(head):
        raise ParseError(
            f"binary content; the format could not be recognised (supported: {_names()})",
            source=source,
            position=f"byte {head.index(b'\x00')}",
        )
    for fmt in formats():
        try:
            if fmt.sniff(head):
                return fmt
        except Exception:  # noqa: S112 - a sniffer must not raise; a faulty one just does not match
            continue
    what = "JSON of another kind: " if json_head(head).root else ""
    raise ParseError(
        f"{what}the format could not be recognised (supported: {_names()}); pass the format explicitly if it is one",
        source=source,
    )


def sniff_head(stream: BinaryIO) -> bytes:
    """Read the head of a seekable stream and rewind it."""
    start = stream.tell()
    head = stream.read(HEAD_BYTES)
    stream.seek(start)
    return head


# Tools that write an empty file (Nuclei JSON Lines) or `null` (Gitleaks) when they find nothing:
# accepted as "no findings" when the format is given explicitly, never auto-detected.
_EMPTY_OK = {"nuclei": (b"",), "gitleaks": (b"null", b"[]")}


def _accepts(fmt: Format, head: bytes) -> bool:
    if strip_bom(head).strip() in _EMPTY_OK.get(fmt.name, ()):
        return True
    try:
        return bool(fmt.sniff(head))
    except Exception:
        return False


def parse(stream: BinaryIO, *, format: str | None = None, source: str = "<stream>") -> Iterator[RawFinding]:
    """Stream the findings of a scan file. `format` (a Format.name or "auto") overrides detection.

    A generator: detection and every error happen while iterating. Raises ParseError, and nothing
    else, for anything the file does wrong. Findings may have been yielded before an error deep in
    the file: callers import all or nothing. Items with equal fingerprint_parts are one finding
    (a report may repeat an item): the import merges them.
    """
    from .jsonstream import seekable

    stream = seekable(stream)
    head = sniff_head(stream)
    if format and format != "auto":
        fmt = get(format, source=source)
        if not _accepts(fmt, head):
            raise ParseError(
                f"the content does not look like {fmt.label}" + (" (the file is empty)" if not head.strip() else ""),
                source=source,
                format=fmt.name,
                position="byte 0",
            )
    else:
        fmt = detect(head, source=source)
    if head.startswith(b"\xef\xbb\xbf"):  # a UTF-8 byte order mark (Windows tools): JSON parsers refuse it
        stream.seek(stream.tell() + 3)
    try:
        yield from fmt.parse(stream, source=source)
    except ParseError:
        raise
    except Exception as exc:  # a parser bug must still surface as the parser's error type
        _log.exception("parser %s failed on %s", fmt.name, source)  # a bug to fix: the fuzz tests look for these
        raise ParseError(
            f"unexpected content ({type(exc).__name__}: {str(exc)[:200]})", source=source, format=fmt.name
        ) from exc
