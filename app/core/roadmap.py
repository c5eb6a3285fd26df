"""Phasing a selection into a roadmap: pilot → phase 1 → phase 2 → phase 3, respecting dependencies.

Rules (stated so that a consultant can explain them):

* the **pilot** holds the modules taken at their pilot scale and what they need; when none is, the best-fitting
  module that needs nothing else selected (a quick, visible win, the natural K-City demonstration or KOICA pilot);
* other modules go to **phase 1** when they need nothing else selected, to **phase 2** when everything they
  need is in the pilot or phase 1, and to **phase 3** otherwise;
* a module starts when its phase opens (pilot month 0, phase 1 month ``PHASE_1_START``, phase 2
  ``PHASE_2_START``, phase 3 ``PHASE_3_START``) and never before what it depends on is built;
* it lasts design + build + pilot months from the catalog; anything ending after the horizon is flagged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from app.core.engagement import Engagement
from app.core.models import Catalog
from app.core.recommendation import Roadmap, RoadmapItem

PHASE_1_START = 6
PHASE_2_START = 18
PHASE_3_START = 30
PHASE_START = {"pilot": 0, "phase_1": PHASE_1_START, "phase_2": PHASE_2_START, "phase_3": PHASE_3_START}


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
    out, todo = set(), list(modules)
    while todo:
        m = todo.pop()
        if m in out or m not in selected:
            continue
        out.add(m)
        todo += [*catalog.modules[m].depends_on, *enablers.get(m, ())]
    return out


def plan(selected: list[str], catalog: Catalog, engagement: Engagement, fit: Mapping[str, float],
         enablers: Mapping[str, list[str]] | None = None, pilots: list[str] | None = None) -> Roadmap:
    """Phase and schedule ``selected``; ``enablers`` maps a module to the selected modules enabling it; ``pilots`` are
    the modules taken at pilot scale."""
    enablers = enablers or {}
    levels = _levels(selected, catalog, enablers)
    roots = sorted((m for m in selected if levels[m] == 0), key=lambda m: (-fit.get(m, 0), m))
    pilot = _with_prerequisites(set(pilots), selected, catalog, enablers) if pilots else set(roots[:1])
    phase = {m: "pilot" if m in pilot else ("phase_1" if levels[m] == 0 else "phase_2" if levels[m] == 1 else "phase_3") for m in selected}
    built: dict[str, int] = {}
    items: list[RoadmapItem] = []
    horizon = engagement.horizon_years * 12
    for m in sorted(selected, key=lambda m: (levels[m], PHASE_START[phase[m]], -fit.get(m, 0), m)):
        months = catalog.modules[m].implementation_months
        deps = [d for d in (*catalog.modules[m].depends_on, *enablers.get(m, ())) if d in built]
        start = max([PHASE_START[phase[m]], *(built[d] for d in deps)])
        built[m] = start + months.design + months.build
        end = start + months.total
        items.append(RoadmapItem(
            module_id=m, phase=phase[m], start_month=start, design_months=months.design, build_months=months.build,
            pilot_months=months.pilot, start=add_months(engagement.start_date, start), end=add_months(engagement.start_date, end),
            beyond_horizon=end > horizon,
        ))
    items.sort(key=lambda i: (PHASE_START[i.phase], i.start_month, i.module_id))
    phases: dict[str, tuple[int, int]] = {}
    for item in items:
        first, last = phases.get(item.phase, (item.start_month, item.end_month))
        phases[item.phase] = (min(first, item.start_month), max(last, item.end_month))
    return Roadmap(start_date=engagement.start_date, horizon_months=horizon, items=items,
                   phases=dict(sorted(phases.items(), key=lambda kv: PHASE_START[kv[0]])))
