"""Package selection: an exact 0/1 optimisation of total fit under the budget, and the tiers built on it.

Model (OR-Tools ``pywraplp``, CBC, SCIP as fallback), one binary ``x[m]`` per module:

* maximise ``Σ fit[m]·x[m] − ε·Σ cost[m]·x[m]`` (ε breaks ties toward the cheaper package; a *marginal*
  module counts 0, so it enters only when another module needs it);
* budget: ``Σ capex_typical[m]·(1 + contingency)·x[m] ≤ budget``;
* dependencies: ``x[m] ≤ x[d]`` for each ``d`` in ``m.depends_on``;
* unmet hard prerequisites: ``x[m] ≤ Σ x[p]`` over the modules ``p`` that provide the condition;
* conflicts and alternatives: ``x[a] + x[b] ≤ 1``;
* required modules ``x = 1``; excluded and blocked modules ``x = 0``.

Tiers: *Recommended* is the optimum at the budget; *Essential* is the best subset of it within half the
budget; *Comprehensive* extends it within twice the budget. So the three are nested and can be compared.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ortools.linear_solver import pywraplp

from app.core.catalog_checks import dependency_closure
from app.core.engagement import Engagement
from app.core.models import Catalog
from app.core.recommendation import Exclusion, ModuleScore, MoneyRange, Reason, SolverStatus, Tier
from app.core.vocab import INSTITUTIONAL_CONDITIONS
from app.errors import InfeasibleSelection

TIER_BUDGET_SHARE = {"essential": 0.5, "recommended": 1.0, "comprehensive": 2.0}
TIME_LIMIT_S = 10.0  # for the three tiers together: 60 % Recommended, 20 % each for the others
TIME_SHARE = {"recommended": 0.6, "essential": 0.2, "comprehensive": 0.2}
EPSILON = 1e-3
# CBC and SCIP both ship in the ortools wheel; CBC proved optimality faster on our instances (see `make bench`).
SOLVERS = ("CBC", "SCIP")


@dataclass(frozen=True)
class Problem:
    """A selection instance, independent of the catalog (so benchmarks can build large ones)."""

    fit: Mapping[str, float]
    cost: Mapping[str, float]
    depends: Mapping[str, tuple[str, ...]]
    needs_one_of: Mapping[str, tuple[tuple[str, ...], ...]]  # module → groups of providers, one of each needed
    exclusive: tuple[tuple[str, str], ...]
    required: frozenset[str]
    forbidden: frozenset[str]


@dataclass(frozen=True)
class Solution:
    selected: tuple[str, ...]
    fit: float
    cost: float
    status: SolverStatus
    gap: float


def solve(problem: Problem, budget: float, within: Iterable[str] | None = None, include: Iterable[str] = (),
          time_limit_s: float = TIME_LIMIT_S, solvers: tuple[str, ...] = SOLVERS) -> Solution:
    """Best selection under ``budget``; optionally only among ``within`` and always containing ``include``."""
    solver = next((s for name in solvers if (s := pywraplp.Solver.CreateSolver(name)) is not None), None)
    if solver is None:  # pragma: no cover - both ship inside the ortools wheel
        raise RuntimeError(f"none of the MIP solvers {solvers} is available in ortools")
    solver.SetTimeLimit(int(time_limit_s * 1000))
    solver.SetNumThreads(1)
    allowed = set(problem.fit) if within is None else set(within)
    ids = sorted(problem.fit)
    x = {m: solver.BoolVar(f"x{i}") for i, m in enumerate(ids)}
    must = set(problem.required) | set(include)
    for m in ids:
        if m in problem.forbidden or m not in allowed:
            solver.Add(x[m] == 0)
        if m in must:
            solver.Add(x[m] == 1)
        for d in problem.depends.get(m, ()):
            solver.Add(x[m] <= x[d]) if d in x else solver.Add(x[m] == 0)
        for group in problem.needs_one_of.get(m, ()):
            options = [x[p] for p in group if p in x]
            solver.Add(x[m] <= sum(options)) if options else solver.Add(x[m] == 0)
    for a, b in problem.exclusive:
        if a in x and b in x:
            solver.Add(x[a] + x[b] <= 1)
    solver.Add(sum(problem.cost[m] * x[m] for m in ids) <= budget)
    scale = sum(problem.cost.values()) or 1.0
    solver.Maximize(sum((problem.fit[m] - EPSILON * problem.cost[m] / scale) * x[m] for m in ids))
    result = solver.Solve()
    if result not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
        return Solution(selected=(), fit=0.0, cost=0.0, status="infeasible", gap=0.0)
    selected = tuple(m for m in ids if x[m].solution_value() > 0.5)
    value = solver.Objective().Value()
    bound = solver.Objective().BestBound()
    gap = 0.0 if result == pywraplp.Solver.OPTIMAL else abs(bound - value) / max(abs(value), 1e-9)
    return Solution(selected=selected, fit=sum(problem.fit[m] for m in selected),
                    cost=sum(problem.cost[m] for m in selected),
                    status="optimal" if result == pywraplp.Solver.OPTIMAL else "feasible", gap=round(gap, 6))


def build_problem(catalog: Catalog, engagement: Engagement, scores: list[ModuleScore], cost_usd: Mapping[str, float]) -> Problem:
    """Translate catalog rules, readiness and the consultant's choices into a selection instance."""
    conditions = engagement.readiness.conditions()
    by_id = {s.module_id: s for s in scores}
    needs_one_of: dict[str, tuple[tuple[str, ...], ...]] = {}
    for mod in catalog.modules.values():
        groups = []
        for pre in mod.prerequisites:
            if pre.severity == "hard" and pre.code not in conditions and pre.code not in INSTITUTIONAL_CONDITIONS:
                groups.append(tuple(sorted(p.id for p in catalog.modules.values() if pre.code in p.provides and p.id != mod.id)))
        if groups:
            needs_one_of[mod.id] = tuple(groups)
    exclusive = sorted({(min(m.id, o), max(m.id, o)) for m in catalog.modules.values() for o in (*m.conflicts, *m.alternatives)})
    blocked = {s.module_id for s in scores if s.blocked is not None} - set(engagement.required_modules)
    return Problem(
        fit={m: 0.0 if by_id[m].marginal else by_id[m].fit for m in catalog.modules},
        cost=dict(cost_usd),
        depends={m.id: tuple(m.depends_on) for m in catalog.modules.values()},
        needs_one_of=needs_one_of,
        exclusive=tuple(exclusive),
        required=frozenset(engagement.required_modules),
        forbidden=frozenset(engagement.excluded_modules) | frozenset(blocked),
    )


def check_required(problem: Problem) -> None:
    """Raise ``InfeasibleSelection`` when the required modules can never be selected together."""
    for a, b in problem.exclusive:
        if a in problem.required and b in problem.required:
            raise InfeasibleSelection(f"required modules {a} and {b} cannot be deployed together (conflict or alternative)")
    if not problem.required:
        return
    check = solve(problem, budget=float("inf") if not problem.cost else sum(problem.cost.values()) + 1)
    if check.status == "infeasible":
        raise InfeasibleSelection(
            "the required modules cannot be selected together: one of them, or something it depends on, is excluded, "
            "blocked or conflicts with another requirement")


def _added_for(selected: Iterable[str], catalog: Catalog, problem: Problem) -> dict[str, Reason]:
    chosen = set(selected)
    out: dict[str, Reason] = {}
    for m in sorted(chosen):
        for d in catalog.modules[m].depends_on:
            if d in chosen and problem.fit[d] <= 0 and d not in out:
                out[d] = Reason(code="dependency_of", params={"module": m})
        for group in problem.needs_one_of.get(m, ()):
            for p in group:
                if p in chosen and problem.fit[p] <= 0 and p not in out:
                    out[p] = Reason(code="enables", params={"module": m})
    for m in sorted(chosen & problem.required):
        out.setdefault(m, Reason(code="required_by_consultant"))
    return out


def tiers(catalog: Catalog, engagement: Engagement, problem: Problem, budget_usd: float,
          time_limit_s: float = TIME_LIMIT_S) -> list[Tier]:
    """Essential ⊆ Recommended ⊆ Comprehensive, each with fit, typical cost, solver status and gap."""
    check_required(problem)
    limit = {name: time_limit_s * share for name, share in TIME_SHARE.items()}
    rec = solve(problem, budget_usd, time_limit_s=limit["recommended"])
    ess = solve(problem, budget_usd * TIER_BUDGET_SHARE["essential"], within=rec.selected, time_limit_s=limit["essential"])
    com = solve(problem, budget_usd * TIER_BUDGET_SHARE["comprehensive"], include=rec.selected, time_limit_s=limit["comprehensive"])
    out = []
    for name, sol in (("essential", ess), ("recommended", rec), ("comprehensive", com)):
        tier_budget = budget_usd * TIER_BUDGET_SHARE[name]
        note = None
        if sol.status == "infeasible":
            required_cost = sum(problem.cost[m] for m in problem.required)
            note = Reason(code="required_over_budget", params={"required_usd": round(required_cost), "budget_usd": round(tier_budget)})
        out.append(Tier(
            name=name, budget_usd=tier_budget, module_ids=list(sol.selected), added_for=_added_for(sol.selected, catalog, problem),
            fit=sol.fit, capex=MoneyRange(min=0, typical=sol.cost, max=0, currency="USD"), status=sol.status, gap=sol.gap, note=note,
        ))
    return out


def why_not(catalog: Catalog, engagement: Engagement, problem: Problem, scores: list[ModuleScore], selected: Iterable[str],
            budget_usd: float) -> list[Exclusion]:
    """For every module with a positive fit that was left out, the first reason that explains it."""
    chosen = set(selected)
    remaining = budget_usd - sum(problem.cost[m] for m in chosen)
    out = []
    for s in scores:
        m = s.module_id
        if m in chosen or s.fit <= 0:
            continue
        mod = catalog.modules[m]
        reason: Reason
        if m in engagement.excluded_modules:
            reason = Reason(code="excluded_by_consultant")
        elif s.blocked is not None:
            reason = s.blocked
        elif s.marginal:
            reason = Reason(code="marginal_fit")
        elif (bad := [d for d in sorted(dependency_closure(m, catalog.modules) - {m}) if d in problem.forbidden]):
            reason = Reason(code="dependency_unavailable", params={"dependency": bad[0]})
        elif (clash := sorted(c for c in chosen if (m, c) in problem.exclusive or (c, m) in problem.exclusive)):
            code = "alternative_to" if clash[0] in mod.alternatives or m in catalog.modules[clash[0]].alternatives else "conflicts_with"
            reason = Reason(code=code, params={"module": clash[0]})
        else:
            extra = (dependency_closure(m, catalog.modules) - chosen) | {m}
            for group in problem.needs_one_of.get(m, ()):
                if not set(group) & chosen and group:
                    extra.add(min(group, key=lambda p: problem.cost[p]))
            cost = sum(problem.cost[x] for x in extra)
            if cost > remaining:
                reason = Reason(code="over_budget", params={"cost_usd": round(cost), "remaining_usd": round(max(remaining, 0)),
                                                            "over_by_usd": round(cost - max(remaining, 0))})
            else:
                reason = Reason(code="lower_priority")
        out.append(Exclusion(module_id=m, fit=s.fit, reason=reason))
    return out


def clash(catalog: Catalog, module_id: str, selected: Iterable[str]) -> Reason | None:
    """Why ``module_id`` cannot join ``selected``: the first selected module it conflicts with or replaces."""
    mod = catalog.modules[module_id]
    for other in selected:
        o = catalog.modules[other]
        if other in mod.alternatives or module_id in o.alternatives:
            return Reason(code="alternative_to", params={"module": other})
        if other in mod.conflicts or module_id in o.conflicts:
            return Reason(code="conflicts_with", params={"module": other})
    return None


def requiring(catalog: Catalog, module_id: str, required: Iterable[str]) -> list[str]:
    """The required modules that cannot run without ``module_id`` (it is in their dependency closure)."""
    return [m for m in required if m != module_id and module_id in dependency_closure(m, catalog.modules)]
