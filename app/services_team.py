"""Team services: accounts and sign-in, who may do what, review before sending, frozen sent copies, the audit log.

Every function takes a keyword-only ``actor``: the signed-in :class:`~app.core.access.Actor`, or ``None`` for the
single local user of the embedded mode — allowed only while no account exists (otherwise ``AccessDenied``). The
service functions in :mod:`app.services` that touch stored engagements call :func:`authorize` the same way.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.core.access import ROLES, Actor, Membership, allowed
from app.errors import AccessDenied, ReviewError, StorageError

if TYPE_CHECKING:
    from app.adapters.storage import EngagementRecord, Repository
    from app.adapters.team_store import AccountRecord, AuditRecord, CommentRecord, SentCopyRecord
    from app.core.models import Catalog

LOCAL_USER = ""  # how the audit log names the single user of the embedded mode
VERBS = {"list": "list engagements", "create": "create engagements", "read": "open this engagement", "edit": "change this engagement",
         "delete": "delete this engagement", "comment": "comment on this engagement", "submit": "submit this engagement for review",
         "approve": "approve this engagement", "return": "return this engagement to draft", "send": "mark this engagement sent",
         "share": "share this engagement", "manage_accounts": "manage accounts", "manage_catalog": "change the catalog",
         "read_audit": "read the audit log"}


def membership(record: EngagementRecord) -> Membership:
    return Membership(owner=record.owner, shared_with=frozenset(record.shared_with))


def authorize(repo: Repository, actor: Actor | None, action: str, record: EngagementRecord | None = None) -> str:
    """The name to record for ``actor`` doing ``action`` (on ``record``), or ``AccessDenied``. A signed-in actor's account
    must still exist, be active and have that role (an admin may have changed it since the sign-in)."""
    from app.adapters import team_store

    if actor is None:
        if team_store.count_accounts(repo):
            raise AccessDenied("this server has accounts: sign in first")
        return LOCAL_USER
    if actor.console:
        if actor.role != "admin":
            raise AccessDenied("the command line acts as an administrator")
        return f"{actor.name} (command line)"
    account = team_store.get_account(repo, actor.name)
    if account is None or not account.active or account.role != actor.role:
        raise AccessDenied(f"the account {actor.name!r} is disabled or has changed: sign in again")
    if not allowed(actor, action, membership(record) if record is not None else None):
        raise AccessDenied(f"{actor.name} ({actor.role}) may not {VERBS.get(action, action)}")
    return actor.name


def may(repo: Repository, actor: Actor | None, action: str, record: EngagementRecord | None = None) -> bool:
    """Whether :func:`authorize` would let ``actor`` do ``action`` (for showing or hiding a button)."""
    try:
        authorize(repo, actor, action, record)
    except AccessDenied:
        return False
    return True


# ------------------------------------------------------------ accounts


def has_accounts(repo: Repository) -> bool:
    """Whether the wizard must ask who is there (any active account); without, it is the embedded single-user mode."""
    from app.adapters import team_store

    return team_store.count_accounts(repo) > 0


def _hasher() -> Any:
    from argon2 import PasswordHasher

    return PasswordHasher()  # argon2id with the library's current recommended parameters


def add_user(repo: Repository, name: str, role: str, password: str | None = None, email: str | None = None, *,
             actor: Actor | None = None) -> AccountRecord:
    """A new account. ``password`` None: it signs in through the identity provider (OIDC) only, matched by ``email``.
    The first account may be added without an actor (there is nobody to sign in yet)."""
    from app.adapters import team_store

    by = authorize(repo, actor, "manage_accounts")
    name = name.strip()
    if not name or len(name) > 120:
        raise AccessDenied("an account needs a name of 1 to 120 characters")
    if role not in ROLES:
        raise AccessDenied(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    if password is not None and len(password) < 8:
        raise AccessDenied("a password needs at least 8 characters")
    digest = _hasher().hash(password) if password is not None else None
    return team_store.add_account(repo, name, role, digest, email, by=by)


def change_user(repo: Repository, name: str, *, role: str | None = None, password: str | None = None, active: bool | None = None,
                actor: Actor | None = None) -> AccountRecord:
    from app.adapters import team_store

    by = authorize(repo, actor, "manage_accounts")
    if role is not None and role not in ROLES:
        raise AccessDenied(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    if password is not None and len(password) < 8:
        raise AccessDenied("a password needs at least 8 characters")
    return team_store.update_account(repo, name, role=role, password_hash=_hasher().hash(password) if password else None, active=active, by=by)


def list_users(repo: Repository, *, actor: Actor | None = None) -> list[AccountRecord]:
    from app.adapters import team_store

    authorize(repo, actor, "manage_accounts")
    return team_store.list_accounts(repo)


def sign_in(repo: Repository, name: str, password: str) -> Actor:
    """The actor for a name and password, or ``AccessDenied`` (the same message whatever was wrong)."""
    from argon2.exceptions import Argon2Error

    from app.adapters import team_store

    account = team_store.get_account(repo, name.strip())
    hasher = _hasher()
    stored = account.password_hash if account is not None and account.active and account.password_hash else None
    try:
        ok = hasher.verify(stored or _DUMMY.get(hasher), password)  # a dummy hash: an unknown name takes as long
    except Argon2Error:
        ok = False
    if not ok or stored is None or account is None:
        raise AccessDenied("unknown name or wrong password")
    if hasher.check_needs_rehash(stored):
        team_store.update_account(repo, account.name, password_hash=hasher.hash(password), by=account.name)
    return Actor(account.name, account.role)  # type: ignore[arg-type]  # roles are checked when accounts are written


class _Dummy:
    value: str | None = None

    def get(self, hasher: Any) -> str:
        if self.value is None:
            self.value = str(hasher.hash("not a password of anyone"))
        return self.value


_DUMMY = _Dummy()


def identity_actor(repo: Repository, email: str | None, name: str | None = None) -> Actor:
    """The actor for someone the identity provider signed in (OIDC): the active account with that e-mail address,
    else with that name; ``AccessDenied`` when an admin has not added one."""
    from app.adapters import team_store

    account = team_store.get_account(repo, email=email) if email else None
    if account is None and name:
        account = team_store.get_account(repo, name)
    if account is None or not account.active:
        raise AccessDenied(f"{email or name or 'this person'} has no account here: ask an administrator (kcity user add)")
    return Actor(account.name, account.role)  # type: ignore[arg-type]


# ------------------------------------------------------------ sharing, comments, review


def share_engagement(repo: Repository, engagement_id: str, names: list[str], *, actor: Actor | None = None) -> EngagementRecord:
    """Let these consultants edit the engagement as its owner does (the list replaces the previous one)."""
    from app.adapters import team_store

    by = authorize(repo, actor, "share", repo.get(engagement_id))
    unknown = [n for n in names if team_store.get_account(repo, n) is None]
    if unknown:
        raise StorageError(f"no account named {', '.join(unknown)}")
    clean = sorted(set(names))
    return repo.update_fields(engagement_id, {"shared_with": clean}, "share", "shared with " + (", ".join(clean) or "nobody"), by=by)


def add_comment(repo: Repository, engagement_id: str, step: str, body: str, *, actor: Actor | None = None) -> CommentRecord:
    from app.adapters import team_store

    by = authorize(repo, actor, "comment", repo.get(engagement_id))
    if not body.strip():
        raise ReviewError("write a comment first")
    return team_store.add_comment(repo, engagement_id, step, by, body.strip()[:4000])


def list_comments(repo: Repository, engagement_id: str, *, actor: Actor | None = None) -> list[CommentRecord]:
    from app.adapters import team_store

    authorize(repo, actor, "read", repo.get(engagement_id))
    return team_store.comments(repo, engagement_id)


def submit_for_review(repo: Repository, engagement_id: str, *, actor: Actor | None = None) -> EngagementRecord:
    from app.adapters import team_store

    by = authorize(repo, actor, "submit", repo.get(engagement_id))
    return team_store.review_step(repo, engagement_id, "submit", by=by)


def approve(repo: Repository, engagement_id: str, proposal_id: int, *, actor: Actor | None = None) -> EngagementRecord:
    """Approve one proposal version of an engagement in review; records who and when."""
    from app.adapters import team_store

    by = authorize(repo, actor, "approve", repo.get(engagement_id))
    return team_store.review_step(repo, engagement_id, "approve", by=by, proposal_id=proposal_id)


def return_to_draft(repo: Repository, engagement_id: str, reason: str, *, actor: Actor | None = None) -> EngagementRecord:
    from app.adapters import team_store

    by = authorize(repo, actor, "return", repo.get(engagement_id))
    return team_store.review_step(repo, engagement_id, "return", by=by, reason=reason)


def catalog_digest(catalog: Catalog) -> str:
    """SHA-256 of the catalog's validated contents: two catalogs with this digest give the same proposals."""
    return hashlib.sha256(catalog.model_dump_json().encode()).hexdigest()


def mark_sent(repo: Repository, catalog: Catalog, engagement_id: str, proposal_id: int, note: str = "", *,
              actor: Actor | None = None) -> SentCopyRecord:
    """Mark the approved proposal version sent and freeze what the partner received (``ReviewError`` for any other)."""
    from app.adapters import team_store

    record = repo.get(engagement_id)
    by = authorize(repo, actor, "send", record)
    return team_store.freeze(repo, engagement_id, proposal_id, record.data or {}, catalog.version, catalog_digest(catalog), by=by,
                             note=note.strip()[:1000])


def sent_copies(repo: Repository, engagement_id: str, *, actor: Actor | None = None) -> list[SentCopyRecord]:
    from app.adapters import team_store

    authorize(repo, actor, "read", repo.get(engagement_id))
    return team_store.sent_copies(repo, engagement_id)


def sent_copy(repo: Repository, copy_id: int, *, actor: Actor | None = None) -> SentCopyRecord:
    """A sent copy with its PDF bytes."""
    from app.adapters import team_store

    copy = team_store.sent_copy(repo, copy_id)
    authorize(repo, actor, "read", repo.get(copy.engagement_id))
    return copy


@dataclass(frozen=True)
class Verification:
    """An uploaded PDF compared with what was sent: its SHA-256 and the sent copy it is byte for byte, if any."""

    sha256: str
    match: SentCopyRecord | None


def verify_pdf(repo: Repository, engagement_id: str, data: bytes, *, actor: Actor | None = None) -> Verification:
    """Whether ``data`` is exactly a PDF this engagement's partner received (by SHA-256 against the frozen copies)."""
    digest = hashlib.sha256(data).hexdigest()
    copies = sent_copies(repo, engagement_id, actor=actor)
    return Verification(digest, next((c for c in copies if c.pdf_sha256 == digest), None))


# ------------------------------------------------------------ audit log


def audit_log(repo: Repository, engagement_id: str | None = None, limit: int | None = None, *,
              actor: Actor | None = None) -> list[AuditRecord]:
    """Who did what and when, newest first: one engagement's (for whoever may open it) or everything (reviewers, admins)."""
    from app.adapters import team_store

    if engagement_id is not None:
        try:
            record = repo.get(engagement_id)
        except StorageError:  # a deleted engagement's history: for those who may read the whole log
            authorize(repo, actor, "read_audit")
        else:
            authorize(repo, actor, "read", record)
    else:
        authorize(repo, actor, "read_audit")
    return team_store.audit_entries(repo, engagement_id, limit)


AUDIT_COLUMNS = ["when (UTC)", "who", "action", "engagement", "summary", "field", "before", "after"]


def audit_rows(entries: list[AuditRecord]) -> list[list[Any]]:
    """One row per changed field (one row for an entry without a field-level diff), for CSV and Excel export."""
    rows: list[list[Any]] = []

    def cell(value: Any) -> str:
        return "" if value is None else value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)

    for e in entries:
        base = [e.at.strftime("%Y-%m-%d %H:%M:%S"), e.actor or "(local user)", e.action, e.engagement_id or "", e.summary]
        if not e.changes:
            rows.append([*base, "", "", ""])
        for change in e.changes:
            rows.append([*base, change.get("field", ""), cell(change.get("before")), cell(change.get("after"))])
    return rows


def audit_csv(entries: list[AuditRecord]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(AUDIT_COLUMNS)
    writer.writerows(audit_rows(entries))
    return out.getvalue()


def audit_xlsx(entries: list[AuditRecord]) -> bytes:
    from app.adapters.excel import table_xlsx

    return table_xlsx("audit log", AUDIT_COLUMNS, audit_rows(entries))
