"""Ramparts generic findings, JSON and CSV, for tools without a dedicated parser.

The format is specified in docs/scan-formats.md ("Generic format"). Field names are RawFinding's
own; only `title` and `severity` are required.

JSON: {"schema": "ramparts-findings/1", "tool": "mytool", "findings": [{...}, ...]}  (streamed)
CSV:  a header row naming only known fields (any order, case-insensitive), one finding per row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any, BinaryIO

from .base import Format, ParseError, RawFinding, Severity, cvss3, cvss4
from .detect import first_line, json_head
from .jsonstream import as_dict, cwe_id, first, integer, items, number, split_ids, text, texts

SCHEMA = "ramparts-findings/1"
TEXT_FIELDS = (
    "title", "description", "rule_id", "cve", "package", "installed_version", "fixed_version", "ecosystem",
    "purl", "host", "ip", "protocol", "url", "image", "repository", "file_path", "mitigation", "vex_state",
    "vex_justification",
)  # fmt: skip
LIST_FIELDS = ("aliases", "references")
OTHER_FIELDS = (
    "severity", "tool", "cwe", "cvss3_vector", "cvss4_vector", "epss_score", "epss_percentile", "port", "line",
    "exploit_available", "fingerprint",
)  # fmt: skip
FIELDS = frozenset(TEXT_FIELDS + LIST_FIELDS + OTHER_FIELDS)
_VEX = {"not_affected", "affected", "fixed", "under_investigation", "false_positive", "suppressed"}
_CSV_LIST_SEP = " "
MAX_CSV_FIELD = 1024 * 1024


def sniff_json(head: bytes) -> bool:
    h = json_head(head)
    return h.root == "map" and h.top_text("schema") == SCHEMA


def sniff_csv(head: bytes) -> bool:
    if json_head(head).root:
        return False
    line = first_line(head)
    for delimiter in (",", ";", "\t"):
        names = {c.strip().strip('"').strip().lower() for c in line.split(delimiter)}
        if {"title", "severity"} <= names and names <= FIELDS:
            return True
    return False


def parse_json(stream: BinaryIO, *, source: str = "<stream>") -> Iterator[RawFinding]:
    fmt = "generic-json"
    schema = first(stream, "schema", source=source, fmt=fmt)
    if schema != SCHEMA:
        raise ParseError(f'expected "schema": "{SCHEMA}"', source=source, format=fmt, position="byte 0")
    tool = text(first(stream, "tool", source=source, fmt=fmt)) or "generic"
    for n, item in enumerate(items(stream, "findings.item", source=source, fmt=fmt), start=1):
        if not isinstance(item, dict):
            raise ParseError("each finding must be an object", source=source, format=fmt, position=f"finding {n}")
        yield build(item, tool, source=source, fmt=fmt, position=f"finding {n}")


def parse_csv(stream: BinaryIO, *, source: str = "<stream>") -> Iterator[RawFinding]:
    fmt = "generic-csv"
    # newline="" keeps quoted line breaks; invalid UTF-8 raises and is reported with the line
    reader_text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="strict", newline="")
    previous = csv.field_size_limit(MAX_CSV_FIELD)
    rows: Any = None
    try:
        first = reader_text.readline()
        try:
            dialect: Any = csv.Sniffer().sniff(first, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        reader_text.seek(0)
        rows = csv.reader(reader_text, dialect)
        header = [h.strip().lower() for h in next(rows, [])]
        unknown = [h for h in header if h not in FIELDS]
        if not header or unknown or not {"title", "severity"} <= set(header):
            raise ParseError(
                f"header must name title, severity and known fields only (unknown: {', '.join(unknown) or '-'})",
                source=source, format=fmt, position="line 1",
            )  # fmt: skip
        for row in rows:
            if not any(cell.strip() for cell in row):
                continue
            position = f"line {rows.line_num}"
            if len(row) != len(header):
                raise ParseError(
                    f"expected {len(header)} columns, got {len(row)}", source=source, format=fmt, position=position
                )
            item: dict[str, Any] = dict(zip(header, row, strict=True))
            for key in LIST_FIELDS:
                if key in item:
                    item[key] = item[key].split()
            yield build(item, "generic", source=source, fmt=fmt, position=position)
    except (csv.Error, UnicodeDecodeError) as exc:
        line = rows.line_num + 1 if rows is not None else 1
        raise ParseError(f"unreadable CSV: {exc}", source=source, format=fmt, position=f"line {line}") from None
    finally:
        csv.field_size_limit(previous)
        reader_text.detach()


def build(item: dict[str, Any], tool: str, *, source: str, fmt: str, position: str) -> RawFinding:
    title = text(item.get("title")).strip()
    raw_severity = text(item.get("severity")).strip()
    if not title:
        raise ParseError("a finding needs a title", source=source, format=fmt, position=position)
    if raw_severity.lower() not in _SEVERITIES:
        raise ParseError(
            f"unknown severity {raw_severity[:40]!r} (use critical, high, medium, low or info)",
            source=source, format=fmt, position=position,
        )  # fmt: skip
    values = {k: text(item.get(k)).strip() for k in TEXT_FIELDS}
    cve, aliases = split_ids([values.pop("cve"), *texts(item.get("aliases"))])
    v3, s3 = cvss3(text(item.get("cvss3_vector")))
    v4, s4 = cvss4(text(item.get("cvss4_vector")))
    vex = values.pop("vex_state").lower()
    exploit = item.get("exploit_available")
    if isinstance(exploit, str):
        exploit = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}.get(
            exploit.strip().lower()
        )
    finding_tool = text(item.get("tool")).strip() or tool
    fingerprint = text(item.get("fingerprint")).strip()
    parts = (fingerprint,) if fingerprint else (
        values["rule_id"] or title, cve, values["host"], values["ip"], text(item.get("port")), values["url"],
        values["image"], values["repository"], values["file_path"], values["package"], values["installed_version"],
    )  # fmt: skip
    return RawFinding(
        severity=_SEVERITIES[raw_severity.lower()],
        tool=finding_tool,
        scanner_severity=raw_severity,
        cve=cve,
        aliases=aliases,
        cwe=cwe_id(item.get("cwe")) if item.get("cwe") not in (None, "") else None,
        cvss3_vector=v3,
        cvss3_score=s3,
        cvss4_vector=v4,
        cvss4_score=s4,
        epss_score=number(item.get("epss_score"), high=1.0),
        epss_percentile=number(item.get("epss_percentile"), high=1.0),
        port=integer(item.get("port"), low=1, high=65535),
        line=integer(item.get("line")),
        references=texts(item.get("references")),
        exploit_available=exploit if isinstance(exploit, bool) else None,
        vex_state=vex if vex in _VEX else "",
        fingerprint_parts=(finding_tool, *parts),
        extra={k: text(v) for k, v in as_dict(item.get("extra")).items()}
        if isinstance(item.get("extra"), dict)
        else {},
        **values,
    )


_SEVERITIES = {
    "critical": Severity.CRITICAL,
    "high": Severity.HIGH,
    "medium": Severity.MEDIUM,
    "low": Severity.LOW,
    "info": Severity.INFO,
    "informational": Severity.INFO,
}

FORMATS = (
    Format(name="generic-json", label="Ramparts generic JSON", sniff=sniff_json, parse=parse_json),
    Format(name="generic-csv", label="Ramparts generic CSV", sniff=sniff_csv, parse=parse_csv),
)
