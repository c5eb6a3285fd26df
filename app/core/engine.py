"""``recommend``: from a catalog and an engagement to a complete, explained recommendation.

Pure and deterministic: the same catalog version and engagement give the same recommendation.
"""

from __future__ import annotations

from app.core import costing, financing, packaging, roadmap, scoring
from app.core.catalog_checks import dependency_closure
from app.core.engagement import Engagement, catalog_problems
from app.core.facts import condition_states
from app.core.models import Catalog
from app.core.recommendation import ModuleScore, MoneyRange, Reason, Recommendation, Tier
from app.errors import EngagementError


def _enablers(selected: list[str], problem: packaging.Problem) -> dict[str, list[str]]:
    chosen = set(selected)
    return {m: sorted({p for group in problem.needs_one_of.get(m, ()) for p in group if p in chosen}) for m in selected}


def _tier_range(tier: Tier, engagement: Engagement, catalog: Catalog) -> MoneyRange:
    total = MoneyRange.zero(costing.BASE)
    for m in tier.module_ids:
        total = total + costing.module_cost(catalog.modules[m], engagement, catalog, pilot=m in tier.pilots).capex
    return total.scaled(1 + engagement.contingency_pct / 100)


def _priced(tier: Tier, engagement: Engagement, catalog: Catalog, top_gap: Reason | None) -> Tier:
    """The tier with its cost range (incl. contingency), the risk that the maximum exceeds its budget, and, when it
    is empty, what would answer the partner's first need."""
    capex = _tier_range(tier, engagement, catalog)
    risks = []
    if tier.module_ids and capex.max > tier.budget_usd:
        risks.append(Reason(code="max_over_budget", params={"max_usd": round(capex.max), "budget_usd": round(tier.budget_usd)}))
    note = tier.note
    # only the Recommended tier says what would answer the first need: an empty Essential tier only means that the
    # Recommended package costs more than half the budget
    if tier.name == "recommended" and not tier.module_ids and note is None and top_gap is not None and "module" in top_gap.params:
        note = Reason(code="empty_tier", params={**top_gap.params, "budget_usd": round(tier.budget_usd)})
    return tier.model_copy(update={"capex": capex, "risks": risks, "note": note})


def selection_problem(catalog: Catalog, engagement: Engagement) -> tuple[list[ModuleScore], packaging.Problem, float]:
    """The ranked scores, the selection instance (typical capex with contingency, in USD) and the budget in USD."""
    states = condition_states(engagement, catalog)  # once for the scores and the selection instance
    scores = scoring.rank(catalog, engagement, states)
    factor = 1 + engagement.contingency_pct / 100
    cost_usd = {m.id: costing.typical_capex_usd(m, engagement, catalog) * factor for m in catalog.modules.values()}
    budget_usd = costing.convert(engagement.budget.amount, engagement.budget.currency, costing.BASE, catalog)
    # a module is offered at pilot scale only when its full scope, or that of a module it is built on, does not fit
    # the budget (built on a pilot, it is a pilot too)
    too_big = {m for m, cost in cost_usd.items() if cost > budget_usd}
    pilot_usd = {m.id: costing.typical_capex_usd(m, engagement, catalog, pilot=True) * factor
                 for m in catalog.modules.values() if costing.pilot_quantity(m, engagement) is not None
                 and too_big & dependency_closure(m.id, catalog.modules)}
    return scores, packaging.build_problem(catalog, engagement, scores, cost_usd, pilot_usd, states), budget_usd


def recommend(catalog: Catalog, engagement: Engagement, time_limit_s: float = packaging.TIME_LIMIT_S) -> Recommendation:
    problems = catalog_problems(engagement, catalog)
    if problems:
        raise EngagementError(problems)
    scores, problem, budget_usd = selection_problem(catalog, engagement)
    tiers = packaging.tiers(catalog, engagement, problem, budget_usd, time_limit_s=time_limit_s)
    recommended = next(t for t in tiers if t.name == "recommended")
    selected, pilots = recommended.module_ids, recommended.pilots
    gaps = packaging.uncovered(catalog, engagement, problem, selected)
    top = min(engagement.needs.items(), key=lambda kv: (-kv[1].severity, kv[0]), default=None)
    top_answer = packaging.cheapest_answer(top[0], top[1].severity, catalog, problem) if top else None
    tiers = [_priced(t, engagement, catalog, top_answer) for t in tiers]
    fit = {s.module_id: s.fit for s in scores}
    plan = roadmap.plan(selected, catalog, engagement, fit, _enablers(selected, problem), pilots=pilots)
    costs = costing.summarize(selected, engagement, catalog, plan.items, pilots=pilots)
    by_id = {s.module_id: s for s in scores}
    confirm: dict[tuple[str, str], Reason] = {}
    for m in selected:
        for r in by_id[m].to_confirm:
            confirm.setdefault((r.code, str(r.params.get("condition") or r.params.get("dimension"))), r)
    to_confirm = [confirm[k] for k in sorted(confirm)]
    return Recommendation(
        catalog_version=catalog.version,
        input_hash=engagement.input_hash(),
        ranked=scores,
        tiers=tiers,
        excluded=packaging.why_not(catalog, engagement, problem, scores, selected, budget_usd, pilots),
        roadmap=plan,
        costs=costs,
        financing=financing.options(catalog, engagement, costs.by_phase,
                                    {p: [i.module_id for i in plan.items if i.phase == p] for p in costs.by_phase}),
        uncovered=gaps,
        builds_on=sorted(problem.existing),
        to_confirm=to_confirm,
    )
