"""The only ``st.cache_*`` wrappers: settings and the catalog, built once per process."""

from __future__ import annotations

import streamlit as st

from app import services
from app.core.models import Catalog
from app.settings import Settings


@st.cache_resource(show_spinner=False)
def settings() -> Settings:
    return Settings.from_env()


@st.cache_resource(show_spinner="Loading the solution catalog…")
def catalog() -> Catalog:
    return services.load_catalog(settings().catalog_dir)
