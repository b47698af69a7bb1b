"""Incident response: alert intake, lifecycle, timeline and regulatory notification clocks."""
