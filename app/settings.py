"""Paths and defaults, read once from the environment (``KCITY_*``) and passed to whoever needs them.

The bundled catalog and the proposal templates live at the top of a checkout (``catalog/``, ``templates/``) and
inside an installed wheel as ``app/_bundled/`` (mapped there by the build backend); :func:`bundled` finds them in
either place through :mod:`importlib.resources`. Work is saved under ``data/`` in a checkout and under the user's
data folder (``$XDG_DATA_HOME/kcity``) when installed; the catalog cache lives in ``$XDG_CACHE_HOME/kcity``.

======================  ==============================================  =====================================
variable                what                                            default
======================  ==============================================  =====================================
KCITY_CATALOG_DIR       the solution catalog                            the bundled ``catalog/``
KCITY_TEMPLATES_DIR     proposal templates, assets, translations        the bundled ``templates/``
KCITY_DATA_DIR          the embedded SQLite file                        ``data/`` or ``$XDG_DATA_HOME/kcity``
KCITY_DATABASE_URL      any SQLAlchemy URL (PostgreSQL for a team)      ``sqlite:///<data dir>/kcity.sqlite3``
KCITY_CACHE_DIR         the validated catalog, keyed by its digest      ``$XDG_CACHE_HOME/kcity``
KCITY_LANGUAGE          default UI language                             ``en``
KCITY_RENDER_WORKERS    wizard render processes (0: render in-process)  one per core
KCITY_RENDER_QUEUE      ``database``: queue proposals in the database   ``local`` (the wizard's own render
                        for ``kcity render-worker`` on any machine      processes, KCITY_RENDER_WORKERS)
KCITY_CATALOG_EDITABLE  whether the wizard may import a catalog         ``yes`` (``no`` for a read-only
                        workbook into the catalog folder                catalog, e.g. a shared server)
======================  ==============================================  =====================================
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parents[1]


def bundled(name: str) -> Path:
    """``catalog`` or ``templates`` as shipped: inside the installed package, or at the top of a checkout."""
    packaged = resources.files("app") / "_bundled" / name
    if packaged.is_dir():
        return Path(str(packaged))
    return _CHECKOUT / name


def _is_checkout() -> bool:
    return (_CHECKOUT / "pyproject.toml").is_file() and not (resources.files("app") / "_bundled").is_dir()


def _user_dir(env: dict[str, str], variable: str, fallback: str) -> Path:
    return Path(env.get(variable) or Path.home() / fallback).expanduser() / "kcity"


def _workers(raw: str | None) -> int:
    """The number of render worker processes: the variable if it is a whole number ≥ 0, else one per core."""
    if raw is not None and raw.strip().isdigit():
        return int(raw)
    return os.cpu_count() or 1


@dataclass(frozen=True)
class Settings:
    catalog_dir: Path
    data_dir: Path
    database_url: str
    templates_dir: Path
    cache_dir: Path
    default_language: str = "en"
    render_workers: int = 0
    catalog_editable: bool = True
    render_queue: str = "local"  # or "database": render workers on other machines take the proposals from the database

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        default_data = _CHECKOUT / "data" if _is_checkout() else _user_dir(env, "XDG_DATA_HOME", ".local/share")
        data_dir = Path(env.get("KCITY_DATA_DIR") or default_data).expanduser()
        return cls(
            catalog_dir=Path(env.get("KCITY_CATALOG_DIR") or bundled("catalog")).expanduser(),
            data_dir=data_dir,
            database_url=env.get("KCITY_DATABASE_URL") or f"sqlite:///{data_dir / 'kcity.sqlite3'}",
            templates_dir=Path(env.get("KCITY_TEMPLATES_DIR") or bundled("templates")).expanduser(),
            cache_dir=Path(env.get("KCITY_CACHE_DIR") or _user_dir(env, "XDG_CACHE_HOME", ".cache")).expanduser(),
            default_language=env.get("KCITY_LANGUAGE") or "en",
            render_workers=_workers(env.get("KCITY_RENDER_WORKERS")),
            catalog_editable=(env.get("KCITY_CATALOG_EDITABLE") or "yes").strip().lower() not in ("no", "0", "false", "off"),
            render_queue=(env.get("KCITY_RENDER_QUEUE") or "local").strip().lower(),
        )
