"""Alembic environment: migrations run on the connection :func:`app.adapters.schema.upgrade` hands over."""

from __future__ import annotations

from alembic import context

from app.adapters.tables import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=connection.dialect.name == "sqlite")
context.run_migrations()
