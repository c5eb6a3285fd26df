"""How the exact selection orders its priorities inside a severe need: the best module made for it before a cheaper,
lesser one, and a module built on a pilot stays a pilot. Instances are written directly as ``packaging.Problem``
(budget in millions of US dollars) so that each rule is seen without the catalog's noise."""

from __future__ import annotations

from app.core import packaging

FLOOD, RESPONSE = "saf.flood", "saf.emergency_response"


def flood_problem(**overrides) -> packaging.Problem:
    """Flooding (severity 5) answered by a warning system (the better fit, only its pilot fits) or a cheap sewer-sensor
    pilot; emergency response (severity 4) by three modules that the money left by the sensor pilot would buy."""
    values = dict(
        fit={"warning": 19.0, "sewer-sensors": 20.0, "control-room": 11.6, "hotline": 11.0, "drones": 11.0},
        merit={"warning": 27.0, "sewer-sensors": 20.3, "control-room": 16.6, "hotline": 11.0, "drones": 15.8},
        cost={"warning": 3.45, "sewer-sensors": 4.96, "control-room": 0.97, "hotline": 0.32, "drones": 3.64},
        pilot_cost={"warning": 1.725, "sewer-sensors": 0.08, "drones": 0.29},
        depends={"hotline": ("control-room",)}, needs_one_of={}, exclusive=(), required=frozenset(), forbidden=frozenset(),
        covers={FLOOD: ("sewer-sensors", "warning"), RESPONSE: ("control-room", "drones", "hotline", "warning")},
        answers={FLOOD: ("sewer-sensors", "warning"), RESPONSE: ("control-room", "drones", "hotline")},
        need_weight={FLOOD: 5.0, RESPONSE: 3.2},
    )
    return packaging.Problem(**{**values, **overrides})


def test_the_best_module_made_for_the_most_severe_need_beats_a_cheap_lesser_one_that_frees_money_for_more_modules():
    solution = packaging.solve(flood_problem(), budget=3.0)
    assert "warning" in solution.selected and "warning" in solution.pilots
    assert "control-room" in solution.selected  # the second need is still covered by the best module made for it
    assert solution.cost <= 3.0


def test_without_a_better_fit_the_cheaper_module_made_for_the_need_is_enough():
    # the same instance where the warning system is no better a fit than the sensors: counting modules decides again
    problem = flood_problem(merit={"warning": 20.3, "sewer-sensors": 20.3, "control-room": 16.6, "hotline": 11.0, "drones": 15.8})
    solution = packaging.solve(problem, budget=3.0)
    assert "sewer-sensors" in solution.selected and "warning" not in solution.selected


WASTE = "env.solid_waste"


def waste_problem() -> packaging.Problem:
    """Solid waste (severity 5) with a KRW 0.4 bn-sized budget: fill sensors (only their pilot fits), routing built on
    the sensors (its whole scope fits) and compacting bins (only their pilot fits)."""
    return packaging.Problem(
        fit={"fill-sensors": 14.25, "routing": 14.25, "compacting-bins": 15.0},
        cost={"fill-sensors": 0.447, "routing": 0.243, "compacting-bins": 2.385},
        pilot_cost={"fill-sensors": 0.010, "compacting-bins": 0.267},
        depends={"routing": ("fill-sensors",)}, needs_one_of={}, exclusive=(), required=frozenset(), forbidden=frozenset(),
        covers={WASTE: ("compacting-bins", "fill-sensors", "routing")},
        answers={WASTE: ("compacting-bins", "fill-sensors", "routing")},
        need_weight={WASTE: 5.0},
    )


def test_a_module_built_on_a_pilot_is_not_bought_at_full_scope():
    solution = packaging.solve(waste_problem(), budget=0.281)
    assert "fill-sensors" in solution.pilots
    assert "routing" not in solution.selected  # city-wide routing cannot run on 30 sensors
    assert set(solution.selected) == {"fill-sensors", "compacting-bins"} and solution.cost <= 0.281


def test_a_module_built_on_a_pilot_may_join_as_a_pilot_itself():
    problem = waste_problem()
    problem = packaging.Problem(**{**problem.__dict__, "pilot_cost": {**problem.pilot_cost, "routing": 0.05}})
    solution = packaging.solve(problem, budget=0.1)  # too little for the bins' pilot
    assert set(solution.pilots) == {"fill-sensors", "routing"}


def test_once_the_dependency_is_bought_whole_the_module_built_on_it_may_be_whole_too():
    solution = packaging.solve(waste_problem(), budget=0.75)
    assert {"fill-sensors", "routing"} <= set(solution.selected)
    assert "fill-sensors" not in solution.pilots and "routing" not in solution.pilots
