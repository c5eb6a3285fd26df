"""The wizard's first page loads the bundled catalog and shows its size."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

ENTRY = str(ROOT / "app" / "web" / "streamlit_app.py")


def test_catalog_page_shows_the_catalog_size(bundled_catalog):
    at = AppTest.from_file(ENTRY, default_timeout=60).run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Solution modules"] == str(len(bundled_catalog.modules))
    assert metrics["Needs"] == str(len(bundled_catalog.taxonomy.needs))
