"""Fit of each module to an engagement: need severity × module relevance, adjusted, with its breakdown.

The model is deliberately simple so that a consultant can defend it:

* **base** = Σ over the engagement's needs of ``weight(severity) × relevance (1–3)``, where the weight of a
  severity 1–5 is ``severity² / 5`` (5, 3.2, 1.8, 0.8, 0.2), plus
  ``HAZARD_POINTS`` for each of the engagement's hazards that the module helps with;
* **fit** = base × each adjustment: readiness below the module's minimum (−15 % per missing level),
  maturity (pilot ×0.85, proven in Korea only ×0.95), a project type the module does not suit (×0.6; never for a
  single-solution project), each
  unmet *soft* prerequisite (×0.95) and each unmet *institutional* hard prerequisite — an agreement, staff,
  an O&M budget, a legal basis — which becomes enabling work for the partner (×0.8).

A module is **marginal** unless the needs it answers at relevance 2 or more carry at least ``PRIMARY_POINTS``
together (one severity-3 need as its main purpose, two severity-3 needs substantially, or one need of severity 4
or 5). Hazard points raise its fit but do not make it primary. A marginal module keeps its fit for the ranking,
but the package includes it only when another selected module needs it: packages stay focused on what the
partner asked for.

A module is **blocked** when an infrastructure hard prerequisite is known to be missing and no catalog module
provides it, or when readiness is two or more levels below its minimum. Raising a severity never lowers a fit:
adjustments do not depend on the needs.

What was **not assessed** (a readiness dimension without a score, a hard prerequisite nobody answered) neither
lowers nor blocks a module: it is listed in ``to_confirm``, a point for the planning study (see ``app.core.facts``).
"""

from __future__ import annotations

from collections.abc import Mapping

from app.core.engagement import Engagement
from app.core.facts import condition_states
from app.core.models import Catalog, Module
from app.core.recommendation import Adjustment, ModuleScore, NeedContribution, Reason
from app.core.vocab import INSTITUTIONAL_CONDITIONS, FactState

HAZARD_POINTS = 2.0
READINESS_STEP = 0.15
READINESS_BLOCK_GAP = 2
MATURITY_FACTOR = {"pilot": 0.85, "proven_domestic": 0.95, "proven_overseas": 1.0}
PROJECT_TYPE_FACTOR = 0.6
SOFT_PREREQUISITE_FACTOR = 0.95
ENABLING_WORK_FACTOR = 0.8
PRIMARY_RELEVANCE = 2
PRIMARY_POINTS = 5.0  # e.g. severity 3 at relevance 3, two severity-3 needs at relevance 2, or severity 4 at relevance 2


def need_weight(severity: int) -> float:
    """Weight of a need: severity² / 5, so 5 → 5, 4 → 3.2, 3 → 1.8, 2 → 0.8, 1 → 0.2.

    Squaring makes a critical need outweigh several moderate ones, as a consultant would rank them.
    """
    return severity * severity / 5


def providers(catalog: Catalog) -> dict[str, list[str]]:
    """Enabling condition → the modules that establish it."""
    out: dict[str, list[str]] = {}
    for mod in sorted(catalog.modules.values(), key=lambda m: m.id):
        for code in mod.provides:
            out.setdefault(code, []).append(mod.id)
    return out


def score_module(module: Module, engagement: Engagement, states: Mapping[str, FactState], provided: dict[str, list[str]]) -> ModuleScore:
    contributions = [
        NeedContribution(need=link.need, severity=need.severity, relevance=link.relevance, points=need_weight(need.severity) * link.relevance)
        for link in module.needs
        if (need := engagement.needs.get(link.need)) is not None
    ]
    hazard_hits = sorted(set(module.hazards) & set(engagement.hazards))
    base = sum(c.points for c in contributions) + HAZARD_POINTS * len(hazard_hits)
    adjustments: list[Adjustment] = []
    if hazard_hits:
        adjustments.append(Adjustment(factor=1.0, reason=Reason(code="hazard_bonus", params={"hazards": ", ".join(hazard_hits),
                                                                                            "points": HAZARD_POINTS * len(hazard_hits)})))
    blocked: Reason | None = None
    to_confirm: list[Reason] = []
    for dimension, needed in sorted(module.min_readiness.items()):
        actual = engagement.readiness.score(dimension)
        if actual is None:
            to_confirm.append(Reason(code="readiness_not_assessed", params={"dimension": dimension, "needed": needed}))
        elif actual < needed:
            gap = needed - actual
            adjustments.append(Adjustment(factor=round(max(0.4, 1 - READINESS_STEP * gap), 4),
                                          reason=Reason(code="readiness_gap", params={"dimension": dimension, "actual": actual, "needed": needed})))
            if gap >= READINESS_BLOCK_GAP and blocked is None:
                blocked = Reason(code="readiness_too_low", params={"dimension": dimension, "actual": actual, "needed": needed})
    maturity = MATURITY_FACTOR[module.maturity]
    if maturity < 1:
        adjustments.append(Adjustment(factor=maturity, reason=Reason(code="maturity", params={"maturity": module.maturity})))
    if module.project_types and engagement.project_type not in (*module.project_types, "single_solution"):
        adjustments.append(Adjustment(factor=PROJECT_TYPE_FACTOR, reason=Reason(
            code="project_type", params={"project_type": engagement.project_type, "suits": ", ".join(module.project_types)})))
    for pre in module.prerequisites:
        state = states.get(pre.code, "not_assessed")
        if state == "yes":
            continue
        if state == "not_assessed":
            if pre.severity == "hard":
                to_confirm.append(Reason(code="condition_not_assessed", params={"condition": pre.code}))
            continue
        if pre.severity == "soft":
            adjustments.append(Adjustment(factor=SOFT_PREREQUISITE_FACTOR, reason=Reason(code="soft_prerequisite", params={"condition": pre.code})))
        elif pre.code in INSTITUTIONAL_CONDITIONS:
            adjustments.append(Adjustment(factor=ENABLING_WORK_FACTOR, reason=Reason(code="enabling_work", params={"condition": pre.code})))
        elif [p for p in provided.get(pre.code, []) if p != module.id]:
            adjustments.append(Adjustment(factor=1.0, reason=Reason(code="needs_enabling_module", params={"condition": pre.code})))
        elif blocked is None:
            blocked = Reason(code="hard_prerequisite", params={"condition": pre.code})
    fit = base
    for adj in adjustments:
        fit *= adj.factor
    marginal = sum(c.points for c in contributions if c.relevance >= PRIMARY_RELEVANCE) < PRIMARY_POINTS
    return ModuleScore(module_id=module.id, domain=module.domain, fit=round(fit, 4), base=base,
                       contributions=sorted(contributions, key=lambda c: (-c.points, c.need)), adjustments=adjustments, blocked=blocked,
                       marginal=marginal, to_confirm=to_confirm)


def rank(catalog: Catalog, engagement: Engagement, states: Mapping[str, FactState] | None = None) -> list[ModuleScore]:
    """Every module's score, best first (ties broken by id so the order is stable)."""
    states = condition_states(engagement, catalog) if states is None else states
    provided = providers(catalog)
    scores = [score_module(m, engagement, states, provided) for m in catalog.modules.values()]
    return sorted(scores, key=lambda s: (-s.fit, s.module_id))
