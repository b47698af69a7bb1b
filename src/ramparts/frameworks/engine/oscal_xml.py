"""OSCAL XML → the same dict shape as OSCAL JSON, so one walker serves both.

Parsed with defusedxml (no DTDs, no entity expansion). Only what a catalog or profile needs is
mapped; OSCAL's own XML↔JSON rules are followed: repeated elements become plural arrays
(`control` → `controls`), markup becomes a string, `<insert type="param" id-ref="x"/>` becomes
`{{ insert: param, x }}`, and multi-paragraph prose becomes Markdown-ish text.
"""

import re
from typing import Any
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from ramparts.frameworks.engine.types import FileError

OSCAL_NS = "http://csrc.nist.gov/ns/oscal/1.0"

# element name -> JSON key when it repeats
PLURAL = {
    "prop": "props",
    "link": "links",
    "part": "parts",
    "param": "params",
    "control": "controls",
    "group": "groups",
    "resource": "resources",
    "rlink": "rlinks",
    "guideline": "guidelines",
    "value": "values",
    "choice": "choice",
    "with-id": "with-ids",
    "import": "imports",
    "include-controls": "include-controls",
    "exclude-controls": "exclude-controls",
    "matching": "matching",
    "set-parameter": "set-parameters",
    "alter": "alters",
    "role": "roles",
    "party": "parties",
    "responsible-party": "responsible-parties",
    "document-id": "document-ids",
    "location": "locations",
    "email-address": "email-addresses",
    "telephone-number": "telephone-numbers",
    "address": "addresses",
    "addr-line": "addr-lines",
    "party-uuid": "party-uuids",
    "member-of-organization": "member-of-organizations",
    "revision": "revisions",
    "add": "adds",
    "remove": "removes",
    "constraint": "constraints",
    "test": "tests",
}
# Elements whose content is one line of markup (a JSON string).
MARKUP_LINE = {
    "title",
    "label",
    "value",
    "choice",
    "with-id",
    "published",
    "last-modified",
    "version",
    "oscal-version",
    "name",
    "short-name",
    "email-address",
    "addr-line",
    "city",
    "state",
    "postal-code",
    "country",
    "party-uuid",
    "document-id",
    "member-of-organization",
    "telephone-number",
}
# Elements holding paragraphs: the JSON has a string (or `prose` for parts and guidelines).
MULTILINE = {"usage", "remarks", "description", "citation", "text"}
PROSE_HOLDERS = {"part", "guideline"}
BLOCKS = {"p", "ul", "ol", "table", "pre", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6"}
BOOLEAN_CHILDREN = {"include-all", "as-is"}
BREAK = "\x00"  # a line break that survives whitespace collapsing


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if tag.startswith("{") else tag


def inline_text(el: Element) -> str:
    """The text of a markup element, with parameter inserts in their JSON form."""
    out: list[str] = [el.text or ""]
    for child in el:
        name = local(child.tag)
        if name == "insert":
            out.append(f"{{{{ insert: {child.get('type', 'param')}, {child.get('id-ref', '')} }}}}")
        elif name == "li":
            out.append(BREAK + "- " + inline_text(child).strip())
        elif name in {"tr"}:
            out.append(BREAK + " | ".join(inline_text(c).strip() for c in child))
        else:
            out.append(inline_text(child))
        out.append(child.tail or "")
    return "".join(out)


def squash(text: str) -> str:
    """Source XML is pretty-printed: whitespace runs become one space; list items and rows keep their lines."""
    return "\n".join(re.sub(r"\s+", " ", line).strip() for line in text.split(BREAK)).strip()


def prose_of(el: Element) -> str:
    paragraphs = [squash(inline_text(c)) for c in el if local(c.tag) in BLOCKS]
    return "\n\n".join(p for p in paragraphs if p)


def to_dict(el: Element) -> dict[str, Any]:
    name = local(el.tag)
    obj: dict[str, Any] = dict(el.attrib)
    obj.pop("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation", None)
    if name in PROSE_HOLDERS:
        prose = prose_of(el)
        if prose:
            obj["prose"] = prose
    elif name == "link" and (el.text or "").strip():
        obj["text"] = squash(el.text or "")
    for child in el:
        child_name = local(child.tag)
        if child_name in BLOCKS:
            continue
        if child_name in BOOLEAN_CHILDREN:
            obj[child_name] = {}
            continue
        if child_name in MARKUP_LINE:
            value: Any = squash(inline_text(child))
        elif child_name in MULTILINE:
            value = prose_of(child) or squash(inline_text(child))
        else:
            value = to_dict(child)
        key = PLURAL.get(child_name)
        if key:
            obj.setdefault(key, []).append(value)
        else:
            obj[child_name] = value
    return obj


def load(data: bytes) -> dict[str, Any]:
    """The OSCAL document as {"catalog": {...}} / {"profile": {...}} / {<other model>: {...}}."""
    try:
        root = SafeET.fromstring(data)
    except DefusedXmlException as exc:
        raise FileError("The XML file uses forbidden constructs (DTD or entities).", [("", str(exc))]) from exc
    except SafeET.ParseError as exc:
        line, column = getattr(exc, "position", (None, None))
        raise FileError("The file is not well-formed XML.", [(f"line {line}, column {column}", str(exc))]) from exc
    if not root.tag.startswith("{" + OSCAL_NS + "}"):
        raise FileError(
            "This XML is not OSCAL.",
            [("root element", f"expected namespace {OSCAL_NS}, found {root.tag!r}")],
        )
    return {local(root.tag): to_dict(root)}
