"""Review dates: which entries are due (older than a year, or never reviewed) on an injected date, and their span."""

from __future__ import annotations

import datetime as dt

from app.core.models import Catalog, Review
from app.core.reviews import review_span, reviews_due


def _reviewed(catalog: Catalog, dates: dict[str, dt.date | None]) -> Catalog:
    modules = {k: m.model_copy(update={"reviewed": Review(on=dates[k], by="Kim") if dates.get(k) else None})
               for k, m in catalog.modules.items()}
    sources = {k: s.model_copy(update={"reviewed": Review(on=dates[k], by="Lee") if dates.get(k) else None})
               for k, s in catalog.sources.items()}
    return catalog.model_copy(update={"modules": modules, "sources": sources})


def test_entries_reviewed_more_than_a_year_before_today_or_never_are_due(tiny_catalog):
    catalog = _reviewed(tiny_catalog, {"its-atms": dt.date(2025, 3, 1), "ioc-platform": dt.date(2026, 3, 2), "smart-parking": None,
                                       "S1": dt.date(2024, 1, 1), "S2": dt.date(2026, 1, 1), "wdi": dt.date(2026, 1, 1)})
    due = reviews_due(catalog, today=dt.date(2026, 3, 2))
    assert [str(d) for d in due] == ["module smart-parking: never reviewed", "module its-atms: reviewed 2025-03-01 by Kim",
                                     "source S1: reviewed 2024-01-01 by Lee"]
    assert [d.id for d in reviews_due(catalog, today=dt.date(2026, 3, 1))] == ["smart-parking", "S1"]  # exactly a year: not yet


def test_review_span_gives_the_oldest_and_latest_date_and_counts_the_unreviewed(tiny_catalog):
    assert review_span(tiny_catalog) is None
    catalog = _reviewed(tiny_catalog, {"its-atms": dt.date(2025, 3, 1), "S1": dt.date(2024, 1, 1), "wdi": dt.date(2026, 1, 1)})
    span = review_span(catalog)
    assert span is not None and (span.oldest, span.latest, span.unreviewed) == (dt.date(2024, 1, 1), dt.date(2026, 1, 1), 3)
