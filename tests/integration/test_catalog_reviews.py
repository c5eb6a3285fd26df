"""`kcity catalog review` stamps review dates into the YAML without touching anything else; `stats` lists what is due."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from typer.testing import CliRunner

from app import services
from app.adapters.catalog_files import load_catalog
from app.cli import app
from tests.conftest import CATALOGS

runner = CliRunner()


def _tiny(tmp_path: Path) -> Path:
    root = tmp_path / "catalog"
    shutil.copytree(CATALOGS / "tiny", root)
    return root


def test_review_stamps_a_module_and_a_source_and_changes_no_other_line(tmp_path):
    root = _tiny(tmp_path)
    module_before = (root / "modules/its-atms.yaml").read_text(encoding="utf-8")
    sources_before = (root / "sources.yaml").read_text(encoding="utf-8")
    result = runner.invoke(app, ["catalog", "review", "its-atms", "S2", "--by", "Kim Min-ji", "--on", "2026-12-01", "--catalog", str(root)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["reviewed its-atms: 2026-12-01 by Kim Min-ji", "reviewed S2: 2026-12-01 by Kim Min-ji"]
    assert (root / "modules/its-atms.yaml").read_text(encoding="utf-8") == module_before + "reviewed:\n  on: 2026-12-01\n  by: Kim Min-ji\n"
    sources, before = (root / "sources.yaml").read_text(encoding="utf-8").splitlines(), sources_before.splitlines()
    assert (sources[0], sources[-1]) == (before[0], before[-1])  # S1 and wdi untouched; S2 stays a flow mapping
    assert sources[1].startswith("- {id: S2,")
    catalog = load_catalog(root)
    assert catalog.modules["its-atms"].reviewed is not None and catalog.modules["its-atms"].reviewed.on == dt.date(2026, 12, 1)
    assert catalog.sources["S2"].reviewed is not None and catalog.sources["S2"].reviewed.by == "Kim Min-ji"


def test_a_second_review_replaces_the_first_and_an_old_last_reviewed_date(tmp_path):
    root = _tiny(tmp_path)
    path = root / "modules/its-atms.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "last_reviewed: 2025-01-01\n", encoding="utf-8")
    services.review_entries(root, ["its-atms"], dt.date(2026, 1, 2), "Kim")
    services.review_entries(root, ["its-atms"], dt.date(2026, 2, 3), "Lee")
    text = path.read_text(encoding="utf-8")
    assert "last_reviewed" not in text and text.endswith("reviewed:\n  on: 2026-02-03\n  by: Lee\n")


def test_review_of_an_unknown_id_writes_nothing_and_exits_1(tmp_path):
    root = _tiny(tmp_path)
    before = (root / "sources.yaml").read_bytes()
    result = runner.invoke(app, ["catalog", "review", "S1", "nope", "--by", "Kim", "--catalog", str(root)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == ["nope: no module or source with this id"]
    assert (root / "sources.yaml").read_bytes() == before


def test_stats_lists_entries_reviewed_more_than_a_year_before_the_given_date(tmp_path):
    root = _tiny(tmp_path)
    services.review_entries(root, ["its-atms", "ioc-platform", "smart-parking", "S2", "wdi"], dt.date(2026, 1, 2), "Kim")
    services.review_entries(root, ["S1"], dt.date(2024, 5, 6), "Lee")
    result = runner.invoke(app, ["catalog", "stats", str(root), "--as-of", "2026-06-01"])
    assert result.exit_code == 0, result.output
    assert "  reviews due           1  (modules and sources reviewed more than a year before 2026-06-01, or never)" in result.stdout
    assert "    - source S1: reviewed 2024-05-06 by Lee" in result.stdout
    later = runner.invoke(app, ["catalog", "stats", str(root), "--as-of", "2027-01-03"])
    assert "  reviews due           6" in later.stdout
