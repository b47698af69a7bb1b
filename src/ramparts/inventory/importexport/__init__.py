"""Inventory import and export: the column table, file readers and writers."""
