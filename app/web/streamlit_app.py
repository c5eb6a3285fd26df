"""Wizard entry point: page config, navigation, then the chosen page runs."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

if __package__ in (None, ""):  # `streamlit run app/web/streamlit_app.py` runs this file as a script
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.errors import CatalogError
from app.web import cached

PAGES = Path(__file__).parent / "app_pages"

st.set_page_config(page_title="K-Smart City Configurator", page_icon="🏙️", layout="wide")

try:
    cached.catalog()
except CatalogError as exc:
    st.error(f"The solution catalog in `{cached.settings().catalog_dir}` has {len(exc.problems)} problem(s). "
             "Fix them (or run `kcity catalog validate`) and reload.")
    st.code("\n".join(exc.lines()), language=None)
    st.stop()

page = st.navigation([st.Page(PAGES / "catalog.py", title="Catalog", icon="📚", default=True)])
page.run()
