"""Importing a framework file: parse (engine), resolve a profile against its exact catalog, store
all-or-nothing, audit."""

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from ramparts.core import audit
from ramparts.core.errors import Conflict, Problem, ValidationFailed
from ramparts.core.permissions import require
from ramparts.frameworks.engine import FileError, ParsedFramework, ParsedRequirement, parse_framework
from ramparts.frameworks.engine.oscal import INSERT_RE
from ramparts.frameworks.engine.profiles import CatalogNode, catalog_stem, resolve
from ramparts.frameworks.engine.types import Alter
from ramparts.frameworks.models import Framework, Requirement

MAX_FILE_BYTES = 50 * 1024 * 1024
STRUCTURE_KINDS = {"group", "function"}  # OSCAL groups; a profile selects among the rest


@dataclass
class ImportResult:
    framework: Framework
    requirements: int  # assessable requirements stored
    unresolved: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "framework": self.framework.name,
            "version": self.framework.version,
            "requirements": self.requirements,
        }
        if self.framework.kind == Framework.Kind.PROFILE:
            result["unresolved"] = self.unresolved
        result["slug"] = self.framework.slug
        return result


def authorise(actor) -> None:
    """People need frameworks.import; the system itself (actor None: built-ins, migrations) does not."""
    if actor is not None:
        require(actor, "frameworks.import")


def file_error_to_validation(name: str, exc: FileError) -> ValidationFailed:
    return ValidationFailed(
        f"{name}: {exc.message}",
        [Problem(f"{where}: {why}" if where else why) for where, why in exc.problems],
    )


def framework_import(
    *, actor, name: str, data: bytes, allow_unresolved: bool = False, built_in: bool = False
) -> ImportResult:
    """Import one framework file next to those already there. Raises ValidationFailed (bad file,
    unresolvable profile) or Conflict (same name and version already imported); stores nothing then."""
    authorise(actor)
    if len(data) > MAX_FILE_BYTES:
        raise ValidationFailed(f"{name}: the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.")
    try:
        parsed = parse_framework(name, data)
    except FileError as exc:
        raise file_error_to_validation(name, exc) from None
    with transaction.atomic():
        if Framework.objects.filter(name=parsed.name, version=parsed.version).exists():
            raise Conflict(f"{parsed.name} version {parsed.version} is already imported.")
        framework = Framework.objects.create(
            slug=_unique_slug(f"{parsed.name} {parsed.version}"),
            name=parsed.name,
            version=parsed.version,
            kind=parsed.kind,
            source="built-in" if built_in else parsed.source,
            built_in=built_in,
            description=parsed.description,
            publisher=parsed.publisher,
            published=parsed.published,
            oscal_uuid=parsed.oscal_uuid,
            oscal_version=parsed.oscal_version,
            file_name=name.replace("\\", "/").rsplit("/", 1)[-1][:400],
            file_sha256=hashlib.sha256(data).hexdigest(),
            imported_at=timezone.now(),
            imported_by=actor if getattr(actor, "pk", None) else None,
        )
        unresolved: list[str] = []
        if parsed.kind == Framework.Kind.PROFILE:
            unresolved = _store_profile(framework, parsed, name=name, allow_unresolved=allow_unresolved)
        else:
            _store(framework, parsed.requirements)
        count = framework.requirements.filter(assessable=True).count()
        Framework.objects.filter(pk=framework.pk).update(requirement_count=count, unresolved=unresolved)
        framework.requirement_count, framework.unresolved = count, unresolved
        audit.record(
            actor,
            audit.Change(
                action=audit.Action.CREATE,
                object_type=audit.object_type_of(framework),
                object_id=str(framework.pk),
                object_ref=framework.slug,
                changes=audit.created(
                    {
                        "name": framework.name,
                        "version": framework.version,
                        "kind": framework.kind,
                        "source": framework.source,
                        "file_sha256": framework.file_sha256,
                        "requirements": count,
                        "imported_from": str(framework.imported_from) if framework.imported_from_id else None,
                        "unresolved": unresolved,
                    }
                ),
            ),
        )
    return ImportResult(framework=framework, requirements=count, unresolved=unresolved)


def framework_delete(*, actor, framework: Framework) -> None:
    """Remove an imported framework with its requirements. Refused while a profile resolves against it
    (and, through PROTECT foreign keys, while another module still refers to it)."""
    from django.db.models import ProtectedError

    authorise(actor)
    if framework.built_in:
        raise Conflict(f"{framework} is built in and cannot be deleted.")
    before = audit.snapshot(framework)
    try:
        with transaction.atomic():
            pk = framework.pk
            framework.delete()
            audit.record(
                actor,
                audit.Change(
                    action=audit.Action.DELETE,
                    object_type=audit.object_type_of(Framework),
                    object_id=str(pk),
                    object_ref=before["slug"],
                    changes=audit.deleted(before),
                ),
            )
    except ProtectedError as exc:
        raise Conflict(f"{framework} is still in use ({len(exc.protected_objects)} references).") from None


def _unique_slug(text: str) -> str:
    base = slugify(text.replace(".", "-").replace("+", "-"))[:100].strip("-") or "framework"
    slug, n = base, 1
    while Framework.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _store(framework: Framework, items: list[ParsedRequirement], origins: dict[str, int] | None = None) -> None:
    """Insert the tree level by level, so each child row knows its parent's primary key."""
    by_depth: dict[int, list[tuple[int, ParsedRequirement]]] = {}
    for order, item in enumerate(items):
        by_depth.setdefault(item.depth, []).append((order, item))
    pk_of: dict[str, int] = {}
    for depth in sorted(by_depth):
        rows = [
            Requirement(
                framework=framework,
                parent_id=pk_of.get(item.parent_key) if item.parent_key else None,
                origin_id=(origins or {}).get(item.key),
                identifier=item.identifier,
                key=item.key,
                title=item.title,
                kind=item.kind,
                oscal_class=item.oscal_class,
                assessable=item.assessable,
                statement=item.statement,
                guidance=item.guidance,
                parts=item.parts,
                params=item.params,
                withdrawn=item.withdrawn,
                withdrawn_to=item.withdrawn_to,
                order=order,
                depth=depth,
            )
            for order, item in by_depth[depth]
        ]
        created = Requirement.objects.bulk_create(rows, batch_size=500)
        if created and created[0].pk is None:  # backends that do not return ids
            pk_of.update(
                Requirement.objects.filter(framework=framework, depth=depth).values_list("key", "pk")  # type: ignore[arg-type]
            )
        else:
            pk_of.update((row.key, row.pk) for row in created)


def _matching_catalog(parsed: ParsedFramework, name: str) -> Framework:
    """The one imported catalog this profile's import names (docs/frameworks.md, "Profiles")."""
    imp = parsed.imports[0]
    wanted = {catalog_stem(doc) for doc in imp.documents}
    label = imp.description or imp.href
    documents = ", ".join(sorted({doc.replace("\\", "/").rsplit("/", 1)[-1] for doc in imp.documents}))
    candidates = [
        fw
        for fw in Framework.objects.exclude(kind=Framework.Kind.CUSTOM).only(
            "pk", "name", "version", "file_name", "slug"
        )
        if fw.file_name and catalog_stem(fw.file_name) in wanted
    ]
    if not candidates:
        raise ValidationFailed(
            f"{name}: the profile imports the catalog “{label}” ({documents}), which has not been imported. "
            "Import that exact catalog first; a profile is never resolved against another catalog or revision.",
            [Problem(f"profile.imports[0].href: {imp.href}")],
        )
    if len(candidates) > 1:
        raise ValidationFailed(
            f"{name}: several imported catalogs match “{label}” ({documents}): "
            + "; ".join(f"{fw.name} {fw.version}" for fw in candidates)
            + ". Delete the ones the profile does not mean."
        )
    return candidates[0]


def _store_profile(framework: Framework, parsed: ParsedFramework, *, name: str, allow_unresolved: bool) -> list[str]:
    if len(parsed.imports) > 1:
        raise ValidationFailed(f"{name}: profiles with more than one import are not supported yet.")
    catalog = _matching_catalog(parsed, name)
    source = list(catalog.requirements.order_by("order"))
    key_of = {r.pk: r.key for r in source}
    nodes = [
        CatalogNode(
            key=r.key,
            parent_key=key_of.get(r.parent_id) if r.parent_id else None,
            is_control=r.kind not in STRUCTURE_KINDS,
        )
        for r in source
    ]
    resolution = resolve(parsed.imports[0], nodes)
    if resolution.unresolved and not allow_unresolved:
        shown = ", ".join(resolution.unresolved[:20]) + (" …" if len(resolution.unresolved) > 20 else "")
        raise ValidationFailed(
            f"{name}: broken references: the profile selects {len(resolution.unresolved)} control(s) that "
            f"{catalog.name} {catalog.version} does not hold: {shown}.",
            [Problem(f"unresolved: {i}") for i in resolution.unresolved[:25]],
        )
    if not resolution.keys:
        raise ValidationFailed(f"{name}: the profile selects no control of {catalog.name} {catalog.version}.")
    by_key = {r.key: r for r in source}
    not_selected = sorted(set(parsed.alters) - set(resolution.keys))
    if not_selected:
        raise ValidationFailed(
            f"{name}: broken references: the profile alters controls it does not select: {', '.join(not_selected)}."
        )
    items = []
    depth_of: dict[str, int] = {}
    for key in resolution.keys:
        r = by_key[key]
        parent = resolution.parents.get(key)
        depth_of[key] = depth_of[parent] + 1 if parent else 0
        items.append(
            ParsedRequirement(
                key=r.key,
                identifier=r.identifier,
                title=r.title,
                kind=r.kind,
                oscal_class=r.oscal_class,
                assessable=r.assessable,
                statement=_set_params(r.statement, r.params, parsed.set_params),
                guidance=r.guidance,
                parts=[{**p, "prose": _set_params(p.get("prose", ""), r.params, parsed.set_params)} for p in r.parts],
                params=[
                    {**p, "values": parsed.set_params[p["id"]]} if p.get("id") in parsed.set_params else p
                    for p in r.params
                ],
                withdrawn=r.withdrawn,
                withdrawn_to=r.withdrawn_to,
                parent_key=parent,
                depth=depth_of[key],
            )
        )
    for item in items:
        if item.key in parsed.alters:
            _alter(item, parsed.alters[item.key], parsed.set_params)
    _store(framework, items, origins={key: by_key[key].pk for key in resolution.keys})
    framework.imported_from = catalog
    Framework.objects.filter(pk=framework.pk).update(imported_from=catalog)
    return resolution.unresolved


def _alter(item: ParsedRequirement, alter: Alter, settings: dict[str, list[str]]) -> None:
    """A profile's alters: remove parts by name, then add its parts (parameters rendered)."""
    params = {p["id"]: {**p, "values": settings.get(p["id"], p.get("values") or [])} for p in item.params if "id" in p}
    for removed in alter.removes:
        if removed == "statement":
            item.statement = ""
        elif removed == "guidance":
            item.guidance = ""
        item.parts = [p for p in item.parts if p.get("name") != removed]
    for add in alter.adds:
        prose = INSERT_RE.sub(lambda m: _param_value(params.get(m.group(1)), m.group(1)), add["prose"])
        if add["name"] in {"statement", "guidance"}:
            current = getattr(item, add["name"])
            parts = [prose, current] if add["position"] == "starting" else [current, prose]
            setattr(item, add["name"], "\n".join(filter(None, parts)))
        else:
            part = {"name": add["name"], "title": add["title"], "prose": prose}
            item.parts = [part, *item.parts] if add["position"] == "starting" else [*item.parts, part]


def _param_value(param: dict | None, param_id: str) -> str:
    if param is None:
        return f"[Assignment: {param_id}]"
    if param.get("values"):
        return ", ".join(param["values"])
    return param.get("text") or f"[Assignment: {param_id}]"


def _set_params(text: str, params: list[dict], settings: dict[str, list[str]]) -> str:
    """A profile's set-parameters: the catalog's rendered placeholder becomes the profile's value."""
    if not settings or not text:
        return text
    for param in params:
        values = settings.get(param.get("id", ""))
        if values and param.get("text"):
            text = text.replace(param["text"], ", ".join(values))
    return text
