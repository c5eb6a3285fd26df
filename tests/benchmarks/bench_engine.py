"""Benchmark of ``recommend``: the real catalog, and synthetic catalogs of 600 and 6,000 modules.

Also compares the optimal package's fit with a greedy fit-per-cost baseline on the same inputs.
Targets (issue 4): ≤ 50 ms median on the real catalog, ≤ 1 s at 600, a best-found answer with its gap within
10 s at 6,000.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from app.core import packaging
from app.core.engagement import Engagement
from app.core.engine import recommend, selection_problem
from app.core.models import Catalog
from app.services import load_catalog, load_engagement
from tests.benchmarks.synthetic import scaled_catalog

ROOT = Path(__file__).resolve().parents[2]


def greedy(problem: packaging.Problem, budget: float) -> float:
    """Fit of a greedy package: best fit per cost first, each with its dependencies, while the budget lasts."""
    chosen: set[str] = set()
    spent = 0.0

    def closure(m: str) -> set[str]:
        out, todo = set(), [m]
        while todo:
            x = todo.pop()
            if x not in out:
                out.add(x)
                todo.extend(problem.depends.get(x, ()))
        return out

    order = sorted((m for m in problem.fit if problem.fit[m] > 0 and m not in problem.forbidden),
                   key=lambda m: -problem.fit[m] / max(problem.cost[m], 1e-9))
    for m in order:
        add = closure(m) - chosen
        if add & problem.forbidden or any(a in chosen | add and b in chosen | add for a, b in problem.exclusive):
            continue
        cost = sum(problem.cost[x] for x in add)
        if spent + cost <= budget:
            chosen |= add
            spent += cost
    return sum(problem.fit[m] for m in chosen)


def timed(catalog: Catalog, engagement: Engagement, runs: int) -> tuple[float, object]:
    times, rec = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        rec = recommend(catalog, engagement)
        times.append(time.perf_counter() - t0)
    return statistics.median(times), rec


def compare_with_greedy(catalog: Catalog, engagement: Engagement, rec) -> float:
    _, problem, budget = selection_problem(catalog, engagement)
    base = greedy(problem, budget)
    return rec.tier("recommended").fit / base if base else float("inf")


def compare_solvers(catalog: Catalog, engagement: Engagement) -> str:
    """Time of the Recommended solve with each bundled MIP solver on the same instance."""
    _, problem, budget = selection_problem(catalog, engagement)
    out = []
    for name in ("CBC", "SCIP"):
        t0 = time.perf_counter()
        sol = packaging.solve(problem, budget, solvers=(name,))
        out.append(f"{name} {time.perf_counter() - t0:.2f} s {sol.status} gap {sol.gap:.3%}")
    return "; ".join(out)


def main() -> None:
    catalog = load_catalog(ROOT / "catalog")
    examples = sorted(p for p in (ROOT / "catalog" / "examples").glob("*.yaml") if p.name != "expectations.yaml")
    per_example = [timed(catalog, load_engagement(p, catalog), 5)[0] for p in examples]
    print(f"engine benchmark — real catalog, {len(examples)} examples: median of medians {statistics.median(per_example) * 1000:.1f} ms, "
          f"slowest {max(per_example) * 1000:.1f} ms")
    example = ROOT / "catalog" / "examples" / "tam-ky-operations-centre.yaml"
    engagement = load_engagement(example, catalog)
    print(f"scaling — example {example.name}")
    for label, cat, runs in (("real", catalog, 21), ("600", scaled_catalog(catalog, 600), 5), ("6000", scaled_catalog(catalog, 6000), 3)):
        scale = len(cat.modules) / len(catalog.modules)
        big = engagement.model_copy(update={"budget": engagement.budget.model_copy(update={"amount": engagement.budget.amount * scale})})
        median, rec = timed(cat, big, runs)
        tier = rec.tier("recommended")
        ratio = compare_with_greedy(cat, big, rec)
        print(f"  {label:>5} modules={len(cat.modules):>5}  median recommend {median * 1000:8.1f} ms  "
              f"recommended: {len(tier.module_ids)} modules, status {tier.status}, gap {tier.gap:.4%}  optimal/greedy fit {ratio:.3f}")
        print(f"        solvers on the Recommended instance: {compare_solvers(cat, big)}")


if __name__ == "__main__":
    main()
