"""Open FAIR quantification in money: pure NumPy, no Django (docs/risk-quant.md).

distributions  PERT, lognormal from a 90% interval, constant (inverse-transform sampling)
model          Scenario (frequency, or tef × vulnerability; loss; optional secondary), QuantError
simulate       compound-Poisson Monte Carlo of one scenario, seeded streams
portfolio      same-year sums across scenarios, Gaussian copula on frequency, threads
results        ALE, percentiles, expected shortfall, exceedance curve, tolerance curve
whatif         control what-if on common random numbers (ΔALE, ΔP95, ROSI)
spec, imports  SPEC files (YAML/JSON), pyfair JSON and riskquant CSV
"""
