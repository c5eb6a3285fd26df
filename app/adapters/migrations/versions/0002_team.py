"""Team server: accounts, review states, comments, frozen sent copies, the audit log; proposal edition and draft mark.

Sent copies and the audit log refuse UPDATE and DELETE through triggers (SQLite and PostgreSQL), so not even plain
SQL changes what a partner received or what someone did.

Revision ID: 0002_team
Revises: 0001_baseline
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_team"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None

IMMUTABLE = ("sent_copies", "audit_log")


def upgrade() -> None:
    with op.batch_alter_table("engagements") as batch:
        batch.add_column(sa.Column("review_state", sa.String(20), nullable=False, server_default="draft"))
        batch.add_column(sa.Column("state_reason", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("approved_by", sa.String(120), nullable=True))
        batch.add_column(sa.Column("approved_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("approved_proposal_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("shared_with", sa.JSON(), nullable=True))
    with op.batch_alter_table("proposal_versions") as batch:
        batch.add_column(sa.Column("edition", sa.String(10), nullable=False, server_default="partner"))
        batch.add_column(sa.Column("draft", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "accounts",
        sa.Column("name", sa.String(120), primary_key=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=True),
        sa.Column("email", sa.String(200), nullable=True, unique=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "comments",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("engagement_id", sa.String(32), sa.ForeignKey("engagements.id", ondelete="CASCADE"), nullable=False),
        sa.Column("step", sa.String(30), nullable=False),
        sa.Column("author", sa.String(120), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_comments_engagement_id", "comments", ["engagement_id"])
    op.create_table(
        "sent_copies",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("engagement_id", sa.String(32), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("pdf_sha256", sa.String(64), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("edition", sa.String(10), nullable=False),
        sa.Column("catalog_version", sa.String(40), nullable=False),
        sa.Column("catalog_digest", sa.String(64), nullable=False),
        sa.Column("approved_by", sa.String(120), nullable=False),
        sa.Column("approved_at", sa.DateTime(), nullable=False),
        sa.Column("sent_by", sa.String(120), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
    )
    op.create_index("ix_sent_copies_engagement_id", "sent_copies", ["engagement_id"])
    op.create_index("ix_sent_copies_pdf_sha256", "sent_copies", ["pdf_sha256"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(120), nullable=False),
        sa.Column("action", sa.String(30), nullable=False),
        sa.Column("engagement_id", sa.String(32), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=True),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_engagement_id", "audit_log", ["engagement_id"])
    _immutable()


def _immutable() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE OR REPLACE FUNCTION kcity_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
                   "BEGIN RAISE EXCEPTION '% rows are immutable', TG_TABLE_NAME; END $$")
        for table in IMMUTABLE:
            op.execute(f"CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} "
                       "FOR EACH ROW EXECUTE FUNCTION kcity_refuse_change()")
            op.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                       "FOR EACH STATEMENT EXECUTE FUNCTION kcity_refuse_change()")
        return
    for table in IMMUTABLE:
        for event in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
                       f"BEGIN SELECT RAISE(ABORT, '{table} rows are immutable'); END")


def downgrade() -> None:
    for table in ("audit_log", "sent_copies", "comments", "accounts"):
        op.drop_table(table)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS kcity_refuse_change()")
    with op.batch_alter_table("proposal_versions") as batch:
        batch.drop_column("draft")
        batch.drop_column("edition")
    with op.batch_alter_table("engagements") as batch:
        for column in ("shared_with", "approved_proposal_id", "approved_at", "approved_by", "state_reason", "review_state"):
            batch.drop_column(column)
