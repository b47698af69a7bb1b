"""Pure computations of the compliance module (no Django): status derivation and coverage."""
