"""Mapping files: requirement ↔ ATT&CK technique (CTID TSV, Mappings Explorer JSON) and
requirement ↔ requirement crosswalks (our documented CSV with NIST OLIR relationship types).

Parsers return rows that still name requirements by their ids in the file; the service matches
them to imported frameworks. `find_cycle` rejects contradictory crosswalks.
"""

import csv
import io
import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

import orjson

from ramparts.frameworks.engine.types import FileError, Problems

TECHNIQUE_RE = re.compile(r"^T\d{4}(\.\d{3})?$")
RELATIONSHIPS = {"subset_of", "intersects_with", "equal", "superset_of", "related"}
CROSSWALK_COLUMNS = ("source_framework", "source_id", "relationship", "target_framework", "target_id")
# The families a technique mapping file can target; the service matches them to imported frameworks.
FAMILY_800_53_R5 = "nist-800-53-rev5"
FAMILY_CSF_2 = "nist-csf-2.0"


@dataclass
class TechniqueRow:
    requirement_id: str
    technique_id: str
    technique_name: str
    mapping_type: str
    capability: str
    comments: str = ""


@dataclass
class RelationRow:
    where: str
    source_framework: str
    source_id: str
    relationship: str
    target_framework: str
    target_id: str
    note: str = ""


@dataclass
class MappingFile:
    kind: str  # "techniques" or "crosswalk"
    origin: str
    family: str = ""  # for technique files: which framework family the requirement ids belong to
    attack_version: str = ""
    techniques: list[TechniqueRow] = field(default_factory=list)
    relations: list[RelationRow] = field(default_factory=list)


def normalise_800_53(identifier: str) -> str:
    """`AC-02`, `ac-2`, `AC-2(01)` → `AC-2`, `AC-2(1)`: the form OSCAL labels and CTID use."""
    text = identifier.strip().upper()
    text = re.sub(r"^([A-Z]{2})-0*(\d+)", r"\1-\2", text)
    return re.sub(r"[(.]0*(\d+)\)?$", r"(\1)", text) if re.search(r"-\d+[(.]\d+\)?$", text) else text


def csf_subcategory(capability_id: str) -> str:
    """CRI Profile diagnostic statement `DE.AE-02.01` → its CSF 2.0 subcategory `DE.AE-02`."""
    match = re.match(r"^([A-Z]{2}\.[A-Z]{2}-\d{2})", capability_id.strip())
    return match.group(1) if match else capability_id.strip()


def parse_ctid_tsv(data: bytes, *, name: str) -> MappingFile:
    text = _utf8(data)
    reader = csv.DictReader(io.StringIO(text), delimiter="\t")
    needed = {"controlID", "mitigates", "techniqueID", "techniqueName"}
    if not needed <= set(reader.fieldnames or []):
        raise FileError("Not a CTID ATT&CK mapping TSV.", [("line 1", f"needs columns {sorted(needed)}")])
    version = re.search(r"attack-(\d+)-(\d+)", name)
    result = MappingFile(
        kind="techniques",
        origin=f"CTID ATT&CK {version.group(1)}.{version.group(2) if version else ''} → NIST SP 800-53 r5"
        if version
        else "CTID ATT&CK → NIST SP 800-53 r5",
        family=FAMILY_800_53_R5,
        attack_version=f"{version.group(1)}.{version.group(2)}" if version else "",
    )
    problems = Problems("The mapping file is invalid.")
    for number, row in enumerate(reader, start=2):
        control, technique = (row.get("controlID") or "").strip(), (row.get("techniqueID") or "").strip()
        if not control or not TECHNIQUE_RE.match(technique):
            problems.add(
                f"line {number}", f"needs a control id and an ATT&CK technique id, found {control!r}, {technique!r}"
            )
            continue
        result.techniques.append(
            TechniqueRow(
                requirement_id=normalise_800_53(control),
                technique_id=technique,
                technique_name=(row.get("techniqueName") or "").strip()[:300],
                mapping_type=(row.get("mitigates") or "mitigates").strip()[:40],
                capability=control[:100],
            )
        )
    problems.raise_if_any()
    return result


def parse_mapex_json(doc: dict) -> MappingFile:
    meta = doc.get("metadata")
    objects = doc.get("mapping_objects")
    if not isinstance(meta, dict) or not isinstance(objects, list):
        raise FileError("Not a Mappings Explorer file.", [("$", "needs `metadata` and `mapping_objects`")])
    framework, version = str(meta.get("mapping_framework") or ""), str(meta.get("mapping_framework_version") or "")
    if framework == "nist_800_53" and version == "rev5":
        family = FAMILY_800_53_R5
    elif framework == "cri_profile":
        family = FAMILY_CSF_2  # CRI diagnostic statements hang under CSF 2.0 subcategories
    else:
        raise FileError(
            "This Mappings Explorer file maps a framework Ramparts cannot attach to its requirements.",
            [("metadata.mapping_framework", f"{framework} {version}: supported are nist_800_53 rev5 and cri_profile")],
        )
    attack_version = str(meta.get("attack_version") or "")
    result = MappingFile(
        kind="techniques",
        origin=f"Mappings Explorer {framework} {version} / ATT&CK {attack_version}"[:300],
        family=family,
        attack_version=attack_version[:20],
    )
    problems = Problems("The mapping file is invalid.")
    for i, obj in enumerate(objects):
        if not isinstance(obj, dict):
            problems.add(f"mapping_objects[{i}]", "expected an object")
            continue
        capability = obj.get("capability_id")
        if obj.get("status") == "non_mappable" or obj.get("mapping_type") == "non_mappable" or capability is None:
            continue
        technique = str(obj.get("attack_object_id") or "")
        if not isinstance(capability, str) or not TECHNIQUE_RE.match(technique):
            problems.add(
                f"mapping_objects[{i}]", f"needs capability_id and an ATT&CK id, found {capability!r}, {technique!r}"
            )
            continue
        requirement = normalise_800_53(capability) if family == FAMILY_800_53_R5 else csf_subcategory(capability)
        result.techniques.append(
            TechniqueRow(
                requirement_id=requirement,
                technique_id=technique,
                technique_name=str(obj.get("attack_object_name") or "")[:300],
                mapping_type=str(obj.get("mapping_type") or "mitigates")[:40],
                capability=capability[:100],
                comments=str(obj.get("comments") or ""),
            )
        )
    problems.raise_if_any()
    return result


def parse_crosswalk_csv(data: bytes, *, name: str) -> MappingFile:
    reader = csv.DictReader(io.StringIO(_utf8(data)))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in CROSSWALK_COLUMNS if c not in header]
    if missing:
        raise FileError("The crosswalk CSV is invalid.", [("line 1", f"missing columns {missing}")])
    reader.fieldnames = header
    result = MappingFile(kind="crosswalk", origin=name[:300])
    problems = Problems("The crosswalk CSV is invalid.")
    for number, raw in enumerate(reader, start=2):
        row = {k: (v or "").strip() for k, v in raw.items() if k}
        relationship = row["relationship"].lower().replace(" ", "_")
        where = f"line {number}"
        if relationship not in RELATIONSHIPS:
            problems.add(
                f"{where}, column 'relationship'", f"{row['relationship']!r} is not one of {sorted(RELATIONSHIPS)}"
            )
            continue
        if not all(row[c] for c in CROSSWALK_COLUMNS):
            problems.add(where, f"every one of {list(CROSSWALK_COLUMNS)} is required")
            continue
        if (row["source_framework"], row["source_id"]) == (row["target_framework"], row["target_id"]):
            problems.add(where, f"{row['source_id']} cannot be mapped to itself")
            continue
        result.relations.append(
            RelationRow(
                where=where,
                source_framework=row["source_framework"],
                source_id=row["source_id"],
                relationship=relationship,
                target_framework=row["target_framework"],
                target_id=row["target_id"],
                note=row.get("note", ""),
            )
        )
    problems.raise_if_any()
    return result


def parse_mapping_json(data: bytes) -> MappingFile:
    try:
        doc = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise FileError("The file is not valid JSON.", [("", str(exc))]) from exc
    if not isinstance(doc, dict):
        raise FileError("Not a Mappings Explorer file.", [("$", "expected an object")])
    return parse_mapex_json(doc)


def find_cycle(edges: Sequence[tuple[Hashable, Hashable]]) -> list[Hashable] | None:
    """A directed cycle in "a is a subset of b" edges, as [a, b, ..., a], or None.

    A ⊂ B ⊂ A would make them equal while saying they differ: a contradiction to reject.
    """
    graph: dict[Hashable, list[Hashable]] = {}
    for a, b in edges:
        graph.setdefault(a, []).append(b)
    white, grey, black = 0, 1, 2
    colour: dict[Hashable, int] = {}
    for start in list(graph):
        if colour.get(start, white) != white:
            continue
        path: list[Hashable] = [start]
        colour[start] = grey
        iters = [iter(graph.get(start, []))]
        while iters:
            nxt = next(iters[-1], None)
            if nxt is None:
                colour[path.pop()] = black
                iters.pop()
                continue
            state = colour.get(nxt, white)
            if state == grey:
                return path[path.index(nxt) :] + [nxt]
            if state == white:
                colour[nxt] = grey
                path.append(nxt)
                iters.append(iter(graph.get(nxt, [])))
    return None


def _utf8(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileError("The file is not UTF-8 text.", [("", str(exc))]) from exc
