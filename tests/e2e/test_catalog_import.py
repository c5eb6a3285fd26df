"""The catalog page's workbook import in AppTest: problems shown by cell, changes shown, files written on confirmation."""

from __future__ import annotations

import io
import shutil

import pytest
from openpyxl import load_workbook

from app import services
from app.adapters.catalog_files import load_catalog
from tests.conftest import CATALOGS
from tests.e2e.conftest import click, new_app, run, texts


@pytest.fixture
def catalog_dir(tmp_path, monkeypatch, data_dir):
    root = tmp_path / "catalog"
    shutil.copytree(CATALOGS / "tiny", root)
    monkeypatch.setenv("KCITY_CATALOG_DIR", str(root))
    return root


def _with_new_module(data: bytes, module_id: str, need: str) -> bytes:
    book = load_workbook(io.BytesIO(data))
    modules, links = book["modules"], book["module_needs"]
    header = [c.value for c in modules[1]]
    template = next(r for r in modules.iter_rows(min_row=2, values_only=True) if r[0] == "smart-parking")
    modules.append([module_id if h == "id" else "Parking guidance signs" if h == "name.en" else v for h, v in zip(header, template, strict=True)])
    links.append([module_id, need, 2])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_uploaded_workbook_shows_its_changes_and_adds_the_module_on_confirmation(catalog_dir):
    at = run(new_app(step="catalog"))
    assert at.download_button(key="catalog-workbook-export")
    data = _with_new_module(services.catalog_workbook(catalog_dir), "parking-guidance", "mob.congestion")
    at.file_uploader(key="catalog-workbook-import").upload("catalog.xlsx", data, "application/octet-stream")
    run(at)
    assert "The workbook is valid. Importing it writes these files (1):" in texts(at, "success")
    assert "added modules/parking-guidance.yaml" in at.code[0].value
    assert not (catalog_dir / "modules/parking-guidance.yaml").exists()
    click(at, "Apply the import")
    assert "Imported: catalog files written (1)." in texts(at, "success")
    assert "parking-guidance" in load_catalog(catalog_dir).modules


def test_an_invalid_workbook_shows_each_problem_by_cell_and_writes_nothing(catalog_dir):
    at = run(new_app(step="catalog"))
    data = _with_new_module(services.catalog_workbook(catalog_dir), "parking-guidance", "mob.teleport")
    at.file_uploader(key="catalog-workbook-import").upload("catalog.xlsx", data, "application/octet-stream")
    run(at)
    (error,) = texts(at, "error")
    assert error.startswith("Nothing was imported.")
    assert at.code[0].value.startswith("catalog.xlsx: module_needs!B") and at.code[0].value.endswith("(needs.0.need): unknown need 'mob.teleport'")
    assert not at.button or "Apply the import" not in [b.label for b in at.button]
    assert not (catalog_dir / "modules/parking-guidance.yaml").exists()


def test_import_is_not_offered_when_the_catalog_is_not_editable(catalog_dir, monkeypatch):
    monkeypatch.setenv("KCITY_CATALOG_EDITABLE", "no")
    at = run(new_app(step="catalog"))
    assert "Importing a workbook is switched off for this catalog." in texts(at, "caption")
    assert not [u for u in at.get("file_uploader") if u.key == "catalog-workbook-import"]
