"""The on-disk catalog cache: same catalog as a parse, invalidated by any edit, a damaged entry rebuilt."""

from __future__ import annotations

import shutil

import pytest

from app.adapters import catalog_cache
from app.adapters.catalog_files import load_catalog as parse
from app.errors import CatalogError
from tests.conftest import CATALOGS


@pytest.fixture
def catalog_dir(tmp_path):
    folder = tmp_path / "tiny"
    shutil.copytree(CATALOGS / "tiny", folder)
    return folder


def entries(cache):
    return sorted(cache.glob("catalog-*.json"))


def test_a_cached_catalog_equals_a_parsed_one(catalog_dir, tmp_path):
    cache = tmp_path / "cache"
    first = catalog_cache.load_catalog(catalog_dir, cache)
    assert len(entries(cache)) == 1
    second = catalog_cache.load_catalog(catalog_dir, cache)
    assert second == first == parse(catalog_dir)
    assert second.needs == first.needs


def test_editing_any_catalog_file_invalidates_the_cache(catalog_dir, tmp_path):
    cache = tmp_path / "cache"
    catalog_cache.load_catalog(catalog_dir, cache)
    module = catalog_dir / "modules" / "smart-parking.yaml"
    module.write_text(module.read_text(encoding="utf-8").replace("Smart parking", "Smart parking bays"), encoding="utf-8")
    edited = catalog_cache.load_catalog(catalog_dir, cache)
    assert edited.modules["smart-parking"].name.en.startswith("Smart parking bays")
    assert len(entries(cache)) == 2


@pytest.mark.parametrize("damage", [b"", b"kcity-catalog-cache 1\nnot-a-checksum\n{}", None])
def test_a_damaged_cache_entry_is_rebuilt_never_trusted(catalog_dir, tmp_path, damage):
    cache = tmp_path / "cache"
    good = catalog_cache.load_catalog(catalog_dir, cache)
    [entry] = entries(cache)
    blob = entry.read_bytes()
    if damage is None:  # a payload changed after its checksum was written
        damage = blob.replace(b"Smart parking", b"Smart parkinX")
    entry.write_bytes(damage)
    assert catalog_cache.load_catalog(catalog_dir, cache) == good
    assert entry.read_bytes() == blob


def test_an_invalid_catalog_is_never_cached(tmp_path):
    cache = tmp_path / "cache"
    with pytest.raises(CatalogError):
        catalog_cache.load_catalog(CATALOGS / "schema_error", cache)
    assert entries(cache) == []


def test_an_unwritable_cache_folder_only_costs_a_parse(catalog_dir, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert catalog_cache.load_catalog(catalog_dir, blocker / "cache") == parse(catalog_dir)
