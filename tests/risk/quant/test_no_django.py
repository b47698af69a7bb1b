"""The engine is pure NumPy: importing all of it must not import Django."""

import subprocess
import sys


def test_engine_imports_without_django():
    code = (
        "import sys\n"
        "import ramparts.risk.quant.distributions, ramparts.risk.quant.imports, ramparts.risk.quant.model\n"
        "import ramparts.risk.quant.portfolio, ramparts.risk.quant.results, ramparts.risk.quant.simulate\n"
        "import ramparts.risk.quant.spec, ramparts.risk.quant.whatif\n"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'django'], 'django imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
