"""Right-sized recommendations on the bundled catalog: the scenarios a consultant raised, each pinned.

Da Nang-like (1.2 M people) with traffic congestion as the critical need and USD 5 M; an AI-CCTV request in a city
that already runs a camera network; a USD 3 M grant envelope. Each checks what a consultant would expect, not a
fixed list of modules, so that the catalog's data can improve without rewriting the tests.
"""

from __future__ import annotations

from app.core.engagement import parse_engagement
from app.core.engine import recommend


def danang(catalog, **overrides):
    data = {"country": "VNM", "city": "Da Nang", "population": 1_230_000, "area_km2": 1285.4, "project_type": "brownfield_retrofit",
            "needs": {"mob.congestion": {"severity": 5}, "saf.flood": {"severity": 4}, "env.air_quality": {"severity": 3}},
            "budget": {"amount": 5_000_000, "currency": "USD"}}
    data.update(overrides)
    return parse_engagement(data, catalog)


def made_for(catalog, need: str) -> set[str]:
    return {m.id for m in catalog.modules.values() if m.relevance(need) == 3}


def test_da_nang_gets_a_traffic_answer_within_five_million_and_nothing_severe_goes_unanswered(bundled_catalog):
    rec = recommend(bundled_catalog, danang(bundled_catalog))
    tier = rec.tier("recommended")
    assert set(tier.module_ids) & made_for(bundled_catalog, "mob.congestion")
    assert set(tier.module_ids) & made_for(bundled_catalog, "saf.flood")
    assert tier.capex.typical <= 5_000_000
    assert rec.uncovered == []
    assert {"mob.congestion", "saf.flood"} <= set(tier.covered)


def test_a_module_too_big_for_the_city_is_offered_at_pilot_scale_and_the_costs_say_so(bundled_catalog):
    rec = recommend(bundled_catalog, danang(bundled_catalog, needs={"mob.congestion": {"severity": 5}},
                                            budget={"amount": 3_000_000, "currency": "USD"}))
    tier = rec.tier("recommended")
    traffic = set(tier.module_ids) & made_for(bundled_catalog, "mob.congestion")
    assert traffic and set(tier.pilots) & traffic
    assert tier.capex.typical <= 3_000_000
    costs = {c.module_id: c for c in rec.costs.modules}
    for m in tier.pilots:
        assert costs[m].pilot and costs[m].quantity == bundled_catalog.modules[m].scale.pilot.quantity


def test_ai_cctv_builds_on_an_existing_camera_network_instead_of_buying_one(bundled_catalog):
    needs = {"dat.situational_awareness": {"severity": 5}}
    budget = {"amount": 5_000_000, "currency": "USD"}
    has = recommend(bundled_catalog, danang(bundled_catalog, needs=needs, budget=budget,
                                            readiness={"systems": {"cctv_network": True}, "data_protection_law": True}))
    assert "cctv-ai-analytics" in has.tier("recommended").module_ids
    assert all("cctv-surveillance-network" not in t.module_ids for t in has.tiers)
    assert has.builds_on == ["cctv-surveillance-network"]
    lacks = recommend(bundled_catalog, danang(bundled_catalog, needs=needs, budget=budget,
                                              readiness={"systems": {"cctv_network": False}, "data_protection_law": True}))
    assert {"cctv-ai-analytics", "cctv-surveillance-network"} <= set(lacks.tier("recommended").module_ids)
    unknown = recommend(bundled_catalog, danang(bundled_catalog, needs=needs, budget=budget, readiness={"data_protection_law": True}))
    assert "cctv-surveillance-network" not in unknown.tier("recommended").module_ids
    assert any(r.code == "condition_not_assessed" and r.params["condition"] == "cctv_control_room" for r in unknown.to_confirm)


def test_no_module_enters_a_package_only_because_it_touches_a_need_loosely(bundled_catalog):
    rec = recommend(bundled_catalog, danang(bundled_catalog, budget={"amount": 40_000_000, "currency": "USD"}))
    needs = set(danang(bundled_catalog).needs)
    for m in rec.tier("recommended").module_ids:
        mod = bundled_catalog.modules[m]
        answers = any(mod.relevance(n) >= 2 for n in needs) or set(mod.hazards) & set(danang(bundled_catalog).hazards)
        brought = m in rec.tier("recommended").added_for
        assert answers or brought, f"{m} answers none of the needs and nothing needs it"


def test_the_why_not_of_an_expensive_module_compares_with_the_whole_budget(bundled_catalog):
    rec = recommend(bundled_catalog, danang(bundled_catalog))
    for x in rec.excluded:
        if x.reason.code in ("over_budget", "over_budget_with"):
            assert x.reason.params["budget_usd"] == 5_000_000 and x.reason.params["cost_usd"] > 5_000_000


def test_private_capital_is_offered_only_to_phases_that_earn_fees(bundled_catalog):
    private = {c.id for c in bundled_catalog.financing.values() if c.kind in ("ppp", "equity")}
    assert private
    signals = recommend(bundled_catalog, danang(bundled_catalog, needs={"mob.congestion": {"severity": 5}}))
    modules = {i.phase: [] for i in signals.roadmap.items}
    for i in signals.roadmap.items:
        modules[i.phase].append(i.module_id)
    for option in signals.financing:
        if option.channel_id in private and option.phase in modules:
            earns = any(bundled_catalog.modules[m].revenue_model for m in modules[option.phase])
            assert option.eligible is False or earns
            assert option.reasons[0].code == ("revenue_ok" if earns else "revenue_fail")
    parking = recommend(bundled_catalog, danang(bundled_catalog, needs={"mob.parking": {"severity": 5}},
                                                budget={"amount": 3_000_000, "currency": "USD"}))
    parking_phases = {i.phase for i in parking.roadmap.items if i.module_id == "smart-parking"}
    assert parking_phases and any(o.reasons[0].code == "revenue_ok" for o in parking.financing
                                  if o.channel_id in private and o.phase in parking_phases)
