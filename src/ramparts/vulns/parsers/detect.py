"""Cheap structural views of a file's head, shared by the sniffers.

A sniffer gets the first HEAD_BYTES of the file. For JSON we parse that head with ijson until it
runs out (a truncated head is expected) and record which paths occur ("runs.item.tool") and the
top-level scalar values ("bomFormat" -> "CycloneDX"). The result is cached, so ten sniffers cost
one parse of 64 KiB.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass, field
from typing import Any

import ijson

from .jsonstream import _ijson

_MAX_EVENTS = 20_000
_MAX_DEPTH = 5
_STOP_DEPTH = 64


@dataclass(frozen=True)
class JsonHead:
    root: str = ""  # "map", "array" or "" (not JSON)
    paths: frozenset[str] = frozenset()  # prefixes of the values seen, up to depth 5
    top: dict[str, Any] = field(default_factory=dict)  # top-level scalar members (first document)
    documents: int = 0  # top-level documents started in the head (JSON Lines > 1)

    def has(self, *paths: str) -> bool:
        return all(p in self.paths for p in paths)

    def any(self, *paths: str) -> bool:
        return any(p in self.paths for p in paths)

    def top_text(self, key: str) -> str:
        v = self.top.get(key)
        return v if isinstance(v, str) else ""


def strip_bom(head: bytes) -> bytes:
    return head[3:] if head.startswith(b"\xef\xbb\xbf") else head


@functools.lru_cache(maxsize=8)
def json_head(head: bytes) -> JsonHead:
    """Structure of the JSON in `head` (possibly truncated); root "" when it is not JSON."""
    body = strip_bom(head).lstrip()
    if not body or body[:1] not in (b"{", b"["):
        return JsonHead()
    paths: set[str] = set()
    top: dict[str, Any] = {}
    documents = 0
    root = ""
    try:
        # small reads: ijson turns a whole buffer into events before yielding the first one
        events = _ijson.parse(io.BytesIO(body), multiple_values=True, use_float=True, buf_size=4096)
        depth = 0
        for n, (prefix, event, value) in enumerate(events):
            if n > _MAX_EVENTS:
                break
            if event == "start_map" or event == "start_array":
                depth += 1
                if depth > _STOP_DEPTH:  # sniffers look 5 levels deep; deeper costs ijson quadratic time
                    break
            elif event == "end_map" or event == "end_array":
                depth -= 1
            if prefix == "" and event in ("start_map", "start_array"):
                documents += 1
                if not root:
                    root = "map" if event == "start_map" else "array"
            if prefix.count(".") >= _MAX_DEPTH:
                continue
            if event == "map_key":
                paths.add(f"{prefix}.{value}" if prefix else str(value))
            elif documents == 1 and "." not in prefix and prefix and event in ("string", "number", "boolean", "null"):
                top.setdefault(prefix, value)
    except (ijson.JSONError, ijson.common.IncompleteJSONError, UnicodeDecodeError, ValueError, OverflowError):
        pass  # the head is cut mid-document (or not JSON after all): keep what was seen
    return JsonHead(root=root, paths=frozenset(paths), top=top, documents=documents)


def first_line(head: bytes) -> str:
    """The first line of a text head, decoded leniently (for CSV header sniffing)."""
    body = strip_bom(head)
    line = body.split(b"\n", 1)[0].rstrip(b"\r")
    return line.decode("utf-8", "replace")


def looks_binary(head: bytes) -> bool:
    return b"\x00" in head[:8192]
