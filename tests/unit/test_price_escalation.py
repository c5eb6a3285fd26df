"""Catalog prices are escalated from their price year to the engagement's price base year with a named index."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from app.adapters.catalog_files import load_catalog, read_catalog
from app.core import costing
from app.core.engagement import parse_engagement
from app.core.engine import recommend
from app.core.models import PriceIndex
from tests.conftest import CATALOGS

HEADER = "currency,country,series,year,change_pct,source_id\n"
# +10 % in 2021, +20 % in 2022, -5 % in 2023
USD_ROWS = "".join(f"USD,USA,gdp_deflator,{y},{g},wdi\n" for y, g in ((2020, 1.0), (2021, 10.0), (2022, 20.0), (2023, -5.0)))


def _catalog_with(tmp_path, rows: str):
    root = tmp_path / "tiny"
    shutil.copytree(CATALOGS / "tiny", root)
    (root / "rates" / "price_indices.csv").write_text(HEADER + rows, encoding="utf-8")
    return root


def _engagement(catalog, start: str = "2024-01-01"):
    return parse_engagement({
        "country": "VNM", "city": "Hai Phong", "population": 1_000_000, "area_km2": 300, "project_type": "brownfield_retrofit",
        "needs": {"mob.congestion": {"severity": 5}, "mob.parking": {"severity": 3}},
        "budget": {"amount": 3_000_000, "currency": "USD"}, "readiness": {"in_place": ["fibre_backbone"]},
        "start_date": start}, catalog)


def test_an_index_compounds_the_yearly_changes_forward_and_undoes_them_backward():
    index = PriceIndex(currency="USD", country="USA", series="gdp_deflator", changes={2021: 10.0, 2022: 20.0}, source_id="wdi")
    assert index.factor(2020, 2022) == pytest.approx(1.1 * 1.2)
    assert index.factor(2022, 2020) == pytest.approx(1 / (1.1 * 1.2))
    assert index.factor(2021, 2021) == 1.0
    assert index.factor(2019, 2022) is None  # the index starts with 2020's level
    assert index.factor(2020, 2023) is None


def test_a_price_is_escalated_from_its_price_year_to_the_start_year_capped_at_the_index_end(tmp_path):
    catalog = load_catalog(_catalog_with(tmp_path, USD_ROWS))
    module = catalog.modules["ioc-platform"]  # priced in USD of 2020
    plain = module.cost.capex.typical * costing.quantity(module, _engagement(catalog))
    later = _engagement(catalog, "2027-06-01")  # after the index ends: prices of its last year, 2023
    assert costing.price_base_year(later, catalog) == 2023
    cost = costing.module_cost(module, later, catalog)
    assert cost.escalated and cost.escalation == pytest.approx(1.1 * 1.2 * 0.95)
    assert cost.capex.typical == pytest.approx(plain * 1.1 * 1.2 * 0.95)
    earlier = _engagement(catalog, "2021-03-01")
    assert costing.module_cost(module, earlier, catalog).capex.typical == pytest.approx(plain * 1.1)


def test_the_cost_summary_names_the_year_and_the_index_of_each_currency(tmp_path):
    catalog = load_catalog(_catalog_with(tmp_path, USD_ROWS))
    rec = recommend(catalog, _engagement(catalog, "2022-01-01"))
    esc = rec.costs.escalation
    assert esc is not None and esc.year == 2022
    assert [(i.currency, i.country, i.series, i.source_id) for i in esc.indices] == [("USD", "USA", "gdp_deflator", "wdi")]
    assert all(c.escalated for c in rec.costs.modules)


def test_without_a_price_index_file_amounts_stay_in_their_price_year(tiny_catalog):
    engagement = _engagement(tiny_catalog)
    assert costing.price_base_year(engagement, tiny_catalog) is None
    rec = recommend(tiny_catalog, engagement)
    assert rec.costs.escalation is None
    assert not any(c.escalated for c in rec.costs.modules)


def test_escalation_makes_the_engine_buy_less_with_the_same_budget(tmp_path, tiny_catalog):
    steep = "".join(f"USD,USA,gdp_deflator,{y},100,wdi\n" for y in range(2015, 2026))  # prices double every year
    catalog = load_catalog(_catalog_with(tmp_path, steep))
    engagement = _engagement(catalog, "2025-01-01")
    as_priced = next(t for t in recommend(tiny_catalog, engagement).tiers if t.name == "recommended")
    escalated = next(t for t in recommend(catalog, engagement).tiers if t.name == "recommended")
    assert as_priced.module_ids  # the budget buys something at the catalog's prices …
    assert len(escalated.module_ids) < len(as_priced.module_ids) or set(escalated.pilots) > set(as_priced.pilots)
    assert escalated.capex.typical * (1 + engagement.contingency_pct / 100) <= 3_000_000  # … and less at today's


@pytest.mark.parametrize(("rows", "message"), [
    ("USD,USA,gdp_deflator,2020,1.0,wdi\nUSD,USA,gdp_deflator,2022,1.0,wdi\n",
     "price_indices.csv: line 2: year: USD: the years must follow each other without a gap"),
    ("USD,USA,gdp_deflator,2020,1.0,wdi\nUSD,USA,gdp_deflator,2020,2.0,wdi\n",
     "price_indices.csv: line 3: year: USD 2020 is given twice"),
    ("USD,USA,gdp_deflator,2020,1.0,wdi\nUSD,USA,cpi,2021,2.0,wdi\n",
     "price_indices.csv: line 3: currency: USD: one country, series and source per currency"),
    ("USD,USA,gdp_deflator,2020,one,wdi\n", "price_indices.csv: line 2: year/change_pct: not a number"),
    ("USD,USA,gdp_deflator,2020,1.0,nowhere\n", "price_indices.csv: line 2: source_id: unknown source 'nowhere'"),
])
def test_a_broken_price_index_is_reported_with_its_line(tmp_path, rows, message):
    catalog, problems = read_catalog(_catalog_with(tmp_path, rows))
    assert catalog is None
    assert any(str(p).endswith(message) for p in problems), [str(p) for p in problems]


def test_the_bundled_catalog_escalates_korean_and_us_prices_with_their_gdp_deflators(bundled_catalog):
    indices = bundled_catalog.price_indices
    assert {(c, i.country, i.series) for c, i in indices.items()} == {("KRW", "KOR", "gdp_deflator"), ("USD", "USA", "gdp_deflator")}
    currencies = {m.cost.currency for m in bundled_catalog.modules.values()}
    years = {m.cost.price_year for m in bundled_catalog.modules.values()}
    assert currencies <= set(indices)  # every catalog price can be escalated …
    assert all(indices[c].first_year <= min(years) for c in currencies)  # … from its price year


def test_the_proposal_says_which_years_prices_and_which_index_and_never_that_amounts_are_unadjusted(tmp_path):
    from app import services
    from app.adapters import render

    catalog = load_catalog(_catalog_with(tmp_path, USD_ROWS))
    engagement = _engagement(catalog, "2027-01-01")
    proposal = services.build_proposal(catalog, engagement, services.recommend(catalog, engagement), "en", dt.date(2026, 12, 4))
    assert proposal.costs.escalation is not None and proposal.costs.escalation.year == 2023
    html = render.render_html(proposal, {})
    assert "are escalated to 2023 prices with the GDP deflator of USA for prices in USD" in html  # no USA row in the tiny catalog
    assert "in US dollars at 2023 prices" in html
    assert "no inflation adjustment" not in html and "not escalated" not in html
    assert "escalated to 2023" in " ".join(html.split())  # each module card: "prices of 2020, escalated to 2023"


def test_without_an_index_the_proposal_says_the_amounts_are_not_escalated(tiny_catalog):
    from app import services
    from app.adapters import render

    engagement = _engagement(tiny_catalog)
    html = render.render_html(services.build_proposal(tiny_catalog, engagement, services.recommend(tiny_catalog, engagement),
                                                      "en", dt.date(2026, 12, 4)), {})
    assert "amounts are not escalated for inflation" in html and "GDP deflator" not in html
