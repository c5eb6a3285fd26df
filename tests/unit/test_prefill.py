"""Suggestions from country indicators: needs with the triggering value, readiness from bands."""

from __future__ import annotations

from app.core.prefill import READINESS_BANDS, band, estimate_readiness, new_engagement, suggest_needs


def test_band_scores_zero_to_four_at_the_edges():
    edges = (20, 40, 60, 80)
    assert [band(v, edges) for v in (0, 19.9, 20, 59, 60, 80, 100)] == [0, 0, 1, 2, 3, 4, 4]


def test_readiness_is_estimated_from_indicators_with_value_and_year(bundled_catalog):
    vnm = bundled_catalog.countries["VNM"]
    readiness, estimates = estimate_readiness(vnm)
    assert readiness.estimated_from_indicators
    power = next(e for e in estimates if e.dimension == "power_reliability")
    assert (power.indicator, power.year) == ("electricity_access_pct", vnm.indicators["electricity_access_pct"].year)
    assert power.score == band(vnm.indicators["electricity_access_pct"].value, READINESS_BANDS["power_reliability"][1])
    assert set(readiness.scores) == {e.dimension for e in estimates}


def test_suggested_needs_name_the_indicator_value_and_year_that_triggered_them(bundled_catalog):
    suggestions = suggest_needs(bundled_catalog.countries["IND"], bundled_catalog)
    air = next(s for s in suggestions if s.need == "env.air_quality")
    observed = bundled_catalog.countries["IND"].indicators[air.indicator]
    assert (air.value, air.year) == (observed.value, observed.year)
    assert air.direction == "above" and air.value > air.threshold


def test_new_engagement_is_prefilled_and_marked_as_suggestions(bundled_catalog):
    eng = new_engagement(bundled_catalog, "KEN", "Konza", 200_000, 20)
    assert eng.needs and all(n.suggested for n in eng.needs.values())
    assert eng.readiness.estimated_from_indicators
