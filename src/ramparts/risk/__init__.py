"""Risk management. `quant/` is the Open FAIR engine (pure NumPy, no Django)."""
