"""Writes of the frameworks module (see docs/frameworks.md). Reads are in ../selectors.py."""

from ramparts.frameworks.services.builtin import BUILTIN_CSF_SLUG, builtin_install
from ramparts.frameworks.services.diff import FrameworkDiff, framework_diff
from ramparts.frameworks.services.imports import MAX_FILE_BYTES, ImportResult, framework_delete, framework_import
from ramparts.frameworks.services.mappings import MappingResult, mapping_import, related_requirements

__all__ = [
    "BUILTIN_CSF_SLUG",
    "MAX_FILE_BYTES",
    "FrameworkDiff",
    "ImportResult",
    "MappingResult",
    "builtin_install",
    "framework_delete",
    "framework_diff",
    "framework_import",
    "mapping_import",
    "related_requirements",
]
