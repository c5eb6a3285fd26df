"""Suggestions from country indicators: needs with the triggering value, readiness from bands."""

from __future__ import annotations

from app.core import explain
from app.core.engagement import NeedInput
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
    assert eng.needs and all(n.suggestion is not None and n.suggested is None for n in eng.needs.values())  # values, not prose
    assert eng.readiness.estimated_from_indicators


def test_suggested_needs_enter_at_low_severity_labelled_national(bundled_catalog):
    eng = new_engagement(bundled_catalog, "KEN", "Konza", 200_000, 20)
    assert {n.severity for n in eng.needs.values()} == {2}
    assert all(explain.suggested(n, "en", bundled_catalog).startswith("National") for n in eng.needs.values())
    assert new_engagement(bundled_catalog, "KEN", "Konza", 200_000, 20, suggested_needs=False).needs == {}


def test_hazards_come_only_from_a_hazard_index_never_from_another_need(bundled_catalog):
    from app.core.prefill import national_hazards

    for iso3 in ("BOL", "MNG", "KAZ", "VNM", "PHL", "PER"):
        country = bundled_catalog.countries[iso3]
        eng = new_engagement(bundled_catalog, iso3, "City", 500_000, 100)
        assert eng.hazards == national_hazards(country)
        assert all(country.hazards[h].level in ("high", "very_high") for h in eng.hazards)
    assert "sea_level_rise" not in new_engagement(bundled_catalog, "BOL", "La Paz", 800_000, 470).hazards  # landlocked
    assert "cyclone" in new_engagement(bundled_catalog, "PHL", "Manila", 1_800_000, 43).hazards


def test_data_protection_law_is_prefilled_from_the_cyberlaw_tracker_or_left_not_assessed(bundled_catalog):
    from app.core.models import Country

    assert new_engagement(bundled_catalog, "VNM", "Da Nang", 1_200_000, 1285).readiness.data_protection_law is True
    none = next(c for c in bundled_catalog.countries.values() if c.data_protection and c.data_protection.status == "none")
    assert new_engagement(bundled_catalog, none.iso3, "City", 100_000, 10).readiness.data_protection_law is False
    unknown = Country(iso3="XXX", iso2="XX", name="Nowhere")
    catalog = bundled_catalog.model_copy(update={"countries": {**bundled_catalog.countries, "XXX": unknown}})
    assert new_engagement(catalog, "XXX", "City", 100_000, 10).readiness.data_protection_law is None


def test_readiness_prefill_leaves_dimensions_without_data_not_assessed(bundled_catalog):
    from app.core.models import Country

    bare = Country(iso3="XXX", iso2="XX", name="Nowhere")
    readiness, estimates = estimate_readiness(bare)
    assert estimates == [] and readiness.scores == {}
    assert readiness.score("leadership_funding") is None


def test_why_a_need_was_suggested_is_said_in_the_readers_language_with_its_numbers(bundled_catalog):
    eng = new_engagement(bundled_catalog, "IND", "Pune", 7_000_000, 500)
    air = eng.needs["env.air_quality"]
    observed = bundled_catalog.countries["IND"].indicators[air.suggestion.indicator]
    english = explain.suggested(air, "en", bundled_catalog)
    korean = explain.suggested(air, "ko", bundled_catalog)
    spanish = explain.suggested(air, "es", bundled_catalog)
    assert str(observed.year) in english and "above" in english
    assert bundled_catalog.indicators[air.suggestion.indicator].name.ko in korean and "above" not in korean
    assert f"{observed.value:.1f}".replace(".", ",").rstrip("0").rstrip(",") in spanish and "por encima" in spanish


def test_an_engagement_saved_with_an_english_note_keeps_showing_it(bundled_catalog):
    legacy = NeedInput(severity=2, suggested="National indicator: Urban population living in slums 32.5 % (2022) is above 30")
    assert explain.suggested(legacy, "ko", bundled_catalog) == legacy.suggested
    assert explain.suggested(NeedInput(severity=4), "ko", bundled_catalog) is None
