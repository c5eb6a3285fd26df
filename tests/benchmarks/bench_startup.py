"""Start-up: whole ``kcity`` processes and catalog loads, medians of 5, beside ``python -c pass`` in the same run.

Targets (issue "Locked, installable and quick to start"): ``kcity --help`` ≤ 0.35 s; ``kcity recommend <example>
--format json`` ≤ 0.6 s; catalog load ≤ 100 ms from the cache and ≤ 300 ms cold; a catalog ten times larger
(650 modules) ≤ 300 ms from the cache.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tests.conftest import ROOT

RUNS = 5
BIN = Path(sys.executable).parent
EXAMPLE = ROOT / "catalog" / "examples" / "hue-smart-pin.yaml"


def _median(fn: Callable[[], object]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _process(env: dict[str, str], *cmd: str | Path) -> Callable[[], object]:
    return lambda: subprocess.run([str(c) for c in cmd], env=env, stdout=subprocess.DEVNULL, check=True)


def _ten_times(root: Path, into: Path) -> Path:
    """A copy of the catalog whose every module file is cloned ten times under new ids (650 modules)."""
    shutil.copytree(root, into, ignore=shutil.ignore_patterns("examples", "schema"))
    for path in sorted((into / "modules").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        for i in range(1, 10):
            clone = f"{path.stem}-x{i}"
            (into / "modules" / f"{clone}.yaml").write_text(text.replace(f"id: {path.stem}\n", f"id: {clone}\n", 1), encoding="utf-8")
    return into


def _row(label: str, seconds: float, target: float | None) -> str:
    mark = "" if target is None else ("  ok" if seconds <= target else f"  OVER (target ≤ {target * 1000:.0f} ms)")
    return f"  {label:<44} {seconds * 1000:>7.0f} ms{mark}"


def main() -> None:
    from app import services

    with tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "KCITY_CACHE_DIR": f"{scratch}/cache", "KCITY_DATA_DIR": f"{scratch}/data"}
        subprocess.run([BIN / "kcity", "catalog", "validate"], env=env, stdout=subprocess.DEVNULL, check=True)  # fills the cache
        print(f"start-up benchmark — whole processes and loads, median of {RUNS}")
        print(_row("python -c pass", _median(_process(env, sys.executable, "-c", "pass")), None))
        print(_row("kcity --help", _median(_process(env, BIN / "kcity", "--help")), 0.35))
        print(_row("kcity recommend <example> --format json", _median(_process(env, BIN / "kcity", "recommend", EXAMPLE, "--format", "json")), 0.6))

        catalog = ROOT / "catalog"
        print(_row("catalog load, cold (parse and validate)", _median(lambda: services.load_catalog(catalog)), 0.3))
        print(_row("catalog load, from the cache", _median(lambda: services.load_catalog(catalog, Path(scratch, "cache"))), 0.1))
        big = _ten_times(catalog, Path(scratch, "big"))
        loaded = services.load_catalog(big, Path(scratch, "cache"))
        print(_row(f"{len(loaded.modules)}-module catalog, cold", _median(lambda: services.load_catalog(big)), None))
        print(_row(f"{len(loaded.modules)}-module catalog, from the cache", _median(lambda: services.load_catalog(big, Path(scratch, "cache"))), 0.3))


if __name__ == "__main__":
    main()
