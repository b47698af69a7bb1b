"""OSCAL catalogs and profiles (as JSON-shaped dicts) → ParsedFramework, with structural validation.

Validation follows the OSCAL 1.x catalog/profile schemas for what an import relies on: required
fields (uuid, metadata with title/last-modified/version/oscal-version, control id and title, part
name, param id, prop name/value, import href), their types, the uuid and token formats, and unique
ids. Every problem is reported with its path, e.g. `catalog.groups[2].controls[4].title`.
"""

import re
from typing import Any

from ramparts.frameworks.engine.types import (
    Alter,
    ControlSelector,
    FileError,
    ParsedFramework,
    ParsedRequirement,
    Problems,
    ProfileImport,
)

UUID_RE = re.compile(r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$")
TOKEN_RE = re.compile(r"^[^\W\d][\w.\-]*$")
INSERT_RE = re.compile(r"\{\{\s*insert:\s*param,\s*([^\s}]+)\s*\}\}")
LABEL_WITH_ID_RE = re.compile(r"^.*\s\(([^()\s]+)\)$")  # "Account Management (03.01.01)"
OSCAL_MODELS = {
    "catalog",
    "profile",
    "component-definition",
    "system-security-plan",
    "assessment-plan",
    "assessment-results",
    "plan-of-action-and-milestones",
    "mapping-collection",
}
KIND_BY_CLASS = {
    "function": "function",
    "category": "category",
    "subcategory": "subcategory",
    "family": "group",
    "requirement": "requirement",
    "security_requirement": "requirement",
}
STRUCTURE_KINDS = {"group", "function", "category"}
WITHDRAWN_RELS = {"incorporated-into", "moved-to"}


def parse_document(doc: Any, *, source: str) -> ParsedFramework:
    if not isinstance(doc, dict) or len(doc) != 1:
        keys = list(doc)[:5] if isinstance(doc, dict) else type(doc).__name__
        raise FileError("Not an OSCAL document: expected one root key (catalog or profile).", [("$", f"found {keys}")])
    (model, body), *_ = doc.items()
    if model not in {"catalog", "profile"}:
        why = f"an OSCAL {model}" if model in OSCAL_MODELS else f"unknown root key {model!r}"
        raise FileError(f"Only OSCAL catalogs and profiles can be imported as frameworks; this file is {why}.")
    problems = Problems(f"The OSCAL {model} does not follow the OSCAL schema.")
    if not isinstance(body, dict):
        problems.add(model, "expected an object")
        problems.raise_if_any()
    meta = _metadata(body, model, problems)
    if model == "catalog":
        framework = ParsedFramework(kind="catalog", source=source, **meta)
        framework.requirements = _Walker(problems).catalog(body)
    else:
        framework = ParsedFramework(kind="profile", source=source, **meta)
        framework.imports, framework.set_params = _profile(body, problems)
        framework.alters = _alters(body, problems)
    problems.raise_if_any()
    return framework


def _metadata(body: dict, model: str, problems: Problems) -> dict[str, Any]:
    uuid = body.get("uuid")
    if not isinstance(uuid, str) or not UUID_RE.match(uuid):
        problems.add(f"{model}.uuid", "required, a UUID" if uuid is None else f"not a UUID: {uuid!r}")
    meta = body.get("metadata")
    if not isinstance(meta, dict):
        problems.add(f"{model}.metadata", "required object is missing" if meta is None else "expected an object")
        return {"name": "", "version": ""}
    for field in ("title", "last-modified", "version", "oscal-version"):
        value = meta.get(field)
        if not isinstance(value, str) or not value.strip():
            problems.add(f"{model}.metadata.{field}", "required string is missing or empty")
    publisher = ""
    for party in meta.get("parties") or []:
        if isinstance(party, dict) and isinstance(party.get("name"), str):
            publisher = party["name"]
            break
    return {
        "name": _str(meta.get("title"))[:300],
        "version": _str(meta.get("version"))[:100],
        "published": _str(meta.get("published") or meta.get("last-modified"))[:40],
        "publisher": publisher[:300],
        "oscal_uuid": uuid if isinstance(uuid, str) else "",
        "oscal_version": _str(meta.get("oscal-version"))[:20],
        "description": _str(meta.get("remarks")),
    }


def _str(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _list(node: dict, key: str, path: str, problems: Problems) -> list:
    value = node.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        problems.add(f"{path}.{key}", f"expected an array, found {type(value).__name__}")
        return []
    return value


def _props(node: dict, path: str, problems: Problems) -> list[dict]:
    props = _list(node, "props", path, problems)
    for i, prop in enumerate(props):
        if (
            not isinstance(prop, dict)
            or not isinstance(prop.get("name"), str)
            or not isinstance(prop.get("value"), str)
        ):
            problems.add(f"{path}.props[{i}]", "a prop needs string `name` and `value`")
    return [p for p in props if isinstance(p, dict)]


class _Walker:
    """Walks groups → controls → controls, any depth, in document order."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems
        self.items: list[ParsedRequirement] = []
        self.where: dict[str, str] = {}  # key -> path, to name the first of two duplicates
        self.identifiers: dict[str, str] = {}
        self.params: dict[str, dict] = {}
        self.raw: list[tuple[ParsedRequirement, dict, str]] = []
        self.group_counter = 0

    def catalog(self, body: dict) -> list[ParsedRequirement]:
        self._collect_params(body, "catalog")
        for i, group in enumerate(_list(body, "groups", "catalog", self.problems)):
            self._node(group, f"catalog.groups[{i}]", parent=None, depth=0, is_group=True, control_depth=0)
        for i, control in enumerate(_list(body, "controls", "catalog", self.problems)):
            self._node(control, f"catalog.controls[{i}]", parent=None, depth=0, is_group=False, control_depth=0)
        if not self.items and not self.problems.items:
            self.problems.add("catalog", "the catalog holds no groups and no controls")
        self._finish()
        return self.items

    def _collect_params(self, node: dict, path: str) -> None:
        for i, param in enumerate(_list(node, "params", path, self.problems)):
            if not isinstance(param, dict) or not isinstance(param.get("id"), str):
                self.problems.add(f"{path}.params[{i}]", "a param needs a string `id`")
                continue
            self.params[param["id"]] = param

    def _node(
        self, node: Any, path: str, *, parent: str | None, depth: int, is_group: bool, control_depth: int
    ) -> None:
        problems = self.problems
        if not isinstance(node, dict):
            problems.add(path, "expected an object")
            return
        key = node.get("id")
        if is_group and key is None:
            self.group_counter += 1
            key = f"group-{self.group_counter}"
        if not isinstance(key, str) or not TOKEN_RE.match(key):
            problems.add(f"{path}.id", "required, a token (letters, digits, '.', '-', '_')")
            return
        title = node.get("title")
        if not isinstance(title, str):
            problems.add(f"{path}.title", "required string is missing")
            title = ""
        if key in self.where:
            problems.add(f"{path}.id", f"duplicate id {key!r} (first at {self.where[key]})")
            return
        self.where[key] = path
        props = _props(node, path, problems)
        oscal_class = _str(node.get("class"))
        kind = KIND_BY_CLASS.get(oscal_class) or (
            "group" if is_group else "control" if control_depth == 0 else "enhancement"
        )
        identifier = _identifier(key, props)
        if identifier in self.identifiers:
            problems.add(path, f"duplicate identifier {identifier!r} (first at {self.identifiers[identifier]})")
            return
        self.identifiers[identifier] = path
        self._collect_params(node, path)
        item = ParsedRequirement(
            key=key,
            identifier=identifier[:100],
            title=" ".join(title.split())[:500],
            kind=kind,
            oscal_class=oscal_class[:60],
            assessable=kind not in STRUCTURE_KINDS,
            withdrawn=any(p.get("name") == "status" and str(p.get("value")).lower() == "withdrawn" for p in props),
            parent_key=parent,
            depth=depth,
        )
        for i, link in enumerate(_list(node, "links", path, problems)):
            if not isinstance(link, dict) or not isinstance(link.get("href"), str):
                problems.add(f"{path}.links[{i}]", "a link needs a string `href`")
            elif link.get("rel") in WITHDRAWN_RELS:
                item.withdrawn = True
                item.withdrawn_to.append({"rel": link["rel"], "key": link["href"].lstrip("#")})
        self.items.append(item)
        self.raw.append((item, node, path))
        if is_group:
            for i, child in enumerate(_list(node, "groups", path, problems)):
                self._node(child, f"{path}.groups[{i}]", parent=key, depth=depth + 1, is_group=True, control_depth=0)
        for i, child in enumerate(_list(node, "controls", path, problems)):
            self._node(
                child,
                f"{path}.controls[{i}]",
                parent=key,
                depth=depth + 1,
                is_group=False,
                control_depth=control_depth + (0 if is_group else 1),
            )

    def _finish(self) -> None:
        """Second pass, once every param is known: texts with parameters rendered."""
        identifier_of = {item.key: item.identifier for item in self.items}
        for item, node, path in self.raw:
            for i, part in enumerate(_list(node, "parts", path, self.problems)):
                self._part(item, part, f"{path}.parts[{i}]")
            item.params = [self._param_summary(p) for p in node.get("params") or [] if isinstance(p, dict)]
            for target in item.withdrawn_to:
                target["identifier"] = identifier_of.get(target["key"], target["key"])

    def _part(self, item: ParsedRequirement, part: Any, path: str) -> None:
        if not isinstance(part, dict) or not isinstance(part.get("name"), str):
            self.problems.add(path, "a part needs a string `name`")
            return
        name = part["name"]
        text = render(flatten_part(part), self.params)
        if name in {"statement", "overview"}:
            item.statement = "\n".join(filter(None, [item.statement, text]))
        elif name == "guidance":
            item.guidance = "\n".join(filter(None, [item.guidance, text]))
        elif text:
            item.parts.append({"name": name, "title": _str(part.get("title")), "prose": text})

    def _param_summary(self, param: dict) -> dict:
        select = param.get("select") if isinstance(param.get("select"), dict) else None
        return {
            "id": param.get("id", ""),
            "label": _str(param.get("label")),
            "values": [v for v in param.get("values") or [] if isinstance(v, str)],
            "select": (
                {
                    "how_many": select.get("how-many", "one"),
                    "choices": [render(str(c), self.params) for c in select.get("choice") or []],
                }
                if select
                else None
            ),
            "guidelines": " ".join(_str(g.get("prose")) for g in param.get("guidelines") or [] if isinstance(g, dict)),
            "text": param_text(param, self.params),
        }


def _identifier(key: str, props: list[dict]) -> str:
    labels = [p for p in props if p.get("name") == "label" and isinstance(p.get("value"), str)]
    label = next((p["value"] for p in labels if not p.get("class")), labels[0]["value"] if labels else "")
    label = label.strip()
    if not label:
        return key
    match = LABEL_WITH_ID_RE.match(label)
    if match:
        return match.group(1)
    return key if any(ch.isspace() for ch in label) else label


def flatten_part(part: dict, indent: int = 0) -> str:
    """A part and its sub-parts as text: "a. Develop ...", sub-items indented."""
    lines: list[str] = []
    label = next(
        (p.get("value", "") for p in part.get("props") or [] if isinstance(p, dict) and p.get("name") == "label"), ""
    )
    prose = _str(part.get("prose"))
    title = _str(part.get("title")) if indent else ""
    head = " ".join(x for x in (label, title, prose) if x)
    if head:
        lines.append("  " * indent + head)
    for sub in part.get("parts") or []:
        if isinstance(sub, dict):
            text = flatten_part(sub, indent + 1 if head else indent)
            if text:
                lines.append(text)
    return "\n".join(lines)


def param_text(param: dict, params: dict[str, dict], depth: int = 0) -> str:
    values = [v for v in param.get("values") or [] if isinstance(v, str)]
    if values:
        return ", ".join(values)
    select = param.get("select")
    if isinstance(select, dict):
        choices = [render(str(c), params, depth + 1) for c in select.get("choice") or []]
        how = " (one or more)" if select.get("how-many") == "one-or-more" else ""
        return f"[Selection{how}: {'; '.join(choices)}]"
    label = _str(param.get("label"))
    if label:
        return f"[Assignment: {label}]"
    guidelines = " ".join(_str(g.get("prose")) for g in param.get("guidelines") or [] if isinstance(g, dict))
    return f"[Assignment: {guidelines or param.get('id', '')}]"


def render(text: str, params: dict[str, dict], depth: int = 0) -> str:
    """`{{ insert: param, x }}` → the parameter's value, selection or assignment label."""
    if "{{" not in text or depth > 5:  # choices may insert params; a cycle stops here
        return text

    def one(match: re.Match) -> str:
        param = params.get(match.group(1))
        return param_text(param, params, depth) if param else f"[Assignment: {match.group(1)}]"

    return INSERT_RE.sub(one, text)


def _profile(body: dict, problems: Problems) -> tuple[list[ProfileImport], dict[str, list[str]]]:
    resources = {
        r["uuid"]: r
        for r in (body.get("back-matter") or {}).get("resources") or []
        if isinstance(r, dict) and isinstance(r.get("uuid"), str)
    }
    imports: list[ProfileImport] = []
    raw_imports = _list(body, "imports", "profile", problems)
    if not raw_imports:
        problems.add("profile.imports", "required: at least one import")
    for i, raw in enumerate(raw_imports):
        path = f"profile.imports[{i}]"
        if not isinstance(raw, dict) or not isinstance(raw.get("href"), str) or not raw["href"].strip():
            problems.add(f"{path}.href", "required string is missing")
            continue
        href = raw["href"].strip()
        imp = ProfileImport(href=href)
        if href.startswith("#"):
            resource = resources.get(href[1:])
            if resource is None:
                problems.add(f"{path}.href", f"broken reference: no back-matter resource has uuid {href[1:]!r}")
                continue
            imp.documents = [r["href"] for r in resource.get("rlinks") or [] if isinstance(r, dict) and "href" in r]
            imp.description = _str(resource.get("title")) or _str(resource.get("description"))
            if not imp.documents:
                problems.add(f"{path}.href", f"back-matter resource {href[1:]!r} has no rlinks naming the catalog")
        else:
            imp.documents = [href]
        imp.include_all = "include-all" in raw
        imp.include = _selectors(raw, "include-controls", path, problems)
        imp.exclude = _selectors(raw, "exclude-controls", path, problems)
        if not imp.include_all and not imp.include:
            problems.add(path, "selects nothing: needs include-all or include-controls")
        imports.append(imp)
    set_params: dict[str, list[str]] = {}
    modify = body.get("modify")
    if isinstance(modify, dict):
        for i, setting in enumerate(_list(modify, "set-parameters", "profile.modify", problems)):
            if not isinstance(setting, dict) or not isinstance(setting.get("param-id"), str):
                problems.add(f"profile.modify.set-parameters[{i}]", "needs a string `param-id`")
                continue
            values = [v for v in setting.get("values") or [] if isinstance(v, str)]
            if values:
                set_params[setting["param-id"]] = values
    return imports, set_params


def _alters(body: dict, problems: Problems) -> dict[str, Alter]:
    modify = body.get("modify")
    if not isinstance(modify, dict):
        return {}
    alters: dict[str, Alter] = {}
    for i, raw in enumerate(_list(modify, "alters", "profile.modify", problems)):
        path = f"profile.modify.alters[{i}]"
        if not isinstance(raw, dict) or not isinstance(raw.get("control-id"), str):
            problems.add(path, "needs a string `control-id`")
            continue
        alter = alters.setdefault(raw["control-id"], Alter())
        for j, add in enumerate(_list(raw, "adds", path, problems)):
            if not isinstance(add, dict):
                problems.add(f"{path}.adds[{j}]", "expected an object")
                continue
            position = add.get("position", "ending")
            for k, part in enumerate(_list(add, "parts", f"{path}.adds[{j}]", problems)):
                if not isinstance(part, dict) or not isinstance(part.get("name"), str):
                    problems.add(f"{path}.adds[{j}].parts[{k}]", "a part needs a string `name`")
                    continue
                alter.adds.append(
                    {
                        "name": part["name"],
                        "title": _str(part.get("title")),
                        "prose": flatten_part(part),
                        "position": position,
                    }
                )
        for j, remove in enumerate(_list(raw, "removes", path, problems)):
            if not isinstance(remove, dict) or not isinstance(remove.get("by-name"), str):
                problems.add(f"{path}.removes[{j}]", "only removes `by-name` (a part name) are supported")
                continue
            alter.removes.append(remove["by-name"])
    return alters


def _selectors(raw: dict, key: str, path: str, problems: Problems) -> list[ControlSelector]:
    selectors = []
    for j, entry in enumerate(_list(raw, key, path, problems)):
        where = f"{path}.{key}[{j}]"
        if not isinstance(entry, dict):
            problems.add(where, "expected an object")
            continue
        ids = []
        for k, item in enumerate(_list(entry, "with-ids", where, problems)):
            if isinstance(item, str) and item.strip():
                ids.append(item.strip())
            else:
                problems.add(f"{where}.with-ids[{k}]", "expected a control id")
        patterns = [
            m["pattern"]
            for m in _list(entry, "matching", where, problems)
            if isinstance(m, dict) and isinstance(m.get("pattern"), str)
        ]
        selectors.append(
            ControlSelector(ids=ids, patterns=patterns, with_child_controls=entry.get("with-child-controls") == "yes")
        )
    return selectors
