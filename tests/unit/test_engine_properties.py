"""Properties of selection and scoring that must hold for any input (hypothesis)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core import packaging, scoring
from app.core.engagement import parse_engagement

# The objective's tie-break (ε·cost, at most EPSILON in total) may trade away less than EPSILON of fit.
TOL = packaging.EPSILON
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@st.composite
def problems(draw):
    n = draw(st.integers(min_value=2, max_value=12))
    ids = [f"m{i:02d}" for i in range(n)]
    fit = {m: draw(st.floats(min_value=0, max_value=50, allow_nan=False)) for m in ids}
    cost = {m: draw(st.floats(min_value=1, max_value=100, allow_nan=False)) for m in ids}
    # dependencies only point to lower indices: no cycles
    depends = {m: tuple(sorted(set(draw(st.lists(st.sampled_from(ids[:i]), max_size=2))))) if i else () for i, m in enumerate(ids)}
    pairs = draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=3))
    exclusive = tuple(sorted({tuple(sorted(p)) for p in pairs if p[0] != p[1]}))
    return packaging.Problem(fit=fit, cost=cost, depends=depends, needs_one_of={}, exclusive=exclusive,
                             required=frozenset(), forbidden=frozenset())


budgets = st.floats(min_value=0, max_value=600, allow_nan=False)


@FAST
@given(problems(), budgets)
def test_selection_never_exceeds_the_budget(problem, budget):
    sol = packaging.solve(problem, budget)
    assert sum(problem.cost[m] for m in sol.selected) <= budget + 1e-6


@FAST
@given(problems(), budgets)
def test_every_selected_module_has_its_dependencies(problem, budget):
    chosen = set(packaging.solve(problem, budget).selected)
    assert all(set(problem.depends[m]) <= chosen for m in chosen)


@FAST
@given(problems(), budgets)
def test_no_two_conflicting_modules_are_selected_together(problem, budget):
    chosen = set(packaging.solve(problem, budget).selected)
    assert not any(a in chosen and b in chosen for a, b in problem.exclusive)


@FAST
@given(problems(), budgets, st.floats(min_value=0, max_value=300, allow_nan=False))
def test_raising_the_budget_never_lowers_the_optimal_fit(problem, budget, extra):
    low, high = packaging.solve(problem, budget), packaging.solve(problem, budget + extra)
    assert low.status == high.status == "optimal"
    assert high.fit >= low.fit - TOL


@FAST
@given(problems(), budgets)
def test_optimum_is_at_least_as_good_as_any_single_affordable_closed_module(problem, budget):
    sol = packaging.solve(problem, budget)
    for m in problem.fit:
        closure, todo = set(), [m]
        while todo:
            x = todo.pop()
            if x not in closure:
                closure.add(x)
                todo.extend(problem.depends[x])
        conflicting = any(a in closure and b in closure for a, b in problem.exclusive)
        if not conflicting and sum(problem.cost[x] for x in closure) <= budget:
            assert sol.fit >= sum(problem.fit[x] for x in closure) - TOL


@FAST
@given(problems(), budgets)
def test_same_problem_gives_the_same_selection(problem, budget):
    assert packaging.solve(problem, budget) == packaging.solve(problem, budget)


def _engagement(catalog, severities):
    return parse_engagement({
        "country": "VNM", "city": "X", "population": 500_000, "area_km2": 100, "project_type": "brownfield_retrofit",
        "needs": {code: {"severity": s} for code, s in severities.items()}, "budget": {"amount": 1e6},
    }, catalog)


severity = st.integers(min_value=1, max_value=5)


@FAST
@given(st.dictionaries(st.sampled_from(["mob.congestion", "mob.parking", "saf.crime"]), severity, min_size=1),
       st.sampled_from(["mob.congestion", "mob.parking", "saf.crime"]), st.integers(min_value=1, max_value=4))
def test_raising_a_need_severity_never_lowers_a_module_fit(tiny_catalog, severities, need, raise_by):
    before = {s.module_id: s.fit for s in scoring.rank(tiny_catalog, _engagement(tiny_catalog, severities))}
    raised = dict(severities)
    raised[need] = min(5, raised.get(need, 1) + raise_by)
    after = {s.module_id: s.fit for s in scoring.rank(tiny_catalog, _engagement(tiny_catalog, raised))}
    assert all(after[m] >= before[m] - 1e-9 for m in before)
