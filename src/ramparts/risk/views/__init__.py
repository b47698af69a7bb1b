"""Web pages of the risk module: thin adapters over risk.selectors and risk.services."""
