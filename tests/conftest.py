"""Shared fixtures: paths to the bundled catalog and the test catalogs; a checkout the suite leaves as it found it.

Before anything imports ``app.settings``, the data folder (the SQLite file ``make run`` uses) and the catalog
cache are pointed at a temporary folder, so that no test, subprocess or ``spawn`` child writes into the checkout
or the user's cache. At the end of the session, any file that appeared in the working tree fails the run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
CATALOGS = DATA / "catalogs"

_SCRATCH = Path(tempfile.mkdtemp(prefix="kcity-tests-"))
os.environ["KCITY_DATA_DIR"] = str(_SCRATCH / "data")
os.environ["KCITY_CACHE_DIR"] = str(_SCRATCH / "cache")
os.environ.pop("KCITY_DATABASE_URL", None)
os.environ.setdefault("KCITY_RENDER_WORKERS", "0")  # the wizard renders in-process in tests; the pool has its own

# What the suite may leave behind in the checkout: build output and tool caches, all ignored by git.
_BUILD_OUTPUT = (".venv/", ".tools/", ".pytest_cache/", ".hypothesis/", ".mypy_cache/", ".ruff_cache/", "dist/", "build/")


def _untracked() -> set[str] | None:
    """Untracked and ignored paths of the working tree, apart from build output (None outside a git checkout)."""
    if not (ROOT / ".git").exists() or shutil.which("git") is None:
        return None
    out = subprocess.run(["git", "status", "--porcelain", "--ignored", "--untracked-files=all"], cwd=ROOT,
                         capture_output=True, text=True, check=False).stdout
    paths = {line[3:] for line in out.splitlines() if line[:2] in ("??", "!!")}
    return {p for p in paths if not p.startswith(_BUILD_OUTPUT) and "__pycache__/" not in p and ".egg-info/" not in p}


_BEFORE = _untracked()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run when the suite wrote a file into the checkout (data/, test output, anything untracked)."""
    after = _untracked()
    shutil.rmtree(_SCRATCH, ignore_errors=True)
    if _BEFORE is None or after is None or hasattr(session.config, "workerinput"):
        return
    new = sorted(after - _BEFORE)
    if new:
        sys.stderr.write("\nthe test suite left files in the checkout:\n" + "".join(f"  {p}\n" for p in new))
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session")
def bundled_catalog():
    from app.services import load_catalog

    return load_catalog(ROOT / "catalog")


@pytest.fixture(scope="session")
def tiny_catalog():
    from app.services import load_catalog

    return load_catalog(CATALOGS / "tiny")


@pytest.fixture(scope="session")
def postgres_server():
    """One PostgreSQL server for the whole session (skipped, with the reason, when Debian's binaries are absent)."""
    from tests import postgres

    if postgres.binaries() is None:
        pytest.skip("PostgreSQL binaries not found under /usr/lib/postgresql/*/bin: install Debian's postgresql (make setup does)")
    server = postgres.start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """A fresh, empty database: a SQLite file, or a new database on the session's PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'data' / 'kcity.sqlite3'}"
    return request.getfixturevalue("postgres_server").new_database()
