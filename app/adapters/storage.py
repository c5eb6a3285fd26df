"""Engagements and proposal versions in a SQL database (SQLAlchemy 2): a SQLite file by default, any URL for a team.

Two tables: ``engagements`` (the engagement model as JSON, with a version number for optimistic concurrency) and
``proposal_versions`` (each generated PDF with its language, catalog version and input hash). Every write is one
transaction; :meth:`Repository.save` only updates the row whose version is the one the caller opened, otherwise it
raises :class:`~app.errors.StaleWriteError`. The Engine is built once per URL (callers cache it) and a Session is
opened per operation, so the repository is safe to share between Streamlit's threads.
"""

from __future__ import annotations

import builtins
import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, LargeBinary, String, case, create_engine, delete, event, func, select, update
from sqlalchemy.engine import CursorResult, Engine, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from app.errors import StaleWriteError, StorageError

STATUSES = ("new", "in_progress", "proposal")


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


class ProposalRow(Base):
    __tablename__ = "proposal_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    engagement_id: Mapped[str] = mapped_column(String(32), ForeignKey("engagements.id", ondelete="CASCADE"), index=True)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    language: Mapped[str] = mapped_column(String(8))
    catalog_version: Mapped[str] = mapped_column(String(40))
    inputs_hash: Mapped[str] = mapped_column(String(64))
    created: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


@dataclass(frozen=True)
class EngagementRecord:
    """One stored engagement: ``data`` is the engagement as JSON (``None`` until its partner is entered)."""

    id: str
    title: str
    country: str | None
    city: str | None
    status: str
    owner: str
    data: dict[str, Any] | None
    version: int
    created: dt.datetime
    updated: dt.datetime
    archived: bool


@dataclass(frozen=True)
class ProposalRecord:
    """One stored proposal PDF (``pdf`` is empty in listings; fetch it with :meth:`Repository.proposal_pdf`)."""

    id: int
    engagement_id: str
    language: str
    catalog_version: str
    inputs_hash: str
    created: dt.datetime
    size: int
    pdf: bytes = b""


def _record(row: EngagementRow) -> EngagementRecord:
    return EngagementRecord(id=row.id, title=row.title, country=row.country, city=row.city, status=row.status, owner=row.owner,
                            data=row.engagement, version=row.version, created=row.created, updated=row.updated, archived=row.archived)


def make_engine(url: str) -> Engine:
    """An Engine for ``url``; for a SQLite file, creates its folder, allows use across threads and turns on WAL."""
    parsed = make_url(url)
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 15}
        if parsed.database and parsed.database != ":memory:":
            try:
                Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StorageError(f"cannot create the folder for the database {parsed.database}: {exc}") from exc
    try:
        engine = create_engine(url, **kwargs)
    except (SQLAlchemyError, ImportError) as exc:
        raise StorageError(f"cannot open the database {parsed.render_as_string(hide_password=True)}: {exc}") from exc
    if parsed.get_backend_name() == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:  # pragma: no cover - trivial
            cursor = dbapi_connection.cursor()
            if parsed.database and parsed.database != ":memory:":
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

    return engine


class Repository:
    """Engagements and their proposal versions; each method is one Session and one transaction."""

    def __init__(self, engine: Engine):
        self.engine = engine
        try:
            Base.metadata.create_all(engine)
        except SQLAlchemyError as exc:
            raise StorageError(f"cannot create the tables: {exc}") from exc

    @classmethod
    def from_url(cls, url: str) -> Repository:
        return cls(make_engine(url))

    @contextmanager
    def _session(self) -> Iterator[Session]:
        try:
            with Session(self.engine, expire_on_commit=False) as session, session.begin():
                yield session
        except SQLAlchemyError as exc:
            raise StorageError(f"the database failed: {exc}") from exc

    def _row(self, session: Session, engagement_id: str) -> EngagementRow:
        row = session.get(EngagementRow, engagement_id)
        if row is None:
            raise StorageError(f"no engagement {engagement_id!r}: it may have been deleted")
        return row

    # ------------------------------------------------------------ engagements

    def create(self, title: str = "", owner: str = "", data: dict[str, Any] | None = None, status: str = "new") -> EngagementRecord:
        row = EngagementRow(id=uuid.uuid4().hex[:12], title=title, owner=owner, engagement=data, status=status, version=1,
                            country=(data or {}).get("country"), city=(data or {}).get("city"))
        with self._session() as s:
            s.add(row)
        return _record(row)

    def get(self, engagement_id: str) -> EngagementRecord:
        with self._session() as s:
            return _record(self._row(s, engagement_id))

    def list(self, include_archived: bool = False) -> list[EngagementRecord]:
        query = select(EngagementRow).order_by(EngagementRow.updated.desc())
        if not include_archived:
            query = query.where(EngagementRow.archived.is_(False))
        with self._session() as s:
            return [_record(r) for r in s.scalars(query)]

    def save(self, engagement_id: str, data: dict[str, Any], expected_version: int, status: str | None = None,
             title: str | None = None) -> EngagementRecord:
        """Store ``data`` as the next version, only if the stored version is still ``expected_version``."""
        values: dict[str, Any] = {"engagement": data, "version": expected_version + 1, "updated": _now(),
                                  "country": data.get("country"), "city": data.get("city")}
        values["status"] = status if status is not None else case((EngagementRow.status == "new", "in_progress"), else_=EngagementRow.status)
        if title is not None:
            values["title"] = title
        return self._update(engagement_id, expected_version, values)

    def _update(self, engagement_id: str, expected_version: int | None, values: dict[str, Any]) -> EngagementRecord:
        with self._session() as s:
            stmt = update(EngagementRow).where(EngagementRow.id == engagement_id)
            if expected_version is not None:
                stmt = stmt.where(EngagementRow.version == expected_version)
            else:
                values = {**values, "version": EngagementRow.version + 1}
            # an UPDATE returns a CursorResult (which has rowcount); Session.execute is typed as returning a plain Result
            result = cast("CursorResult[Any]", s.execute(stmt.values(**values).execution_options(synchronize_session=False)))
            if result.rowcount != 1:
                current = self._row(s, engagement_id)
                raise StaleWriteError(engagement_id, expected_version or 0, current.version)
            s.expire_all()
            return _record(self._row(s, engagement_id))

    def rename(self, engagement_id: str, title: str) -> EngagementRecord:
        return self._update(engagement_id, None, {"title": title, "updated": _now()})

    def set_archived(self, engagement_id: str, archived: bool = True) -> EngagementRecord:
        return self._update(engagement_id, None, {"archived": archived, "updated": _now()})

    def set_status(self, engagement_id: str, status: str) -> EngagementRecord:
        return self._update(engagement_id, None, {"status": status, "updated": _now()})

    def duplicate(self, engagement_id: str, owner: str = "", title: str | None = None) -> EngagementRecord:
        source = self.get(engagement_id)
        status = "in_progress" if source.data else "new"
        return self.create(title=title if title is not None else f"{source.title} (copy)", owner=owner or source.owner,
                           data=source.data, status=status)

    def delete(self, engagement_id: str) -> None:
        with self._session() as s:
            self._row(s, engagement_id)
            s.execute(delete(ProposalRow).where(ProposalRow.engagement_id == engagement_id))
            s.execute(delete(EngagementRow).where(EngagementRow.id == engagement_id))

    # ------------------------------------------------------------ proposal versions

    def add_proposal(self, engagement_id: str, pdf: bytes, language: str, catalog_version: str, inputs_hash: str) -> ProposalRecord:
        """Store a generated PDF and mark the engagement as having a proposal, in one transaction."""
        with self._session() as s:
            engagement = self._row(s, engagement_id)
            row = ProposalRow(engagement_id=engagement_id, pdf=pdf, language=language, catalog_version=catalog_version,
                              inputs_hash=inputs_hash, created=_now())
            s.add(row)
            engagement.status = "proposal"
            s.flush()
            return ProposalRecord(id=row.id, engagement_id=engagement_id, language=language, catalog_version=catalog_version,
                                  inputs_hash=inputs_hash, created=row.created, size=len(pdf))

    def proposals(self, engagement_id: str) -> builtins.list[ProposalRecord]:  # "list" here is the method above
        query = (select(ProposalRow.id, ProposalRow.engagement_id, ProposalRow.language, ProposalRow.catalog_version,
                        ProposalRow.inputs_hash, ProposalRow.created, func.length(ProposalRow.pdf))
                 .where(ProposalRow.engagement_id == engagement_id).order_by(ProposalRow.id.desc()))
        with self._session() as s:
            return [ProposalRecord(id=r[0], engagement_id=r[1], language=r[2], catalog_version=r[3], inputs_hash=r[4], created=r[5],
                                   size=int(r[6] or 0)) for r in s.execute(query)]

    def proposal_pdf(self, proposal_id: int) -> bytes:
        with self._session() as s:
            row = s.get(ProposalRow, proposal_id)
            if row is None:
                raise StorageError(f"no proposal version {proposal_id}")
            return bytes(row.pdf)
