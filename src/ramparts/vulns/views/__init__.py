"""Web views of findings (list, detail, triage, per-system, per-CVE, overdue, burn-down, feeds)."""
