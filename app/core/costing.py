"""Quantities from scale drivers, cost ranges in one currency, and conversions with dated rates.

All sums are made in US dollars; a catalog cost in KRW (or any currency) is converted once with the dated
World Bank rate, and that rate is returned with the result so that it can be printed. Before conversion, a price
is escalated in its own currency from its price year to the engagement's price base year (the year the project
starts, or the last year the index covers if earlier) with the catalog's price index for that currency (the GDP
deflator of Korea for KRW, of the United States for USD); a currency without an index stays in its price year, and
the result says which.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from app.core.engagement import Engagement
from app.core.models import Catalog, ExchangeRate, Module
from app.core.recommendation import ConversionIndex, ConversionRate, CostSummary, ModuleCost, MoneyRange, PriceEscalation, RoadmapItem
from app.core.vocab import PHASES
from app.errors import MissingRate

BASE = "USD"
PHASE_ORDER = {phase: i for i, phase in enumerate(PHASES)}


def significant(value: float, digits: int = 2) -> float:
    """``value`` rounded to ``digits`` significant figures (0 stays 0): how prose gives an indicative amount."""
    if value == 0:
        return 0.0
    return round(value, digits - 1 - math.floor(math.log10(abs(value))))


def rate(catalog: Catalog, currency: str) -> ExchangeRate:
    try:
        return catalog.rates[currency]
    except KeyError:
        raise MissingRate(currency) from None


def convert(amount: float, from_currency: str, to_currency: str, catalog: Catalog) -> float:
    """Convert through US dollars with the catalog's dated rates (local currency units per US$)."""
    if from_currency == to_currency:
        return amount
    return amount / rate(catalog, from_currency).per_usd * rate(catalog, to_currency).per_usd


def convert_range(money: MoneyRange, to_currency: str, catalog: Catalog) -> MoneyRange:
    f = convert(1.0, money.currency, to_currency, catalog)
    return MoneyRange(min=money.min * f, typical=money.typical * f, max=money.max * f, currency=to_currency)


def scale_quantity(module: Module, engagement: Engagement) -> float:
    """Units for the project's scope by the catalog's scale rule (the scope's population or area when given)."""
    rule = module.scale
    if rule.basis == "fixed":
        qty = rule.quantity
    elif rule.basis == "population":
        qty = rule.quantity * (engagement.scope.population or engagement.population) / rule.per
    else:
        qty = rule.quantity * (engagement.scope.area_km2 or engagement.area_km2) / rule.per
    qty = max(rule.minimum, qty)
    if rule.maximum is not None:
        qty = min(rule.maximum, qty)
    return float(math.ceil(qty)) if rule.unit != "lump_sum" else qty


def quantity(module: Module, engagement: Engagement) -> float:
    """Units of the full first project: the consultant's quantity for the module, else the scale rule's."""
    typed = engagement.scope.quantities.get(module.id)
    return typed if typed is not None else scale_quantity(module, engagement)


def pilot_quantity(module: Module, engagement: Engagement) -> float | None:
    """Units of the module's pilot, when it has one smaller than the full project."""
    pilot = module.scale.pilot
    if pilot is None:
        return None
    qty = pilot.quantity
    return qty if qty < quantity(module, engagement) else None


def price_base_year(engagement: Engagement, catalog: Catalog) -> int | None:
    """The year whose money every escalated amount is in: the project's start year, or the last year that every
    price index covers if that is earlier; None when the catalog has no price index."""
    if not catalog.price_indices:
        return None
    return min(engagement.start_date.year, *(i.last_year for i in catalog.price_indices.values()))


def escalation_factor(module: Module, engagement: Engagement, catalog: Catalog) -> float | None:
    """The factor from the module's price year to the price base year, or None when its currency has no index
    reaching both years."""
    year = price_base_year(engagement, catalog)
    index = catalog.price_indices.get(module.cost.currency)
    if year is None or index is None:
        return None
    return index.factor(module.cost.price_year, year)


def module_cost(module: Module, engagement: Engagement, catalog: Catalog, opex_years: float = 0.0,
                pilot: bool = False) -> ModuleCost:
    """Cost of the module for the project (or of its pilot, with ``pilot`` and a pilot smaller than the project)."""
    pilot_qty = pilot_quantity(module, engagement) if pilot else None
    qty = pilot_qty if pilot_qty is not None else quantity(module, engagement)
    c = module.cost
    factor = escalation_factor(module, engagement, catalog)
    k = qty * (factor if factor is not None else 1.0)
    capex = MoneyRange(min=c.capex.min * k, typical=c.capex.typical * k, max=c.capex.max * k, currency=c.currency)
    given = engagement.scope.unit_costs.get(module.id)
    if given is not None:  # the consultant's unit cost, at today's prices; the catalog's spread around it
        spread = (c.capex.min / c.capex.typical, c.capex.max / c.capex.typical) if c.capex.typical else (1.0, 1.0)
        typical = given.amount * qty
        capex = MoneyRange(min=typical * spread[0], typical=typical, max=typical * spread[1], currency=given.currency)
    opex = MoneyRange(min=c.opex_per_year.min * k, typical=c.opex_per_year.typical * k, max=c.opex_per_year.max * k,
                      currency=c.currency)
    return ModuleCost(
        module_id=module.id, quantity=qty, unit=module.scale.unit, pilot=pilot_qty is not None,
        capex=convert_range(capex, BASE, catalog), opex_per_year=convert_range(opex, BASE, catalog), opex_years=opex_years,
        source_currency=c.currency, price_year=c.price_year, confidence=c.confidence, basis=c.basis,
        escalation=factor if factor is not None else 1.0, escalated=factor is not None,
        unit_cost_reason=given.reason if given is not None else None,
    )


def escalation_summary(costs: list[ModuleCost], engagement: Engagement, catalog: Catalog) -> PriceEscalation | None:
    """The price base year and the index of each source currency used, when any line was escalated."""
    year = price_base_year(engagement, catalog)
    if year is None or not any(c.escalated for c in costs):
        return None
    used = sorted({c.source_currency for c in costs if c.escalated})
    indices = [ConversionIndex(currency=cur, country=(i := catalog.price_indices[cur]).country, series=i.series,
                               source_id=i.source_id) for cur in used]
    return PriceEscalation(year=year, indices=indices,
                           not_escalated=sorted({c.source_currency for c in costs if not c.escalated}))


def typical_capex_usd(module: Module, engagement: Engagement, catalog: Catalog, pilot: bool = False) -> float:
    return module_cost(module, engagement, catalog, pilot=pilot).capex.typical


def _sum(ranges: list[MoneyRange]) -> MoneyRange:
    total = MoneyRange.zero(BASE)
    for r in ranges:
        total = total + r
    return total


def summarize(module_ids: list[str], engagement: Engagement, catalog: Catalog, schedule: list[RoadmapItem],
              display_currencies: tuple[str, ...] = (), pilots: Iterable[str] = ()) -> CostSummary:
    """Costs of a selection over the engagement's horizon, by phase and by domain, in US dollars; the modules in
    ``pilots`` at their pilot scale."""
    at_pilot = set(pilots)
    horizon = engagement.horizon_years * 12
    items = {i.module_id: i for i in schedule}
    costs = []
    for mid in module_ids:
        item = items.get(mid)
        live_from = item.start_month + item.design_months + item.build_months if item else 0
        costs.append(module_cost(catalog.modules[mid], engagement, catalog, opex_years=max(0, horizon - live_from) / 12,
                                 pilot=mid in at_pilot))
    capex = _sum([c.capex for c in costs])
    contingency = capex.scaled(engagement.contingency_pct / 100)
    opex_year = _sum([c.opex_per_year for c in costs])
    opex_horizon = _sum([c.opex_per_year.scaled(c.opex_years) for c in costs])
    by_phase: dict[str, MoneyRange] = {}
    by_domain: dict[str, MoneyRange] = {}
    for c in costs:
        phase = items[c.module_id].phase if c.module_id in items else "unscheduled"
        domain = catalog.modules[c.module_id].domain
        with_cont = c.capex.scaled(1 + engagement.contingency_pct / 100)
        by_phase[phase] = by_phase.get(phase, MoneyRange.zero(BASE)) + with_cont
        by_domain[domain] = by_domain.get(domain, MoneyRange.zero(BASE)) + with_cont
    currencies = {BASE, "KRW", engagement.budget.currency, *display_currencies}
    country_currency = catalog.countries[engagement.country].currency if engagement.country in catalog.countries else None
    if country_currency:
        currencies.add(country_currency)
    currencies |= {c.source_currency for c in costs}
    rates = {cur: ConversionRate(currency=cur, per_usd=r.per_usd, year=r.year, source_id=r.source_id)
             for cur in sorted(currencies) if (r := catalog.rates.get(cur)) is not None}
    years = [c.price_year for c in costs] or [0]
    return CostSummary(
        currency=BASE, modules=costs, capex=capex, contingency=contingency, capex_with_contingency=capex + contingency,
        opex_per_year=opex_year, opex_over_horizon=opex_horizon, total_over_horizon=capex + contingency + opex_horizon,
        by_phase=dict(sorted(by_phase.items(), key=lambda kv: PHASE_ORDER.get(kv[0], len(PHASE_ORDER)))),
        by_domain=dict(sorted(by_domain.items())),
        contingency_pct=engagement.contingency_pct, rates=rates, price_years=(min(years), max(years)),
        escalation=escalation_summary(costs, engagement, catalog),
    )
