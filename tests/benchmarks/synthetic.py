"""Synthetic catalogs shaped like the real one, for benchmarks at 600 and 6,000 modules."""

from __future__ import annotations

import random

from app.core.models import Catalog, Module, NeedLink


def scaled_catalog(base: Catalog, size: int, seed: int = 7, implication_share: float = 0.3, conflicts_per_100: int = 3) -> Catalog:
    """``size`` modules cloned from ``base`` with random needs, dependencies (to earlier modules) and conflicts."""
    rng = random.Random(seed)
    templates = sorted(base.modules.values(), key=lambda m: m.id)
    need_codes = sorted(base.needs)
    modules: dict[str, Module] = {}
    ids: list[str] = []
    for i in range(size):
        t = templates[i % len(templates)]
        mid = f"{t.id}-s{i}"
        depends = [rng.choice(ids)] if ids and rng.random() < implication_share else []
        needs = [NeedLink(need=code, relevance=rng.randint(1, 3)) for code in rng.sample(need_codes, k=rng.randint(1, 4))]
        modules[mid] = t.model_copy(update={"id": mid, "depends_on": depends, "needs": needs, "synergies": [], "conflicts": [],
                                            "alternatives": [], "provides": [], "prerequisites": []})
        ids.append(mid)
    for _ in range(size * conflicts_per_100 // 100):
        a, b = rng.sample(ids, 2)
        if b not in modules[a].depends_on and a not in modules[b].depends_on:
            modules[a] = modules[a].model_copy(update={"conflicts": [*modules[a].conflicts, b]})
    return base.model_copy(update={"modules": modules, "version": f"{base.version}-x{size}"})
