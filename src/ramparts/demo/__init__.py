"""The demo organisation: a fictional financial-services firm, generated in code from a seed.

`generate(seed)` builds it as plain data (no Django); `load.load_demo()` writes it through the
inventory services, so that the audit trail records it like any other import.
"""
