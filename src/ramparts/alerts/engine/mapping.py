"""From a source's JSON payload to normalised alert fields, with JSONPath (jsonpath-ng). No Django.

A mapping is plain data (stored on the source as JSON):
    {
      "items": "$.alerts[*]",            # optional: one payload carries several alerts
      "fields": {                        # alert field -> where to find it, relative to one item
        "title": "$.rule.description",                       # one JSONPath
        "user": ["$.data.dstuser", "$.data.srcuser"],        # the first that yields a value
        "source_ref": {"join": ["$.fingerprint", "$.startsAt"], "sep": "|"},   # several joined
        ...
      },
      "severity": {"ranges": [[0, 6, "low"], ...], "map": {"warning": "medium"}, "default": "medium"}
    }
Fields: title, severity, time, source_ref, host, ip, user, technique, rule. Anything missing is
empty; the raw item is always kept. A list value (e.g. several ATT&CK ids) is joined with ", ".
"""

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

import orjson
from jsonpath_ng import JSONPath
from jsonpath_ng import parse as jsonpath_parse
from jsonpath_ng.exceptions import JsonPathParserError

FIELDS = ("title", "severity", "time", "source_ref", "host", "ip", "user", "technique", "rule")
SEVERITIES = ("info", "low", "medium", "high", "critical")
LIMITS = {"title": 500, "source_ref": 200, "host": 255, "ip": 64, "user": 150, "technique": 200, "rule": 200}
MAX_ITEMS = 1000


class MappingError(ValueError):
    """The mapping itself is invalid (names the field and the path)."""


class PayloadError(ValueError):
    """The payload does not fit the mapping (e.g. `items` finds nothing)."""


@dataclass(frozen=True)
class MappedAlert:
    title: str
    severity: str
    occurred_at: dt.datetime | None
    source_ref: str
    dedup_key: str
    host: str
    ip: str
    user: str
    technique: str
    rule: str
    raw: Any


class _Getter:
    """One compiled field lookup: a path, a fallback list, or a join."""

    def __init__(self, spec: Any, field: str):
        self.join = isinstance(spec, dict)
        if self.join:
            if not isinstance(spec.get("join"), list) or not spec["join"]:
                raise MappingError(f"{field}: a join needs a non-empty list under 'join'")
            paths = spec["join"]
            self.sep = str(spec.get("sep", "|"))
        else:
            paths = spec if isinstance(spec, list) else [spec]
        self.paths: list[Lookup] = [_compile(p, field) for p in paths]

    def get(self, item: Any) -> str:
        if self.join:
            return self.sep.join(_text(_values(p, item)) for p in self.paths)
        for path in self.paths:
            text = _text(_values(path, item))
            if text:
                return text
        return ""


Lookup = Callable[[Any], list[Any]]

# "$.a.b", '$."kibana.alert.uuid"', "$['x.y'].z": plain member chains, looked up without jsonpath-ng
# (several times faster on the intake's hot path; anything else goes through jsonpath-ng).
_SIMPLE = re.compile(r"""^\$(?:\.[A-Za-z_@][\w@-]*|\."[^"]+"|\['[^']+'\])+$""")
_STEP = re.compile(r"""\.([A-Za-z_@][\w@-]*)|\."([^"]+)"|\['([^']+)'\]""")


def _compile(path: Any, field: str) -> Lookup:
    if not isinstance(path, str) or not path.strip():
        raise MappingError(f"{field}: a JSONPath must be a non-empty string")
    path = path.strip()
    if _SIMPLE.match(path):
        keys = [a or b or c for a, b, c in _STEP.findall(path)]
        return partial(_walk, keys)
    try:
        compiled: JSONPath = jsonpath_parse(path)
    except (JsonPathParserError, Exception) as exc:  # jsonpath-ng raises several types on bad syntax
        raise MappingError(f"{field}: invalid JSONPath {path!r} ({exc})") from None
    return lambda item: [m.value for m in compiled.find(item)]


def _walk(keys: list[str], item: Any) -> list[Any]:
    for key in keys:
        if not isinstance(item, dict) or key not in item:
            return []
        item = item[key]
    return [item]


def _values(path: Lookup, item: Any) -> list[Any]:
    return path(item)


def _text(values: list[Any]) -> str:
    flat: list[str] = []
    for value in values:
        if isinstance(value, list):
            flat.extend(str(v) for v in value if v is not None and not isinstance(v, dict | list))
        elif value is not None and not isinstance(value, dict):
            flat.append(
                value if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else str(value)
            )
    return ", ".join(dict.fromkeys(v.strip() for v in flat if v.strip()))


class CompiledMapping:
    """A mapping parsed once (per source and process) and applied to many payloads."""

    def __init__(self, spec: dict[str, Any]):
        if not isinstance(spec, dict):
            raise MappingError("the mapping must be a JSON object")
        fields = spec.get("fields")
        if not isinstance(fields, dict) or not fields:
            raise MappingError("fields: at least one field must be mapped")
        unknown = sorted(set(fields) - set(FIELDS))
        if unknown:
            raise MappingError(f"fields: unknown alert field(s) {', '.join(unknown)}; known: {', '.join(FIELDS)}")
        if "title" not in fields:
            raise MappingError("fields: 'title' must be mapped")
        self.items = _compile(spec["items"], "items") if spec.get("items") else None
        self.getters = {name: _Getter(value, name) for name, value in fields.items()}
        severity = spec.get("severity") or {}
        if not isinstance(severity, dict):
            raise MappingError("severity: must be an object with 'ranges', 'map' and/or 'default'")
        self.ranges = [(float(lo), float(hi), str(sev)) for lo, hi, sev in severity.get("ranges", [])]
        self.severity_map = {str(k).lower(): str(v) for k, v in (severity.get("map") or {}).items()}
        self.severity_default = str(severity.get("default", "medium"))
        for sev in [s for _, _, s in self.ranges] + list(self.severity_map.values()) + [self.severity_default]:
            if sev not in SEVERITIES:
                raise MappingError(f"severity: {sev!r} is not one of {', '.join(SEVERITIES)}")

    def apply(self, payload: Any) -> Iterator[MappedAlert]:
        items = [payload] if self.items is None else _values(self.items, payload)
        if self.items is not None and not items:
            raise PayloadError("the payload holds no alerts where the source's mapping looks for them ('items')")
        if len(items) > MAX_ITEMS:
            raise PayloadError(f"the payload holds {len(items)} alerts; at most {MAX_ITEMS} per request")
        for item in items:
            yield self._one(item)

    def _one(self, item: Any) -> MappedAlert:
        got = {name: getter.get(item) for name, getter in self.getters.items()}
        title = got.get("title") or "(untitled alert)"
        source_ref = got.get("source_ref", "")
        if source_ref:
            dedup_key = "ref:" + source_ref[: LIMITS["source_ref"]]
        else:
            # No reference from the source: identical payloads are the same alert.
            dedup_key = "sha256:" + hashlib.sha256(orjson.dumps(item, option=orjson.OPT_SORT_KEYS)).hexdigest()
        return MappedAlert(
            title=title[: LIMITS["title"]],
            severity=self.severity(got.get("severity", "")),
            occurred_at=parse_time(got.get("time", "")),
            source_ref=source_ref[: LIMITS["source_ref"]],
            dedup_key=dedup_key,
            host=got.get("host", "")[: LIMITS["host"]],
            ip=got.get("ip", "")[: LIMITS["ip"]],
            user=got.get("user", "")[: LIMITS["user"]],
            technique=got.get("technique", "")[: LIMITS["technique"]],
            rule=got.get("rule", "")[: LIMITS["rule"]],
            raw=item,
        )

    def severity(self, raw: str) -> str:
        value = raw.strip().lower()
        if not value:
            return self.severity_default
        if self.ranges:
            try:
                number = float(value)
            except ValueError:
                pass
            else:
                for lo, hi, sev in self.ranges:
                    if lo <= number <= hi:
                        return sev
        if value in self.severity_map:
            return self.severity_map[value]
        return value if value in SEVERITIES else self.severity_default


def parse_time(text: str) -> dt.datetime | None:
    """ISO 8601 (with or without offset; naive means UTC) or Unix seconds/milliseconds."""
    text = text.strip()
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        pass
    else:
        if number > 1e11:  # milliseconds
            number /= 1000
        try:
            return dt.datetime.fromtimestamp(number, tz=dt.UTC)
        except (OverflowError, OSError, ValueError):
            return None
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    if not (1970 <= value.year <= 2200):
        return None
    return value.astimezone(dt.UTC)
