"""Bring a database to the current schema with the Alembic migrations in ``app/adapters/migrations``.

:func:`upgrade` runs when a repository opens its database: a new database gets every migration; a SQLite file made
by release 0.1 (tables but no ``alembic_version``) is stamped with the baseline and upgraded in place, keeping its
engagements; a database already at the head is left alone. On PostgreSQL an advisory lock makes replicas that start
together migrate one after the other.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

MIGRATIONS = Path(__file__).with_name("migrations")
BASELINE = "0001_baseline"
_LOCK_KEY = 0x6B63697479  # "kcity": the advisory lock replicas take while migrating


def config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def head() -> str:
    """The newest migration's revision id."""
    revision = ScriptDirectory.from_config(config()).get_current_head()
    assert revision is not None
    return revision


def current(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, target: str = "head") -> None:
    """Migrate the database behind ``engine`` to ``target`` (the newest revision by default)."""
    wanted = head() if target == "head" else target
    with engine.connect() as connection:
        if current(connection) == wanted:
            return
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
        revision = current(connection)
        if revision == wanted:
            return
        cfg = config(connection)
        if revision is None and inspect(connection).has_table("engagements"):
            command.stamp(cfg, BASELINE)  # made by release 0.1, before migrations existed
        command.upgrade(cfg, target)
