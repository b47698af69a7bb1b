"""The column tables of docs/inventory-import.md, rendered from the column table itself (no drift).

`python -m ramparts.inventory.importexport.docs docs/inventory-import.md` rewrites the tables
between the `<!-- columns:ENTITY -->` and `<!-- /columns -->` markers; a test fails when the doc
and the code disagree.
"""

import re
import sys
from pathlib import Path
from typing import Any

MARKER = re.compile(r"(<!-- columns:(?P<slug>[a-z-]+) -->\n)(?P<body>.*?)(<!-- /columns -->)", re.S)


def table(entity: Any) -> str:
    lines = ["| column | required | accepted values | notes |", "|---|---|---|---|"]
    for column in entity.columns:
        required = "yes" if column.required else ("key" if column.name in entity.key else "")
        if column.read_only:
            required = "read-only"
        accepted = "—" if column.read_only else column.accepted().replace("|", "\\|")
        default = f"Default: {_default(column)}." if _default(column) else ""
        notes = " ".join(part for part in (column.help, default) if part)
        lines.append(f"| `{column.name}` | {required} | {accepted} | {notes} |")
    return "\n".join(lines) + "\n"


def _default(column) -> str:
    from ramparts.inventory.importexport.columns import CRITICALITY_WORDS, LEVEL_WORDS, Kind

    if column.default in (None, "", False) or column.kind == Kind.BOOL:
        return ""
    if column.kind in (Kind.LEVEL, Kind.CRITICALITY):
        words = LEVEL_WORDS if column.kind == Kind.LEVEL else CRITICALITY_WORDS
        return next(w for w, v in words.items() if v == column.default)
    return str(column.default)


def sections(text: str) -> dict[str, str]:
    return {m["slug"]: m["body"] for m in MARKER.finditer(text)}


def render(text: str) -> str:
    from ramparts.inventory.importexport.columns import ENTITIES

    return MARKER.sub(lambda m: m.group(1) + table(ENTITIES[m["slug"]]) + m.group(4), text)


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ramparts.settings")
    os.environ.setdefault("RAMPARTS_DEMO", "1")
    django.setup()
    path = Path(sys.argv[1])
    path.write_text(render(path.read_text(encoding="utf-8")), encoding="utf-8")
