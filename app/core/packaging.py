"""Package selection: an exact 0/1 optimisation that covers the partner's needs first, then total fit, under the budget.

Model (OR-Tools ``pywraplp``, CBC, SCIP as fallback). Each module has a binary ``x[m]`` (the full project) and,
when its catalog pilot is smaller than the project, ``p[m]`` (the pilot); ``use[m] = x[m] + p[m] ≤ 1``:

* maximise ``B·Σ w[n]·(½·c2[n] + c3[n] + BEST·q[n] + DEPTH·Σ_{m made for n} use[m]) + Σ value[m]·(x[m] + PILOT_FIT·p[m]) − ε·cost``
  over the serious and critical needs ``n`` (severity 4 or 5) the consultant confirmed, where ``c2[n]`` says that
  a selected module answers ``n`` at least in part (relevance 2 or more), ``c3[n]`` that a module made for it
  (relevance 3) does, ``q[n]`` is the quality of the best selected module made for it (its whole fit over the best
  fit among the modules made for ``n``; half that for a pilot; a continuous pick ``y[n,m] ≤ use[m]``, ``Σ y ≤ 1``
  takes the maximum exactly), the sum counts every module made for it (a pilot for ``PILOT_FIT``), ``w[n]`` is the
  need's weight (severity²/5) and ``B`` exceeds the value of the whole catalog. So the partner's severe needs come
  before anything else — each gets at least a pilot of a module that answers it whenever one fits, the best such
  module before cheaper lesser ones that would leave money for more modules, then the other modules made for it —
  and only then does the budget go to the value of what is left. ``value`` is the fit without the needs a
  module touches only loosely (relevance 1): a *marginal* module is worth 0 and enters only when it covers a need
  or another module needs it. ε breaks ties toward the cheaper package;
* a module has a pilot variant only when its full scope, or that of a module it is built on, does not fit the budget
  (``selection_problem``);
* budget: ``Σ capex_typical[m]·(1 + contingency)·x[m] + Σ pilot_capex[m]·(1 + contingency)·p[m] ≤ budget``;
* dependencies: ``use[m] ≤ use[d]`` for each ``d`` in ``m.depends_on`` (the city's existing systems count as there);
  built on a pilot, a module is a pilot too: ``x[m] ≤ x[d]`` when ``d`` has a pilot variant (city-wide routing does not
  run on thirty bin sensors);
* hard prerequisites known to be missing: ``use[m] ≤ Σ use[p]`` over the modules ``p`` that provide the condition;
* conflicts and alternatives: ``use[a] + use[b] ≤ 1``;
* required modules ``use = 1``; excluded, blocked and already-existing modules ``use = 0``.

Tiers: *Recommended* is the optimum at the budget; *Essential* is the best subset of it within half the
budget; *Comprehensive* extends it within twice the budget. So the three are nested and can be compared.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ortools.linear_solver import pywraplp

from app.core.catalog_checks import dependency_closure
from app.core.engagement import Engagement
from app.core.facts import condition_states, existing_modules
from app.core.models import Catalog
from app.core.recommendation import Exclusion, ModuleScore, MoneyRange, Reason, SolverStatus, Tier
from app.core.scoring import PRIMARY_RELEVANCE, need_weight
from app.core.vocab import INSTITUTIONAL_CONDITIONS, FactState
from app.errors import InfeasibleSelection

TIER_BUDGET_SHARE = {"essential": 0.5, "recommended": 1.0, "comprehensive": 2.0}
PILOT_FIT = 0.5  # a pilot is worth half the full project: the solver prefers the full project when it fits
MADE_FOR = 3  # the relevance of a module made for a need
DEPTH = 0.25  # each further module made for a severe need (relevance 3) counts a quarter of covering it
BEST = 2.0  # the quality of the best module made for a severe need (its fit relative to the best made for it) counts twice covering it
COVERAGE_MIN_SEVERITY = 4  # serious and critical needs are covered first; the others are served by value
UNCOVERED_REPORT_SEVERITY = 4  # an uncovered need of this severity or more is reported with the cheapest way to cover it
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
    pilot_cost: Mapping[str, float] = field(default_factory=dict)  # modules whose pilot is smaller than the project
    covers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # confirmed need → modules that answer it (relevance 2+)
    answers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # confirmed need → modules made for it (relevance 3)
    need_weight: Mapping[str, float] = field(default_factory=dict)  # confirmed need → weight of covering it
    existing: frozenset[str] = frozenset()  # modules the city already runs: never bought, their dependents may build on them
    merit: Mapping[str, float] = field(default_factory=dict)  # the module's whole fit, loose links included (default: fit)

    def cheapest(self, m: str) -> float:
        """The cost of the module's cheaper variant (its pilot when it has one)."""
        return min(self.cost[m], self.pilot_cost.get(m, self.cost[m]))


@dataclass(frozen=True)
class Solution:
    selected: tuple[str, ...]
    fit: float
    cost: float
    status: SolverStatus
    gap: float
    pilots: tuple[str, ...] = ()  # the selected modules taken at pilot scale
    covered: tuple[str, ...] = ()  # the confirmed needs some selected module answers


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
    p = {m: solver.BoolVar(f"p{i}") for i, m in enumerate(ids) if m in problem.pilot_cost}
    use = {m: x[m] + p[m] if m in p else x[m] for m in ids}
    must = set(problem.required) | set(include)
    for m in ids:
        if m in p:
            solver.Add(use[m] <= 1)
        if m in problem.forbidden or m in problem.existing or m not in allowed:
            solver.Add(use[m] == 0)
        if m in must:
            solver.Add(use[m] == 1)
        for d in problem.depends.get(m, ()):
            solver.Add(use[m] <= use[d]) if d in use else solver.Add(use[m] == 0)
            if d in p:  # built on a pilot, a module is a pilot too: its full scope needs the full dependency
                solver.Add(x[m] <= x[d])
        for group in problem.needs_one_of.get(m, ()):
            options = [use[q] for q in group if q in use]
            solver.Add(use[m] <= sum(options)) if options else solver.Add(use[m] == 0)
    for a, b in problem.exclusive:
        if a in use and b in use:
            solver.Add(use[a] + use[b] <= 1)
    spend = sum(problem.cost[m] * x[m] for m in ids) + sum(problem.pilot_cost[m] * p[m] for m in p)
    solver.Add(spend <= budget)
    scale = sum(problem.cost.values()) or 1.0
    value = sum(problem.fit[m] * x[m] for m in ids) + sum(PILOT_FIT * problem.fit[m] * p[m] for m in p)
    coverage_terms = []
    for level, (links, weight) in enumerate(((problem.covers, 0.5), (problem.answers, 1.0))):
        for i, (need, modules) in enumerate(sorted(links.items())):
            answering = [use[m] for m in modules if m in use]
            if answering and problem.need_weight.get(need, 0) > 0:
                covered = solver.BoolVar(f"c{level}_{i}")
                solver.Add(covered <= sum(answering))
                coverage_terms.append(weight * problem.need_weight[need] * covered)
    for i, (need, modules) in enumerate(sorted(problem.answers.items())):  # quality: the best module chosen for the need
        made_for = [m for m in modules if m in x]
        merit = {m: problem.merit.get(m, problem.fit[m]) for m in made_for}
        top = max(merit.values(), default=0.0)
        if top <= 0 or problem.need_weight.get(need, 0) <= 0:
            continue
        picks = []
        for m in made_for:
            for kind, var, share in (("f", x[m], 1.0), ("p", p.get(m), PILOT_FIT)):
                if var is None:
                    continue
                y = solver.NumVar(0.0, 1.0, f"b{kind}{i}_{m}")
                solver.Add(y <= var)
                picks.append((y, share * max(merit[m], 0.0) / top))
        solver.Add(sum(y for y, _ in picks) <= 1)
        coverage_terms.append(BEST * problem.need_weight[need] * sum(q * y for y, q in picks))
    for need, modules in sorted(problem.answers.items()):  # depth: every module made for a severe need adds to it
        coverage_terms += [DEPTH * problem.need_weight.get(need, 0) * (x[m] + PILOT_FIT * p[m] if m in p else x[m])
                           for m in modules if m in x]
    big = 1.0 + sum(max(f, 0.0) for f in problem.fit.values())
    coverage = big * sum(coverage_terms)
    solver.Maximize(coverage + value - EPSILON * spend / scale)
    result = solver.Solve()
    if result not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
        return Solution(selected=(), fit=0.0, cost=0.0, status="infeasible", gap=0.0)
    pilots = tuple(m for m in p if p[m].solution_value() > 0.5)
    selected = tuple(m for m in ids if x[m].solution_value() > 0.5 or m in pilots)
    objective = solver.Objective().Value()
    bound = solver.Objective().BestBound()
    gap = 0.0 if result == pywraplp.Solver.OPTIMAL else abs(bound - objective) / max(abs(objective), 1e-9)
    chosen = set(selected)
    covered = tuple(n for n, modules in sorted(problem.covers.items()) if chosen & set(modules))
    return Solution(selected=selected, fit=sum(problem.fit[m] * (PILOT_FIT if m in pilots else 1.0) for m in selected),
                    cost=sum(problem.pilot_cost[m] if m in pilots else problem.cost[m] for m in selected),
                    status="optimal" if result == pywraplp.Solver.OPTIMAL else "feasible", gap=round(gap, 6),
                    pilots=pilots, covered=covered)


def package_value(score: ModuleScore) -> float:
    """What a module is worth in a package for its own sake: its fit for the needs it is made for (relevance 3) and
    the hazards it addresses. A module that only helps with a need (relevance 1 or 2) enters a package only to cover
    a severe need nothing made for it can, or because another module needs it: otherwise every module loosely
    linked to a critical need would crowd out the one made for it. A marginal module is worth nothing."""
    if score.marginal or score.base <= 0:
        return 0.0
    loose = sum(c.points for c in score.contributions if c.relevance < MADE_FOR)
    return score.fit * (score.base - loose) / score.base


def build_problem(catalog: Catalog, engagement: Engagement, scores: list[ModuleScore], cost_usd: Mapping[str, float],
                  pilot_cost_usd: Mapping[str, float] | None = None, states: Mapping[str, FactState] | None = None) -> Problem:
    """Translate catalog rules, readiness, the city's existing systems and the consultant's choices into a selection
    instance."""
    states = condition_states(engagement, catalog) if states is None else states
    existing = set(existing_modules(engagement, catalog))
    by_id = {s.module_id: s for s in scores}
    needs_one_of: dict[str, tuple[tuple[str, ...], ...]] = {}
    for mod in catalog.modules.values():
        groups = []
        for pre in mod.prerequisites:
            if pre.severity == "hard" and states.get(pre.code) == "no" and pre.code not in INSTITUTIONAL_CONDITIONS:
                groups.append(tuple(sorted(p.id for p in catalog.modules.values() if pre.code in p.provides and p.id != mod.id)))
        if groups:
            needs_one_of[mod.id] = tuple(groups)
    exclusive = sorted({(min(m.id, o), max(m.id, o)) for m in catalog.modules.values() for o in (*m.conflicts, *m.alternatives)})
    blocked = {s.module_id for s in scores if s.blocked is not None} - set(engagement.required_modules)
    usable = {m for m in catalog.modules if m not in blocked and m not in existing and m not in engagement.excluded_modules}
    covers = {
        code: tuple(sorted(m.id for m in catalog.modules.values() if m.relevance(code) >= PRIMARY_RELEVANCE and m.id in usable))
        for code, need in engagement.needs.items() if need.severity >= COVERAGE_MIN_SEVERITY
    }
    return Problem(
        fit={m: package_value(by_id[m]) for m in catalog.modules},
        merit={m: by_id[m].fit for m in catalog.modules},
        cost=dict(cost_usd),
        depends={m.id: tuple(d for d in m.depends_on if d not in existing) for m in catalog.modules.values()},
        needs_one_of=needs_one_of,
        exclusive=tuple(exclusive),
        required=frozenset(engagement.required_modules),
        forbidden=frozenset(engagement.excluded_modules) | frozenset(blocked),
        existing=frozenset(existing - set(engagement.required_modules)),
        pilot_cost=dict(pilot_cost_usd or {}),
        covers={code: mods for code, mods in covers.items() if mods},
        answers={code: tuple(m for m in mods if catalog.modules[m].relevance(code) >= MADE_FOR) for code, mods in covers.items()
                 if any(catalog.modules[m].relevance(code) >= MADE_FOR for m in mods)},
        need_weight={code: need_weight(engagement.needs[code].severity) for code in covers},
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
            name=name, budget_usd=tier_budget, module_ids=list(sol.selected), pilots=list(sol.pilots), covered=list(sol.covered),
            added_for=_added_for(sol.selected, catalog, problem),
            fit=sol.fit, capex=MoneyRange(min=0, typical=sol.cost, max=0, currency="USD"), status=sol.status, gap=sol.gap, note=note,
        ))
    return out


def _enabling_set(m: str, catalog: Catalog, problem: Problem, chosen: set[str]) -> list[str]:
    """What ``m`` needs that is not in ``chosen``: its dependencies and the cheapest provider of each missing condition."""
    extra = dependency_closure(m, catalog.modules) - chosen - {m}
    extra -= problem.existing
    for group in problem.needs_one_of.get(m, ()):
        if group and not set(group) & chosen:
            extra.add(min(group, key=lambda q: (problem.cheapest(q), q)))
    return sorted(extra)


def cheapest_way(m: str, catalog: Catalog, problem: Problem) -> tuple[float, bool, list[str]]:
    """The least the module costs with everything it needs (at pilot scale where there is one): cost, whether it is
    the pilot, and the enabling modules."""
    enablers = _enabling_set(m, catalog, problem, set())
    return problem.cheapest(m) + sum(problem.cheapest(e) for e in enablers), m in problem.pilot_cost, enablers


def uncovered(catalog: Catalog, engagement: Engagement, problem: Problem, selected: Iterable[str]) -> list[Reason]:
    """Each confirmed need of severity 4 or more that no selected module answers, with the cheapest way to answer it."""
    chosen = set(selected)
    out = []
    for code, need in sorted(engagement.needs.items(), key=lambda kv: (-kv[1].severity, kv[0])):
        if need.severity < UNCOVERED_REPORT_SEVERITY:
            continue
        if chosen & {m.id for m in catalog.modules.values() if m.relevance(code) >= MADE_FOR}:
            continue
        if chosen & {m.id for m in catalog.modules.values() if m.relevance(code) >= PRIMARY_RELEVANCE}:
            made_for = cheapest_answer(code, need.severity, catalog, problem, MADE_FOR)
            if made_for.code != "uncovered_no_module":  # answered in part; the module made for it did not fit
                out.append(made_for.model_copy(update={"code": "partly_" + made_for.code}))
            continue
        out.append(cheapest_answer(code, need.severity, catalog, problem))
    return out


def cheapest_answer(code: str, severity: int, catalog: Catalog, problem: Problem, relevance: int = PRIMARY_RELEVANCE) -> Reason:
    """The cheapest module (at pilot scale where it has one, with what it needs) that answers the need."""
    options = [m.id for m in catalog.modules.values() if m.relevance(code) >= relevance
               and m.id not in problem.forbidden and m.id not in problem.existing]
    if not options:
        return Reason(code="uncovered_no_module", params={"need": code, "severity": severity})
    best = min(options, key=lambda m: (cheapest_way(m, catalog, problem)[0], m))
    cost, pilot, enablers = cheapest_way(best, catalog, problem)
    return Reason(code="uncovered_pilot" if pilot else "uncovered", params={
        "need": code, "severity": severity, "module": best, "cost_usd": round(cost), "enablers": ", ".join(enablers)})


def why_not(catalog: Catalog, engagement: Engagement, problem: Problem, scores: list[ModuleScore], selected: Iterable[str],
            budget_usd: float, pilots: Iterable[str] = ()) -> list[Exclusion]:
    """For every module with a positive fit that was left out, the first reason that explains it.

    Cost is compared with the whole budget first (the module with what it needs that is not selected, naming those
    enabling modules); only a module that would fit the whole budget is said to lose to higher priorities."""
    pilots = set(pilots)
    chosen = set(selected)
    spent = sum(problem.pilot_cost[m] if m in pilots else problem.cost[m] for m in chosen)
    remaining = budget_usd - spent
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
        elif m in problem.existing:
            reason = Reason(code="already_in_place")
        elif s.marginal:
            reason = Reason(code="marginal_fit")
        elif (bad := [d for d in sorted(dependency_closure(m, catalog.modules) - {m}) if d in problem.forbidden]):
            reason = Reason(code="dependency_unavailable", params={"dependency": bad[0]})
        elif (clash := sorted(c for c in chosen if (m, c) in problem.exclusive or (c, m) in problem.exclusive)):
            code = "alternative_to" if clash[0] in mod.alternatives or m in catalog.modules[clash[0]].alternatives else "conflicts_with"
            reason = Reason(code=code, params={"module": clash[0]})
        else:
            enablers = _enabling_set(m, catalog, problem, chosen)
            cost = problem.cost[m] + sum(problem.cost[e] for e in enablers)
            # the least it could cost: at its pilot scale when it has one (never more than the full scope)
            least = problem.pilot_cost[m] + sum(problem.cheapest(e) for e in enablers) if m in problem.pilot_cost else cost
            params: dict[str, str | float | int] = {"cost_usd": round(cost), "budget_usd": round(budget_usd),
                                                    "enablers": ", ".join(enablers)}
            if least > budget_usd:
                reason = Reason(code="over_budget_with" if enablers else "over_budget", params=params)
            elif least > remaining:
                reason = Reason(code="budget_committed", params={**params, "cost_usd": round(least), "remaining_usd": round(max(remaining, 0))})
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
