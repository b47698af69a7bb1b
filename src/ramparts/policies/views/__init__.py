"""Web pages of the policies module: thin adapters over selectors and services."""
