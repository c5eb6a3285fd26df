"""Right-sized recommendations on the tiny catalog: pilots, coverage of the partner's needs before anything else,
the city's existing systems, the project's scope, honest money and uncovered needs."""

from __future__ import annotations

import pytest

from app.core import costing, explain
from app.core.engagement import parse_engagement
from app.core.engine import recommend
from app.core.models import PilotScale
from app.errors import EngagementError
from tests.unit.test_engine_rules import engagement as rules_engagement

PILOT = PilotScale(quantity=10, description={"en": "one corridor of 10 intersections", "ko": "1개 축 10개 교차로"})


def catalog_with(tiny_catalog, **module_updates):
    modules = dict(tiny_catalog.modules)
    for mid, update in module_updates.items():
        modules[mid] = modules[mid].model_copy(update=update)
    return tiny_catalog.model_copy(update={"modules": modules})


def with_pilot(tiny_catalog):
    its = tiny_catalog.modules["its-atms"]
    return catalog_with(tiny_catalog, **{"its-atms": {"scale": its.scale.model_copy(update={"pilot": PILOT})}})


def engagement(catalog, **overrides):
    """The engine-rules engagement (Hai Phong, congestion 5 and parking 3) with a USD 2 M budget unless overridden."""
    return rules_engagement(catalog, **{"budget": {"amount": 2_000_000, "currency": "USD"}, **overrides})


def test_a_module_too_big_for_the_budget_enters_at_its_pilot_scale(tiny_catalog):
    catalog = with_pilot(tiny_catalog)
    rec = recommend(catalog, engagement(catalog, budget={"amount": 3_000_000, "currency": "USD"}))
    tier = rec.tier("recommended")
    assert "its-atms" in tier.module_ids and tier.pilots == ["its-atms"]
    its = next(c for c in rec.costs.modules if c.module_id == "its-atms")
    assert its.pilot and its.quantity == 10
    assert tier.capex.typical <= 3_000_000
    assert next(i for i in rec.roadmap.items if i.module_id == "its-atms").phase == "pilot"


def test_the_most_severe_need_is_covered_before_a_module_that_fits_better_for_its_cost(tiny_catalog):
    catalog = with_pilot(tiny_catalog)
    rec = recommend(catalog, engagement(catalog))  # USD 2 M: the ITS pilot with its centre, or parking — not both
    tier = rec.tier("recommended")
    assert rec.score("smart-parking").fit > 0.5 * rec.score("its-atms").fit  # parking alone would win on fit
    assert set(tier.module_ids) == {"its-atms", "ioc-platform"} and tier.covered == ["mob.congestion"]
    assert rec.uncovered == []  # parking is severity 3: served after the severity-5 need, not reported


def test_scaling_up_waits_for_the_pilot_to_have_run(tiny_catalog):
    catalog = with_pilot(tiny_catalog)
    rec = recommend(catalog, engagement(catalog, budget={"amount": 3_000_000, "currency": "USD"}))
    items = {i.module_id: i for i in rec.roadmap.items}
    assert items["its-atms"].phase == "pilot" and items["ioc-platform"].phase == "pilot"  # the pilot brings what it needs
    gate = max(i.end_month for i in rec.roadmap.items if i.phase == "pilot")
    assert all(i.start_month >= gate for i in rec.roadmap.items if i.phase.startswith("phase_"))


def test_an_uncovered_severe_need_is_reported_with_the_cheapest_way_to_answer_it(tiny_catalog):
    rec = recommend(tiny_catalog, engagement(tiny_catalog))  # no pilot: the whole-city ITS never fits USD 2 M
    assert "its-atms" not in rec.tier("recommended").module_ids
    gap = rec.uncovered[0]
    assert (gap.code, gap.params["need"], gap.params["module"], gap.params["enablers"]) == ("uncovered", "mob.congestion", "its-atms", "ioc-platform")
    problem_cost = gap.params["cost_usd"]
    assert problem_cost == round((200 * 60_000 + 1_000_000) * 1.15)
    text = explain.say(gap, "en", tiny_catalog)
    assert "Congestion (severity 5) is not answered" in text and "$15,000,000" in text  # sentences round to 3 figures


def test_an_empty_tier_says_what_would_answer_the_first_need(tiny_catalog):
    catalog = with_pilot(tiny_catalog)
    rec = recommend(catalog, engagement(catalog, needs={"mob.congestion": {"severity": 5}}, budget={"amount": 500_000, "currency": "USD"}))
    tier = rec.tier("recommended")
    assert tier.module_ids == [] and tier.note is not None and tier.note.code == "empty_tier"
    assert tier.note.params["module"] == "its-atms" and tier.note.params["cost_usd"] == round((10 * 60_000 + 1_000_000) * 1.15)


def test_an_existing_system_is_not_bought_again_and_its_dependents_build_on_it(tiny_catalog):
    catalog = catalog_with(tiny_catalog, **{"ioc-platform": {"existing_system": "operations_centre"}})
    without = recommend(catalog, engagement(catalog, population=100_000, budget={"amount": 5_000_000, "currency": "USD"}))
    assert {"its-atms", "ioc-platform"} <= set(without.tier("recommended").module_ids)
    eng = engagement(catalog, population=100_000, budget={"amount": 5_000_000, "currency": "USD"},
                     readiness={"in_place": ["fibre_backbone"], "systems": {"operations_centre": True}})
    rec = recommend(catalog, eng)
    assert "its-atms" in rec.tier("recommended").module_ids
    assert all("ioc-platform" not in t.module_ids for t in rec.tiers)
    assert rec.builds_on == ["ioc-platform"]
    assert next(x.reason.code for x in rec.excluded if x.module_id == "ioc-platform") == "already_in_place"


def test_scope_population_and_typed_quantities_size_the_modules(tiny_catalog):
    its = tiny_catalog.modules["its-atms"]
    city = engagement(tiny_catalog)
    assert costing.quantity(its, city) == 200
    district = engagement(tiny_catalog, scope={"name": "Hong Bang district", "population": 150_000})
    assert costing.quantity(its, district) == 30
    typed = engagement(tiny_catalog, scope={"quantities": {"its-atms": 12}})
    assert costing.quantity(its, typed) == 12
    with pytest.raises(EngagementError, match=r"scope\.population is larger"):
        engagement(tiny_catalog, scope={"population": 2_000_000})


def test_a_tier_whose_maximum_cost_exceeds_its_budget_carries_that_risk(tiny_catalog):
    catalog = with_pilot(tiny_catalog)
    rec = recommend(catalog, engagement(catalog, budget={"amount": 3_000_000, "currency": "USD"}))
    tier = rec.tier("recommended")
    assert tier.capex.typical <= tier.budget_usd < tier.capex.max
    assert [r.code for r in tier.risks] == ["max_over_budget"]
    assert tier.risks[0].params["max_usd"] == round(tier.capex.max)


def test_an_engagement_saved_by_schema_1_reads_its_default_law_answer_as_not_assessed(tiny_catalog):
    data = {"country": "VNM", "city": "Hue", "population": 600_000, "area_km2": 265, "project_type": "brownfield_retrofit",
            "budget": {"amount": 1e6}, "readiness": {"data_protection_law": False, "scores": {"connectivity": 2}}}
    old = parse_engagement({**data, "schema_version": 1}, tiny_catalog)
    assert old.readiness.data_protection_law is None and old.schema_version == 2
    assert old.readiness.scores == {"connectivity": 2}
    new = parse_engagement({**data, "schema_version": 2}, tiny_catalog)
    assert new.readiness.data_protection_law is False
