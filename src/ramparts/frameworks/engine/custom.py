"""The documented YAML and CSV formats for frameworks a user writes (see docs/frameworks.md).

YAML: `framework: {name, version, description?, publisher?}` and `requirements:` a list of items
`{id, title?, text?, guidance?, kind?, assessable?, withdrawn?, parent?, children?: [...]}`.
CSV: optional `# name: value` lines (framework, version, description, publisher), then a header
with `id` and any of `parent, title, text, guidance, kind, assessable, withdrawn`.
"""

import csv
import io
from typing import Any

import yaml

from ramparts.frameworks.engine.types import FileError, ParsedFramework, ParsedRequirement, Problems

KINDS = {"group", "function", "category", "subcategory", "control", "enhancement", "requirement"}
TRUE = {"true", "yes", "1", "y"}
FALSE = {"false", "no", "0", "n", ""}
CSV_COLUMNS = {"id", "parent", "title", "text", "guidance", "kind", "assessable", "withdrawn"}


def parse_yaml(data: bytes) -> ParsedFramework:
    try:
        doc = yaml.safe_load(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise FileError("The file is not UTF-8 text.", [("", str(exc))]) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise FileError("The file is not valid YAML.", [(where, str(getattr(exc, "problem", exc)))]) from exc
    problems = Problems("The framework file is invalid.")
    if not isinstance(doc, dict):
        raise FileError(
            "The framework file is invalid.", [("$", "expected a mapping with `framework` and `requirements`")]
        )
    meta = doc.get("framework")
    if not isinstance(meta, dict):
        problems.add("framework", "required mapping with `name` and `version`")
        meta = {}
    rows: list[dict[str, Any]] = []

    def flatten(items: Any, path: str, parent: Any) -> None:
        if not isinstance(items, list):
            problems.add(path, "expected a list of requirements")
            return
        for i, item in enumerate(items):
            where = f"{path}[{i}]"
            if not isinstance(item, dict):
                problems.add(where, "expected a mapping with at least `id`")
                continue
            row = {k: item.get(k) for k in CSV_COLUMNS if k != "parent"}
            row["parent"] = item.get("parent", parent)
            row["_where"] = where
            row["_has_children"] = bool(item.get("children"))
            rows.append(row)
            if "children" in item:
                flatten(item["children"], f"{where}.children", item.get("id"))

    flatten(doc.get("requirements"), "requirements", None)
    return _build(meta, rows, problems, source="yaml")


def parse_csv(data: bytes) -> ParsedFramework:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileError("The file is not UTF-8 text.", [("", str(exc))]) from exc
    lines = text.splitlines(keepends=True)
    meta: dict[str, str] = {}
    skipped = 0
    while skipped < len(lines) and lines[skipped].lstrip().startswith("#"):
        name, _, value = lines[skipped].lstrip()[1:].partition(":")
        meta[name.strip().lower()] = value.strip()
        skipped += 1
    reader = csv.DictReader(io.StringIO("".join(lines[skipped:])))
    problems = Problems("The framework CSV is invalid.")
    header = [h.strip().lower() for h in reader.fieldnames or []]
    if "id" not in header:
        raise FileError("The framework CSV is invalid.", [(f"line {skipped + 1}", "the header needs an `id` column")])
    unknown = [h for h in header if h not in CSV_COLUMNS]
    if unknown:
        problems.add(f"line {skipped + 1}", f"unknown columns {unknown}; allowed: {sorted(CSV_COLUMNS)}")
    reader.fieldnames = header
    rows = []
    try:
        for number, raw in enumerate(reader, start=skipped + 2):
            row: dict[str, Any] = {k: (v or "").strip() for k, v in raw.items() if k in CSV_COLUMNS}
            row["_where"] = f"line {number}"
            row["_has_children"] = False
            rows.append(row)
    except csv.Error as exc:
        raise FileError("The framework CSV is invalid.", [(f"line {reader.line_num}", str(exc))]) from exc
    has_children = {r.get("parent") for r in rows if r.get("parent")}
    for row in rows:
        row["_has_children"] = row.get("id") in has_children
    return _build(meta, rows, problems, source="csv")


def _text(value: Any) -> str:
    if value is None:
        return ""
    return str(value).strip()


def _flag(value: Any, where: str, name: str, default: bool, problems: Problems) -> bool:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    problems.add(f"{where}.{name}", f"expected true or false, found {value!r}")
    return default


def _build(meta: dict, rows: list[dict[str, Any]], problems: Problems, *, source: str) -> ParsedFramework:
    name, version = _text(meta.get("name") or meta.get("framework")), _text(meta.get("version"))
    if not name:
        problems.add("framework.name", "required")
    if not version:
        problems.add("framework.version", "required")
    items: dict[str, ParsedRequirement] = {}
    order: list[str] = []
    named_parents = {_text(row.get("parent")) for row in rows}
    for row in rows:
        where = row["_where"]
        identifier = _text(row.get("id"))
        if not identifier:
            problems.add(f"{where}.id", "required")
            continue
        if len(identifier) > 100:
            problems.add(f"{where}.id", "longer than 100 characters")
            continue
        if identifier in items:
            problems.add(f"{where}.id", f"duplicate requirement id {identifier!r}")
            continue
        has_children = row["_has_children"] or identifier in named_parents
        kind = _text(row.get("kind")).lower() or ("group" if has_children else "requirement")
        if kind not in KINDS:
            problems.add(f"{where}.kind", f"unknown kind {kind!r}; one of {sorted(KINDS)}")
            continue
        parent = _text(row.get("parent")) or None
        if parent == identifier:
            problems.add(f"{where}.parent", f"{identifier!r} cannot be its own parent")
            continue
        items[identifier] = ParsedRequirement(
            key=identifier,
            identifier=identifier,
            title=_text(row.get("title"))[:500],
            kind=kind,
            assessable=_flag(
                row.get("assessable"), where, "assessable", kind not in {"group", "function", "category"}, problems
            ),
            statement=_text(row.get("text")),
            guidance=_text(row.get("guidance")),
            withdrawn=_flag(row.get("withdrawn"), where, "withdrawn", False, problems),
            parent_key=parent,
        )
        order.append(identifier)
        row["_id"] = identifier
    for row in rows:
        item = items.get(row.get("_id", ""))
        if item and item.parent_key and item.parent_key not in items:
            problems.add(f"{row['_where']}.parent", f"no requirement has id {item.parent_key!r}")
    if not items and not problems.items:
        problems.add("requirements", "the framework has no requirements")
    problems.raise_if_any()
    ordered = _tree_order(order, items, problems)
    problems.raise_if_any()
    return ParsedFramework(
        name=name[:300],
        version=version[:100],
        kind="custom",
        source=source,
        description=_text(meta.get("description")),
        publisher=_text(meta.get("publisher"))[:300],
        requirements=ordered,
    )


def _tree_order(order: list[str], items: dict[str, ParsedRequirement], problems: Problems) -> list[ParsedRequirement]:
    """Parents before children (depth-first, file order among siblings); parent cycles are errors."""
    children: dict[str | None, list[str]] = {}
    for identifier in order:
        children.setdefault(items[identifier].parent_key, []).append(identifier)
    result: list[ParsedRequirement] = []
    stack: list[tuple[str, int]] = [(i, 0) for i in reversed(children.get(None, []))]
    while stack:
        identifier, depth = stack.pop()
        item = items[identifier]
        item.depth = depth
        result.append(item)
        stack.extend((c, depth + 1) for c in reversed(children.get(identifier, [])))
    if len(result) != len(items):
        placed = {r.key for r in result}
        stuck = [i for i in order if i not in placed]
        problems.add("parent", f"the parent links form a cycle: {', '.join(stuck[:10])}")
    return result
