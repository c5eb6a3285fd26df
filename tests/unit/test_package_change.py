"""The Package step's preview: what a change would do before it is applied, computed by the engine itself."""

from __future__ import annotations

import pytest

from app import services
from app.errors import EngagementError


@pytest.fixture(scope="module")
def da_nang(bundled_catalog):
    engagement = services.new_engagement(bundled_catalog, "VNM", "Da Nang", 1_230_000, 1285.4, budget_usd=5_000_000)
    return engagement, services.recommend(bundled_catalog, engagement)


def test_previewing_a_change_saves_nothing_and_matches_what_applying_it_gives(bundled_catalog, da_nang):
    engagement, before = da_nang
    package = before.tier("recommended").module_ids
    addition = next(m for m in sorted(bundled_catalog.modules) if m not in package
                    and services.package_clash(bundled_catalog, m, package) is None and not bundled_catalog.modules[m].depends_on)
    data = services.with_module(engagement, addition)
    change = services.preview_change(bundled_catalog, engagement, data, before)
    applied = services.recommend(bundled_catalog, services.parse_engagement(data, bundled_catalog)).tier("recommended")
    assert addition in change.entered
    assert set(change.entered) == set(applied.module_ids) - set(package)
    assert set(change.left) == set(package) - set(applied.module_ids)
    assert change.cost_after_usd == pytest.approx(applied.capex.typical)
    assert change.cost_before_usd == pytest.approx(before.tier("recommended").capex.typical)
    assert engagement.required_modules == []  # the engagement itself is untouched


def test_leaving_out_a_module_says_which_needs_stop_being_answered(bundled_catalog, da_nang):
    engagement, before = da_nang
    package = before.tier("recommended").module_ids
    gone = package[0]
    data, _dependents = services.without_module(engagement, bundled_catalog, gone)
    change = services.preview_change(bundled_catalog, engagement, data, before)
    assert gone in change.left
    after = services.recommend(bundled_catalog, services.parse_engagement(data, bundled_catalog)).tier("recommended")
    for need in change.unanswered:
        assert bundled_catalog.modules[gone].relevance(need) >= 2
        assert all(bundled_catalog.modules[m].relevance(need) < 2 for m in after.module_ids)


def test_a_typed_quantity_changes_the_cost_of_that_line(bundled_catalog, da_nang):
    engagement, before = da_nang
    tier = before.tier("recommended")
    line = next(c for c in before.costs.modules if c.module_id in tier.module_ids and c.quantity >= 2 and c.unit != "lump_sum")
    smaller = services.with_quantity(engagement, line.module_id, line.quantity // 2)
    change = services.preview_change(bundled_catalog, engagement, smaller, before)
    assert change.cost_after_usd < change.cost_before_usd and change.changes_anything
    back = services.parse_engagement(services.with_quantity(services.parse_engagement(smaller, bundled_catalog), line.module_id, None),
                                     bundled_catalog)
    assert back.scope.quantities == {}


def test_unpinning_keeps_the_module_out_of_the_exclusions(bundled_catalog, da_nang):
    engagement, _before = da_nang
    pinned = services.parse_engagement(services.with_module(engagement, "smart-parking"), bundled_catalog)
    data = services.unpinned(pinned, "smart-parking")
    assert data["required_modules"] == [] and "smart-parking" not in data["excluded_modules"]


def test_an_invalid_change_is_refused_with_its_field(bundled_catalog, da_nang):
    engagement, before = da_nang
    data = engagement.model_dump(mode="json")
    data["scope"] = {"quantities": {"its-atms": -3}}
    with pytest.raises(EngagementError) as info:
        services.preview_change(bundled_catalog, engagement, data, before)
    assert any("quantities" in p.field for p in info.value.problems)


def test_each_package_edit_builds_the_data_it_names_and_an_unknown_one_is_refused(bundled_catalog, da_nang):
    engagement, _before = da_nang
    assert "smart-parking" in services.package_edit(bundled_catalog, engagement, "add", "smart-parking")[0]["required_modules"]
    assert "smart-parking" in services.package_edit(bundled_catalog, engagement, "leave_out", "smart-parking")[0]["excluded_modules"]
    data, _unpins = services.package_edit(bundled_catalog, engagement, "quantity", "smart-parking", 40)
    assert data["scope"]["quantities"] == {"smart-parking": 40}
    with pytest.raises(ValueError):
        services.package_edit(bundled_catalog, engagement, "rename", "smart-parking")
