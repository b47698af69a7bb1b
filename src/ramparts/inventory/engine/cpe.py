"""CPE 2.3 formatted-string names (NISTIR 7695, section 6.2): validation with readable reasons.

`cpe:2.3:part:vendor:product:version:update:edition:language:sw_edition:target_sw:target_hw:other`
- 13 colon-separated components; a colon inside a value is escaped as `\\:`.
- part is `a` (application), `o` (operating system), `h` (hardware), `*` or `-`.
- Other components are `*` (ANY), `-` (NA) or a value of letters, digits, `-`, `.`, `_` and
  backslash-escaped punctuation, with an optional run of `?` or a single `*` at either end.
- language is an RFC 5646 tag such as `en` or `en-us` (or `*`/`-`).
"""

import functools
import re

COMPONENTS = (
    "part",
    "vendor",
    "product",
    "version",
    "update",
    "edition",
    "language",
    "sw_edition",
    "target_sw",
    "target_hw",
    "other",
)
_PUNCT = r"""\\\*\?!"#$%&'\(\)\+,/:;<=>@\[\]\^`\{\|\}~"""
_BODY = rf"(?:[a-zA-Z0-9\-._]|\\[{_PUNCT}])+"
_VALUE = re.compile(rf"^(?:\?+|\*)?{_BODY}(?:\?+|\*)?$")
_LANGUAGE = re.compile(r"^[a-zA-Z]{2,3}(?:-(?:[a-zA-Z]{2}|[0-9]{3}))?$")


def split(name: str) -> list[str]:
    """Split on colons not escaped by a backslash."""
    parts, start, i = [], 0, 0
    while i < len(name):
        ch = name[i]
        if ch == "\\":
            i += 2
            continue
        if ch == ":":
            parts.append(name[start:i])
            start = i + 1
        i += 1
    parts.append(name[start:])
    return parts


def problems(name: str) -> list[str]:
    """Every reason `name` is not a valid CPE 2.3 formatted string (empty list when it is)."""
    return list(_problems(name))


@functools.lru_cache(maxsize=4096)  # an inventory repeats the same few hundred products
def _problems(name: str) -> tuple[str, ...]:
    return tuple(_check(name))


def _check(name: str) -> list[str]:
    if name != name.strip():
        return ["a CPE name may not start or end with spaces"]
    if not name.startswith("cpe:2.3:"):
        return ["a CPE 2.3 name starts with 'cpe:2.3:' (e.g. cpe:2.3:a:apache:http_server:2.4.58:*:*:*:*:*:*:*)"]
    if any(ch.isspace() for ch in name):
        return ["a CPE name contains no spaces (escape punctuation with a backslash, write spaces as _)"]
    parts = split(name)[2:]
    if len(parts) != len(COMPONENTS):
        return [
            f"a CPE 2.3 name has 13 colon-separated components, this one has {len(parts) + 2} "
            "(pad missing ones with *, escape a colon inside a value as \\:)"
        ]
    found = []
    for label, value in zip(COMPONENTS, parts, strict=True):
        if value == "":
            found.append(f"{label} is empty (use * for any value or - for not applicable)")
        elif label == "part":
            if value not in {"a", "o", "h", "*", "-"}:
                found.append(f"part must be a (application), o (operating system) or h (hardware), not {value!r}")
        elif value in {"*", "-"}:
            continue
        elif label == "language":
            if not _LANGUAGE.match(value):
                found.append(f"language must be a language tag such as en or en-us, not {value!r}")
        elif not _VALUE.match(value):
            found.append(f"{label} {value!r} {_why(value)}")
    return found


def _why(value: str) -> str:
    if value.endswith("\\") and not value.endswith("\\\\"):
        return "ends with a lone backslash"
    for i, ch in enumerate(value):
        if ch == "\\":
            continue
        if i > 0 and value[i - 1] == "\\":
            continue
        if not (ch.isascii() and (ch.isalnum() or ch in "-._?*")):
            return f"has the character {ch!r}, which must be escaped with a backslash"
    if "*" in value.strip("*") or "?" in value.strip("?"):
        return "has a wildcard (* or ?) that is not at the start or end"
    return "is not a valid value"


def is_valid(name: str) -> bool:
    return not problems(name)


def parse(name: str) -> dict[str, str]:
    """The components of a valid name by label (raises ValueError with the reasons otherwise)."""
    found = problems(name)
    if found:
        raise ValueError("; ".join(found))
    return dict(zip(COMPONENTS, split(name)[2:], strict=True))
