"""Country facts (hazard exposure, data-protection law) come from countries/country_facts.yaml, checked like any catalog file."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

from app.adapters import catalog_cache
from app.adapters.catalog_files import load_catalog, read_catalog
from tests.conftest import CATALOGS, ROOT

FLOOD = ("flood:\n      score: 7.2\n      scale_max: 10\n      level: very_high\n      index: 'INFORM Risk 2023: Flood'\n"
         "      year: 2023\n      source_id: {source}\n")


def facts_yaml(iso3: str = "VNM", level: str = "very_high", source: str = "S1") -> str:
    return (f"{iso3}:\n  hazards:\n    " + FLOOD.format(source=source).replace("very_high", level)
            + f"  data_protection:\n    status: legislation\n    laws: [' Decree 13/2023 ']\n    year: 2026\n    source_id: {source}\n")


@pytest.fixture
def tiny(tmp_path):
    folder = tmp_path / "tiny"
    shutil.copytree(CATALOGS / "tiny", folder)
    return folder


def problems_with(folder: Path, text: str) -> list[str]:
    (folder / "countries" / "country_facts.yaml").write_text(text, encoding="utf-8")
    catalog, problems = read_catalog(folder)
    assert catalog is None
    return [str(p) for p in problems]


def test_viet_nam_has_a_data_protection_law_with_its_title(bundled_catalog):
    protection = bundled_catalog.countries["VNM"].data_protection
    assert protection is not None
    assert protection.status == "legislation"
    assert protection.laws and all(title.strip() == title and title for title in protection.laws)
    assert protection.source_id == "unctad-cyberlaw-tracker-2026"


@pytest.mark.parametrize("iso3", ["MNG", "BOL"])
def test_a_landlocked_country_has_no_sea_level_rise_exposure(bundled_catalog, iso3):
    exposure = bundled_catalog.countries[iso3].hazards.get("sea_level_rise")
    assert exposure is None or exposure.level == "very_low"


def test_the_philippines_are_highly_exposed_to_cyclones(bundled_catalog):
    cyclone = bundled_catalog.countries["PHL"].hazards["cyclone"]
    assert cyclone.level in ("high", "very_high")
    assert (cyclone.scale_max, cyclone.source_id) == (10, "inform-risk-2023")


def test_only_hazards_with_a_dataset_are_filled(bundled_catalog):
    filled = {h for c in bundled_catalog.countries.values() for h in c.hazards}
    assert filled == {"flood", "earthquake", "cyclone", "drought", "sea_level_rise"}
    assert sum(1 for c in bundled_catalog.countries.values() if c.data_protection) > 150


def test_every_hazard_and_data_protection_source_resolves(bundled_catalog):
    used = {e.source_id for c in bundled_catalog.countries.values() for e in c.hazards.values()}
    used |= {c.data_protection.source_id for c in bundled_catalog.countries.values() if c.data_protection}
    assert used == {"inform-risk-2023", "worldriskindex-2022", "unctad-cyberlaw-tracker-2026"}
    assert used <= set(bundled_catalog.sources)


def test_facts_merge_into_their_country(tiny):
    (tiny / "countries" / "country_facts.yaml").write_text(facts_yaml(), encoding="utf-8")
    vnm = load_catalog(tiny).countries["VNM"]
    assert vnm.hazards["flood"].level == "very_high"
    assert vnm.data_protection is not None and vnm.data_protection.laws == ["Decree 13/2023"]
    assert vnm.indicators  # the indicators of country_indicators.csv are kept


def test_without_a_facts_file_countries_have_no_facts(tiny_catalog):
    assert all(not c.hazards and c.data_protection is None for c in tiny_catalog.countries.values())


def test_a_malformed_facts_file_names_the_file_entry_and_field(tiny):
    problems = problems_with(tiny, facts_yaml(level="extreme"))
    assert len(problems) == 1
    assert problems[0].startswith("tiny/countries/country_facts.yaml: VNM: hazards.flood.level: Input should be 'very_low'")


def test_an_unknown_hazard_or_field_in_the_facts_file_is_a_problem(tiny):
    text = facts_yaml().replace("flood:", "tsunami:").replace("status: legislation", "status: legislation\n    adequate: yes")
    problems = problems_with(tiny, text)
    assert any(p.startswith("tiny/countries/country_facts.yaml: VNM: hazards.tsunami.[key]: Input should be 'flood'") for p in problems)
    assert "tiny/countries/country_facts.yaml: VNM: data_protection.adequate: Extra inputs are not permitted" in problems


def test_facts_for_an_unknown_country_are_a_problem(tiny):
    assert problems_with(tiny, facts_yaml(iso3="XYZ")) == [
        "tiny/countries/country_facts.yaml: XYZ: unknown country 'XYZ' (not in countries/country_indicators.csv)"]


def test_facts_citing_an_unknown_source_are_a_problem(tiny):
    assert problems_with(tiny, facts_yaml(source="S404")) == [
        "tiny/countries/country_facts.yaml: VNM: hazards.flood.source_id: unknown source 'S404'",
        "tiny/countries/country_facts.yaml: VNM: data_protection.source_id: unknown source 'S404'",
    ]


@pytest.mark.parametrize(("text", "expected"), [
    ("- VNM\n", "tiny/countries/country_facts.yaml: expected a mapping of ISO3 country codes to their facts"),
    ("# nothing yet\n", "tiny/countries/country_facts.yaml: file is empty"),
    ("VNM: {hazards: [\n", "tiny/countries/country_facts.yaml: line 2: invalid YAML"),
])
def test_a_facts_file_of_the_wrong_shape_is_a_problem_not_a_crash(tiny, text, expected):
    problems = problems_with(tiny, text)
    assert len(problems) == 1 and problems[0].startswith(expected)


def test_adding_or_editing_the_facts_file_invalidates_the_cache(tiny, tmp_path):
    cache = tmp_path / "cache"
    assert catalog_cache.load_catalog(tiny, cache).countries["VNM"].hazards == {}
    (tiny / "countries" / "country_facts.yaml").write_text(facts_yaml(), encoding="utf-8")
    assert catalog_cache.load_catalog(tiny, cache).countries["VNM"].hazards["flood"].level == "very_high"
    (tiny / "countries" / "country_facts.yaml").write_text(facts_yaml(level="high"), encoding="utf-8")
    assert catalog_cache.load_catalog(tiny, cache).countries["VNM"].hazards["flood"].level == "high"


def _build_script():
    spec = importlib.util.spec_from_file_location("build_country_data", ROOT / "scripts" / "build_country_data.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("score", "level"), [(0, "very_low"), (1.9, "very_low"), (2.0, "low"), (3.4, "low"), (3.5, "medium"),
                                              (5.0, "high"), (6.4, "high"), (6.5, "very_high"), (10, "very_high")])
def test_inform_scores_take_inform_risk_classes(score, level):
    assert _build_script().inform_level(score) == level


def test_worldriskindex_scores_take_their_quintile():
    build = _build_script()
    breaks = [0.01, 24.52, 37.81, 46.71]
    assert [build.quintile_level(s, breaks) for s in (0.01, 0.02, 24.52, 30, 46.71, 46.72)] == [
        "very_low", "low", "low", "medium", "high", "very_high"]


RAW = ROOT.parent / "shared" / "data" / "countries" / "raw"


@pytest.mark.skipif(not RAW.is_dir(), reason="the shared raw country data is not next to this checkout")
def test_the_facts_file_is_what_the_build_script_makes_of_the_raw_data(bundled_catalog):
    build = _build_script()
    facts = build.build_country_facts(RAW, set(bundled_catalog.countries))
    assert build.facts_yaml(facts) == (ROOT / "catalog" / "countries" / "country_facts.yaml").read_text(encoding="utf-8")
