"""Engine rules on the tiny catalog: scoring, selection, tiers, why-not, roadmap, costs, financing."""

from __future__ import annotations

import datetime as dt

import pytest

from app.core import costing, explain
from app.core.engagement import parse_engagement
from app.core.engine import recommend
from app.core.facts import condition_states
from app.core.recommendation import Reason
from app.errors import EngagementError, InfeasibleSelection


def engagement(catalog, **overrides):
    data = {
        "country": "VNM", "city": "Hai Phong", "population": 1_000_000, "area_km2": 300, "project_type": "brownfield_retrofit",
        "needs": {"mob.congestion": {"severity": 5}, "mob.parking": {"severity": 3}},
        "budget": {"amount": 3_000_000, "currency": "USD"}, "readiness": {"in_place": ["fibre_backbone"]},
    }
    data.update(overrides)
    return parse_engagement(data, catalog)


def test_fit_is_severity_weight_times_relevance_with_its_breakdown(tiny_catalog):
    rec = recommend(tiny_catalog, engagement(tiny_catalog))
    its = rec.score("its-atms")
    assert its.base == 15  # congestion: weight 5²/5 = 5, × relevance 3
    assert [(c.need, c.points) for c in its.contributions] == [("mob.congestion", 15.0)]
    parking = rec.score("smart-parking")
    assert parking.base == pytest.approx(3 * 3 / 5 * 3 + 5 * 1)  # parking severity 3 at relevance 3, congestion at 1
    assert parking.fit == pytest.approx(parking.base * 0.95)  # proven in Korea only
    assert [a.reason.code for a in parking.adjustments] == ["maturity"]


def test_modules_are_ranked_best_first(tiny_catalog):
    rec = recommend(tiny_catalog, engagement(tiny_catalog))
    fits = [s.fit for s in rec.ranked]
    assert fits == sorted(fits, reverse=True)


def test_module_over_the_whole_budget_is_left_out_naming_the_modules_it_needs(tiny_catalog):
    rec = recommend(tiny_catalog, engagement(tiny_catalog))
    assert "its-atms" not in rec.tier("recommended").module_ids
    reason = next(x.reason for x in rec.excluded if x.module_id == "its-atms")
    assert reason.code == "over_budget_with"
    assert reason.params["budget_usd"] == 3_000_000  # the whole budget, not what other modules left
    assert reason.params["cost_usd"] > 3_000_000
    assert reason.params["enablers"] == "ioc-platform"
    text = explain.say(reason, catalog=tiny_catalog)
    assert tiny_catalog.modules["ioc-platform"].name.en in text and "$3,000,000" in text


def test_selected_module_brings_its_dependency_with_the_reason(tiny_catalog):
    eng = engagement(tiny_catalog, needs={"mob.congestion": {"severity": 5}}, population=100_000,
                     budget={"amount": 5_000_000, "currency": "USD"})
    rec = recommend(tiny_catalog, eng)
    chosen = rec.tier("recommended").module_ids
    assert "its-atms" in chosen and "ioc-platform" in chosen


def test_missing_hard_prerequisite_without_provider_blocks_the_module(tiny_catalog):
    rec = recommend(tiny_catalog, engagement(tiny_catalog, readiness={"not_in_place": ["fibre_backbone"]}, budget={"amount": 1e9, "currency": "USD"}))
    its = rec.score("its-atms")
    assert its.blocked == Reason(code="hard_prerequisite", params={"condition": "fibre_backbone"})
    assert "its-atms" not in rec.tier("comprehensive").module_ids
    assert next(x.reason.code for x in rec.excluded if x.module_id == "its-atms") == "hard_prerequisite"


def test_hard_prerequisite_nobody_assessed_neither_blocks_nor_counts_as_present_but_is_to_confirm(tiny_catalog):
    rec = recommend(tiny_catalog, engagement(tiny_catalog, readiness={}, budget={"amount": 1e9, "currency": "USD"}))
    its = rec.score("its-atms")
    assert its.blocked is None
    assert Reason(code="condition_not_assessed", params={"condition": "fibre_backbone"}) in its.to_confirm
    assert "its-atms" in rec.tier("recommended").module_ids
    assert Reason(code="condition_not_assessed", params={"condition": "fibre_backbone"}) in rec.to_confirm


def test_readiness_dimension_nobody_scored_is_not_a_gap_but_a_point_to_confirm(tiny_catalog):
    from app.core import scoring

    mod = tiny_catalog.modules["smart-parking"].model_copy(update={"min_readiness": {"connectivity": 2}})
    low = engagement(tiny_catalog, readiness={"scores": {"connectivity": 0}})
    unassessed = engagement(tiny_catalog, readiness={})
    low_score = scoring.score_module(mod, low, condition_states(low, tiny_catalog), {})
    assert [a.reason.code for a in low_score.adjustments if a.reason.code == "readiness_gap"] == ["readiness_gap"]
    assert low_score.blocked is not None  # two levels below the minimum
    open_score = scoring.score_module(mod, unassessed, condition_states(unassessed, tiny_catalog), {})
    assert not any(a.reason.code == "readiness_gap" for a in open_score.adjustments) and open_score.blocked is None
    assert Reason(code="readiness_not_assessed", params={"dimension": "connectivity", "needed": 2}) in open_score.to_confirm


def test_excluded_module_is_never_selected_and_says_why(tiny_catalog):
    rec = recommend(tiny_catalog, engagement(tiny_catalog, excluded_modules=["smart-parking"]))
    assert all("smart-parking" not in t.module_ids for t in rec.tiers)
    assert next(x.reason.code for x in rec.excluded if x.module_id == "smart-parking") == "excluded_by_consultant"


def test_required_module_is_in_every_feasible_tier(tiny_catalog):
    rec = recommend(tiny_catalog, engagement(tiny_catalog, required_modules=["ioc-platform"], budget={"amount": 4e6, "currency": "USD"}))
    for tier in rec.tiers:
        if tier.status != "infeasible":
            assert "ioc-platform" in tier.module_ids
            assert tier.added_for["ioc-platform"].code == "required_by_consultant"


def test_required_modules_over_a_tier_budget_make_that_tier_infeasible_with_a_note(tiny_catalog):
    rec = recommend(tiny_catalog, engagement(tiny_catalog, required_modules=["ioc-platform"], budget={"amount": 1.5e6, "currency": "USD"}))
    essential = rec.tier("essential")
    assert essential.status == "infeasible"
    assert essential.note is not None and essential.note.code == "required_over_budget"


def test_required_module_that_is_blocked_by_an_excluded_dependency_is_infeasible(tiny_catalog):
    eng = engagement(tiny_catalog, required_modules=["its-atms"], excluded_modules=["ioc-platform"])
    with pytest.raises(InfeasibleSelection):
        recommend(tiny_catalog, eng)


def test_tiers_are_nested_and_within_their_budgets(tiny_catalog):
    rec = recommend(tiny_catalog, engagement(tiny_catalog, budget={"amount": 20e6, "currency": "USD"}))
    ess, reco, comp = (set(rec.tier(n).module_ids) for n in ("essential", "recommended", "comprehensive"))
    assert ess <= reco <= comp
    for tier in rec.tiers:
        assert tier.capex.typical <= tier.budget_usd + 1e-6
        assert tier.capex.min <= tier.capex.typical <= tier.capex.max


def test_budget_in_another_currency_is_converted_with_the_dated_rate(tiny_catalog):
    usd = recommend(tiny_catalog, engagement(tiny_catalog))
    krw = recommend(tiny_catalog, engagement(tiny_catalog, budget={"amount": 3_000_000 * 1422.44, "currency": "KRW"}))
    assert usd.tier("recommended").budget_usd == pytest.approx(krw.tier("recommended").budget_usd)
    assert krw.costs.rates["KRW"].year == 2025


def test_costs_scale_with_population_and_carry_contingency(tiny_catalog):
    eng = engagement(tiny_catalog)
    parking = tiny_catalog.modules["smart-parking"]
    assert costing.quantity(parking, eng) == 3000  # 300 bays per 100k people × 1 M
    small = engagement(tiny_catalog, population=10_000)
    assert costing.quantity(parking, small) == 50  # the minimum
    rec = recommend(tiny_catalog, eng)
    c = rec.costs
    assert c.capex_with_contingency.typical == pytest.approx(c.capex.typical * 1.15)
    assert sum(r.typical for r in c.by_phase.values()) == pytest.approx(c.capex_with_contingency.typical)
    assert c.currency == "USD" and {"USD", "KRW", "VND"} <= set(c.rates)


def test_adding_amounts_in_different_currencies_is_refused():
    from app.core.recommendation import MoneyRange

    with pytest.raises(ValueError, match="cannot add KRW to USD"):
        MoneyRange.zero("USD") + MoneyRange.zero("KRW")


def test_roadmap_goes_planning_then_numbered_phases_with_dates_and_no_pilot_without_a_pilot_scale(tiny_catalog):
    from app.core.roadmap import PHASE_ORDER, PLANNING_MONTHS

    eng = engagement(tiny_catalog, needs={"mob.congestion": {"severity": 5}}, population=100_000,
                     budget={"amount": 5e6, "currency": "USD"}, start_date="2027-03-01")
    rec = recommend(tiny_catalog, eng)
    items = {i.module_id: i for i in rec.roadmap.items}
    ioc, its = items["ioc-platform"], items["its-atms"]
    assert rec.tier("recommended").pilots == []  # everything fits at full scale: a full build is never called a pilot
    assert list(rec.roadmap.phases) == ["planning", "phase_1", "phase_2"]  # in order, no Phase 2 without a Phase 1
    assert rec.roadmap.phases["planning"] == (0, PLANNING_MONTHS)
    assert ioc.phase == "phase_1" and ioc.start_month == PLANNING_MONTHS and ioc.start == dt.date(2027, 9, 1)
    assert its.phase == "phase_2" and its.start_month >= ioc.start_month + ioc.design_months + ioc.build_months
    order = [PHASE_ORDER.index(i.phase) for i in rec.roadmap.items]
    assert order == sorted(order)


def test_financing_says_which_rule_made_a_channel_eligible(tiny_catalog):
    rec = recommend(tiny_catalog, engagement(tiny_catalog))
    koica = [f for f in rec.financing if f.channel_id == "koica"]
    assert koica and all(f.eligible for f in koica)
    assert koica[0].reasons[0].code == "oda_ok"
    korea = recommend(tiny_catalog, engagement(tiny_catalog, country="KOR"))
    assert all(not f.eligible and f.reasons[0].code == "oda_fail" for f in korea.financing if f.channel_id == "koica")


def test_same_input_gives_the_same_recommendation(tiny_catalog):
    a = recommend(tiny_catalog, engagement(tiny_catalog))
    b = recommend(tiny_catalog, engagement(tiny_catalog))
    assert a.model_dump() == b.model_dump()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"needs": {"mob.nothing": {"severity": 3}}}, "needs.mob.nothing", "unknown need code 'mob.nothing'"),
        ({"needs": {"mob.parking": {"severity": 9}}}, "needs.mob.parking.severity", "Input should be less than or equal to 5"),
        ({"budget": {"amount": -5, "currency": "USD"}}, "budget.amount", "Input should be greater than 0"),
        ({"country": "XXX"}, "country", "unknown country code 'XXX' (ISO 3166 alpha-3)"),
        ({"required_modules": ["teleport"]}, "required_modules", "unknown module 'teleport'"),
        ({"city": "Hai\nPhong"}, "city", "must be a single line of text"),
    ],
)
def test_malformed_engagement_is_reported_field_by_field(tiny_catalog, change, field, message):
    with pytest.raises(EngagementError) as info:
        engagement(tiny_catalog, **change)
    assert [(p.field, p.message) for p in info.value.problems] == [(field, message)]


def test_korean_explanations_use_korean_labels(tiny_catalog):
    rec = recommend(tiny_catalog, engagement(tiny_catalog, readiness={"not_in_place": ["fibre_backbone"]}))
    text = explain.say(rec.score("its-atms").blocked, "ko", tiny_catalog)
    assert "광통신 백본망" in text


def test_module_answering_needs_only_marginally_is_ranked_but_not_packaged_for_itself(tiny_catalog):
    rec = recommend(tiny_catalog, engagement(tiny_catalog, budget={"amount": 1e9, "currency": "USD"},
                                             readiness={"not_in_place": ["fibre_backbone"]}))
    ioc = rec.score("ioc-platform")  # congestion at relevance 1 only
    assert ioc.marginal and ioc.fit > 0
    assert "ioc-platform" not in rec.tier("comprehensive").module_ids
    assert next(x.reason.code for x in rec.excluded if x.module_id == "ioc-platform") == "marginal_fit"


def test_marginal_module_still_enters_when_a_selected_module_needs_it(tiny_catalog):
    eng = engagement(tiny_catalog, needs={"mob.congestion": {"severity": 5}}, population=100_000, budget={"amount": 5e6, "currency": "USD"})
    rec = recommend(tiny_catalog, eng)
    tier = rec.tier("recommended")
    assert rec.score("ioc-platform").marginal
    assert "ioc-platform" in tier.module_ids
    assert tier.added_for["ioc-platform"] == Reason(code="dependency_of", params={"module": "its-atms"})


def test_unmet_institutional_prerequisite_is_enabling_work_not_a_block(tiny_catalog):
    from app.core import scoring
    from app.core.models import Prerequisite

    mod = tiny_catalog.modules["smart-parking"].model_copy(update={"prerequisites": [Prerequisite(code="skilled_staff", severity="hard")]})
    weak = engagement(tiny_catalog, readiness={"scores": {"capabilities_skills": 1}})
    score = scoring.score_module(mod, weak, condition_states(weak, tiny_catalog), {})
    assert score.blocked is None
    assert [(a.reason.code, a.factor) for a in score.adjustments if a.reason.code == "enabling_work"] == [("enabling_work", 0.8)]
    strong = engagement(tiny_catalog, readiness={"scores": {"capabilities_skills": 3}})
    strong_score = scoring.score_module(mod, strong, condition_states(strong, tiny_catalog), {})
    assert not any(a.reason.code == "enabling_work" for a in strong_score.adjustments)


def test_a_module_conflicting_with_the_package_is_refused_with_the_reason(tiny_catalog):
    from app.core import packaging

    parking = tiny_catalog.modules["smart-parking"].model_copy(update={"conflicts": ["its-atms"]})
    catalog = tiny_catalog.model_copy(update={"modules": {**tiny_catalog.modules, "smart-parking": parking}})
    assert packaging.clash(catalog, "smart-parking", ["its-atms"]) == Reason(code="conflicts_with", params={"module": "its-atms"})
    assert packaging.clash(catalog, "its-atms", ["smart-parking"]) == Reason(code="conflicts_with", params={"module": "smart-parking"})
    assert packaging.clash(catalog, "ioc-platform", ["its-atms", "smart-parking"]) is None


def test_removing_a_dependency_releases_the_modules_that_required_it(tiny_catalog):
    from app import services

    eng = engagement(tiny_catalog, required_modules=["its-atms", "smart-parking"])
    data, dependents = services.without_module(eng, tiny_catalog, "ioc-platform")
    assert dependents == ["its-atms"]
    assert data["required_modules"] == ["smart-parking"] and data["excluded_modules"] == ["ioc-platform"]
    assert services.with_module(eng, "ioc-platform")["required_modules"] == ["ioc-platform", "its-atms", "smart-parking"]


def test_a_module_helping_only_with_a_hazard_or_a_moderate_need_is_marginal(tiny_catalog):
    from app.core import scoring

    parking = tiny_catalog.modules["smart-parking"].model_copy(update={"hazards": ["flood"]})
    moderate = engagement(tiny_catalog, needs={"mob.parking": {"severity": 3}}, hazards=["flood"])
    assert not scoring.score_module(parking, moderate, set(), {}).marginal  # severity 3 at relevance 3: its main purpose
    minor = engagement(tiny_catalog, needs={"mob.parking": {"severity": 2}}, hazards=["flood"])
    score = scoring.score_module(parking, minor, set(), {})
    assert score.marginal and score.base == pytest.approx(4 / 5 * 3 + scoring.HAZARD_POINTS)


def test_a_module_answering_two_moderate_needs_substantially_is_primary(tiny_catalog):
    from app.core import scoring
    from app.core.models import NeedLink

    ioc = tiny_catalog.modules["ioc-platform"].model_copy(update={"needs": [NeedLink(need="saf.crime", relevance=2),
                                                                            NeedLink(need="mob.congestion", relevance=2)]})
    one = engagement(tiny_catalog, needs={"saf.crime": {"severity": 3}})
    two = engagement(tiny_catalog, needs={"saf.crime": {"severity": 3}, "mob.congestion": {"severity": 3}})
    assert scoring.score_module(ioc, one, set(), {}).marginal  # 3.6 points
    assert not scoring.score_module(ioc, two, set(), {}).marginal  # 7.2 points


def test_the_proposal_tells_stated_conditions_from_those_inferred_from_a_score(tiny_catalog):
    from app.core.proposal_build import build

    eng = engagement(tiny_catalog, readiness={"in_place": ["fibre_backbone"], "scores": {"capabilities_skills": 3}})
    diagnosis = build(tiny_catalog, eng, recommend(tiny_catalog, eng), "en").diagnosis
    assert diagnosis.in_place == [explain.label("fibre_backbone")]
    assert diagnosis.inferred == [explain.label("skilled_staff")]  # from the score alone: an assumption to confirm


def test_a_financing_reason_names_the_region_in_the_readers_language():
    reason = Reason(code="region_fail", params={"region": "East Asia & Pacific", "allowed": "Latin America & Caribbean"})
    assert "East Asia & Pacific" not in explain.say(reason, "ko")
    assert explain.label("East Asia & Pacific", "ko") in explain.say(reason, "ko")
    assert explain.say(reason, "en") == "region East Asia and Pacific is not covered (Latin America and the Caribbean)"
