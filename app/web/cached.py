"""The only ``st.cache_*`` wrappers: the catalog, the storage repository and the chart server, once per process.

Settings are read from the environment on each call (cheap), so a test can point a run at another data folder;
the catalog is cached per folder and the repository (which holds the SQLAlchemy Engine, never a Session or a
connection) per database URL. Sessions are opened per operation by the repository.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from app import services
from app.adapters.storage import Repository
from app.core.models import Catalog
from app.settings import Settings


def settings() -> Settings:
    return Settings.from_env()


@st.cache_resource(show_spinner="Loading the solution catalog…")
def _catalog(folder: str, cache_dir: str) -> Catalog:
    return services.load_catalog(Path(folder), Path(cache_dir))


def catalog() -> Catalog:
    current = settings()
    return _catalog(str(current.catalog_dir), str(current.cache_dir))


def reload_catalog() -> None:
    """Forget the loaded catalog (after an import wrote its files); the next page reads it again."""
    _catalog.clear()


@st.cache_resource(show_spinner=False)
def _repository(database_url: str) -> Repository:
    return services.open_repository(database_url)


def repository() -> Repository:
    return _repository(settings().database_url)


@st.cache_resource(show_spinner=False)
def chart_server() -> bool:
    """Start the chart exporter's browser once per process, in the background, so the first proposal is warm."""
    services.prewarm_charts()
    return True
