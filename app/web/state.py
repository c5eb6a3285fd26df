"""One typed wizard-state object per browser session, under one ``st.session_state`` key.

It holds the open engagement (as last loaded or saved, with its stored version), the UI language, the problems
of the last submitted form per step, a conflict message, the pending confirmation, and the recommendation for
the current engagement (recomputed only when the engagement's input hash changes). Widget keys carry the
engagement id and version, so a saved or newly opened engagement re-seeds every form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from app import services
from app.adapters.storage import EngagementRecord
from app.core.access import Actor
from app.core.engagement import Engagement
from app.core.models import Catalog
from app.core.recommendation import Recommendation
from app.errors import EngagementError, KcityError, Problem

KEY = "wizard"


@dataclass
class WizardState:
    engagement_id: str | None = None
    record: EngagementRecord | None = None
    engagement: Engagement | None = None
    lang: str = "en"
    problems: dict[str, list[Problem]] = field(default_factory=dict)
    conflict: str | None = None
    messages: list[tuple[str, str]] = field(default_factory=list)  # (kind, text) shown once on the next run
    confirm_delete: str | None = None
    renaming: str | None = None
    currency: str = "USD"
    proposal_id: int | None = None
    actor: Actor | None = None  # who signed in (None: the embedded single-user mode, no accounts)
    _rec: Recommendation | None = None
    _rec_hash: str | None = None
    _rec_error: str | None = None

    # ------------------------------------------------------------ engagement

    @property
    def version(self) -> int:
        return self.record.version if self.record else 0

    @property
    def title(self) -> str:
        if self.record is None:
            return ""
        return self.record.title or (self.record.city or "") or self.record.id

    def open(self, record: EngagementRecord, catalog: Catalog) -> None:
        """Make ``record`` the open engagement; a stored engagement that no longer validates opens empty-handed."""
        self.engagement_id, self.record = record.id, record
        self.problems, self.conflict, self.proposal_id = {}, None, None
        self._rec, self._rec_hash, self._rec_error = None, None, None
        try:
            self.engagement = services.engagement_of(record, catalog)
        except EngagementError as exc:
            self.engagement = None
            self.problems["partner"] = exc.problems

    def close(self) -> None:
        self.engagement_id, self.record, self.engagement = None, None, None
        self.problems, self.conflict, self.proposal_id = {}, None, None

    def saved(self, record: EngagementRecord, engagement: Engagement) -> None:
        self.record, self.engagement, self.conflict = record, engagement, None

    def key(self, name: str) -> str:
        """A widget key bound to the open engagement's id and version."""
        return f"w.{name}.{self.engagement_id}.{self.version}"

    def seed(self, name: str, value: Any) -> str:
        """The widget key for ``name``, its value set from the engagement the first time it is rendered."""
        key = self.key(name)
        if key not in st.session_state:
            st.session_state[key] = value
        return key

    def value(self, name: str, default: Any = None) -> Any:
        return st.session_state.get(self.key(name), default)

    # ------------------------------------------------------------ recommendation

    def recommendation(self, catalog: Catalog) -> tuple[Recommendation | None, str | None]:
        """The recommendation for the open engagement (computed once per input hash), or the error that prevents it."""
        if self.engagement is None:
            return None, None
        digest = self.engagement.input_hash()
        if digest != self._rec_hash:
            self._rec_hash = digest
            try:
                self._rec, self._rec_error = services.recommend(catalog, self.engagement), None
            except KcityError as exc:
                self._rec, self._rec_error = None, str(exc)
        return self._rec, self._rec_error


def get() -> WizardState:
    state = st.session_state.get(KEY)
    if not isinstance(state, WizardState):
        state = WizardState()
        st.session_state[KEY] = state
    return state
