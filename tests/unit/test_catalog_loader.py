"""The loader reports every problem of a broken catalog, located as `file: field: message`."""

from __future__ import annotations

import pytest

from app.adapters.catalog_files import load_catalog, read_catalog
from app.errors import CatalogError
from tests.conftest import CATALOGS

EXPECTED = {
    "schema_error": [
        "schema_error/modules/its-atms.yaml: name.ko: Field required",
        "schema_error/modules/its-atms.yaml: cost.capex.typical: Input should be greater than 0",
    ],
    "yaml_syntax": [
        "yaml_syntax/modules/smart-parking.yaml: line 6: invalid YAML: mapping values are not allowed in this context",
    ],
    "id_mismatch": [
        "id_mismatch/modules/parking.yaml: id: id 'smart-parking' does not match the file name 'parking'",
    ],
    "duplicate_id": [
        "duplicate_id/taxonomy/needs.yaml: entry 4 (mob.parking): code: duplicate need 'mob.parking' (first defined in entry 2 (mob.parking))",
        "duplicate_id/sources.yaml: entry 4 (S2): id: duplicate source 'S2' (first defined in entry 2 (S2))",
    ],
    "unknown_reference": [
        "unknown_reference/taxonomy/needs.yaml: entry 1 (mob.congestion): signals.0.indicator: unknown indicator 'urbanisation'",
        "unknown_reference/modules/smart-parking.yaml: domain: unknown domain 'transport'",
        "unknown_reference/modules/smart-parking.yaml: needs.0.need: unknown need 'mob.parkng'",
        "unknown_reference/modules/smart-parking.yaml: synergies: unknown module 'bus-information'",
        "unknown_reference/modules/smart-parking.yaml: financing: unknown financing channel 'edcf'",
        "unknown_reference/modules/smart-parking.yaml: source_ids: unknown source 'S9'",
        "unknown_reference/packages/smart-mobility.yaml: optional_modules: unknown module 'drone-delivery'",
    ],
    "dependency_cycle": [
        "dependency_cycle/modules/ioc-platform.yaml: depends_on: dependency cycle ioc-platform → its-atms → ioc-platform",
    ],
    "package_unknown_module": [
        "package_unknown_module/packages/smart-mobility.yaml: core_modules: unknown module 'traffic-centre'",
    ],
    "missing_rate": [
        "missing_rate/rates/exchange_rates.csv: no USD row (USD,1,…): every cost converts through US dollars",
        "missing_rate/modules/smart-parking.yaml: cost.currency: no exchange rate for 'EUR' in rates/exchange_rates.csv",
    ],
    "source_hygiene": [
        "source_hygiene/sources.yaml: entry 2 (S2): url: grokipedia.com is an AI-generated encyclopedia: cite the publisher's own "
        "page or a Wayback archive of it",
        "source_hygiene/sources.yaml: entry 3 (wdi): alternate_urls.0: www.scribd.com is a document-sharing copy: cite the "
        "publisher's own page or a Wayback archive of it",
        "source_hygiene/sources.yaml: entry 4 (S3): url: a tag, category or search-result page changes over time: cite the "
        "article itself",
        "source_hygiene/sources.yaml: entry 5 (S4): url: http://www.example.org/one/ is also cited by source 'S1': one "
        "document, one source (merge them and update the references)",
        "source_hygiene/sources.yaml: entry 6 (S5): url: cafe.daum.net is a copy posted on a discussion board: cite the "
        "publisher's own page or a Wayback archive of it",
        "source_hygiene/sources.yaml: entry 7 (S6): alternate_urls.0: encyclopedia.datana.cloud is a copy of Wikipedia: cite the "
        "publisher's own page or a Wayback archive of it",
        "source_hygiene/sources.yaml: entry 8 (S7): url: wikipedia.jakami.de is a copy of Wikipedia: cite the publisher's own "
        "page or a Wayback archive of it",
    ],
    "unsourced_cost": [
        "unsourced_cost/modules/ioc-platform.yaml: cost: an unsourced cost must be basis: estimate, confidence: low",
        "unsourced_cost/countries/country_indicators.csv: line 3 (KOR): population_year: a value needs its year",
    ],
}


@pytest.mark.parametrize("fixture", sorted(EXPECTED))
def test_broken_catalog_reports_every_problem_with_file_and_field(fixture):
    catalog, problems = read_catalog(CATALOGS / fixture)
    assert catalog is None
    assert [str(p) for p in problems] == EXPECTED[fixture]


def test_every_broken_fixture_is_covered():
    on_disk = {p.name for p in CATALOGS.iterdir() if p.is_dir()} - {"tiny"}
    assert on_disk == set(EXPECTED)


def test_load_catalog_raises_catalog_error_carrying_the_problems():
    with pytest.raises(CatalogError) as info:
        load_catalog(CATALOGS / "schema_error")
    assert info.value.lines() == EXPECTED["schema_error"]
    assert str(info.value).startswith("2 catalog problems")


def test_tiny_catalog_loads_with_cross_references_resolved(tiny_catalog):
    assert set(tiny_catalog.modules) == {"its-atms", "ioc-platform", "smart-parking"}
    assert tiny_catalog.modules["its-atms"].depends_on == ["ioc-platform"]
    assert tiny_catalog.countries["VNM"].indicators["urban_population_pct"].year == 2025
    assert tiny_catalog.countries["VNM"].un_member
    assert tiny_catalog.rates["KRW"].per_usd == pytest.approx(1422.44)


def test_catalog_version_changes_when_a_file_changes(tmp_path):
    import shutil

    copy = tmp_path / "tiny"
    shutil.copytree(CATALOGS / "tiny", copy)
    before = load_catalog(copy).version
    path = copy / "modules" / "smart-parking.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("typical: 250", "typical: 260"), encoding="utf-8")
    assert load_catalog(copy).version != before


def test_missing_catalog_folder_is_a_problem_not_a_crash(tmp_path):
    catalog, problems = read_catalog(tmp_path / "nowhere")
    assert catalog is None
    assert [p.message for p in problems] == ["catalog folder not found"]


def test_empty_and_non_utf8_files_are_reported(tmp_path):
    import shutil

    copy = tmp_path / "cat"
    shutil.copytree(CATALOGS / "tiny", copy)
    (copy / "modules" / "empty.yaml").write_text("# nothing yet\n", encoding="utf-8")
    (copy / "packages" / "latin1.yaml").write_bytes("name: caf\xe9\n".encode("latin-1"))
    _, problems = read_catalog(copy)
    assert "cat/modules/empty.yaml: file is empty" in [str(p) for p in problems]
    assert any(str(p).startswith("cat/packages/latin1.yaml: not UTF-8 text") for p in problems)


def test_a_citation_in_catalog_text_that_names_no_source_is_a_problem(tmp_path):
    import shutil

    root = tmp_path / "catalog"
    shutil.copytree(CATALOGS / "tiny", root)
    path = root / "modules" / "smart-parking.yaml"
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["description"]["en"] += " Reported results [S999]."
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    catalog, problems = read_catalog(root)
    assert catalog is None
    assert [(p.field, p.message) for p in problems] == [("description.en", "cites unknown source 'S999' in its text")]
    assert problems[0].where.endswith("smart-parking.yaml")
