"""Exports of the compliance module: OSCAL (assessment results, SSP), CSV, XLSX, PDF statement of applicability."""
