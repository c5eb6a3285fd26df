"""The catalog's Excel round trip: export, edit in a spreadsheet, import with the loader's checks, YAML written in place."""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from app import services
from app.adapters.catalog_files import load_catalog
from app.cli import app
from app.errors import CatalogError
from tests.conftest import CATALOGS, ROOT

runner = CliRunner()


def _copy(src: Path, tmp_path: Path) -> Path:
    root = tmp_path / "catalog"
    shutil.copytree(src, root)
    return root


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _edited(data: bytes, sheet: str, key: str, edits: dict[str, Any]) -> bytes:
    """The workbook with the cells of the row whose first column is ``key`` set to ``edits`` (column path → value)."""
    book = load_workbook(io.BytesIO(data))
    ws = book[sheet]
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == key)
    for path, value in edits.items():
        row[header.index(path)].value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _with_rows(data: bytes, sheet: str, rows: list[dict[str, Any]]) -> bytes:
    book = load_workbook(io.BytesIO(data))
    ws = book[sheet]
    header = [c.value for c in ws[1]]
    for values in rows:
        ws.append([values.get(h) for h in header])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _row(data: bytes, sheet: str, key: str) -> dict[str, Any]:
    ws = load_workbook(io.BytesIO(data))[sheet]
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == key)
    return dict(zip(header, row, strict=True))


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    return _copy(CATALOGS / "tiny", tmp_path)


def test_round_trip_without_edits_changes_no_byte(tmp_path: Path) -> None:
    root = _copy(ROOT / "catalog", tmp_path)
    before = _snapshot(root)
    plan = services.plan_catalog_import(root, services.catalog_workbook(root))
    assert plan.changes == []
    services.apply_catalog_import(plan)
    assert _snapshot(root) == before


def test_exported_workbook_has_a_sheet_per_kind_with_drop_down_lists_for_codes(tiny: Path) -> None:
    book = load_workbook(io.BytesIO(services.catalog_workbook(tiny)))
    assert book.sheetnames == ["modules", "module_needs", "needs", "packages", "financing", "sources", "lists"]
    assert book["lists"].sheet_state == "hidden"
    modules = book["modules"]
    header = [c.value for c in modules[1]]
    assert {"id", "name.en", "name.ko", "cost.capex.min", "cost.currency", "cost.confidence", "synergies"} <= set(header)
    validated = {str(dv.sqref).split(":")[0] for dv in modules.data_validations.dataValidation}
    letter = modules.cell(row=1, column=header.index("cost.confidence") + 1).column_letter
    assert f"{letter}2" in validated
    needs = [c.value for c in book["module_needs"]["B"][1:]]
    assert "mob.congestion" in needs


def test_exported_sheets_are_readable_for_a_catalog_owner() -> None:
    modules = load_workbook(io.BytesIO(services.catalog_workbook(ROOT / "catalog")))["modules"]
    header = {c.value: c for c in modules[1]}
    longest_id = max(len(str(c.value)) for c in modules["A"][1:])
    assert modules.column_dimensions["A"].width >= longest_id  # ids are not cut off
    ko = header["name.ko"].column_letter
    assert modules.column_dimensions[ko].width > modules.column_dimensions[header["name.en"].column_letter].width * 0.8  # wide glyphs count twice
    assert "catalog.po" in header["name.vi"].comment.text  # why the partner-language columns are usually blank
    assert "drop-down" in header["cost.confidence"].comment.text
    assert header["id"].comment is None
    assert modules.auto_filter.ref and modules.freeze_panes == "B2"


def test_edited_cost_is_written_in_place_and_reported(tiny: Path) -> None:
    data = _edited(services.catalog_workbook(tiny), "modules", "its-atms", {"cost.capex.typical": 65000})
    before = (tiny / "modules/its-atms.yaml").read_text(encoding="utf-8")
    plan = services.plan_catalog_import(tiny, data)
    assert [str(c) for c in plan.changes] == ["changed modules/its-atms.yaml\n    its-atms: cost.capex.typical"]
    services.apply_catalog_import(plan)
    after = (tiny / "modules/its-atms.yaml").read_text(encoding="utf-8")
    assert after == before.replace("typical: 60000", "typical: 65000")
    assert load_catalog(tiny).modules["its-atms"].cost.capex.typical == 65000


def test_edit_of_one_source_leaves_every_other_line_of_sources_yaml(tmp_path: Path) -> None:
    root = _copy(ROOT / "catalog", tmp_path)
    before = (root / "sources.yaml").read_text(encoding="utf-8").splitlines()
    data = _edited(services.catalog_workbook(root), "sources", "S2", {"publisher": "MOLIT"})
    services.apply_catalog_import(services.plan_catalog_import(root, data))
    after = (root / "sources.yaml").read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed == [("  publisher: MOLIT Smart City Korea portal", "  publisher: MOLIT")]


def test_import_reports_sheet_row_and_column_of_an_unknown_need_code(tiny: Path) -> None:
    exported = services.catalog_workbook(tiny)
    book = load_workbook(io.BytesIO(exported))
    row = next(r[0].row for r in book["module_needs"].iter_rows(min_row=2) if r[0].value == "its-atms")
    data = _edited(exported, "module_needs", "its-atms", {"need": "mob.teleport"})
    with pytest.raises(CatalogError) as caught:
        services.plan_catalog_import(tiny, data, "catalog.xlsx")
    assert caught.value.lines() == [f"catalog.xlsx: module_needs!B{row} (needs.0.need): unknown need 'mob.teleport'"]


def test_import_reports_a_bad_number_at_its_cell(tiny: Path) -> None:
    data = _edited(services.catalog_workbook(tiny), "modules", "its-atms", {"cost.capex.min": 100000})
    header = list(_row(data, "modules", "its-atms"))
    letter = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[header.index("cost.capex.min")] if header.index("cost.capex.min") < 26 else None
    with pytest.raises(CatalogError) as caught:
        services.plan_catalog_import(tiny, data, "catalog.xlsx")
    (line,) = caught.value.lines()
    assert line.startswith("catalog.xlsx: modules!")
    assert line.endswith("(cost.capex): expected min <= typical <= max")
    assert letter is None or f"!{letter}" in line


def test_import_of_a_module_citing_a_missing_source_is_refused_and_writes_nothing(tiny: Path) -> None:
    before = _snapshot(tiny)
    data = _edited(services.catalog_workbook(tiny), "modules", "its-atms", {"cost.source_ids": "S1, S404"})
    with pytest.raises(CatalogError) as caught:
        services.plan_catalog_import(tiny, data, "catalog.xlsx")
    (line,) = caught.value.lines()
    assert line.startswith("catalog.xlsx: modules!") and line.endswith("(cost.source_ids): unknown source 'S404'")
    assert _snapshot(tiny) == before


def test_added_module_row_becomes_a_new_yaml_file_that_loads(tiny: Path) -> None:
    exported = services.catalog_workbook(tiny)
    row = _row(exported, "modules", "smart-parking") | {"id": "parking-guidance", "name.en": "Parking guidance signs",
                                                       "name.ko": "주차 유도 안내", "synergies": "smart-parking"}
    data = _with_rows(exported, "modules", [row])
    data = _with_rows(data, "module_needs", [{"module": "parking-guidance", "need": "mob.congestion", "relevance": 2}])
    plan = services.plan_catalog_import(tiny, data)
    assert [str(c) for c in plan.changes] == ["added modules/parking-guidance.yaml\n    parking-guidance: new module"]
    services.apply_catalog_import(plan)
    catalog = load_catalog(tiny)
    module = catalog.modules["parking-guidance"]
    assert module.name.ko == "주차 유도 안내"
    assert [(n.need, n.relevance) for n in module.needs] == [("mob.congestion", 2)]
    assert module.cost == catalog.modules["smart-parking"].cost


def test_a_deleted_row_is_refused_rather_than_deleting_the_file(tiny: Path) -> None:
    book = load_workbook(io.BytesIO(services.catalog_workbook(tiny)))
    ws = book["packages"]
    ws.delete_rows(2)
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(CatalogError) as caught:
        services.plan_catalog_import(tiny, out.getvalue(), "catalog.xlsx")
    assert caught.value.lines() == ["catalog.xlsx: packages: no row for id 'smart-mobility': the import does not delete entries; "
                                    "remove its YAML in git, or put the row back"]


def test_text_that_looks_like_a_formula_stays_text(tiny: Path) -> None:
    path = tiny / "modules/its-atms.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  source_ids: [S1]\n", "  source_ids: [S1]\n  note: '=SUM(A1) is text'\n"),
                    encoding="utf-8")
    exported = services.catalog_workbook(tiny)
    ws = load_workbook(io.BytesIO(exported))["modules"]
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "its-atms")
    cell = row[header.index("cost.note")]
    assert (cell.value, cell.data_type) == ("=SUM(A1) is text", "s")
    assert services.plan_catalog_import(tiny, exported).changes == []


def test_a_formula_typed_into_a_cell_is_refused(tiny: Path) -> None:
    data = _edited(services.catalog_workbook(tiny), "modules", "its-atms", {"cost.note": "=1+1"})
    with pytest.raises(CatalogError) as caught:
        services.plan_catalog_import(tiny, data, "catalog.xlsx")
    (line,) = caught.value.lines()
    assert line.startswith("catalog.xlsx: modules!") and line.endswith("(cost.note): a formula; type the value itself")


def test_apply_refuses_when_a_file_changed_after_the_check(tiny: Path) -> None:
    data = _edited(services.catalog_workbook(tiny), "modules", "its-atms", {"cost.capex.typical": 65000})
    plan = services.plan_catalog_import(tiny, data)
    path = tiny / "modules/its-atms.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# edited meanwhile\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="changed since the workbook was checked"):
        services.apply_catalog_import(plan)
    assert path.read_text(encoding="utf-8").endswith("# edited meanwhile\n")


def test_cli_round_trip_prints_what_changed_and_problems_one_per_line(tiny: Path, tmp_path: Path) -> None:
    book = tmp_path / "catalog.xlsx"
    result = runner.invoke(app, ["catalog", "export", str(book), "--catalog", str(tiny)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["catalog", "import", str(book), "--catalog", str(tiny)])
    assert result.exit_code == 0 and "no changes" in result.stdout
    book.write_bytes(_edited(book.read_bytes(), "modules", "its-atms", {"maturity": "pilot"}))
    result = runner.invoke(app, ["catalog", "import", str(book), "--catalog", str(tiny), "--dry-run"])
    assert result.exit_code == 0 and "its-atms: maturity" in result.stdout and "nothing written" in result.stdout
    book.write_bytes(_edited(book.read_bytes(), "modules", "its-atms", {"maturity": "ancient"}))
    result = runner.invoke(app, ["catalog", "import", str(book), "--catalog", str(tiny)])
    assert result.exit_code == 1
    assert result.stderr.startswith("catalog.xlsx: modules!") and "(maturity): Input should be" in result.stderr
    assert "Traceback" not in result.output


def test_an_added_module_without_partner_translations_is_written_with_a_warning(tmp_path: Path) -> None:
    root = _copy(ROOT / "catalog", tmp_path)
    exported = services.catalog_workbook(root)
    row = _row(exported, "modules", "smart-parking") | {"id": "parking-guidance", "name.en": "Parking guidance signs", "name.ko": "주차 유도 안내"}
    data = _with_rows(_with_rows(exported, "modules", [row]), "module_needs", [{"module": "parking-guidance", "need": "mob.parking", "relevance": 3}])
    plan = services.plan_catalog_import(root, data)
    assert [c.path for c in plan.changes] == ["modules/parking-guidance.yaml"]
    assert {w.field for w in plan.warnings} == {"vi", "id", "es"}
    assert all("Parking guidance signs" in w.message for w in plan.warnings)
    text = plan.texts["modules/parking-guidance.yaml"]
    assert not [line for line in text.splitlines() if line.endswith(" ") or len(line) > 130]


def test_a_long_edited_description_stays_a_folded_block(tiny: Path) -> None:
    path = tiny / "modules/its-atms.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("description: {en: Adaptive traffic signals., ko: 적응형 교통 신호.}",
                                                             "description:\n  en: >-\n    Adaptive traffic signals.\n  ko: 적응형 교통 신호."),
                    encoding="utf-8")
    long = " ".join(["Signals that adapt their timing to the traffic measured at each approach."] * 4)
    data = _edited(services.catalog_workbook(tiny), "modules", "its-atms", {"description.en": long})
    services.apply_catalog_import(services.plan_catalog_import(tiny, data))
    text = path.read_text(encoding="utf-8")
    assert "  en: >-\n    Signals that adapt" in text and all(len(line) <= 120 for line in text.splitlines())
    assert load_catalog(tiny).modules["its-atms"].description.en == long
