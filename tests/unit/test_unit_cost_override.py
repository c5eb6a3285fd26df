"""The consultant's unit cost of a module: validated, carried into the module's cost, the selection and the proposal."""

from __future__ import annotations

import datetime as dt

import pytest

from app import services
from app.core import costing
from app.errors import EngagementError
from tests.conftest import ROOT

CASE = ROOT / "catalog" / "examples" / "haiphong-traffic-management.yaml"


@pytest.fixture
def case(bundled_catalog):
    engagement = services.load_engagement(CASE, bundled_catalog)
    rec = services.recommend(bundled_catalog, engagement)
    return engagement, rec


def _with(bundled_catalog, engagement, module_id, amount, currency="USD", reason="2026 vendor quote"):
    return services.parse_engagement(services.with_unit_cost(engagement, module_id, amount, currency, reason), bundled_catalog)


def test_a_unit_cost_replaces_the_catalogs_typical_cost_keeps_its_spread_and_says_why(bundled_catalog, case):
    engagement, rec = case
    module_id = rec.tier("recommended").module_ids[0]
    module = bundled_catalog.modules[module_id]
    before = costing.module_cost(module, engagement, bundled_catalog)
    edited = _with(bundled_catalog, engagement, module_id, 1234.0)
    after = costing.module_cost(module, edited, bundled_catalog)
    assert after.quantity == before.quantity
    assert after.capex.typical == pytest.approx(1234.0 * before.quantity)
    c = module.cost.capex
    assert after.capex.min / after.capex.typical == pytest.approx(c.min / c.typical)
    assert after.capex.max / after.capex.typical == pytest.approx(c.max / c.typical)
    assert after.opex_per_year == before.opex_per_year  # only the capital cost is the consultant's
    assert after.unit_cost_reason == "2026 vendor quote" and before.unit_cost_reason is None


def test_a_unit_cost_in_another_currency_is_converted_with_the_catalogs_rate(bundled_catalog, case):
    engagement, rec = case
    module_id = rec.tier("recommended").module_ids[0]
    module = bundled_catalog.modules[module_id]
    usd = costing.module_cost(module, _with(bundled_catalog, engagement, module_id, 1000.0), bundled_catalog)
    krw = costing.module_cost(module, _with(bundled_catalog, engagement, module_id, 1000.0, "KRW"), bundled_catalog)
    assert krw.capex.typical == pytest.approx(usd.capex.typical / bundled_catalog.rates["KRW"].per_usd)


def test_the_package_and_its_totals_use_the_unit_cost(bundled_catalog, case):
    engagement, rec = case
    tier = rec.tier("recommended")
    module_id = tier.module_ids[0]
    line = next(c for c in rec.costs.modules if c.module_id == module_id)
    cheaper = line.capex.typical / line.quantity / 2
    after = services.recommend(bundled_catalog, _with(bundled_catalog, engagement, module_id, cheaper))
    new_line = next(c for c in after.costs.modules if c.module_id == module_id)
    assert new_line.capex.typical == pytest.approx(line.capex.typical / 2)
    assert after.costs.capex.typical == pytest.approx(sum(c.capex.typical for c in after.costs.modules))


def test_the_catalogs_unit_cost_comes_back_when_the_override_is_removed(bundled_catalog, case):
    engagement, rec = case
    module_id = rec.tier("recommended").module_ids[0]
    edited = _with(bundled_catalog, engagement, module_id, 99.0)
    restored = services.parse_engagement(services.with_unit_cost(edited, module_id, None), bundled_catalog)
    assert restored.scope.unit_costs == {}
    assert restored.input_hash() == engagement.input_hash()


@pytest.mark.parametrize(("amount", "currency", "reason", "field"), [
    (0.0, "USD", "a quote", "scope.unit_costs.{m}.amount"),
    (-5.0, "USD", "a quote", "scope.unit_costs.{m}.amount"),
    (100.0, "USD", "", "scope.unit_costs.{m}.reason"),
    (100.0, "XXX", "a quote", "scope.unit_costs.{m}.currency"),
])
def test_an_invalid_unit_cost_is_refused_field_by_field(bundled_catalog, case, amount, currency, reason, field):
    engagement, rec = case
    module_id = rec.tier("recommended").module_ids[0]
    with pytest.raises(EngagementError) as exc:
        _with(bundled_catalog, engagement, module_id, amount, currency, reason)
    assert any(p.field.startswith(field.format(m=module_id)) for p in exc.value.problems), [p.field for p in exc.value.problems]


def test_a_unit_cost_for_an_unknown_module_is_refused(bundled_catalog, case):
    engagement, _rec = case
    data = engagement.model_dump(mode="json")
    data["scope"]["unit_costs"] = {"teleporter": {"amount": 5.0, "reason": "a quote"}}
    with pytest.raises(EngagementError) as exc:
        services.parse_engagement(data, bundled_catalog)
    assert any(p.field == "scope.unit_costs.teleporter" for p in exc.value.problems)


def test_the_proposal_cost_table_says_the_consultant_set_the_unit_cost_and_why(bundled_catalog, case):
    engagement, rec = case
    module_id = rec.tier("recommended").module_ids[0]
    edited = _with(bundled_catalog, engagement, module_id, 1234.0, reason="Hanoi tender 2026")
    proposal = services.build_proposal(bundled_catalog, edited, services.recommend(bundled_catalog, edited), "en", dt.date(2026, 12, 5))
    bases = [row.basis for row in proposal.costs.rows]
    assert "capital cost per unit set by the consultant (Hanoi tender 2026)" in bases
    assert sum("set by the consultant" in b for b in bases) == 1
    korean = services.build_proposal(bundled_catalog, edited, services.recommend(bundled_catalog, edited), "ko", dt.date(2026, 12, 5))
    assert any("컨설턴트가 정한" in row.basis and "Hanoi tender 2026" in row.basis for row in korean.costs.rows)


def test_a_unit_cost_changes_the_input_hash_and_none_leaves_it_as_before(bundled_catalog, case):
    engagement, rec = case
    module_id = rec.tier("recommended").module_ids[0]
    assert "unit_costs" not in engagement.model_dump(mode="json", exclude_defaults=True).get("scope", {})
    assert _with(bundled_catalog, engagement, module_id, 99.0).input_hash() != engagement.input_hash()
