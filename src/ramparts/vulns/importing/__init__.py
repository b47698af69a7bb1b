"""Importing scan files into findings (docs/vulns.md). `scan_import` is also exported by vulns.services."""

from ramparts.vulns.importing.engine import ACTION_IMPORT, ImportResult, invalid, scan_import

__all__ = ["ACTION_IMPORT", "ImportResult", "invalid", "scan_import"]
