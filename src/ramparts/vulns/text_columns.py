"""The findings' searchable texts, dictionary-encoded: the text search without a scan of every row.

The `q` filter looks for a substring of title, package, host or CVE. In SQL that is a LIKE over every
finding (no index serves a substring), ~0.4 s on SQLite and ~1 s on PostgreSQL at a million. Those
texts repeat: a fleet's million findings hold a few hundred thousand titles, a few hundred packages,
one host per system. Here each column is a list of its distinct values (lower-cased) and one code per
finding, so a search tests each distinct value once and gathers the matches through the codes.

Matching is case-insensitive over all of Unicode (str.lower), as PostgreSQL's icontains is; SQLite's
LIKE folds ASCII letters only, so on SQLite a search here may find accented text SQL would miss.

Built by the warming task after the facet columns, shared through a file like them (snapshot_files).
A request never builds it: without it the search runs in SQL, as fast as building would be. After a
triage or a small import, the version before's texts serve the new version, with the added findings'.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from django.db import connection

from ramparts.vulns.cache import Delta
from ramparts.vulns.models import Finding
from ramparts.vulns.snapshot_files import Shelf, rows_by_id

FIELDS = ("title", "package", "host", "cve")
_CHUNK = 100_000
_SEPARATOR = "\x00"  # between the values in the file; a value's own NULs are replaced (never searched for)


@dataclass(frozen=True, eq=False)
class TextColumns:
    """Rows in id order; `codes[field][row]` indexes `values[field]`, the field's distinct values, lower-cased."""

    version: int
    id: np.ndarray
    codes: dict[str, np.ndarray]
    values: dict[str, tuple[str, ...]]

    def __len__(self) -> int:
        return len(self.id)

    def matching(self, text: str) -> np.ndarray:
        """Mask of the rows whose title, package, host or CVE contains `text`, in any case."""
        needle = text.lower()
        found = np.zeros(len(self.id), dtype=bool)
        for name in FIELDS:
            values = self.values[name]
            hits = np.fromiter((needle in value for value in values), dtype=bool, count=len(values))
            if hits.any():
                found |= hits[self.codes[name]]
        return found

    def save(self, path: Path) -> None:
        arrays: dict[str, Any] = {"version": np.int64(self.version), "id": self.id}
        for name in FIELDS:
            arrays[f"codes_{name}"] = self.codes[name]
            values = self.values[name]
            joined = _SEPARATOR.join(values)
            if joined.count(_SEPARATOR) != max(len(values) - 1, 0):
                joined = _SEPARATOR.join(v.replace(_SEPARATOR, "\ufffd") for v in values)
            arrays[f"values_{name}"] = np.frombuffer(joined.encode("utf-8", "surrogatepass"), dtype=np.uint8)
            arrays[f"count_{name}"] = np.int64(len(self.values[name]))
        with open(path, "wb") as out:
            np.savez(out, **arrays)

    @classmethod
    def load(cls, path: Path) -> TextColumns:
        with np.load(path, allow_pickle=False) as stored:
            codes, values = {}, {}
            for name in FIELDS:
                codes[name] = stored[f"codes_{name}"]
                count = int(stored[f"count_{name}"])
                text = stored[f"values_{name}"].tobytes().decode("utf-8", "surrogatepass")
                values[name] = tuple(text.split(_SEPARATOR)) if count else ()
                if len(values[name]) != count or (len(codes[name]) and int(codes[name].max()) >= count):
                    raise ValueError(f"{path.name}: the {name} values do not match their codes")
            return cls(version=int(stored["version"]), id=stored["id"], codes=codes, values=values)


def build(at_version: int) -> TextColumns:
    """Read every finding's texts (a few seconds per million findings), in id order."""
    table = connection.ops.quote_name(Finding._meta.db_table)
    ids: list[int] = []
    codes: dict[str, list[int]] = {name: [] for name in FIELDS}
    seen: dict[str, dict[str, int]] = {name: {} for name in FIELDS}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {', '.join(FIELDS)} FROM {table} ORDER BY id")  # noqa: S608 - the model's
        while rows := cursor.fetchmany(_CHUNK):
            columns = list(zip(*rows, strict=True))
            ids.extend(columns[0])
            for name, column in zip(FIELDS, columns[1:], strict=True):
                found = seen[name]
                code_of = found.setdefault
                codes[name].extend([code_of(value, len(found)) for value in column])
    return TextColumns(
        version=at_version,
        id=np.array(ids, dtype=np.int64),
        codes={name: np.array(codes[name], dtype=np.int32) for name in FIELDS},
        values={name: tuple((value or "").lower() for value in seen[name]) for name in FIELDS},
    )


def _build(at_version: int) -> TextColumns:
    return build(at_version)  # looked up at call time: tests replace it


def _patch(base: TextColumns, at_version: int, change: Delta) -> TextColumns | None:
    """A change keeps the title, package, host and CVE of the findings it changed (cache.Delta): the
    same texts, plus those of the added findings; None when the base lacks a changed one."""
    added = np.array(change.added, dtype=np.int64)
    kept = np.setdiff1d(np.array(change.changed, dtype=np.int64), added)
    at = np.searchsorted(base.id, kept)
    if np.any(at >= len(base)) or not np.array_equal(base.id[np.minimum(at, len(base) - 1)], kept):
        return None
    if not len(added):
        return dataclasses.replace(base, version=at_version)
    table = connection.ops.quote_name(Finding._meta.db_table)
    rows = sorted(rows_by_id(f"SELECT id, {', '.join(FIELDS)} FROM {table}", [], change.added))  # noqa: S608
    if len(rows) != len(added) or np.isin(added, base.id).any():
        return None
    codes, values = dict(base.codes), dict(base.values)
    for i, name in enumerate(FIELDS, start=1):
        # The added findings' values go after the others, once each, even when one is there already:
        # looking each up among a few hundred thousand would cost more than testing it twice.
        fresh: dict[str, int] = {}
        offset = len(values[name])
        more = [fresh.setdefault((row[i] or "").lower(), offset + len(fresh)) for row in rows]
        values[name] = values[name] + tuple(fresh)
        codes[name] = np.concatenate([codes[name], np.array(more, dtype=np.int32)])
    ids = np.concatenate([base.id, np.array([row[0] for row in rows], dtype=np.int64)])
    if len(base) and rows[0][0] < base.id[-1]:  # ids given out before the base's, committed after
        order = np.argsort(ids)
        ids, codes = ids[order], {name: column[order] for name, column in codes.items()}
    return TextColumns(version=at_version, id=ids, codes=codes, values=values)


_shelf = Shelf("texts", _build, TextColumns.load, _patch)
current = _shelf.current
forget = _shelf.forget
_path = _shelf.path
