"""New findings attach to the inventory systems the actor can see, by host, IP, URL, image or repository."""

from __future__ import annotations

from urllib.parse import urlsplit

from ramparts.core.permissions import scope_to_units
from ramparts.inventory.models import System


class SystemMatcher:
    """In-memory maps from names, host names, IPs, URLs and URL hosts to (system id, unit id)."""

    def __init__(self, actor) -> None:
        self.by_key: dict[str, tuple[int, int]] = {}
        rows = scope_to_units(actor, System.objects.all()).values_list(
            "id", "business_unit_id", "name", "hostnames", "ip_addresses", "urls"
        )
        for sid, unit, name, hostnames, ips, urls in rows:
            ref = (sid, unit)
            keys = [name, *hostnames.split("\n"), *ips.split("\n")]
            for url in urls.split("\n"):
                keys += [url, urlsplit(url).hostname or ""]
            for key in keys:
                if key.strip():
                    self.by_key.setdefault(key.strip().lower(), ref)
        # many findings share their location (one image, one host): remember the answers
        self._memo: dict[tuple[str, str, str, str, str], tuple[int, int] | None] = {}

    def match(self, location: tuple[str, str, str, str, str]) -> tuple[int, int] | None:
        """The system of a finding at (host, ip, url, image, repository), or None."""
        try:
            return self._memo[location]
        except KeyError:
            pass
        hit = None
        host, ip, url, image, repository = location
        url_host = (urlsplit(url).hostname or "") if url else ""
        for key in (host, ip, url, url_host, image, repository):
            if key and (hit := self.by_key.get(key.strip().lower())):
                break
        if len(self._memo) < 200_000:
            self._memo[location] = hit
        return hit
