"""AppTest helpers for the wizard: a fresh data folder per test, and widgets found by their visible label."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

ENTRY = str(ROOT / "app" / "web" / "streamlit_app.py")


@pytest.fixture(autouse=True)
def _keep_main_module() -> Iterator[None]:
    """AppTest leaves ``sys.modules["__main__"]`` pointing at the wizard; a later ``spawn`` child would run it."""
    main = sys.modules["__main__"]
    yield
    sys.modules["__main__"] = main


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """Each test gets its own SQLite file (the settings are read from the environment on every run)."""
    folder = tmp_path / "data"
    monkeypatch.setenv("KCITY_DATA_DIR", str(folder))
    monkeypatch.delenv("KCITY_DATABASE_URL", raising=False)
    monkeypatch.setenv("KCITY_USER", "kim")
    return folder


@pytest.fixture
def repo(data_dir):
    from app import services
    from app.settings import Settings

    return services.open_repository(Settings.from_env().database_url)


def new_app(**query: str) -> AppTest:
    at = AppTest.from_file(ENTRY, default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    return at


def widget(at: AppTest, kind: str, label: str) -> Any:
    """The widget of ``kind`` (button, text_input, selectbox…) whose label is ``label`` (or starts with it)."""
    items = list(getattr(at, kind))
    for w in items:
        if w.label == label:
            return w
    for w in items:
        if str(w.label).startswith(label):
            return w
    raise AssertionError(f"no {kind} labelled {label!r}; found {[w.label for w in items]}")


def click(at: AppTest, label: str) -> AppTest:
    widget(at, "button", label).click()
    return run(at)


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest, kind: str) -> list[str]:
    return [str(e.value) for e in getattr(at, kind)]


def title(at: AppTest) -> str:
    return str(at.title[0].value)


def create_engagement(at: AppTest, name: str = "Da Nang smart city") -> str:
    run(at)
    widget(at, "text_input", "Title").input(name)
    click(at, "Create and enter the partner")
    assert "Partner" in title(at)
    return at.query_params["engagement"][0] if isinstance(at.query_params["engagement"], list) else at.query_params["engagement"]


def fill_partner(at: AppTest, country: str = "VNM", city: str = "Da Nang", population: int = 1_230_000, area: float = 1285.4) -> None:
    widget(at, "selectbox", "Country").select(country)
    run(at)
    widget(at, "text_input", "City").input(city)
    widget(at, "number_input", "Population of the city").set_value(population)
    widget(at, "number_input", "Area (km²)").set_value(area)
    widget(at, "text_input", "Applicant organisation").input("Da Nang People's Committee")
    click(at, "Save partner")
