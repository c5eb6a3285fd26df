"""Stamp every module and source that has no ``reviewed`` date yet with the date it entered the catalog.

Usage: ``python scripts/stamp_reviews.py [CATALOG_DIR]`` (default: ``catalog/``), run from a git checkout. Idempotent:
entries that carry ``reviewed`` already are left alone, so it can run again after a merge adds entries.

The date is an honest lower bound of "someone curated this", not a claim of a fresh check:

* a module: its ``last_reviewed`` date where it has one (the field this stamp replaces), else the date of the commit
  that added ``modules/<id>.yaml``;
* a source: the date of the first commit whose ``sources.yaml`` contains the line ``- id: <id>``;

and ``by: catalog team (initial curation)``. Later reviews are recorded with ``kcity catalog review ID --by NAME``.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.adapters.catalog_files import CatalogLoader  # noqa: E402
from app.adapters.catalog_reviews import stamp  # noqa: E402

BY = "catalog team (initial curation)"


def _git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def module_dates(root: Path) -> dict[str, dt.date]:
    dates = {}
    for path in sorted((root / "modules").glob("*.yaml")):
        entry = yaml.load(path.read_text(encoding="utf-8"), Loader=CatalogLoader)
        if entry.get("reviewed"):
            continue
        if isinstance(entry.get("last_reviewed"), dt.date):
            dates[path.stem] = entry["last_reviewed"]
            continue
        added = _git("log", "--diff-filter=A", "--format=%as", "--", path.name, cwd=path.parent).split()
        dates[path.stem] = dt.date.fromisoformat(added[-1]) if added else dt.date.today()
    return dates


def source_dates(root: Path) -> dict[str, dt.date]:
    """The date of the first commit that added each ``- id: X`` line to ``sources.yaml`` (today when uncommitted)."""
    first: dict[str, dt.date] = {}
    day = dt.date.today()
    log = _git("log", "--reverse", "--format=commit %as", "-p", "--", "sources.yaml", cwd=root)
    for line in log.splitlines():
        if line.startswith("commit "):
            day = dt.date.fromisoformat(line.split()[1])
        elif (match := re.match(r"^\+- id: (\S+)\s*$", line)):
            first.setdefault(match.group(1).strip("'\""), day)
    entries = yaml.load((root / "sources.yaml").read_text(encoding="utf-8"), Loader=CatalogLoader) or []
    return {e["id"]: first.get(e["id"], dt.date.today()) for e in entries if not e.get("reviewed")}


def main(argv: list[str]) -> int:
    root = Path(argv[0]) if argv else ROOT / "catalog"
    dates = module_dates(root) | source_dates(root)
    stamped = stamp(root, dates, BY, only_missing=True)
    print(f"stamped {len(stamped)} entries ({sum(1 for i in stamped if (root / 'modules' / f'{i}.yaml').exists())} modules) "
          f"with reviewed: {{on: <date>, by: {BY}}}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
