"""``recommend``: from a catalog and an engagement to a complete, explained recommendation.

Pure and deterministic: the same catalog version and engagement give the same recommendation.
"""

from __future__ import annotations

from app.core import costing, financing, packaging, roadmap, scoring
from app.core.engagement import Engagement, catalog_problems
from app.core.models import Catalog
from app.core.recommendation import ModuleScore, MoneyRange, Recommendation, Tier
from app.errors import EngagementError


def _enablers(selected: list[str], problem: packaging.Problem) -> dict[str, list[str]]:
    chosen = set(selected)
    return {m: sorted({p for group in problem.needs_one_of.get(m, ()) for p in group if p in chosen}) for m in selected}


def _tier_range(tier: Tier, engagement: Engagement, catalog: Catalog) -> MoneyRange:
    total = MoneyRange.zero(costing.BASE)
    for m in tier.module_ids:
        total = total + costing.module_cost(catalog.modules[m], engagement, catalog).capex
    return total.scaled(1 + engagement.contingency_pct / 100)


def selection_problem(catalog: Catalog, engagement: Engagement) -> tuple[list[ModuleScore], packaging.Problem, float]:
    """The ranked scores, the selection instance (typical capex with contingency, in USD) and the budget in USD."""
    scores = scoring.rank(catalog, engagement)
    factor = 1 + engagement.contingency_pct / 100
    cost_usd = {m.id: costing.typical_capex_usd(m, engagement, catalog) * factor for m in catalog.modules.values()}
    budget_usd = costing.convert(engagement.budget.amount, engagement.budget.currency, costing.BASE, catalog)
    return scores, packaging.build_problem(catalog, engagement, scores, cost_usd), budget_usd


def recommend(catalog: Catalog, engagement: Engagement, time_limit_s: float = packaging.TIME_LIMIT_S) -> Recommendation:
    problems = catalog_problems(engagement, catalog)
    if problems:
        raise EngagementError(problems)
    scores, problem, budget_usd = selection_problem(catalog, engagement)
    tiers = packaging.tiers(catalog, engagement, problem, budget_usd, time_limit_s=time_limit_s)
    tiers = [t.model_copy(update={"capex": _tier_range(t, engagement, catalog)}) for t in tiers]
    selected = next(t for t in tiers if t.name == "recommended").module_ids
    fit = {s.module_id: s.fit for s in scores}
    plan = roadmap.plan(selected, catalog, engagement, fit, _enablers(selected, problem))
    costs = costing.summarize(selected, engagement, catalog, plan.items)
    return Recommendation(
        catalog_version=catalog.version,
        input_hash=engagement.input_hash(),
        ranked=scores,
        tiers=tiers,
        excluded=packaging.why_not(catalog, engagement, problem, scores, selected, budget_usd),
        roadmap=plan,
        costs=costs,
        financing=financing.options(catalog, engagement, costs.by_phase),
    )
