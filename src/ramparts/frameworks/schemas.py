"""API shapes of the frameworks module."""

from typing import Any

from ninja import Schema


class FrameworkOut(Schema):
    slug: str
    name: str
    version: str
    kind: str
    source: str
    built_in: bool
    description: str
    publisher: str
    published: str
    oscal_uuid: str
    oscal_version: str
    requirements: int
    imported_from: str | None
    unresolved: list[str]
    imported_at: Any

    @staticmethod
    def resolve_requirements(obj) -> int:
        return obj.requirement_count

    @staticmethod
    def resolve_imported_from(obj) -> str | None:
        return obj.imported_from.slug if obj.imported_from_id else None


class RequirementOut(Schema):
    identifier: str
    key: str
    title: str
    kind: str
    assessable: bool
    withdrawn: bool
    parent: str | None
    depth: int
    statement: str
    techniques: int

    @staticmethod
    def resolve_parent(obj) -> str | None:
        return obj.parent.identifier if obj.parent_id else None

    @staticmethod
    def resolve_techniques(obj) -> int:
        return getattr(obj, "technique_count", 0)


class TechniqueOut(Schema):
    technique_id: str
    name: str
    mapping_type: str
    origin: str
    attack_version: str
    capability: str


class RelationOut(Schema):
    framework: str
    identifier: str
    title: str
    relationship: str


class RequirementDetailOut(Schema):
    framework: str
    identifier: str
    key: str
    title: str
    kind: str
    assessable: bool
    withdrawn: bool
    withdrawn_to: list[dict[str, str]]
    parent: str | None
    children: list[str]
    statement: str
    guidance: str
    parts: list[dict[str, str]]
    params: list[dict[str, Any]]
    origin: str | None
    techniques: list[TechniqueOut]
    relations: list[RelationOut]


class ImportOut(Schema):
    framework: str
    version: str
    requirements: int
    slug: str
    unresolved: list[str] | None = None


class MappingOut(Schema):
    kind: str
    origin: str
    frameworks: list[str]
    created: int
    updated: int
    unchanged: int
    techniques: int
    unmatched: list[str]


class DiffOut(Schema):
    old: dict[str, str]
    new: dict[str, str]
    added: list[str]
    removed: list[str]
    changed: list[str]
    unchanged: int
