"""The `kcity` command line, through Typer's runner."""

from __future__ import annotations

import pytest
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


TINY_ENV = {"KCITY_CATALOG_DIR": str(CATALOGS / "tiny")}
ENGAGEMENT = """\
country: VNM
city: Hai Phong
population: 1000000
area_km2: 300
project_type: brownfield_retrofit
needs:
  mob.congestion: {severity: 5}
  mob.parking: {severity: 3}
readiness: {in_place: [fibre_backbone]}
budget: {amount: 3000000, currency: USD}
"""


def test_recommend_prints_json_with_ranked_tiers_excluded_roadmap_costs_financing(tmp_path):
    import json

    path = tmp_path / "e.yaml"
    path.write_text(ENGAGEMENT, encoding="utf-8")
    result = runner.invoke(app, ["recommend", str(path), "--format", "json"], env=TINY_ENV)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= {"ranked", "tiers", "excluded", "roadmap", "costs", "financing"}
    assert data["ranked"][0]["module_id"] == "its-atms"
    assert data["ranked"][0]["contributions"][0] == {"need": "mob.congestion", "severity": 5, "relevance": 3, "points": 15.0}
    recommended = next(t for t in data["tiers"] if t["name"] == "recommended")
    assert recommended["status"] == "optimal" and recommended["capex"]["currency"] == "USD"
    assert {x["module_id"]: x["reason"] for x in data["excluded"]} == {"its-atms": "over_budget_with", "ioc-platform": "marginal_fit"}


def test_recommend_table_explains_in_words(tmp_path):
    path = tmp_path / "e.yaml"
    path.write_text(ENGAGEMENT, encoding="utf-8")
    result = runner.invoke(app, ["recommend", str(path)], env=TINY_ENV)
    assert result.exit_code == 0, result.output
    assert "Answers Congestion (5×3)." in result.stdout
    assert "Adaptive signal control: costs $" in result.stdout and "more than the whole budget of $3,000,000" in result.stdout


def test_malformed_engagement_file_is_reported_field_by_field_without_traceback(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(ENGAGEMENT.replace("severity: 3", "severity: 9").replace("amount: 3000000", "amount: -1")
                    .replace("mob.congestion", "mob.jams"), encoding="utf-8")
    result = runner.invoke(app, ["recommend", str(path)], env=TINY_ENV)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{path}: needs.mob.parking.severity: Input should be less than or equal to 5",
        f"{path}: budget.amount: Input should be greater than 0",
    ]
    path.write_text(ENGAGEMENT.replace("mob.congestion", "mob.jams"), encoding="utf-8")
    result = runner.invoke(app, ["recommend", str(path)], env=TINY_ENV)
    assert result.stderr.splitlines() == [f"{path}: needs.mob.jams: unknown need code 'mob.jams'"]
    path.write_text("country: [VNM\n", encoding="utf-8")
    result = runner.invoke(app, ["recommend", str(path)], env=TINY_ENV)
    assert result.exit_code == 1 and result.stderr.startswith(f"{path}: line 2: invalid YAML")
    assert "Traceback" not in result.output


def test_engagement_new_writes_a_prefilled_engagement_that_recommend_accepts(tmp_path):
    out = tmp_path / "hai-phong.yaml"
    import yaml

    result = runner.invoke(app, ["engagement", "new", "--country", "kor", "--city", "Sejong", "-o", str(out)], env=TINY_ENV)
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["country"] == "KOR"
    # a suggestion from a national indicator enters at low severity, labelled national: the consultant decides
    assert data["needs"] == {"mob.congestion": {"severity": 2, "evidence": None, "baseline": None, "suggested": None, "suggestion": {
        "indicator": "urban_population_pct", "value": 81.5, "year": 2025, "direction": "above", "threshold": 50.0, "index": None}}}
    assert data["readiness"]["estimated_from_indicators"] is True
    result = runner.invoke(app, ["engagement", "new", "--country", "VNM", "--city", "Hai Phong", "-o", str(out), "--force"], env=TINY_ENV)
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["needs"] == {}  # 38.8 % urban is below the signal
    assert runner.invoke(app, ["recommend", str(out)], env=TINY_ENV).exit_code == 0


def test_engagement_new_rejects_an_unknown_country():
    result = runner.invoke(app, ["engagement", "new", "--country", "XYZ", "--city", "Nowhere"], env=TINY_ENV)
    assert result.exit_code == 1
    assert result.stderr.strip() == "--country: unknown country code 'XYZ' (ISO 3166 alpha-3, e.g. VNM)"


def test_engagement_new_writes_a_city_named_file_and_never_overwrites_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["engagement", "new", "--country", "VNM", "--city", "Hải Phòng"], env=TINY_ENV)
    assert result.exit_code == 0, result.output
    path = tmp_path / "hai-phong.yaml"
    assert path.exists()
    path.write_text("# my edits\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    again = runner.invoke(app, ["engagement", "new", "--country", "VNM", "--city", "Hải Phòng"], env=TINY_ENV)
    assert again.exit_code == 1
    assert again.stderr.strip() == "hai-phong.yaml: already exists; choose another file with -o or pass --force"
    assert path.read_text(encoding="utf-8").startswith("# my edits")
    stdout = runner.invoke(app, ["engagement", "new", "--country", "VNM", "--city", "Hải Phòng", "-o", "-"], env=TINY_ENV)
    assert stdout.exit_code == 0 and "city: Hải Phòng" in stdout.stdout


EXAMPLE = ROOT / "catalog" / "examples" / "hue-smart-pin.yaml"


def run_main(capsys, *argv: str) -> tuple[int, str, str]:
    """``kcity`` as the console script runs it (usage errors included), returning exit code, stdout, stderr."""
    from app.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(list(argv))
    out = capsys.readouterr()
    return int(exit_info.value.code or 0), out.out, out.err


@pytest.mark.parametrize(("argv", "says"), [
    (["recommend", str(EXAMPLE), "--lang", "xx"], "kcity recommend: Invalid value for --lang: 'xx'"),
    (["proposal", str(EXAMPLE), "--lang", "xx"], "kcity proposal: Invalid value for --lang: 'xx'"),
    (["recommend", str(EXAMPLE), "--format", "xml"], "kcity recommend: Invalid value for --format"),
    (["recommend"], "kcity recommend: Missing argument"),
    (["recommend", "--bogus"], "kcity recommend: No such option: --bogus"),
    (["fly"], "kcity: No such command 'fly'"),
])
def test_every_option_error_is_one_line_and_exit_1(capsys, argv, says):
    code, out, err = run_main(capsys, *argv)
    assert code == 1
    assert err.splitlines() == [err.strip()] and err.startswith(says), err
    assert "Traceback" not in out + err


def test_help_exits_0(capsys):
    code, out, _err = run_main(capsys, "--help")
    assert code == 0 and "recommend" in out


def test_engagement_new_into_a_missing_folder_is_one_line(capsys, tmp_path):
    target = tmp_path / "missing" / "dir" / "x.yaml"
    code, _out, err = run_main(capsys, "engagement", "new", "--country", "VNM", "--city", "X", "-o", str(target))
    assert code == 1 and err.strip() == f"{target}: the folder {target.parent} does not exist"


def test_a_module_priced_in_a_currency_without_a_rate_fails_validation_not_recommend(capsys):
    code, _out, err = run_main(capsys, "catalog", "validate", str(CATALOGS / "missing_rate"))
    assert code == 1
    assert "missing_rate/modules/smart-parking.yaml: cost.currency: no exchange rate for 'EUR' in rates/exchange_rates.csv" in err.splitlines()


def test_a_command_group_alone_prints_its_help(capsys):
    code, out, err = run_main(capsys, "catalog")
    assert code == 0 and "validate" in out and "stats" in out and err == ""


def test_file_names_keep_only_the_ascii_letters_of_a_vietnamese_city():
    from app import services

    assert services.slug("Hải Phòng") == "hai-phong" and services.slug("Đà Nẵng") == "da-nang" and services.slug("  ") == ""


def test_validate_reports_a_text_missing_in_a_language_the_catalog_declares_complete(tmp_path):
    import shutil

    folder = tmp_path / "tiny"
    shutil.copytree(CATALOGS / "tiny", folder)
    (folder / "languages.yaml").write_text("complete: [vi]\n", encoding="utf-8")
    result = runner.invoke(app, ["catalog", "validate", str(folder)])
    assert result.exit_code == 1
    assert "tiny/languages.yaml" not in result.stderr  # Vietnamese lives in its catalog.po, which is where it is missing
    assert "templates/locales/vi/LC_MESSAGES/catalog.po: vi: declared complete, but no vi text for" in result.stderr
    assert "texts missing in languages the catalog declares complete" in result.stderr
    (folder / "languages.yaml").write_text("complete: []\n", encoding="utf-8")
    assert runner.invoke(app, ["catalog", "validate", str(folder)]).exit_code == 0


def test_a_bad_language_declaration_is_reported_by_file_and_field(tmp_path):
    import shutil

    folder = tmp_path / "tiny"
    shutil.copytree(CATALOGS / "tiny", folder)
    (folder / "languages.yaml").write_text("complete: [fr]\n", encoding="utf-8")
    result = runner.invoke(app, ["catalog", "validate", str(folder)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "tiny/languages.yaml: complete.0:" in result.stderr


def test_the_bundled_catalog_has_every_text_in_the_languages_it_declares_complete(bundled_catalog):
    from app import services
    from tests.conftest import ROOT

    assert services.translation_gaps(bundled_catalog, ROOT / "catalog") == []


def test_rendering_reports_its_stages_in_order_for_a_progress_bar(bundled_catalog):
    import datetime as dt

    from app import services
    from app.adapters import charts
    from app.core.prefill import new_engagement

    heard: list[str] = []
    engagement = new_engagement(bundled_catalog, "VNM", "Hue", 650_000, 265.0)
    services.render_proposal(bundled_catalog, engagement, "en", progress=lambda stage, _detail: heard.append(stage),
                             chart_exporter=charts.no_charts, today=dt.date(2026, 12, 4))
    order = [services.RENDER_STAGES.index(stage) for stage in heard]
    assert order == sorted(order) and heard[0] == "recommend" and heard[-1] == "done"
    assert set(heard) == set(services.RENDER_STAGES)
