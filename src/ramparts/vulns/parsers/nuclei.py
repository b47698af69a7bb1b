"""Nuclei output: JSON Lines (`-jsonl`, read line by line) or a JSON array (`-json-export`, streamed)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO
from urllib.parse import urlsplit

import orjson

from .base import Format, ParseError, RawFinding, Severity, cvss3
from .detect import json_head, strip_bom
from .jsonstream import as_dict, integer, items, number, split_ids, text, texts

NAME = "nuclei"
TOOL = "nuclei"
MAX_LINE = 64 * 1024 * 1024


def _keys(h: Any, prefix: str) -> bool:
    return (
        h.any(f"{prefix}template-id", f"{prefix}templateID")
        and h.has(f"{prefix}info")
        and h.any(f"{prefix}host", f"{prefix}matched-at", f"{prefix}matched", f"{prefix}type")
    )


def sniff(head: bytes) -> bool:
    h = json_head(head)
    return (h.root == "map" and _keys(h, "")) or (h.root == "array" and _keys(h, "item."))


def parse(stream: BinaryIO, *, source: str = "<stream>") -> Iterator[RawFinding]:
    origin = stream.tell()
    head = strip_bom(stream.read(4096)).lstrip()
    stream.seek(origin)
    if head.startswith(b"["):
        for item in items(stream, "item", source=source, fmt=NAME):
            if isinstance(item, dict):
                yield _finding(item)
        return
    # readline with a bound: a huge file without line breaks must not be read into memory at once
    for number_, line in enumerate(iter(lambda: stream.readline(MAX_LINE + 1), b""), start=1):
        if len(line) > MAX_LINE:
            raise ParseError("line too long", source=source, format=NAME, position=f"line {number_}")
        line = line.strip()
        if number_ == 1:
            line = strip_bom(line)
        if not line:
            continue
        try:
            item = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            raise ParseError(
                f"invalid JSON: {exc.msg}", source=source, format=NAME, position=f"line {number_} column {exc.colno}"
            ) from None
        if not isinstance(item, dict):
            raise ParseError(
                "expected one JSON object per line", source=source, format=NAME, position=f"line {number_}"
            )
        yield _finding(item)


def _finding(item: dict[str, Any]) -> RawFinding:
    info = as_dict(item.get("info"))
    cls = as_dict(info.get("classification"))
    template = text(item.get("template-id")) or text(item.get("templateID"))
    matcher = text(item.get("matcher-name")) or text(item.get("matcher_name"))
    host = text(item.get("host"))
    matched = text(item.get("matched-at")) or text(item.get("matched"))
    raw = text(info.get("severity"))
    cve, aliases = split_ids(texts(cls.get("cve-id")))
    v3, s3 = cvss3(text(cls.get("cvss-metrics"))) if cls.get("cvss-metrics") else ("", None)
    url = matched if "://" in matched else text(item.get("url"))
    parts = urlsplit(url) if "://" in url else None
    hostname = ""
    try:
        hostname = (parts.hostname or "") if parts else ""
        port = parts.port if parts else None
    except ValueError:
        port = None
    if not hostname:
        bare = matched or host
        hostname, _, maybe_port = bare.rpartition(":") if ":" in bare and "://" not in bare else (bare, "", "")
        port = integer(maybe_port, low=1, high=65535)
    if port is None:
        port = integer(item.get("port"), low=1, high=65535)
    refs = info.get("reference")
    references = (
        texts(refs)
        if not isinstance(refs, str)
        else tuple(r.strip().lstrip("- ").strip() for r in refs.splitlines() if r.strip().lstrip("- ").strip())
    )
    extracted = texts(item.get("extracted-results") or item.get("extracted_results"))
    title = text(info.get("name")) or template
    if matcher:
        title = f"{title}: {matcher}"
    return RawFinding(
        title=title,
        severity=Severity.from_text(raw),
        tool=TOOL,
        scanner_severity=raw,
        description=text(info.get("description")) + (f"\n\nExtracted: {', '.join(extracted)}" if extracted else ""),
        rule_id=template,
        cve=cve,
        aliases=aliases,
        cwe=next(
            (n for n in (integer(text(c).upper().removeprefix("CWE-")) for c in texts(cls.get("cwe-id"))) if n), None
        ),
        cvss3_vector=v3,
        cvss3_score=s3,
        epss_score=number(cls.get("epss-score"), high=1.0),
        epss_percentile=number(cls.get("epss-percentile"), high=1.0),
        host=hostname,
        ip=text(item.get("ip")),
        port=port,
        protocol=text(item.get("type")),
        url=url,
        references=references,
        mitigation=text(info.get("remediation")),
        fingerprint_parts=(template, matcher, matched or host, ",".join(sorted(extracted))),
        extra={"tags": ",".join(texts(info.get("tags")))} if info.get("tags") else {},
    )


FORMATS = (Format(name=NAME, label="Nuclei JSON / JSON Lines", sniff=sniff, parse=parse),)
