"""Pure-Python inventory engines (no Django): criticality propagation, cycle detection, CPE names."""
