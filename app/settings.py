"""Paths and defaults, read once from the environment (``KCITY_*``) and passed to whoever needs them."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Settings:
    catalog_dir: Path
    data_dir: Path
    database_url: str
    templates_dir: Path
    default_language: str = "en"

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        data_dir = Path(env.get("KCITY_DATA_DIR") or PROJECT_ROOT / "data").expanduser()
        return cls(
            catalog_dir=Path(env.get("KCITY_CATALOG_DIR") or PROJECT_ROOT / "catalog").expanduser(),
            data_dir=data_dir,
            database_url=env.get("KCITY_DATABASE_URL") or f"sqlite:///{data_dir / 'kcity.sqlite3'}",
            templates_dir=Path(env.get("KCITY_TEMPLATES_DIR") or PROJECT_ROOT / "templates").expanduser(),
            default_language=env.get("KCITY_LANGUAGE") or "en",
        )
