"""Structural rules of the code base: a pure core and a pinned error tree."""

from __future__ import annotations

import ast
from pathlib import Path

import app.errors as errors

CORE = Path(__file__).resolve().parents[2] / "app" / "core"
FORBIDDEN = {"streamlit", "sqlalchemy", "weasyprint", "plotly", "kaleido", "requests", "httpx", "urllib"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_core_imports_no_ui_storage_rendering_or_network_library():
    offenders = {
        path.name: sorted(imported_modules(path) & FORBIDDEN) for path in CORE.glob("*.py") if imported_modules(path) & FORBIDDEN
    }
    assert offenders == {}


def test_core_does_not_import_adapters_or_front_ends():
    offenders = []
    for path in CORE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(("app.adapters", "app.web", "app.cli", "app.services")):
                offenders.append(f"{path.name}: {node.module}")
    assert offenders == []


def test_error_tree_matches_the_documented_hierarchy():
    tree = {
        name: cls.__mro__[1].__name__
        for name, cls in vars(errors).items()
        if isinstance(cls, type) and issubclass(cls, errors.KcityError) and cls is not errors.KcityError
    }
    assert tree == {
        "ProblemsError": "KcityError",
        "AccessDenied": "KcityError",
        "ReviewError": "KcityError",
        "CatalogError": "ProblemsError",
        "EngagementError": "ProblemsError",
        "InfeasibleSelection": "KcityError",
        "MissingRate": "KcityError",
        "RenderError": "KcityError",
        "RenderQueueError": "RenderError",
        "CatalogMismatch": "RenderQueueError",
        "StorageError": "KcityError",
        "StaleWriteError": "StorageError",
    }
    for name in tree:
        if name != "ProblemsError":
            assert name in errors.__doc__
