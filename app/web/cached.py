"""The only ``st.cache_*`` wrappers: the catalog, the storage repository, the chart server and the render pool, once
per process.

Settings are read from the environment on each call (cheap), so a test can point a run at another data folder;
the catalog is cached per folder and the repository (which holds the SQLAlchemy Engine, never a Session or a
connection) per database URL. Sessions are opened per operation by the repository.
"""

from __future__ import annotations

import threading
from pathlib import Path

import streamlit as st

from app import services
from app.adapters.render_pool import RenderPool
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
    """Start what renders proposals, once per process and in the background, so the first proposal is warm: the
    render worker processes (each starts its own chart browser), or the chart browser when rendering in-process."""
    pool = render_pool()
    if pool is not None:
        threading.Thread(target=pool.start, name="render-pool-start", daemon=True).start()
    else:
        services.prewarm_charts()
    return True

def render_pool() -> RenderPool | None:
    """The server's render worker processes (``KCITY_RENDER_WORKERS``, one per core by default; None for 0). Shared
    by every session of the process, like the catalog; started by ``app.web.serve`` before the first visit."""
    current = settings()
    return services.shared_render_pool(current.catalog_dir, current.cache_dir, current.render_workers)
