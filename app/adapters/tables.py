"""The database tables (SQLAlchemy 2 declarative models), apart from the code that reads and writes them.

``engagements`` and ``proposal_versions`` (:mod:`app.adapters.storage`), for a team ``accounts``, ``comments``,
``sent_copies`` (immutable) and ``audit_log`` (append-only) (:mod:`app.adapters.team_store`), and ``render_jobs``
(:mod:`app.adapters.render_queue`). The schema itself is made and upgraded by the Alembic migrations.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class EngagementRow(Base):
    __tablename__ = "engagements"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    country: Mapped[str | None] = mapped_column(String(3), nullable=True)
    city: Mapped[str | None] = mapped_column(String(120), nullable=True)
    status: Mapped[str] = mapped_column(String(20), default="new")
    owner: Mapped[str] = mapped_column(String(120), default="")
    engagement: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    updated: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    # review before sending (migration 0002): draft → in_review → approved → sent, back to draft with a reason
    review_state: Mapped[str] = mapped_column(String(20), default="draft", server_default="draft")
    state_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    approved_by: Mapped[str | None] = mapped_column(String(120), nullable=True)
    approved_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    approved_proposal_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    shared_with: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)


class ProposalRow(Base):
    __tablename__ = "proposal_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    engagement_id: Mapped[str] = mapped_column(String(32), ForeignKey("engagements.id", ondelete="CASCADE"), index=True)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    language: Mapped[str] = mapped_column(String(8))
    catalog_version: Mapped[str] = mapped_column(String(40))
    inputs_hash: Mapped[str] = mapped_column(String(64))
    created: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    edition: Mapped[str] = mapped_column(String(10), default="partner", server_default="partner")
    draft: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")


class AccountRow(Base):
    __tablename__ = "accounts"

    name: Mapped[str] = mapped_column(String(120), primary_key=True)
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)  # None: signs in through OIDC only
    email: Mapped[str | None] = mapped_column(String(200), nullable=True, unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class CommentRow(Base):
    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    engagement_id: Mapped[str] = mapped_column(String(32), ForeignKey("engagements.id", ondelete="CASCADE"), index=True)
    step: Mapped[str] = mapped_column(String(30))
    author: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    created: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class SentCopyRow(Base):
    """What the partner received: immutable once written (triggers refuse UPDATE and DELETE, see the migration)."""

    __tablename__ = "sent_copies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    engagement_id: Mapped[str] = mapped_column(String(32), index=True)  # no foreign key: it outlives nothing, it is kept
    proposal_id: Mapped[int] = mapped_column(Integer)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    pdf_sha256: Mapped[str] = mapped_column(String(64), index=True)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    language: Mapped[str] = mapped_column(String(8))
    edition: Mapped[str] = mapped_column(String(10))
    catalog_version: Mapped[str] = mapped_column(String(40))
    catalog_digest: Mapped[str] = mapped_column(String(64))
    approved_by: Mapped[str] = mapped_column(String(120))
    approved_at: Mapped[dt.datetime] = mapped_column(DateTime)
    sent_by: Mapped[str] = mapped_column(String(120))
    sent_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    note: Mapped[str] = mapped_column(Text, default="")


class AuditRow(Base):
    """One thing someone did (append-only: triggers refuse UPDATE and DELETE)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, index=True)
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(30))
    engagement_id: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    changes: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, nullable=True)


class RenderJobRow(Base):
    """A proposal queued for a render worker (``kcity render-worker``): its inputs, its state queued → running → done or
    failed, the worker holding it until ``lease_until``, the stage it reached, and the PDF or an error message."""

    __tablename__ = "render_jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    state: Mapped[str] = mapped_column(String(10), index=True)
    engagement_id: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    requested_by: Mapped[str] = mapped_column(String(120), default="")
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)  # the engagement as the wizard had it
    language: Mapped[str] = mapped_column(String(8))
    edition: Mapped[str] = mapped_column(String(10))
    draft: Mapped[bool] = mapped_column(Boolean)
    charts: Mapped[bool] = mapped_column(Boolean)
    today: Mapped[dt.date] = mapped_column(Date)
    catalog_version: Mapped[str] = mapped_column(String(40))
    catalog_digest: Mapped[str] = mapped_column(String(64))
    worker: Mapped[str | None] = mapped_column(String(200), nullable=True)
    lease_until: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    stage: Mapped[str] = mapped_column(String(20), default="queued")
    detail: Mapped[str] = mapped_column(Text, default="")
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)  # a message, never a pickled exception or a traceback
    error_kind: Mapped[str | None] = mapped_column(String(20), nullable=True)
    created: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    finished: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
