"""Line differences between two versions of a text, as rows a template prints (and escapes)."""

import difflib
from dataclasses import dataclass


@dataclass(frozen=True)
class DiffLine:
    op: str  # "same", "added", "removed"
    old_no: int | None
    new_no: int | None
    text: str


@dataclass(frozen=True)
class TextDiff:
    lines: list[DiffLine]
    added: int
    removed: int

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)


def diff_lines(old: str, new: str, *, context: int | None = None) -> TextDiff:
    """Every line of both texts, marked; with `context`, unchanged runs are cut to that many lines
    around each change (a cut is a row with op "gap")."""
    a, b = (old or "").splitlines(), (new or "").splitlines()
    rows: list[DiffLine] = []
    added = removed = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            rows += [DiffLine("same", i1 + k + 1, j1 + k + 1, a[i1 + k]) for k in range(i2 - i1)]
            continue
        rows += [DiffLine("removed", i + 1, None, a[i]) for i in range(i1, i2)]
        rows += [DiffLine("added", None, j + 1, b[j]) for j in range(j1, j2)]
        removed += i2 - i1
        added += j2 - j1
    if context is not None:
        rows = _trim(rows, context)
    return TextDiff(rows, added, removed)


def _trim(rows: list[DiffLine], context: int) -> list[DiffLine]:
    near: set[int] = set()
    for index, row in enumerate(rows):
        if row.op != "same":
            near.update(range(max(0, index - context), min(len(rows), index + context + 1)))
    trimmed: list[DiffLine] = []
    for index, row in enumerate(rows):
        if index in near:
            trimmed.append(row)
        elif not trimmed or trimmed[-1].op != "gap":
            trimmed.append(DiffLine("gap", None, None, ""))
    return trimmed
