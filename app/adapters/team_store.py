"""The team server's records on a :class:`~app.adapters.storage.Repository`'s database: accounts, comments, review
steps, frozen sent copies and the audit log.

Each function is one transaction. A review step reads the engagement's state and changes it in the same
transaction, so two people pressing "approve" and "return to draft" at once cannot both win; marking a version sent
copies its PDF into ``sent_copies``, which the database itself refuses to change or delete afterwards.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.adapters.storage import EngagementRecord, Repository, _record, audit
from app.adapters.tables import AccountRow, AuditRow, CommentRow, ProposalRow, SentCopyRow, _now
from app.core.access import next_state
from app.errors import ReviewError, StorageError


@dataclass(frozen=True)
class AccountRecord:
    name: str
    role: str
    email: str | None
    active: bool
    created: dt.datetime
    password_hash: str | None = None


@dataclass(frozen=True)
class CommentRecord:
    id: int
    engagement_id: str
    step: str
    author: str
    body: str
    created: dt.datetime


@dataclass(frozen=True)
class SentCopyRecord:
    """A frozen copy of what the partner received (``pdf`` is empty in listings)."""

    id: int
    engagement_id: str
    proposal_id: int
    pdf_sha256: str
    snapshot: dict[str, Any]
    language: str
    edition: str
    catalog_version: str
    catalog_digest: str
    approved_by: str
    approved_at: dt.datetime
    sent_by: str
    sent_at: dt.datetime
    note: str
    size: int
    pdf: bytes = b""


@dataclass(frozen=True)
class AuditRecord:
    id: int
    at: dt.datetime
    actor: str
    action: str
    engagement_id: str | None
    summary: str
    changes: list[dict[str, Any]]


def _account(row: AccountRow) -> AccountRecord:
    return AccountRecord(row.name, row.role, row.email, row.active, row.created, row.password_hash)


# ------------------------------------------------------------ accounts


def count_accounts(repo: Repository) -> int:
    """Active accounts; 0 means the embedded single-user mode."""
    with repo._session() as s:
        return int(s.scalar(select(func.count()).select_from(AccountRow).where(AccountRow.active.is_(True))) or 0)


def add_account(repo: Repository, name: str, role: str, password_hash: str | None, email: str | None = None, *, by: str = "") -> AccountRecord:
    row = AccountRow(name=name, role=role, password_hash=password_hash, email=email or None, active=True, created=_now())
    try:
        with repo._session() as s:
            if s.get(AccountRow, name) is not None:
                raise StorageError(f"an account named {name!r} exists already")
            s.add(row)
            audit(s, by, "account", None, f"account {name} added as {role}")
    except StorageError as exc:
        if isinstance(exc.__cause__, IntegrityError):
            raise StorageError(f"another account has the e-mail address {email!r}") from None
        raise
    return _account(row)


def update_account(repo: Repository, name: str, *, role: str | None = None, password_hash: str | None = None, active: bool | None = None,
                   by: str = "") -> AccountRecord:
    with repo._session() as s:
        row = s.get(AccountRow, name)
        if row is None:
            raise StorageError(f"no account named {name!r}")
        said = []
        if role is not None and role != row.role:
            said.append(f"role {row.role} → {role}")
            row.role = role
        if password_hash is not None:
            row.password_hash = password_hash
            said.append("password changed")
        if active is not None and active != row.active:
            row.active = active
            said.append("enabled" if active else "disabled")
        audit(s, by, "account", None, f"account {name}: " + (", ".join(said) or "no change"))
        return _account(row)


def get_account(repo: Repository, name: str = "", email: str = "") -> AccountRecord | None:
    """The account with this name (or, given ``email``, this e-mail address), active or not."""
    with repo._session() as s:
        row = s.get(AccountRow, name) if name else s.scalars(select(AccountRow).where(func.lower(AccountRow.email) == email.lower())).first()
        return _account(row) if row is not None else None


def list_accounts(repo: Repository) -> list[AccountRecord]:
    with repo._session() as s:
        return [_account(r) for r in s.scalars(select(AccountRow).order_by(AccountRow.name))]


# ------------------------------------------------------------ comments


def add_comment(repo: Repository, engagement_id: str, step: str, author: str, body: str) -> CommentRecord:
    with repo._session() as s:
        repo._row(s, engagement_id)
        row = CommentRow(engagement_id=engagement_id, step=step, author=author, body=body, created=_now())
        s.add(row)
        s.flush()
        audit(s, author, "comment", engagement_id, f"comment on {step}: {body[:80]}")
        return CommentRecord(row.id, engagement_id, step, author, body, row.created)


def comments(repo: Repository, engagement_id: str) -> list[CommentRecord]:
    query = select(CommentRow).where(CommentRow.engagement_id == engagement_id).order_by(CommentRow.created, CommentRow.id)
    with repo._session() as s:
        return [CommentRecord(r.id, r.engagement_id, r.step, r.author, r.body, r.created) for r in s.scalars(query)]


# ------------------------------------------------------------ review steps and sent copies


def review_step(repo: Repository, engagement_id: str, action: str, *, by: str, reason: str = "", proposal_id: int | None = None) -> EngagementRecord:
    """``submit``, ``approve`` (a proposal version of this engagement) or ``return`` (to draft, with a reason)."""
    with repo._session() as s:
        row = repo._row(s, engagement_id)
        target = next_state(row.review_state, action)
        if target is None:
            raise ReviewError(f"cannot {action} an engagement that is {row.review_state.replace('_', ' ')}")
        summary = f"{row.review_state} → {target}"
        if action == "approve":
            if proposal_id is None or s.scalar(select(ProposalRow.engagement_id).where(ProposalRow.id == proposal_id)) != engagement_id:
                raise ReviewError("approve a proposal version of this engagement (generate one first)")
            row.approved_by, row.approved_at, row.approved_proposal_id = by, _now(), proposal_id
            summary += f": proposal version {proposal_id}"
        if action == "return":
            if not reason.strip():
                raise ReviewError("say why it goes back to draft")
            row.approved_by, row.approved_at, row.approved_proposal_id = None, None, None
            summary += f": {reason.strip()}"
        row.review_state, row.state_reason, row.updated = target, reason.strip(), _now()
        audit(s, by, action, engagement_id, summary)
        s.flush()
        return _record(row)


def freeze(repo: Repository, engagement_id: str, proposal_id: int, snapshot: dict[str, Any], catalog_version: str, catalog_digest: str, *,
           by: str, note: str = "") -> SentCopyRecord:
    """Mark the approved proposal version sent: keep its PDF, the engagement, the catalog's version and digest and
    the PDF's SHA-256 for good, and move the engagement to ``sent``."""
    with repo._session() as s:
        row = repo._row(s, engagement_id)
        if next_state(row.review_state, "send") is None:
            raise ReviewError(f"only an approved proposal can be sent; this engagement is {row.review_state.replace('_', ' ')}")
        if row.approved_proposal_id != proposal_id or row.approved_by is None or row.approved_at is None:
            raise ReviewError(f"proposal version {proposal_id} is not the approved one (version {row.approved_proposal_id})")
        proposal = s.get(ProposalRow, proposal_id)
        if proposal is None:
            raise StorageError(f"no proposal version {proposal_id}")
        pdf = bytes(proposal.pdf)
        copy = SentCopyRow(engagement_id=engagement_id, proposal_id=proposal_id, pdf=pdf, pdf_sha256=hashlib.sha256(pdf).hexdigest(),
                           snapshot=snapshot, language=proposal.language, edition=proposal.edition, catalog_version=catalog_version,
                           catalog_digest=catalog_digest, approved_by=row.approved_by, approved_at=row.approved_at, sent_by=by,
                           sent_at=_now(), note=note)
        s.add(copy)
        row.review_state, row.state_reason, row.updated = "sent", "", _now()
        s.flush()
        audit(s, by, "send", engagement_id, f"approved → sent: proposal version {proposal_id}, SHA-256 {copy.pdf_sha256}")
        return _sent(copy, with_pdf=False)


def _sent(row: SentCopyRow, with_pdf: bool) -> SentCopyRecord:
    return SentCopyRecord(row.id, row.engagement_id, row.proposal_id, row.pdf_sha256, dict(row.snapshot), row.language, row.edition,
                          row.catalog_version, row.catalog_digest, row.approved_by, row.approved_at, row.sent_by, row.sent_at, row.note,
                          len(row.pdf), bytes(row.pdf) if with_pdf else b"")


def sent_copies(repo: Repository, engagement_id: str) -> list[SentCopyRecord]:
    with repo._session() as s:
        rows = s.scalars(select(SentCopyRow).where(SentCopyRow.engagement_id == engagement_id).order_by(SentCopyRow.id.desc()))
        return [_sent(r, with_pdf=False) for r in rows]


def sent_copy(repo: Repository, copy_id: int) -> SentCopyRecord:
    with repo._session() as s:
        row = s.get(SentCopyRow, copy_id)
        if row is None:
            raise StorageError(f"no sent copy {copy_id}")
        return _sent(row, with_pdf=True)


# ------------------------------------------------------------ audit log


def audit_entries(repo: Repository, engagement_id: str | None = None, limit: int | None = None) -> list[AuditRecord]:
    """Audit entries, newest first (of one engagement when ``engagement_id`` is given)."""
    query = select(AuditRow).order_by(AuditRow.id.desc())
    if engagement_id is not None:
        query = query.where(AuditRow.engagement_id == engagement_id)
    if limit is not None:
        query = query.limit(limit)
    with repo._session() as s:
        return [AuditRecord(r.id, r.at, r.actor, r.action, r.engagement_id, r.summary, list(r.changes or [])) for r in s.scalars(query)]
