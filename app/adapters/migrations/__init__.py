"""Alembic migrations of the engagement store, shipped inside the package (run by :mod:`app.adapters.schema`)."""
