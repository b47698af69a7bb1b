"""Which parser a file needs, from its name and its first bytes."""

import orjson

from ramparts.frameworks.engine import custom, mappings, oscal, oscal_xml
from ramparts.frameworks.engine.mappings import MappingFile
from ramparts.frameworks.engine.types import FileError, ParsedFramework


def _head(data: bytes) -> bytes:
    return data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]


def parse_framework(name: str, data: bytes) -> ParsedFramework:
    """OSCAL catalog/profile (JSON or XML), or the custom YAML/CSV formats."""
    try:
        return _parse_framework(name, data)
    except RecursionError:  # a hostile file nesting thousands of levels deep
        raise FileError("The file nests its elements too deeply to be a framework.") from None


def _parse_framework(name: str, data: bytes) -> ParsedFramework:
    lower = name.lower()
    head = _head(data)
    if not head:
        raise FileError("The file is empty.")
    if head == b"<":
        return oscal.parse_document(oscal_xml.load(data), source="oscal-xml")
    if lower.endswith(".csv"):
        return custom.parse_csv(data)
    if head in (b"{", b"[") and not lower.endswith((".yaml", ".yml")):
        try:
            doc = orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            raise FileError("The file is not valid JSON.", [("", str(exc))]) from exc
        return oscal.parse_document(doc, source="oscal-json")
    if lower.endswith((".yaml", ".yml")):
        return custom.parse_yaml(data)
    raise FileError(
        f"Unknown framework file type: {name!r}.",
        [("", "expected OSCAL JSON or XML, or the YAML (.yaml/.yml) or CSV (.csv) format of docs/frameworks.md")],
    )


def parse_mapping(name: str, data: bytes) -> MappingFile:
    """CTID TSV, Mappings Explorer JSON, or a crosswalk CSV."""
    lower = name.lower()
    head = _head(data)
    if not head:
        raise FileError("The file is empty.")
    if head == b"{":
        return mappings.parse_mapping_json(data)
    if lower.endswith(".tsv") or data.split(b"\n", 1)[0].count(b"\t") >= 3:
        return mappings.parse_ctid_tsv(data, name=name)
    if lower.endswith(".csv"):
        return mappings.parse_crosswalk_csv(data, name=name)
    raise FileError(
        f"Unknown mapping file type: {name!r}.",
        [("", "expected a CTID .tsv, a Mappings Explorer .json or a crosswalk .csv (docs/frameworks.md)")],
    )
