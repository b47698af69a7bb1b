"""Web pages of the compliance module: thin adapters over selectors, derivation and services."""
