"""OpenVEX JSON: one finding per statement and product, carrying the VEX status.

OpenVEX states whether products are affected; `not_affected` and `fixed` statements are kept (with
their vex_state) so that the import can close or annotate matching findings.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO

from .base import Format, RawFinding, Severity
from .detect import json_head
from .jsonstream import as_dict, as_list, first, items, split_ids, text, texts

NAME = "openvex"
_STATUS = {"not_affected", "affected", "fixed", "under_investigation"}


def sniff(head: bytes) -> bool:
    h = json_head(head)
    return h.root == "map" and "openvex" in h.top_text("@context").lower()


def parse(stream: BinaryIO, *, source: str = "<stream>") -> Iterator[RawFinding]:
    author = text(first(stream, "author", source=source, fmt=NAME))
    for statement in items(stream, "statements.item", source=source, fmt=NAME):
        if isinstance(statement, dict):
            yield from _statement(statement, author)


def _product_id(product: Any) -> str:
    if isinstance(product, str):
        return product
    p = as_dict(product)
    return text(p.get("@id")) or text(as_dict(p.get("identifiers")).get("purl"))


def _statement(st: dict[str, Any], author: str) -> Iterator[RawFinding]:
    vuln = st.get("vulnerability")
    if isinstance(vuln, str):  # OpenVEX 0.0.x: a plain id
        vuln = {"name": vuln}
    vuln = as_dict(vuln)
    vid = text(vuln.get("name")) or text(vuln.get("@id"))
    cve, aliases = split_ids([vid, *texts(vuln.get("aliases"))])
    status = text(st.get("status"))
    justification = text(st.get("justification"))
    note = text(st.get("impact_statement")) or text(st.get("status_notes"))
    action = text(st.get("action_statement"))
    for product in as_list(st.get("products")) or [None]:
        pid = _product_id(product)
        subs = [_product_id(s) for s in as_list(as_dict(product).get("subcomponents"))] or [""]
        for sub in subs:
            purl = sub or pid
            name, version = _purl_name_version(purl)
            yield RawFinding(
                title=f"{cve or vid} in {name or purl}".strip() + f" ({status})" * bool(status),
                severity=Severity.INFO,  # VEX carries no severity; enrichment adds CVSS/EPSS later
                tool="openvex",
                scanner_severity="",
                description=note or text(vuln.get("description")),
                rule_id=vid,
                cve=cve,
                aliases=aliases,
                package=name,
                installed_version=version,
                ecosystem=purl[4:].split("/", 1)[0] if purl.startswith("pkg:") and "/" in purl else "",
                purl=purl if purl.startswith("pkg:") else "",
                mitigation=action,
                vex_state=status if status in _STATUS else "",
                vex_justification=justification,
                fingerprint_parts=(pid, sub, vid),
                extra={"author": author} if author else {},
            )


def _purl_name_version(purl: str) -> tuple[str, str]:
    """('apk-tools', '2.10.6-r0') from 'pkg:apk/alpine/apk-tools@2.10.6-r0?arch=x86_64'."""
    if not purl.startswith("pkg:"):
        return "", ""
    body = purl[4:].split("?", 1)[0].split("#", 1)[0]
    path, _, version = body.partition("@")
    return path.rsplit("/", 1)[-1], version


FORMATS = (Format(name=NAME, label="OpenVEX JSON", sniff=sniff, parse=parse),)
