"""Mapping files: which ATT&CK techniques requirements mitigate, and crosswalks between requirements."""

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q

from ramparts.core import audit
from ramparts.core.errors import Problem, ValidationFailed
from ramparts.frameworks.engine import FileError, parse_mapping
from ramparts.frameworks.engine.mappings import (
    FAMILY_800_53_R5,
    FAMILY_CSF_2,
    MappingFile,
    find_cycle,
    normalise_800_53,
)
from ramparts.frameworks.models import (
    AttackTechnique,
    Framework,
    Requirement,
    RequirementRelation,
    RequirementTechnique,
)
from ramparts.frameworks.services.imports import MAX_FILE_BYTES, authorise, file_error_to_validation

INVERSE = {
    "subset_of": "superset_of",
    "superset_of": "subset_of",
    "equal": "equal",
    "intersects_with": "intersects_with",
    "related": "related",
}


@dataclass
class MappingResult:
    kind: str
    origin: str
    frameworks: list[str] = field(default_factory=list)  # slugs the rows were attached to
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    techniques: int = 0
    unmatched: list[str] = field(default_factory=list)  # requirement ids no target framework holds

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "origin": self.origin,
            "frameworks": self.frameworks,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "techniques": self.techniques,
            "unmatched": self.unmatched,
        }


def family_frameworks(family: str) -> list[Framework]:
    """Imported frameworks a technique mapping file can attach to (docs/frameworks.md, "Mappings")."""
    result = []
    for fw in Framework.objects.exclude(kind=Framework.Kind.CUSTOM, built_in=False):
        name, version = fw.name.lower(), fw.version.lower()
        if family == FAMILY_800_53_R5 and "800-53" in name:
            if re.search(r"revision 5\b|rev(ision)?\.? ?5\b|\brev5\b", name) or version.startswith("5"):
                result.append(fw)
        elif (
            family == FAMILY_CSF_2
            and "cybersecurity framework" in name
            and (version.startswith("2") or re.search(r"\b2\.0\b", name))
        ):
            result.append(fw)
    return result


def mapping_import(*, actor, name: str, data: bytes, frameworks: list[Framework] | None = None) -> MappingResult:
    """Import a CTID TSV or Mappings Explorer JSON (techniques) or a crosswalk CSV. All-or-nothing;
    importing the same file again changes nothing."""
    authorise(actor)
    name = name.replace("\\", "/").rsplit("/", 1)[-1]  # the file, not where it sat on someone's disk
    if len(data) > MAX_FILE_BYTES:
        raise ValidationFailed(f"{name}: the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.")
    try:
        parsed = parse_mapping(name, data)
    except FileError as exc:
        raise file_error_to_validation(name, exc) from None
    with transaction.atomic():
        if parsed.kind == "crosswalk":
            result = _import_crosswalk(parsed, name=name)
        else:
            result = _import_techniques(parsed, name=name, frameworks=frameworks)
        if result.created or result.updated:
            audit.record(
                actor,
                audit.Change(
                    action=audit.Action.CREATE,
                    object_type=audit.object_type_of(
                        RequirementRelation if parsed.kind == "crosswalk" else RequirementTechnique
                    ),
                    object_id=hashlib.sha256(data).hexdigest(),
                    object_ref=name[-200:],
                    changes={
                        "file": [None, name],
                        "origin": [None, result.origin],
                        "frameworks": [None, result.frameworks],
                        "created": [None, result.created],
                        "updated": [None, result.updated],
                    },
                ),
            )
    return result


def _import_techniques(parsed: MappingFile, *, name: str, frameworks: list[Framework] | None) -> MappingResult:
    targets = frameworks if frameworks is not None else family_frameworks(parsed.family)
    if not targets:
        wanted = "NIST SP 800-53 rev5 catalog or baseline" if parsed.family == FAMILY_800_53_R5 else "NIST CSF 2.0"
        raise ValidationFailed(f"{name}: no imported framework to attach these mappings to; import a {wanted} first.")
    index: dict[str, list[int]] = {}
    rows = Requirement.objects.filter(framework__in=targets).values_list("pk", "identifier")
    for pk, identifier in rows:
        key = normalise_800_53(identifier) if parsed.family == FAMILY_800_53_R5 else identifier
        index.setdefault(key, []).append(pk)
    result = MappingResult(kind="techniques", origin=parsed.origin, frameworks=[fw.slug for fw in targets])
    names: dict[str, str] = {}
    for row in parsed.techniques:
        if row.technique_name and not names.get(row.technique_id):
            names[row.technique_id] = row.technique_name
    AttackTechnique.objects.bulk_create(
        [AttackTechnique(technique_id=t, name=n) for t, n in names.items()], ignore_conflicts=True, batch_size=1000
    )
    technique_pk: dict[str, int] = {}
    unnamed = []
    for pk, technique_id, current in AttackTechnique.objects.filter(technique_id__in=names).values_list(
        "pk", "technique_id", "name"
    ):
        technique_pk[technique_id] = pk
        if not current and names[technique_id]:
            unnamed.append(AttackTechnique(pk=pk, technique_id=technique_id, name=names[technique_id]))
    AttackTechnique.objects.bulk_update(unnamed, ["name"], batch_size=1000)
    result.techniques = len(technique_pk)
    existing = set(
        RequirementTechnique.objects.filter(origin=parsed.origin, requirement__framework__in=targets).values_list(
            "requirement_id", "technique_id", "capability"
        )
    )
    new: list[RequirementTechnique] = []
    seen: set[tuple[int, int, str]] = set()
    unmatched: dict[str, None] = {}
    for row in parsed.techniques:
        requirement_pks = index.get(row.requirement_id)
        if not requirement_pks:
            unmatched[row.requirement_id] = None
            continue
        for requirement_pk in requirement_pks:
            triple = (requirement_pk, technique_pk[row.technique_id], row.capability)
            if triple in existing or triple in seen:
                result.unchanged += triple in existing
                continue
            seen.add(triple)
            new.append(
                RequirementTechnique(
                    requirement_id=requirement_pk,
                    technique_id=technique_pk[row.technique_id],
                    mapping_type=row.mapping_type,
                    origin=parsed.origin,
                    attack_version=parsed.attack_version,
                    capability=row.capability,
                    comments=row.comments,
                )
            )
    RequirementTechnique.objects.bulk_create(new, batch_size=1000)
    result.created = len(new)
    result.unmatched = sorted(unmatched)
    return result


def _import_crosswalk(parsed: MappingFile, *, name: str) -> MappingResult:
    slugs = {r.source_framework for r in parsed.relations} | {r.target_framework for r in parsed.relations}
    frameworks = {fw.slug: fw for fw in Framework.objects.filter(slug__in=slugs)}
    problems = [
        Problem(f"{r.where}: no imported framework has the slug {slug!r}")
        for r in parsed.relations
        for slug in (r.source_framework, r.target_framework)
        if slug not in frameworks
    ]
    if problems:
        raise ValidationFailed(f"{name}: the crosswalk names unknown frameworks.", problems[:25])
    wanted = Q()
    for r in parsed.relations:
        wanted |= Q(framework=frameworks[r.source_framework], identifier=r.source_id)
        wanted |= Q(framework=frameworks[r.target_framework], identifier=r.target_id)
    pk_of = {
        (fw_id, ident): pk
        for pk, fw_id, ident in Requirement.objects.filter(wanted).values_list("pk", "framework_id", "identifier")
    }
    label_of: dict[int, str] = {}
    edges: dict[tuple[int, int], tuple[str, str, str]] = {}  # (source, target) -> (relationship, note, where)
    for r in parsed.relations:
        source = pk_of.get((frameworks[r.source_framework].pk, r.source_id))
        target = pk_of.get((frameworks[r.target_framework].pk, r.target_id))
        for ident, slug, pk in ((r.source_id, r.source_framework, source), (r.target_id, r.target_framework, target)):
            if pk is None:
                problems.append(Problem(f"{r.where}: {slug} has no requirement {ident!r}"))
            else:
                label_of[pk] = f"{slug}:{ident}"
        if source is None or target is None:
            continue
        if source == target:
            problems.append(Problem(f"{r.where}: {label_of[source]} cannot be mapped to itself"))
            continue
        same, reverse = edges.get((source, target)), edges.get((target, source))
        if (same and same[0] != r.relationship) or (reverse and reverse[0] != INVERSE[r.relationship]):
            earlier = (same or reverse)[2]  # type: ignore[index]
            problems.append(
                Problem(f"{r.where}: {label_of[source]} and {label_of[target]} are mapped differently on {earlier}")
            )
            continue
        edges[(source, target)] = (r.relationship, r.note, r.where)
    if problems:
        raise ValidationFailed(f"{name}: the crosswalk is invalid.", problems[:25])
    existing = {
        (s, t): (rel, pk)
        for pk, s, t, rel in RequirementRelation.objects.filter(
            Q(source_id__in=label_of) | Q(target_id__in=label_of)
        ).values_list("pk", "source_id", "target_id", "relationship")
    }
    _reject_subset_cycles(edges, name=name, label_of=label_of)
    result = MappingResult(kind="crosswalk", origin=parsed.origin, frameworks=sorted(frameworks))
    new, changed = [], []
    for (s, t), (rel, note, _where) in edges.items():
        if (t, s) in existing:  # the pair is stored from the other side: keep that row
            old_rel, pk = existing[(t, s)]
            if old_rel == INVERSE[rel]:
                result.unchanged += 1
            else:
                changed.append(RequirementRelation(pk=pk, relationship=INVERSE[rel], origin=parsed.origin, note=note))
            continue
        if (s, t) in existing:
            old_rel, pk = existing[(s, t)]
            if old_rel == rel:
                result.unchanged += 1
            else:
                changed.append(RequirementRelation(pk=pk, relationship=rel, origin=parsed.origin, note=note))
            continue
        new.append(RequirementRelation(source_id=s, target_id=t, relationship=rel, origin=parsed.origin, note=note))
    RequirementRelation.objects.bulk_create(new, batch_size=1000)
    RequirementRelation.objects.bulk_update(changed, ["relationship", "origin", "note"], batch_size=1000)
    result.created, result.updated = len(new), len(changed)
    return result


def _reject_subset_cycles(edges: dict, *, name: str, label_of: dict[int, str]) -> None:
    """A ⊂ B ⊂ … ⊂ A, across what is stored and what comes in, is a contradiction: say `equal` instead."""
    stored = RequirementRelation.objects.filter(relationship__in=["subset_of", "superset_of"]).values_list(
        "source_id", "target_id", "relationship"
    )
    relationships = {(s, t): rel for s, t, rel in stored if (s, t) not in edges and (t, s) not in edges}
    relationships.update({pair: value[0] for pair, value in edges.items()})
    subset_edges = [
        (s, t) if rel == "subset_of" else (t, s)
        for (s, t), rel in relationships.items()
        if rel in {"subset_of", "superset_of"}
    ]
    cycle = find_cycle(subset_edges)
    if cycle:
        raise ValidationFailed(
            f"{name}: the subset_of relations form a cycle: {' ⊂ '.join(_labels(cycle, label_of))}; "
            "use `equal` if the requirements are the same."
        )


def _labels(cycle: list, known: dict[int, str]) -> list[str]:
    missing = [int(pk) for pk in cycle if pk not in known]
    if missing:
        for pk, slug, ident in Requirement.objects.filter(pk__in=missing).values_list(
            "pk", "framework__slug", "identifier"
        ):
            known[pk] = f"{slug}:{ident}"
    return [known.get(pk, str(pk)) for pk in cycle]  # type: ignore[call-overload]


def related_requirements(requirement: Requirement) -> list[tuple[Requirement, str]]:
    """Every requirement crosswalked to this one, read from this one's side ("this subset_of that")."""
    out = [
        (rel.target, rel.relationship)
        for rel in RequirementRelation.objects.filter(source=requirement).select_related("target__framework")
    ]
    out += [
        (rel.source, INVERSE[rel.relationship])
        for rel in RequirementRelation.objects.filter(target=requirement).select_related("source__framework")
    ]
    return out
