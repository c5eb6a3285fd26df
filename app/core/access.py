"""Who may do what on a team server: roles, the signed-in ``Actor``, and the rules as pure functions.

Roles:

- **consultant**: creates engagements and edits those they own or that are shared with them (an engagement made
  before accounts existed has no owner and is shared with every consultant); submits them for review, replies to
  comments, marks an approved proposal as sent.
- **reviewer**: reads every engagement, comments, approves a proposal version (never one of their own engagements)
  or returns it to draft with a reason.
- **admin**: everything, including accounts and the catalog, except approving their own engagement.

``None`` instead of an actor is the single local user of the embedded mode; the service layer allows it only while
no account exists. The review states and the moves between them are here too (:data:`TRANSITIONS`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Role = Literal["consultant", "reviewer", "admin"]
ROLES: tuple[Role, ...] = ("consultant", "reviewer", "admin")

# What a service function asks permission for.
Action = Literal[
    "list", "create", "read", "edit", "delete", "comment", "submit", "approve", "return", "send", "share",
    "manage_accounts", "manage_catalog", "read_audit",
]
ACTIONS: tuple[Action, ...] = ("list", "create", "read", "edit", "delete", "comment", "submit", "approve", "return", "send", "share",
                               "manage_accounts", "manage_catalog", "read_audit")
ENGAGEMENT_ACTIONS: frozenset[str] = frozenset({"read", "edit", "delete", "comment", "submit", "approve", "return", "send", "share"})

ReviewState = Literal["draft", "in_review", "approved", "sent"]
REVIEW_STATES: tuple[ReviewState, ...] = ("draft", "in_review", "approved", "sent")
# action → (the states it may start from, the state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "submit": (frozenset({"draft"}), "in_review"),
    "approve": (frozenset({"in_review"}), "approved"),
    "send": (frozenset({"approved"}), "sent"),
    "return": (frozenset({"in_review", "approved", "sent"}), "draft"),
}


@dataclass(frozen=True)
class Actor:
    """A signed-in person: the account name (unique) and its role. ``console``: someone at the server's command line
    (``kcity user``, ``kcity audit``), who reaches the database directly anyway and so acts as an administrator
    without an account."""

    name: str
    role: Role
    console: bool = False

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r}; use one of {', '.join(ROLES)}")


@dataclass(frozen=True)
class Membership:
    """What the rules need to know about an engagement: who owns it and with whom it is shared."""

    owner: str = ""
    shared_with: frozenset[str] = field(default_factory=frozenset)

    def is_member(self, name: str) -> bool:
        return not self.owner or self.owner == name or name in self.shared_with


def allowed(actor: Actor, action: str, engagement: Membership | None = None) -> bool:
    """Whether ``actor`` may do ``action`` (on ``engagement`` for the actions about one)."""
    if action in ENGAGEMENT_ACTIONS and engagement is None:
        raise ValueError(f"{action!r} is about an engagement: pass its membership")
    role = actor.role
    member = engagement is not None and engagement.is_member(actor.name)
    owner = engagement is not None and engagement.owner == actor.name
    rules: dict[str, bool] = {
        "list": True,  # everyone signed in sees the list; it holds only what each may open (see app.services)
        "create": role in ("consultant", "admin"),
        "read": role in ("reviewer", "admin") or member,
        "edit": role == "admin" or (role == "consultant" and member),
        "delete": role == "admin" or (role == "consultant" and owner),
        "share": role == "admin" or (role == "consultant" and owner),
        "comment": role in ("reviewer", "admin") or member,
        "submit": role == "admin" or (role == "consultant" and member),
        "approve": role in ("reviewer", "admin") and not owner,
        "return": role in ("reviewer", "admin") or (role == "consultant" and member),
        "send": role == "admin" or (role == "consultant" and member),
        "manage_accounts": role == "admin",
        "manage_catalog": role == "admin",
        "read_audit": role in ("reviewer", "admin"),
    }
    if action not in rules:
        raise ValueError(f"unknown action {action!r}")
    return rules[action]


def next_state(current: str, action: str) -> str | None:
    """The review state ``action`` leads to from ``current``, or None when that move is not allowed there."""
    if action not in TRANSITIONS:
        raise ValueError(f"{action!r} is not a review step; use one of {', '.join(TRANSITIONS)}")
    starts, target = TRANSITIONS[action]
    return target if current in starts else None
