"""The typed results of parsing, and the one error every parser raises."""

from dataclasses import dataclass, field
from typing import Any

MAX_PROBLEMS = 25


@dataclass
class FileError(Exception):
    """The file is unusable. Each problem names where (a JSON path, a line) and why."""

    message: str
    problems: list[tuple[str, str]] = field(default_factory=list)  # (where, why)

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        lines = [self.message] + [f"  {where}: {why}" if where else f"  {why}" for where, why in self.problems]
        return "\n".join(lines)


class Problems:
    """Collects problems; raises once there are too many to be worth reading on."""

    def __init__(self, message: str) -> None:
        self.message = message
        self.items: list[tuple[str, str]] = []

    def add(self, where: str, why: str) -> None:
        self.items.append((where, why))
        if len(self.items) >= MAX_PROBLEMS:
            raise FileError(self.message + " (first problems shown)", self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise FileError(self.message, self.items)


@dataclass
class ParsedRequirement:
    key: str  # the id in the file ("ac-2.1"); unique per framework
    identifier: str  # what people read ("AC-2(1)"); unique per framework
    title: str = ""
    kind: str = "control"
    oscal_class: str = ""
    assessable: bool = True
    statement: str = ""
    guidance: str = ""
    parts: list[dict[str, str]] = field(default_factory=list)
    params: list[dict[str, Any]] = field(default_factory=list)
    withdrawn: bool = False
    withdrawn_to: list[dict[str, str]] = field(default_factory=list)
    parent_key: str | None = None
    depth: int = 0


@dataclass
class ControlSelector:
    """One include-controls / exclude-controls entry of an OSCAL profile."""

    ids: list[str] = field(default_factory=list)
    patterns: list[str] = field(default_factory=list)  # OSCAL `matching` globs
    with_child_controls: bool = False


@dataclass
class ProfileImport:
    href: str
    # File names that identify the imported catalog (the href itself, or a back-matter resource's rlinks).
    documents: list[str] = field(default_factory=list)
    description: str = ""  # how the profile names the catalog, for error messages
    include_all: bool = False
    include: list[ControlSelector] = field(default_factory=list)
    exclude: list[ControlSelector] = field(default_factory=list)


@dataclass
class ParsedFramework:
    name: str
    version: str
    kind: str  # catalog / profile / custom
    source: str  # oscal-json / oscal-xml / yaml / csv
    description: str = ""
    publisher: str = ""
    published: str = ""
    oscal_uuid: str = ""
    oscal_version: str = ""
    requirements: list[ParsedRequirement] = field(default_factory=list)
    imports: list[ProfileImport] = field(default_factory=list)
    set_params: dict[str, list[str]] = field(default_factory=dict)  # profile modify/set-parameters
    alters: dict[str, "Alter"] = field(default_factory=dict)  # profile modify/alters, by control id


@dataclass
class Alter:
    """A profile's changes to one control: parts added (flattened, params not yet rendered), parts removed."""

    adds: list[dict[str, str]] = field(default_factory=list)  # {"name", "title", "prose", "position"}
    removes: list[str] = field(default_factory=list)  # part names ("guidance", "assessment-objective")
