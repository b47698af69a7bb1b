"""The one exception the feed parsers raise for malformed input."""


class FeedError(ValueError):
    """Malformed feed input, naming the file and the position (line or entry) at fault."""

    def __init__(self, source: str, position: str, reason: str) -> None:
        self.source = source
        self.position = position
        self.reason = reason
        super().__init__(f"{source}: {position}: {reason}")
