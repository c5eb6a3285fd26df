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
    seeds: dict[str, Any] = field(default_factory=dict)  # widget key -> the value it was seeded with from the engagement
    drafts: dict[str, Any] = field(default_factory=dict)  # widget key -> its last value, kept when the step is left unsaved
    owners: dict[str, str] = field(default_factory=dict)  # widget key -> the step that draws it
    step: str = ""  # the step being drawn
    labelled: set[str] = field(default_factory=set)  # names of the seeded widgets (each keyed per UI language)
    widget_keys: dict[str, str] = field(default_factory=dict)  # base key -> the key of the widget last drawn for it
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
        self.seeds, self.drafts, self.owners, self.widget_keys = {}, {}, {}, {}
        self._rec, self._rec_hash, self._rec_error = None, None, None
        try:
            self.engagement = services.engagement_of(record, catalog)
        except EngagementError as exc:
            self.engagement = None
            self.problems["partner"] = exc.problems

    def close(self) -> None:
        self.engagement_id, self.record, self.engagement = None, None, None
        self.problems, self.conflict, self.proposal_id = {}, None, None
        self.seeds, self.drafts, self.owners, self.widget_keys = {}, {}, {}, {}

    def saved(self, record: EngagementRecord, engagement: Engagement, step: str = "") -> None:
        """The new version is the open one; unsaved drafts of the other steps are carried over to its widget keys."""
        old, new = f".{self.engagement_id}.{self.version}", f".{self.engagement_id}.{record.version}"
        kept = {k: v for k, v in self.drafts.items()
                if k.endswith(old) and v != self.seeds.get(k) and self.owners.get(k) != step}
        self.owners = {k.removesuffix(old) + new: self.owners.get(k, "") for k in kept}
        self.drafts = {k.removesuffix(old) + new: v for k, v in kept.items()}
        self.record, self.engagement, self.conflict = record, engagement, None
        self.seeds, self.widget_keys = {}, {}

    def base_key(self, name: str) -> str:
        """The key of ``name`` for the open engagement's id and version (seeds and drafts are kept under it)."""
        return f"w.{name}.{self.engagement_id}.{self.version}"

    def key(self, name: str) -> str:
        """A widget key bound to the open engagement's id and version and to the UI language.

        Streamlit keeps a selectbox's, multiselect's, radio's or select slider's choice as the label shown, which
        another language does not have: each language gets its own widget, seeded with the same codes (the draft)."""
        return f"{self.base_key(name)}~{self.lang}"

    def seed(self, name: str, value: Any, labelled: bool = True) -> str:
        """The widget key for ``name``, its value set the first time it is rendered: the draft left unsaved on an
        earlier visit of the step (or in another UI language) if there is one, else the engagement's value."""
        if labelled:
            self.labelled.add(name)
        base, key = self.base_key(name), self.key(name)
        self.seeds.setdefault(base, value)
        self.owners[base], self.widget_keys[base] = self.step, key
        if key not in st.session_state:
            st.session_state[key] = self.drafts.get(base, value)
        return key

    def keep_drafts(self) -> None:
        """Copy the seeded widgets' current values into the drafts (called before every page runs, before the
        language can change).

        Streamlit forgets a widget's value when a run does not draw it (the consultant left the step, or the
        language changed a labelled widget's key); the draft keeps it, and :meth:`seed` gives it back."""
        for base in self.seeds:
            key = self.widget_keys.get(base, base)
            if key in st.session_state:
                self.drafts[base] = st.session_state[key]
        wanted = st.session_state.get("ui-lang", self.lang)
        for base, key in self.widget_keys.items():  # a labelled widget of another language is seeded afresh when drawn
            if key != base and not key.endswith(f"~{wanted}"):
                for stale in [k for k in st.session_state if isinstance(k, str) and k.startswith(base + "~")]:
                    del st.session_state[stale]

    def unsaved(self, step: str | None = None) -> list[str]:
        """The names of the seeded widgets (of ``step``, or of every step) whose value differs from the engagement's."""
        suffix = f".{self.engagement_id}.{self.version}"
        changed = []
        for key, seeded in self.seeds.items():
            if not key.endswith(suffix) or (step is not None and self.owners.get(key) != step):
                continue
            current = st.session_state.get(self.widget_keys.get(key, key), self.drafts.get(key, seeded))
            if current != seeded:
                changed.append(key.removeprefix("w.").removesuffix(suffix))
        return changed

    def unsaved_steps(self) -> list[str]:
        """The steps that hold unsaved changes, in the order they were first drawn."""
        return list(dict.fromkeys(self.owners[f"w.{name}.{self.engagement_id}.{self.version}"] for name in self.unsaved()))

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
