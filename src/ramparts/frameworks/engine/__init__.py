"""Pure parsing of framework files (OSCAL JSON/XML, YAML, CSV) and mapping files: bytes in, dataclasses out.

No Django here: `parse_framework(name, data)` and `parse_mapping(name, data)` are usable as a library.
"""

from ramparts.frameworks.engine.detect import parse_framework, parse_mapping
from ramparts.frameworks.engine.types import (
    FileError,
    ParsedFramework,
    ParsedRequirement,
    ProfileImport,
)

__all__ = ["FileError", "ParsedFramework", "ParsedRequirement", "ProfileImport", "parse_framework", "parse_mapping"]
