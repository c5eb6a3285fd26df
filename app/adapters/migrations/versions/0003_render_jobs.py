"""Render jobs: proposals queued in the database for render workers on other machines (``kcity render-worker``).

Revision ID: 0003_render_jobs
Revises: 0002_team
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_render_jobs"
down_revision = "0002_team"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "render_jobs",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("engagement_id", sa.String(32), nullable=True),
        sa.Column("requested_by", sa.String(120), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("edition", sa.String(10), nullable=False),
        sa.Column("draft", sa.Boolean(), nullable=False),
        sa.Column("charts", sa.Boolean(), nullable=False),
        sa.Column("today", sa.Date(), nullable=False),
        sa.Column("catalog_version", sa.String(40), nullable=False),
        sa.Column("catalog_digest", sa.String(64), nullable=False),
        sa.Column("worker", sa.String(200), nullable=True),
        sa.Column("lease_until", sa.DateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(20), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("error_kind", sa.String(20), nullable=True),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("finished", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_render_jobs_state", "render_jobs", ["state"])
    op.create_index("ix_render_jobs_engagement_id", "render_jobs", ["engagement_id"])


def downgrade() -> None:
    op.drop_table("render_jobs")
