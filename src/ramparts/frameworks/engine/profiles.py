"""OSCAL profile resolution against one already-imported catalog (pure: keys in, keys out).

Which catalog a profile may use is decided by the service (see `catalog_stem` and docs/frameworks.md);
this module only applies the profile's include/exclude selections to that catalog's tree.
"""

import fnmatch
import posixpath
import re
from dataclasses import dataclass

from ramparts.frameworks.engine.types import ControlSelector, ProfileImport

STEM_SUFFIX_RE = re.compile(r"(-min)?\.(json|xml|ya?ml)$", re.IGNORECASE)


def catalog_stem(file_name: str) -> str:
    """The name a catalog is matched by: file name without folders, extension or the `-min` suffix.

    `../../nist.gov/SP800-53/rev5/json/NIST_SP-800-53_rev5_catalog.json` and an uploaded
    `NIST_SP-800-53_rev5_catalog-min.json` both give `nist_sp-800-53_rev5_catalog`.
    """
    base = posixpath.basename(file_name.replace("\\", "/").split("?", 1)[0].split("#", 1)[0])
    return STEM_SUFFIX_RE.sub("", base).lower()


@dataclass(frozen=True)
class CatalogNode:
    key: str
    parent_key: str | None
    is_control: bool  # OSCAL controls can be selected; groups only carry the tree


@dataclass
class Resolution:
    keys: list[str]  # selected controls and the groups above them, in catalog order
    parents: dict[str, str | None]  # key -> nearest kept ancestor
    unresolved: list[str]  # ids the profile names that the catalog does not hold


def resolve(imp: ProfileImport, nodes: list[CatalogNode]) -> Resolution:
    by_key = {n.key: n for n in nodes}
    controls = [n.key for n in nodes if n.is_control]
    children: dict[str, list[str]] = {}
    for n in nodes:
        if n.parent_key is not None:
            children.setdefault(n.parent_key, []).append(n.key)
    unresolved: list[str] = []

    def expand(selectors: list[ControlSelector]) -> set[str]:
        chosen: set[str] = set()
        for sel in selectors:
            picked = []
            for control_id in sel.ids:
                if control_id in by_key and by_key[control_id].is_control:
                    picked.append(control_id)
                elif control_id not in unresolved:
                    unresolved.append(control_id)
            for pattern in sel.patterns:
                picked += fnmatch.filter(controls, pattern)
            for key in picked:
                chosen.add(key)
                if sel.with_child_controls:
                    chosen |= _descendant_controls(key, children, by_key)
        return chosen

    selected = set(controls) if imp.include_all else set()
    selected |= expand(imp.include)
    selected -= expand(imp.exclude)
    parents: dict[str, str | None] = {}
    kept = set(selected)
    for key in selected:
        parent = by_key[key].parent_key
        while parent is not None and by_key[parent].is_control and parent not in selected:
            parent = by_key[parent].parent_key  # an unselected base control: hang on to the group above it
        parents[key] = parent
        while parent is not None and parent not in kept:
            kept.add(parent)
            grand = by_key[parent].parent_key
            while grand is not None and by_key[grand].is_control and grand not in selected:
                grand = by_key[grand].parent_key
            parents[parent] = grand
            parent = grand
    order = [n.key for n in nodes if n.key in kept]
    return Resolution(keys=order, parents=parents, unresolved=unresolved)


def _descendant_controls(key: str, children: dict[str, list[str]], by_key: dict[str, CatalogNode]) -> set[str]:
    found: set[str] = set()
    stack = list(children.get(key, []))
    while stack:
        child = stack.pop()
        if by_key[child].is_control:
            found.add(child)
        stack.extend(children.get(child, []))
    return found
