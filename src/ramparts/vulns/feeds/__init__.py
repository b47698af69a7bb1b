"""Parsers for public vulnerability feeds (CISA KEV, FIRST EPSS). Pure Python, no Django."""

from ramparts.vulns.feeds.errors import FeedError

__all__ = ["FeedError"]
