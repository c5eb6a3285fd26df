"""Engagements and proposal versions in a SQL database (SQLAlchemy 2): a SQLite file by default, any URL for a team.

``engagements`` (the engagement model as JSON, with a version number for optimistic concurrency and its review
state), ``proposal_versions`` (each generated PDF with its language, edition, catalog version and input hash), and for a
team ``accounts``, ``comments``, ``sent_copies`` (immutable), ``audit_log`` (append-only) and ``render_jobs`` (proposals
queued for render workers on other machines, :mod:`app.adapters.render_queue`). The schema is made and
upgraded by the Alembic migrations (:mod:`app.adapters.schema`). Every write is one
transaction; :meth:`Repository.save` only updates the row whose version is the one the caller opened, otherwise it
raises :class:`~app.errors.StaleWriteError`. The Engine is built once per URL (callers cache it) and a Session is
opened per operation, so the repository is safe to share between Streamlit's threads. The tables are declared in
:mod:`app.adapters.tables`.
"""

from __future__ import annotations

import builtins
import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from sqlalchemy import case, create_engine, delete, event, func, select
from sqlalchemy import update as sql_update
from sqlalchemy.engine import CursorResult, Engine, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.adapters.tables import AuditRow, EngagementRow, ProposalRow, SentCopyRow, _now
from app.core.audit import diff
from app.errors import StaleWriteError, StorageError


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
    review_state: str = "draft"
    state_reason: str = ""
    approved_by: str | None = None
    approved_at: dt.datetime | None = None
    approved_proposal_id: int | None = None
    shared_with: tuple[str, ...] = ()


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
    edition: str = "partner"
    draft: bool = False


def _record(row: EngagementRow) -> EngagementRecord:
    return EngagementRecord(id=row.id, title=row.title, country=row.country, city=row.city, status=row.status, owner=row.owner,
                            data=row.engagement, version=row.version, created=row.created, updated=row.updated, archived=row.archived,
                            review_state=row.review_state or "draft", state_reason=row.state_reason or "", approved_by=row.approved_by,
                            approved_at=row.approved_at, approved_proposal_id=row.approved_proposal_id,
                            shared_with=tuple(row.shared_with or ()))


def audit(session: Session, actor: str, action: str, engagement_id: str | None, summary: str = "",
          changes: list[dict[str, Any]] | None = None) -> None:
    """Append one entry to the audit log, in the caller's transaction (so it is written exactly when the change is)."""
    session.add(AuditRow(at=_now(), actor=actor, action=action, engagement_id=engagement_id, summary=summary, changes=changes))


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


@contextmanager
def transaction(engine: Engine, what: str) -> Iterator[Session]:
    """A session in one transaction, committed at the end; a database error becomes a StorageError naming ``what``."""
    try:
        with Session(engine, expire_on_commit=False) as session, session.begin():
            yield session
    except SQLAlchemyError as exc:
        raise StorageError(f"{what} failed: {exc}") from exc


class Repository:
    """Engagements and their proposal versions; each method is one Session and one transaction.

    Every change takes ``by``, the account name of whoever makes it ("" for the local user of the embedded mode), and
    appends an audit entry in the same transaction. Accounts, comments, review states and sent copies are in
    :mod:`app.adapters.team_store`, on the same engine.
    """

    def __init__(self, engine: Engine):
        self.engine = engine
        from app.adapters import schema  # Alembic: imported when a database is opened, not by every command

        try:
            schema.upgrade(engine)
        except SQLAlchemyError as exc:
            raise StorageError(f"cannot bring the database to the current schema: {exc}") from exc

    @classmethod
    def from_url(cls, url: str) -> Repository:
        return cls(make_engine(url))

    def _session(self) -> AbstractContextManager[Session]:
        return transaction(self.engine, "the database")

    def _row(self, session: Session, engagement_id: str) -> EngagementRow:
        row = session.get(EngagementRow, engagement_id)
        if row is None:
            raise StorageError(f"no engagement {engagement_id!r}: it may have been deleted")
        return row

    # ------------------------------------------------------------ engagements

    def create(self, title: str = "", owner: str = "", data: dict[str, Any] | None = None, status: str = "new", *,
               by: str = "", summary: str = "created") -> EngagementRecord:
        row = EngagementRow(id=uuid.uuid4().hex[:12], title=title, owner=owner, engagement=data, status=status, version=1,
                            country=(data or {}).get("country"), city=(data or {}).get("city"), review_state="draft", state_reason="")
        with self._session() as s:
            s.add(row)
            audit(s, by, "create", row.id, f"{summary}: {title}".rstrip(": "), [c.as_dict() for c in diff(None, data)] if data else None)
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
             title: str | None = None, *, by: str = "") -> EngagementRecord:
        """Store ``data`` as the next version, only if the stored version is still ``expected_version``; the audit
        entry lists every field that changed."""
        values: dict[str, Any] = {"engagement": data, "version": expected_version + 1, "updated": _now(),
                                  "country": data.get("country"), "city": data.get("city")}
        values["status"] = status if status is not None else case((EngagementRow.status == "new", "in_progress"), else_=EngagementRow.status)
        if title is not None:
            values["title"] = title

        def log(s: Session, before: EngagementRow) -> None:
            changes = diff(before.engagement, data)
            audit(s, by, "change", engagement_id, f"version {expected_version + 1}: {len(changes)} field(s)", [c.as_dict() for c in changes])

        return self._update(engagement_id, expected_version, values, log)

    def _update(self, engagement_id: str, expected_version: int | None, values: dict[str, Any],
                log: Callable[[Session, EngagementRow], None]) -> EngagementRecord:
        with self._session() as s:
            before = self._row(s, engagement_id)
            if expected_version is not None and before.version != expected_version:
                raise StaleWriteError(engagement_id, expected_version, before.version)
            log(s, before)  # reads the row before the UPDATE below changes it
            stmt = sql_update(EngagementRow).where(EngagementRow.id == engagement_id)
            if expected_version is not None:
                stmt = stmt.where(EngagementRow.version == expected_version)
            else:
                values = {**values, "version": EngagementRow.version + 1}
            # an UPDATE returns a CursorResult (which has rowcount); Session.execute is typed as returning a plain Result
            result = cast("CursorResult[Any]", s.execute(stmt.values(**values).execution_options(synchronize_session=False)))
            if result.rowcount != 1:
                s.expire_all()
                current = self._row(s, engagement_id)
                raise StaleWriteError(engagement_id, expected_version or 0, current.version)
            s.expire_all()
            return _record(self._row(s, engagement_id))

    def _logged(self, action: str, by: str, summary: str | Callable[[EngagementRow], str]) -> Callable[[Session, EngagementRow], None]:
        def log(s: Session, before: EngagementRow) -> None:
            audit(s, by, action, before.id, summary(before) if callable(summary) else summary)

        return log

    def rename(self, engagement_id: str, title: str, *, by: str = "") -> EngagementRecord:
        return self._update(engagement_id, None, {"title": title, "updated": _now()},
                            self._logged("rename", by, lambda row: f"title: {row.title} → {title}"))

    def set_archived(self, engagement_id: str, archived: bool = True, *, by: str = "") -> EngagementRecord:
        return self._update(engagement_id, None, {"archived": archived, "updated": _now()},
                            self._logged("archive" if archived else "restore", by, "archived" if archived else "restored from the archive"))

    def set_status(self, engagement_id: str, status: str, *, by: str = "") -> EngagementRecord:
        return self._update(engagement_id, None, {"status": status, "updated": _now()}, self._logged("status", by, f"status: {status}"))

    def update_fields(self, engagement_id: str, values: dict[str, Any], action: str, summary: str, *, by: str = "") -> EngagementRecord:
        """Change engagement columns other than its data (review state, sharing), with one audit entry."""
        return self._update(engagement_id, None, {**values, "updated": _now()}, self._logged(action, by, summary))

    def duplicate(self, engagement_id: str, owner: str = "", title: str | None = None, *, by: str = "") -> EngagementRecord:
        source = self.get(engagement_id)
        status = "in_progress" if source.data else "new"
        return self.create(title=title if title is not None else f"{source.title} (copy)", owner=owner or source.owner,
                           data=source.data, status=status, by=by, summary=f"duplicated from {engagement_id}")

    def delete(self, engagement_id: str, *, by: str = "") -> None:
        with self._session() as s:
            row = self._row(s, engagement_id)
            if s.scalar(select(func.count()).select_from(SentCopyRow).where(SentCopyRow.engagement_id == engagement_id)):
                raise StorageError(f"engagement {row.title or engagement_id} was sent to its partner: its sent copies are kept for good, "
                                   "so it cannot be deleted (archive it instead)")
            s.execute(delete(ProposalRow).where(ProposalRow.engagement_id == engagement_id))
            s.execute(delete(EngagementRow).where(EngagementRow.id == engagement_id))
            audit(s, by, "delete", engagement_id, f"deleted: {row.title}")

    # ------------------------------------------------------------ proposal versions

    def add_proposal(self, engagement_id: str, pdf: bytes, language: str, catalog_version: str, inputs_hash: str,
                     edition: str = "partner", draft: bool = False, *, by: str = "") -> ProposalRecord:
        """Store a generated PDF and mark the engagement as having a proposal, in one transaction. A version made from
        the same inputs, catalog version, language, edition and draft mark is not stored twice: it is returned."""
        with self._session() as s:
            engagement = self._row(s, engagement_id)
            same = s.scalars(select(ProposalRow).where(
                ProposalRow.engagement_id == engagement_id, ProposalRow.inputs_hash == inputs_hash, ProposalRow.language == language,
                ProposalRow.catalog_version == catalog_version, ProposalRow.edition == edition, ProposalRow.draft.is_(draft),
            ).order_by(ProposalRow.id.desc()).limit(1)).first()
            if same is not None:
                return ProposalRecord(id=same.id, engagement_id=engagement_id, language=language, catalog_version=catalog_version,
                                      inputs_hash=inputs_hash, created=same.created, size=len(same.pdf), edition=edition, draft=draft)
            row = ProposalRow(engagement_id=engagement_id, pdf=pdf, language=language, catalog_version=catalog_version,
                              inputs_hash=inputs_hash, created=_now(), edition=edition, draft=draft)
            s.add(row)
            engagement.status = "proposal"
            s.flush()
            audit(s, by, "proposal", engagement_id, f"proposal version {row.id} ({language}, {edition}{', draft' if draft else ''})")
            return ProposalRecord(id=row.id, engagement_id=engagement_id, language=language, catalog_version=catalog_version,
                                  inputs_hash=inputs_hash, created=row.created, size=len(pdf), edition=edition, draft=draft)

    def proposals(self, engagement_id: str) -> builtins.list[ProposalRecord]:  # "list" here is the method above
        query = (select(ProposalRow.id, ProposalRow.engagement_id, ProposalRow.language, ProposalRow.catalog_version,
                        ProposalRow.inputs_hash, ProposalRow.created, func.length(ProposalRow.pdf), ProposalRow.edition, ProposalRow.draft)
                 .where(ProposalRow.engagement_id == engagement_id).order_by(ProposalRow.id.desc()))
        with self._session() as s:
            return [ProposalRecord(id=r[0], engagement_id=r[1], language=r[2], catalog_version=r[3], inputs_hash=r[4], created=r[5],
                                   size=int(r[6] or 0), edition=r[7], draft=bool(r[8])) for r in s.execute(query)]

    def proposal_pdf(self, proposal_id: int) -> bytes:
        with self._session() as s:
            row = s.get(ProposalRow, proposal_id)
            if row is None:
                raise StorageError(f"no proposal version {proposal_id}")
            return bytes(row.pdf)

    def proposal_engagement(self, proposal_id: int) -> str:
        """The id of the engagement a proposal version belongs to."""
        with self._session() as s:
            found = s.scalar(select(ProposalRow.engagement_id).where(ProposalRow.id == proposal_id))
            if found is None:
                raise StorageError(f"no proposal version {proposal_id}")
            return str(found)
