"""Phasing a selection into a roadmap a planner would draw: planning → pilot → gate → phase 1 → phase 2 → phase 3.

Rules (stated so that a consultant can explain them):

* the **planning** study (master plan or feasibility study, ``PLANNING_MONTHS``) comes first: what the K-City
  Network planning type pays for; the smart-city master plan module, when selected, is that study;
* the **pilot** then holds the modules taken at their pilot scale and what they need; when no module is at pilot
  scale there is no pilot phase (a full city-wide build is never called a pilot), and phase 1 follows the study;
* a **gate** follows the pilot: scaling up starts only when the pilot has run (its design, build and pilot months),
  because the later phases are conditional on its results;
* the other modules are scaled up in **phases 1, 2, 3**, numbered in order, by dependency level: a module whose
  dependencies are all built earlier goes in an earlier phase; a phase starts at the gate or when the previous
  phase's modules are built, and never before what a module depends on is built;
* each module lasts design + build + pilot months from the catalog; anything ending after the horizon is flagged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from app.core.engagement import Engagement
from app.core.models import Catalog
from app.core.recommendation import Roadmap, RoadmapItem

PLANNING_MONTHS = 6
PLANNING_MODULES = ("smart-city-masterplan",)  # a selected master plan is the planning study itself
SCALE_UP = ("phase_1", "phase_2", "phase_3")
PHASE_ORDER = ("planning", "pilot", *SCALE_UP)


def add_months(start: dt.date, months: int) -> dt.date:
    year, month = divmod(start.month - 1 + months, 12)
    return dt.date(start.year + year, month + 1, min(start.day, 28))


def _levels(selected: list[str], catalog: Catalog, enablers: Mapping[str, list[str]]) -> dict[str, int]:
    chosen = set(selected)
    level: dict[str, int] = {}

    def visit(m: str, stack: tuple[str, ...] = ()) -> int:
        if m in level:
            return level[m]
        needs = [d for d in (*catalog.modules[m].depends_on, *enablers.get(m, ())) if d in chosen and d not in stack]
        level[m] = 0 if not needs else 1 + max(visit(d, (*stack, m)) for d in needs)
        return level[m]

    for m in selected:
        visit(m)
    return level


def _with_prerequisites(modules: set[str], selected: list[str], catalog: Catalog, enablers: Mapping[str, list[str]]) -> set[str]:
    out: set[str] = set()
    todo = list(modules)
    while todo:
        m = todo.pop()
        if m in out or m not in selected:
            continue
        out.add(m)
        todo += [*catalog.modules[m].depends_on, *enablers.get(m, ())]
    return out


def _phases(selected: list[str], catalog: Catalog, fit: Mapping[str, float], enablers: Mapping[str, list[str]],
            pilots: list[str]) -> dict[str, str]:
    levels = _levels(selected, catalog, enablers)
    planning = {m for m in selected if m in PLANNING_MODULES}
    rest = [m for m in selected if m not in planning]
    pilot = _with_prerequisites(set(pilots), rest, catalog, enablers) if pilots else set()
    later = sorted({levels[m] for m in rest if m not in pilot})
    number = {lvl: SCALE_UP[min(i, len(SCALE_UP) - 1)] for i, lvl in enumerate(later)}  # consecutive: no Phase 2 without a Phase 1
    return {m: "planning" if m in planning else "pilot" if m in pilot else number[levels[m]] for m in selected}


def plan(selected: list[str], catalog: Catalog, engagement: Engagement, fit: Mapping[str, float],
         enablers: Mapping[str, list[str]] | None = None, pilots: list[str] | None = None) -> Roadmap:
    """Phase and schedule ``selected``; ``enablers`` maps a module to the selected modules enabling it; ``pilots`` are
    the modules taken at pilot scale."""
    enablers = enablers or {}
    phase = _phases(selected, catalog, fit, enablers, pilots or [])
    levels = _levels(selected, catalog, enablers)
    horizon = engagement.horizon_years * 12
    built: dict[str, int] = {}
    ended: dict[str, int] = {}
    items: list[RoadmapItem] = []
    opens = {"planning": 0, "pilot": PLANNING_MONTHS}
    for name in PHASE_ORDER:
        members = sorted((m for m in selected if phase[m] == name), key=lambda m: (levels[m], -fit.get(m, 0), m))
        if name not in opens:  # a scale-up phase opens at the gate after the pilot, or when the phase before is built
            previous = [m for m in selected if PHASE_ORDER.index(phase[m]) < PHASE_ORDER.index(name)]
            gate = max((ended[m] for m in selected if phase[m] == "pilot"), default=PLANNING_MONTHS)
            opens[name] = max([gate, *(built[m] for m in previous if phase[m] in SCALE_UP)])
        for m in members:
            months = catalog.modules[m].implementation_months
            deps = [d for d in (*catalog.modules[m].depends_on, *enablers.get(m, ())) if d in built]
            start = max([opens[name], *(built[d] for d in deps)])
            built[m] = start + months.design + months.build
            ended[m] = start + months.total
            items.append(RoadmapItem(
                module_id=m, phase=name, start_month=start, design_months=months.design, build_months=months.build,
                pilot_months=months.pilot, start=add_months(engagement.start_date, start),
                end=add_months(engagement.start_date, ended[m]), beyond_horizon=ended[m] > horizon,
            ))
    items.sort(key=lambda i: (PHASE_ORDER.index(i.phase), i.start_month, i.module_id))
    phases: dict[str, tuple[int, int]] = {}
    if not any(i.phase == "planning" for i in items):
        phases["planning"] = (0, PLANNING_MONTHS)
    for item in items:
        first, last = phases.get(item.phase, (item.start_month, item.end_month))
        phases[item.phase] = (min(first, item.start_month), max(last, item.end_month))
    return Roadmap(start_date=engagement.start_date, horizon_months=horizon, items=items,
                   phases=dict(sorted(phases.items(), key=lambda kv: PHASE_ORDER.index(kv[0]))))
