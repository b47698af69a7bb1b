"""Hardened, streaming XML for the scan parsers: pyexpat with defusedxml's guards, plus limits.

Why not defusedxml.ElementTree.iterparse itself: it forces the pure-Python ElementTree (several
times slower on a 200 MB .nessus) and has no size, depth or attribute-default limits. We install
the same expat hooks defusedxml installs, on a bare pyexpat parser feeding the C TreeBuilder:

- a DOCTYPE is refused ("DTD not allowed"), except an internal subset for formats that always
  carry one (Burp); a DOCTYPE with a SYSTEM/PUBLIC id (external DTD) is always refused;
- any <!ENTITY> declaration is refused before it can be used ("XML entities are not allowed"):
  this stops billion laughs, quadratic blow-up and XXE (file:// or http://) before expansion;
- external entity references are refused, and expat never loads anything (no handler fetches);
- <!ATTLIST> defaults are capped (a long default repeated on every element would amplify too);
- input bytes, nesting depth and one element's text are capped.

`iterparse` yields (event, element, ...) with local tag names (namespaces stripped) and frees
every finished element that is not inside a `keep` element, so memory stays flat: a parser keeps
the records it reads (e.g. ReportItem) and everything else is dropped as soon as it ends.
"""

from __future__ import annotations

import contextlib
import functools
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import BinaryIO
from xml.parsers import expat

from .base import ParseError

START, END = "start", "end"
CHUNK = 256 * 1024
MAX_BYTES = 4 * 1024**3  # a configurable ceiling: callers (and tests) may lower it
MAX_DEPTH = 200
MAX_TEXT = 64 * 1024 * 1024  # characters of text in one element (Burp responses can be MBs)
MAX_ATTLIST_DEFAULT = 256

Element = ET.Element


class _Refused(Exception):
    """Raised inside an expat handler; becomes a ParseError with the parser's position."""


def _local(name: str) -> str:
    return name.rpartition("}")[2]


class _Builder:
    def __init__(self, allow_dtd: bool, max_depth: int, max_text: int) -> None:
        self.tb = ET.TreeBuilder()
        self.stack: list[ET.Element] = []
        self.events: list[tuple[str, ET.Element, ET.Element | None]] = []
        self.allow_dtd = allow_dtd
        self.max_depth = max_depth
        self.max_text = max_text
        self.text = 0
        self.names: dict[str, str] = {}

    def start(self, name: str, attrs: dict[str, str]) -> None:
        stack = self.stack
        if len(stack) >= self.max_depth:
            raise _Refused(f"elements nested deeper than {self.max_depth} levels")
        if attrs:
            attrs = {_local(k): v for k, v in attrs.items()}
        local = self.names.get(name)
        if local is None:  # few distinct tag names per file: strip each namespace once (bounded cache)
            local = _local(name)
            if len(self.names) < 10_000:
                self.names[name] = local
        elem = self.tb.start(local, attrs)
        self.events.append((START, elem, stack[-1] if stack else None))
        stack.append(elem)
        self.text = 0

    def end(self, name: str) -> None:
        elem = self.tb.end(name)  # the C TreeBuilder closes the innermost element whatever the name
        stack = self.stack
        stack.pop()
        self.events.append((END, elem, stack[-1] if stack else None))
        self.text = 0

    def data(self, data: str) -> None:
        self.text += len(data)
        if self.text > self.max_text:
            raise _Refused(f"one element holds more than {self.max_text:,} characters of text")
        self.tb.data(data)

    def doctype(self, name: str, sysid: str | None, pubid: str | None, has_internal_subset: int) -> None:
        if sysid or pubid:
            raise _Refused(f"DTD not allowed: external DTD {sysid or pubid!r} in <!DOCTYPE {name}>")
        if not self.allow_dtd:
            raise _Refused(f"DTD not allowed (<!DOCTYPE {name}>): scan reports never need one")

    def entity(self, name: str, *_args: object) -> None:
        raise _Refused(f"XML entities are not allowed (<!ENTITY {name}> declared)")

    def external(self, *_args: object) -> int:
        raise _Refused("XML entities are not allowed (external entity reference)")

    def attlist(self, elname: str, attname: str, _type: str, default: str | None, _required: int) -> None:
        if default and len(default) > MAX_ATTLIST_DEFAULT:
            raise _Refused(f"DTD attribute default for <{elname} {attname}> is too long")


def _make_parser(b: _Builder) -> expat.XMLParserType:
    p = expat.ParserCreate(namespace_separator="}")
    p.buffer_text = True
    p.buffer_size = 64 * 1024
    p.ordered_attributes = False
    p.StartElementHandler = b.start
    p.EndElementHandler = b.end
    p.CharacterDataHandler = b.data
    p.StartDoctypeDeclHandler = b.doctype
    p.EntityDeclHandler = b.entity
    p.UnparsedEntityDeclHandler = b.entity
    p.ExternalEntityRefHandler = b.external
    p.AttlistDeclHandler = b.attlist
    p.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    return p


def _expat_message(code: int) -> str:
    reason = expat.ErrorString(code)
    if code == expat.errors.codes[expat.errors.XML_ERROR_NO_ELEMENTS]:
        return "the file ends before the XML document is complete (empty or truncated?)"
    if code == expat.errors.codes[expat.errors.XML_ERROR_UNDEFINED_ENTITY]:
        return "XML entities are not allowed (undefined entity reference)"
    if code == expat.errors.codes[expat.errors.XML_ERROR_UNCLOSED_TOKEN]:
        return "the file ends inside a tag (truncated?)"
    return f"malformed XML: {reason}"


def iterparse(
    stream: BinaryIO,
    *,
    source: str,
    fmt: str,
    roots: tuple[str, ...],
    keep: frozenset[str] = frozenset(),
    allow_dtd: bool = False,
    label: str = "",
    max_bytes: int | None = None,
) -> Iterator[tuple[str, ET.Element, ET.Element | None]]:
    """(event, element, parent) for each start/end, with local names; ParseError on anything wrong.

    `roots`: accepted root element names (anything else is the wrong format). Elements are freed
    after their end event unless they sit inside an open element named in `keep`.
    """
    limit = MAX_BYTES if max_bytes is None else max_bytes
    b = _Builder(allow_dtd, MAX_DEPTH, MAX_TEXT)
    p = _make_parser(b)
    inside = 0
    seen = 0
    blank = True
    first = True
    done = False

    def where() -> str:
        return f"line {p.CurrentLineNumber}, column {p.CurrentColumnNumber + 1}"

    while not done:
        try:
            chunk = stream.read(CHUNK)
        except (OSError, ValueError) as exc:
            raise ParseError(f"cannot read the file ({exc})", source=source, format=fmt) from exc
        seen += len(chunk)
        blank = blank and not chunk.strip()
        if seen > limit:
            raise ParseError(f"the file is larger than the {limit:,}-byte limit", source=source, format=fmt)
        done = not chunk
        try:
            p.Parse(chunk, done)
        except expat.ExpatError as exc:
            what = _expat_message(exc.code)
            position = f"line {exc.lineno}, column {exc.offset + 1}"
            if first and not b.events:  # nothing parsed yet: say what the file is instead
                if blank:
                    what, position = "the file is empty", "byte 0"
                elif exc.code == expat.errors.codes[expat.errors.XML_ERROR_SYNTAX]:
                    what = "not XML (no root element)"
            raise ParseError(what, source=source, format=fmt, position=position) from None
        except _Refused as exc:
            raise ParseError(str(exc), source=source, format=fmt, position=where()) from None
        except (RecursionError, MemoryError, UnicodeError, ValueError, LookupError) as exc:
            raise ParseError(
                f"unreadable XML ({type(exc).__name__})", source=source, format=fmt, position=where()
            ) from None
        events, b.events = b.events, []
        for event, elem, parent in events:
            if first:
                first = False
                if elem.tag not in roots:
                    want = " or ".join(f"<{r}>" for r in roots)
                    raise ParseError(
                        f"not {label or fmt}: the root element is <{elem.tag}>, expected {want}",
                        source=source,
                        format=fmt,
                        position="line 1",
                    )
            if event == START:
                if elem.tag in keep:
                    inside += 1
                yield event, elem, parent
            else:
                yield event, elem, parent
                if elem.tag in keep:
                    inside -= 1
                if not inside and parent is not None:
                    _prune(elem, parent)


def _prune(elem: ET.Element, parent: ET.Element) -> None:
    elem.clear()
    if len(parent) and parent[-1] is elem:
        del parent[-1]
    else:
        with contextlib.suppress(ValueError):
            parent.remove(elem)


# --- helpers for reading a record -------------------------------------------------------------


def text(elem: ET.Element | None, child: str = "", limit: int = 1_000_000) -> str:
    """Stripped text of `elem` or of its first direct child named `child` ("" when absent)."""
    if elem is None:
        return ""
    node = elem.find(child) if child else elem
    if node is None or node.text is None:
        return ""
    return node.text.strip()[:limit]


def texts(elem: ET.Element | None, path: str) -> list[str]:
    if elem is None:
        return []
    return [t for n in elem.iterfind(path) if (t := (n.text or "").strip())]


def all_text(elem: ET.Element) -> str:
    """Text of an element including its descendants (mixed content, e.g. HTML in Burp)."""
    return "".join(elem.itertext()).strip()


# --- sniffing ---------------------------------------------------------------------------------

_NAME = re.compile(rb"[A-Za-z_][\w.:-]*")


def _skip_space(body: bytes, i: int) -> int:
    n = len(body)
    while i < n and body[i] in b" \t\r\n":
        i += 1
    return i


def _skip_prolog(body: bytes) -> tuple[int, bytes]:
    """(offset of the root start tag or -1, DOCTYPE name): a linear scan, no regex backtracking."""
    i, n, doctype = 0, len(body), b""
    while i < n:
        c = body[i : i + 1]
        if c.isspace():
            i += 1
        elif body.startswith(b"<?", i):
            j = body.find(b"?>", i + 2)
            if j < 0:
                return -1, doctype
            i = j + 2
        elif body.startswith(b"<!--", i):
            j = body.find(b"-->", i + 4)
            if j < 0:
                return -1, doctype
            i = j + 3
        elif body.startswith(b"<!DOCTYPE", i):
            m = _NAME.match(body, _skip_space(body, i + 9))
            doctype = m.group(0) if m else b""
            bracket, close = body.find(b"[", i), body.find(b">", i)
            if 0 <= bracket < close or (close < 0 <= bracket):
                j = body.find(b"]", bracket)  # the internal subset ends at "]" then ">"
                while j >= 0 and body[_skip_space(body, j + 1) : _skip_space(body, j + 1) + 1] != b">":
                    j = body.find(b"]", j + 1)
                if j < 0:
                    return -1, doctype
                close = body.find(b">", j)
            if close < 0:
                return -1, doctype
            i = close + 1
        elif c == b"<":
            return i, doctype
        else:
            return -1, doctype
    return -1, doctype


def _utf8_head(head: bytes) -> bytes:
    if head.startswith(b"\xef\xbb\xbf"):
        return head[3:]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or head[1:2] == b"\x00" or head[:1] == b"\x00":
        codec = (
            "utf-16" if head[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-16-le" if head[1:2] == b"\x00" else "utf-16-be"
        )
        return head[: len(head) // 2 * 2].decode(codec, "replace").encode("utf-8")
    return head


@functools.lru_cache(maxsize=8)
def xml_root(head: bytes) -> tuple[str, str]:
    """(root element local name, its attribute text) from the head of an XML file, or ("", "").

    When a DOCTYPE does not end within the head (a hostile internal subset), its declared name
    stands for the root, so the format is still recognised and the parser can refuse the DTD.
    """
    try:
        body = _utf8_head(head)
        start, doctype = _skip_prolog(body)
        m = _NAME.match(body, start + 1) if start >= 0 else None
        if not m:
            return (doctype.decode("ascii", "replace").rpartition(":")[2], "") if doctype else ("", "")
        end = body.find(b">", m.end())
        attrs = body[m.end() : end if end >= 0 else m.end() + 4096]
        return m.group(0).decode("ascii", "replace").rpartition(":")[2], attrs.decode("utf-8", "replace")
    except Exception:  # a sniffer never raises
        return "", ""


def head_has(head: bytes, needle: bytes) -> bool:
    """Whether the (UTF-8 or UTF-16) head contains `needle`, case-insensitively."""
    return needle.lower() in _utf8_head(head).lower()
