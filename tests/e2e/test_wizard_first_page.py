"""The catalog browser loads the bundled catalog and shows its size."""

from __future__ import annotations

from tests.e2e.conftest import new_app, run


def test_catalog_page_shows_the_catalog_size(data_dir, bundled_catalog):
    at = run(new_app(step="catalog"))
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Solution modules"] == str(len(bundled_catalog.modules))
    assert metrics["Needs"] == str(len(bundled_catalog.taxonomy.needs))
