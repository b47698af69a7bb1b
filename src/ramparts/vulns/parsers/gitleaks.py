"""Gitleaks JSON: v8 (RuleID, Secret, StartLine...) and v7 (rule, offender, lineNumber...).

Secrets are never stored in clear: the finding keeps Gitleaks' `Match` with the secret masked, and
the fingerprint uses a SHA-256 of the secret, so a leaked key stays one finding however many
commits carry it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any, BinaryIO

from .base import Format, RawFinding, Severity
from .detect import json_head
from .jsonstream import integer, items, text, texts

NAME = "gitleaks"
TOOL = "gitleaks"


def sniff(head: bytes) -> bool:
    h = json_head(head)
    return h.root == "array" and (h.has("item.RuleID", "item.Secret") or h.has("item.rule", "item.offender"))


def parse(stream: BinaryIO, *, source: str = "<stream>") -> Iterator[RawFinding]:
    # "null" is what some Gitleaks versions write when there are no leaks
    for leak in items(stream, "item", source=source, fmt=NAME):
        if isinstance(leak, dict):
            yield _leak(leak)


def _mask(secret: str, within: str) -> str:
    if not secret:
        return within
    shown = secret[:4] if len(secret) > 12 else ""
    return within.replace(secret, shown + "*" * 8)


def _leak(leak: dict[str, Any]) -> RawFinding:
    v8 = "RuleID" in leak or "Secret" in leak
    rule = text(leak.get("RuleID") if v8 else leak.get("rule"))
    secret = text(leak.get("Secret") if v8 else leak.get("offender"))
    match = text(leak.get("Match") if v8 else leak.get("line"))
    path = text(leak.get("File") if v8 else leak.get("file"))
    commit = text(leak.get("Commit") if v8 else leak.get("commit"))
    # A redacted report (--redact) hides the secret: the redacted line is then the best identity.
    basis = secret if secret and secret != "REDACTED" else match.strip()  # noqa: S105 - a marker, not a password
    digest = hashlib.sha256(basis.encode()).hexdigest()[:32]
    description = text(leak.get("Description")) if v8 else ""
    tags = texts(leak.get("Tags")) if v8 else tuple(t.strip() for t in text(leak.get("tags")).split(",") if t.strip())
    return RawFinding(
        title=f"Secret: {description or rule}" if (description or rule) else "Secret",
        severity=Severity.HIGH,  # Gitleaks has no severity; a leaked credential is treated as high
        tool=TOOL,
        description="\n".join(
            s
            for s in (
                description,
                f"Match: {_mask(secret, match)}" if match else "",
                f"Commit: {commit}" if commit else "",
            )
            if s
        ),
        rule_id=rule,
        cwe=798,  # use of hard-coded credentials
        repository=text(leak.get("repoURL")) or text(leak.get("repo")),
        url=text(leak.get("leakURL")) or text(leak.get("Link")),
        file_path=path,
        line=integer(leak.get("StartLine") if v8 else leak.get("lineNumber")),
        fingerprint_parts=(path, rule, digest),
        extra={
            k: v
            for k, v in (
                ("commit", commit),
                ("author", text(leak.get("Author") or leak.get("author"))),
                ("tags", ",".join(tags)),
            )
            if v
        },
    )


FORMATS = (Format(name=NAME, label="Gitleaks JSON", sniff=sniff, parse=parse),)
