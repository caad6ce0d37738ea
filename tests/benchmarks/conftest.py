"""The benchmark scripts are not a package: put ``benchmarks/`` on the path, as running one
of them does, so the tests import their modules by the same names."""

from __future__ import annotations

import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
if str(BENCHMARKS) not in sys.path:
    sys.path.insert(0, str(BENCHMARKS))
