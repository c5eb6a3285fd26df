"""The engine's output: scores with their reasons, package tiers, exclusions, roadmap, costs and financing.

Reasons are data (a code and parameters), so the wizard and the PDF can say them in any language
(:mod:`app.core.explain`).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Reason(Out):
    """Why something happened, as a message code and its parameters."""

    code: str
    params: dict[str, str | float | int] = {}


class NeedContribution(Out):
    need: str
    severity: int
    relevance: int
    points: float


class Adjustment(Out):
    """A multiplier applied to a module's fit, with its reason."""

    factor: float
    reason: Reason


class ModuleScore(Out):
    module_id: str
    domain: str
    fit: float
    base: float
    contributions: list[NeedContribution]
    adjustments: list[Adjustment]
    blocked: Reason | None = None
    marginal: bool = False  # answers the needs only at relevance 1 and no hazard: selected only when another module needs it
    to_confirm: list[Reason] = []  # what was not assessed and is assumed in place: points for the planning study


class MoneyRange(Out):
    min: float
    typical: float
    max: float
    currency: str

    def __add__(self, other: MoneyRange) -> MoneyRange:
        if other.currency != self.currency:
            raise ValueError(f"cannot add {other.currency} to {self.currency}")
        return MoneyRange(min=self.min + other.min, typical=self.typical + other.typical, max=self.max + other.max, currency=self.currency)

    def scaled(self, factor: float) -> MoneyRange:
        return MoneyRange(min=self.min * factor, typical=self.typical * factor, max=self.max * factor, currency=self.currency)

    @classmethod
    def zero(cls, currency: str) -> MoneyRange:
        return cls(min=0, typical=0, max=0, currency=currency)


class ModuleCost(Out):
    module_id: str
    quantity: float
    unit: str
    pilot: bool = False  # costed at the module's pilot scale
    capex: MoneyRange
    opex_per_year: MoneyRange
    opex_years: float
    source_currency: str
    price_year: int
    confidence: str
    basis: str
    escalation: float = 1.0  # the price index's factor from the price year to the cost summary's price base year
    escalated: bool = False  # False: the amounts stay in prices of their price year (no index for the currency)
    unit_cost_reason: str | None = None  # the consultant set the unit capital cost (scope.unit_costs), for this reason


SolverStatus = Literal["optimal", "feasible", "infeasible", "not_solved"]


class Tier(Out):
    name: Literal["essential", "recommended", "comprehensive"]
    budget_usd: float
    module_ids: list[str]
    pilots: list[str] = []  # the modules of the tier taken at their pilot scale
    covered: list[str] = []  # the confirmed needs (severity 3+) some module of the tier answers
    added_for: dict[str, Reason]  # module → why it was added although the needs did not ask for it
    fit: float
    capex: MoneyRange
    status: SolverStatus
    gap: float
    note: Reason | None = None
    risks: list[Reason] = []  # e.g. the maximum cost is above the tier's budget


class Exclusion(Out):
    module_id: str
    fit: float
    reason: Reason


class RoadmapItem(Out):
    module_id: str
    phase: str
    start_month: int
    design_months: int
    build_months: int
    pilot_months: int
    start: dt.date
    end: dt.date
    beyond_horizon: bool

    @property
    def end_month(self) -> int:
        return self.start_month + self.design_months + self.build_months + self.pilot_months


class Roadmap(Out):
    start_date: dt.date
    horizon_months: int
    items: list[RoadmapItem]
    phases: dict[str, tuple[int, int]]  # phase → (first month, last month)


class ConversionRate(Out):
    currency: str
    per_usd: float
    year: int
    source_id: str


class ConversionIndex(Out):
    currency: str
    country: str
    series: str
    source_id: str


class PriceEscalation(Out):
    """How catalog prices were brought to one year's money: the year and, per source currency, the index used."""

    year: int
    indices: list[ConversionIndex]
    not_escalated: list[str] = []  # source currencies without an index: their amounts stay in their price year


class CostSummary(Out):
    currency: str  # every MoneyRange below is in this currency (USD)
    modules: list[ModuleCost]
    capex: MoneyRange
    contingency: MoneyRange
    capex_with_contingency: MoneyRange
    opex_per_year: MoneyRange
    opex_over_horizon: MoneyRange
    total_over_horizon: MoneyRange
    by_phase: dict[str, MoneyRange]
    by_domain: dict[str, MoneyRange]
    contingency_pct: float
    rates: dict[str, ConversionRate]  # the dated rates used for every conversion shown
    price_years: tuple[int, int]
    escalation: PriceEscalation | None = None  # None: every amount in its own price year


class FinancingOption(Out):
    channel_id: str
    phase: str
    eligible: bool
    preferred: bool
    reasons: list[Reason]


class Recommendation(Out):
    catalog_version: str
    input_hash: str
    ranked: list[ModuleScore]
    tiers: list[Tier]
    excluded: list[Exclusion]
    roadmap: Roadmap
    costs: CostSummary
    financing: list[FinancingOption]
    uncovered: list[Reason] = []  # confirmed severity-4/5 needs the Recommended tier does not answer, with the cheapest way
    builds_on: list[str] = []  # catalog modules the city already runs (not bought again)
    to_confirm: list[Reason] = []  # what the Recommended tier assumes but nobody assessed: points for the planning study

    def tier(self, name: str) -> Tier:
        return next(t for t in self.tiers if t.name == name)

    def score(self, module_id: str) -> ModuleScore:
        return next(s for s in self.ranked if s.module_id == module_id)
