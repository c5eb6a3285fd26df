"""Run every ``bench_*.py`` module's ``main()`` in this folder."""

import importlib
import pkgutil
from pathlib import Path

for info in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]), key=lambda i: i.name):
    if info.name.startswith("bench_"):
        importlib.import_module(f"tests.benchmarks.{info.name}").main()
