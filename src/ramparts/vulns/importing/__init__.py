"""Importing scan files into findings (docs/vulns.md): `engine.scan_import`, also exported by vulns.services.

Nothing is imported here: the pure modules (prepared, targets) must import without Django, in the
child process that parses a large file (ahead.py).
"""
