"""What a change to the package would do, before it is applied: the modules that enter and leave, the cost against the
budget and the partner's needs that become answered or stop being answered.

A change is any edit of the engagement the Package step offers (add a module, leave one out, unpin one, change a
quantity); it is compared by running the engine on the edited engagement, so the preview is exactly what applying it
would give, including the optimiser's own substitutions.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core.engagement import Engagement
from app.core.models import Catalog
from app.core.recommendation import Reason, Recommendation
from app.core.scoring import PRIMARY_RELEVANCE

TIER = "recommended"


@dataclass(frozen=True)
class PackageChange:
    entered: tuple[str, ...]  # modules in the package after the change only
    why: dict[str, Reason]  # entered module → why it entered when the needs did not ask for it (a dependency, pinned…)
    left: tuple[str, ...]  # modules in the package before the change only
    to_pilot: tuple[str, ...]  # modules that stay but drop to their pilot scale
    to_full: tuple[str, ...]  # modules that stay and grow from their pilot to their full scope
    cost_before_usd: float  # typical capital cost incl. contingency
    cost_after_usd: float
    budget_usd: float
    answered: tuple[str, ...]  # confirmed needs a module of the package answers after the change only
    unanswered: tuple[str, ...]  # confirmed needs answered before the change only
    uncovered_after: tuple[Reason, ...]  # severe needs left without a module made for them, with the cheapest way

    @property
    def changes_anything(self) -> bool:
        return bool(self.entered or self.left or self.to_pilot or self.to_full) or abs(self.cost_after_usd - self.cost_before_usd) >= 1

    @property
    def over_budget(self) -> bool:
        return self.cost_after_usd > self.budget_usd


def answered(catalog: Catalog, engagement: Engagement, modules: list[str]) -> list[str]:
    """The engagement's needs that some of ``modules`` answers at least in part (relevance 2 or more), most severe first."""
    needs = sorted(engagement.needs.items(), key=lambda kv: (-kv[1].severity, kv[0]))
    return [code for code, _n in needs if any(catalog.modules[m].relevance(code) >= PRIMARY_RELEVANCE for m in modules)]


def compare(catalog: Catalog, engagement: Engagement, before: Recommendation, after: Recommendation) -> PackageChange:
    """The difference between two recommendations' Recommended tiers, for ``engagement``'s needs."""
    b, a = before.tier(TIER), after.tier(TIER)
    was, now = answered(catalog, engagement, b.module_ids), answered(catalog, engagement, a.module_ids)
    kept = [m for m in a.module_ids if m in b.module_ids]
    return PackageChange(
        entered=tuple(m for m in a.module_ids if m not in b.module_ids),
        why={m: r for m, r in a.added_for.items() if m not in b.module_ids},
        left=tuple(m for m in b.module_ids if m not in a.module_ids),
        to_pilot=tuple(m for m in kept if m in a.pilots and m not in b.pilots),
        to_full=tuple(m for m in kept if m in b.pilots and m not in a.pilots),
        cost_before_usd=b.capex.typical, cost_after_usd=a.capex.typical, budget_usd=a.budget_usd,
        answered=tuple(n for n in now if n not in was),
        unanswered=tuple(n for n in was if n not in now),
        uncovered_after=tuple(after.uncovered),
    )
