"""Review dates of the catalog: which modules and sources were last checked more than a year ago (or never), and the
span of review dates a proposal prints beside the catalog version. Pure: the date of today is a parameter."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from app.core.models import Catalog, Review

MAX_AGE = dt.timedelta(days=365)


@dataclass(frozen=True)
class ReviewDue:
    """An entry whose review is older than :data:`MAX_AGE`, or missing."""

    kind: Literal["module", "source"]
    id: str
    review: Review | None

    def __str__(self) -> str:
        if self.review is None:
            return f"{self.kind} {self.id}: never reviewed"
        return f"{self.kind} {self.id}: reviewed {self.review.on.isoformat()} by {self.review.by}"


@dataclass(frozen=True)
class ReviewSpan:
    """The oldest and the latest review date among the catalog's modules and sources, and how many carry none."""

    oldest: dt.date
    latest: dt.date
    unreviewed: int


def _reviews(catalog: Catalog) -> list[tuple[Literal["module", "source"], str, Review | None]]:
    modules = [("module", m.id, m.reviewed) for m in sorted(catalog.modules.values(), key=lambda m: m.id)]
    sources = [("source", s.id, s.reviewed) for s in sorted(catalog.sources.values(), key=lambda s: s.id)]
    return [*modules, *sources]  # type: ignore[list-item]  # the literals are the kinds


def reviews_due(catalog: Catalog, today: dt.date, max_age: dt.timedelta = MAX_AGE) -> list[ReviewDue]:
    """Modules, then sources, reviewed before ``today - max_age`` or never, oldest first within each kind."""
    due = [ReviewDue(kind, ident, review) for kind, ident, review in _reviews(catalog)
           if review is None or review.on < today - max_age]
    return sorted(due, key=lambda d: (d.kind != "module", d.review is not None, d.review.on if d.review else dt.date.min, d.id))


def review_span(catalog: Catalog) -> ReviewSpan | None:
    """The span of review dates, or ``None`` when nothing in the catalog carries one."""
    all_reviews = _reviews(catalog)
    dates = [review.on for _, _, review in all_reviews if review is not None]
    if not dates:
        return None
    return ReviewSpan(oldest=min(dates), latest=max(dates), unreviewed=len(all_reviews) - len(dates))
