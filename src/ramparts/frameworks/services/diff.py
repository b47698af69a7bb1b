"""What changed between two versions of a framework, by requirement identifier."""

from dataclasses import dataclass, field

from ramparts.frameworks.models import Framework


@dataclass
class FrameworkDiff:
    old: Framework
    new: Framework
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # title, text or withdrawn status differ
    unchanged: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "old": {"slug": self.old.slug, "name": self.old.name, "version": self.old.version},
            "new": {"slug": self.new.slug, "name": self.new.name, "version": self.new.version},
            "added": self.added,
            "removed": self.removed,
            "changed": self.changed,
            "unchanged": len(self.unchanged),
        }


def framework_diff(*, old: Framework, new: Framework) -> FrameworkDiff:
    """Compare the assessable requirements of two frameworks (usually two versions of one).

    A requirement that became withdrawn counts as changed, not removed: its id still exists, and an
    assessment moving to the new version should learn that it no longer applies.
    """
    fields = ("identifier", "title", "statement", "withdrawn")
    before = {r[0]: r for r in old.requirements.filter(assessable=True).order_by("order").values_list(*fields)}
    after = {r[0]: r for r in new.requirements.filter(assessable=True).order_by("order").values_list(*fields)}
    result = FrameworkDiff(old=old, new=new)
    for identifier, row in after.items():
        if identifier not in before:
            result.added.append(identifier)
        elif _norm(before[identifier]) != _norm(row):
            result.changed.append(identifier)
        else:
            result.unchanged.append(identifier)
    result.removed = [identifier for identifier in before if identifier not in after]
    return result


def _norm(row: tuple) -> tuple:
    return tuple(" ".join(v.split()) if isinstance(v, str) else v for v in row)
