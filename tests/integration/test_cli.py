"""The `kcity` command line, through Typer's runner."""

from __future__ import annotations

from typer.testing import CliRunner

from app.cli import app
from tests.conftest import CATALOGS, ROOT
from tests.unit.test_catalog_loader import EXPECTED

runner = CliRunner()


def test_validate_prints_counts_and_exits_0_on_a_valid_catalog():
    result = runner.invoke(app, ["catalog", "validate", str(CATALOGS / "tiny")])
    assert result.exit_code == 0, result.output
    assert "modules               3" in result.stdout
    assert "cost confidence    high 33%, medium 33%, low 33%" in result.stdout


def test_validate_prints_one_line_per_problem_and_exits_1():
    for fixture, lines in EXPECTED.items():
        result = runner.invoke(app, ["catalog", "validate", str(CATALOGS / fixture)])
        assert result.exit_code == 1, fixture
        assert result.stderr.splitlines() == lines
        assert "Traceback" not in result.output


def test_stats_lists_content_findings_of_a_thin_catalog():
    result = runner.invoke(app, ["catalog", "stats", str(CATALOGS / "tiny")])
    assert result.exit_code == 0
    assert "- domain mobility: 2 modules (want >= 3)" in result.stdout
    assert "- module its-atms: en description has 3 words (want >= 60)" in result.stdout


def test_committed_json_schema_is_up_to_date():
    result = runner.invoke(app, ["catalog", "schema", "--check", "--out", str(ROOT / "catalog" / "schema")])
    assert result.exit_code == 0, result.output


def test_schema_check_fails_on_a_stale_schema_folder(tmp_path):
    runner.invoke(app, ["catalog", "schema", "--out", str(tmp_path)])
    (tmp_path / "module.schema.json").write_text("{}", encoding="utf-8")
    result = runner.invoke(app, ["catalog", "schema", "--check", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "module.schema.json: stale" in result.stderr


def test_help_lists_the_catalog_commands():
    result = runner.invoke(app, ["catalog", "--help"])
    assert result.exit_code == 0
    for command in ("validate", "stats", "schema"):
        assert command in result.stdout
