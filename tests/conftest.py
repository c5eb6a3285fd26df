"""Shared fixtures: paths to the bundled catalog and the test catalogs."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
CATALOGS = DATA / "catalogs"


@pytest.fixture(scope="session")
def bundled_catalog():
    from app.services import load_catalog

    return load_catalog(ROOT / "catalog")


@pytest.fixture(scope="session")
def tiny_catalog():
    from app.services import load_catalog

    return load_catalog(CATALOGS / "tiny")
