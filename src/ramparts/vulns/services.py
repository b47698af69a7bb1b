"""Vulns writes. Scan imports live in `ramparts.vulns.importing` (re-exported here)."""

from ramparts.vulns.importing import ACTION_IMPORT, ImportResult, scan_import

__all__ = ["ACTION_IMPORT", "ImportResult", "scan_import"]
