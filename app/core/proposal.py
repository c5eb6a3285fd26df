"""The proposal as data: one typed context per section of the pre-consulting proposal PDF.

A :class:`Proposal` is built by :func:`app.core.proposal_build.build` from a catalog, an engagement and its
recommendation. It holds raw numbers (formatted per locale by the renderer's Babel filters), sentences already
said in the proposal's language, and citation numbers that resolve in :attr:`Proposal.sources`. Templates only
lay it out. Pure: no I/O, no rendering libraries.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict

from app.core.models import Money
from app.core.recommendation import MoneyRange
from app.core.vocab import FactState

Edition = Literal["partner", "working"]
EDITIONS: tuple[str, ...] = ("partner", "working")


class Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Part):
    """Catalog text in the proposal's language; ``fallback`` when it is English standing in for a missing translation."""

    text: str
    fallback: bool = False


class Row(Part):
    """A label and a value already in words (document control, city facts), or a number the renderer formats for
    the reader's locale (``amount`` with its ``unit``)."""

    label: str
    value: str = ""
    amount: float | None = None
    unit: str = ""
    refs: list[int] = []


class Chapter(Part):
    anchor: str
    number: str
    title: str
    new_page: bool = False  # the summary, chapter 1 and the first annex open a page; the others follow on


class Meta(Part):
    title: str
    subject: str
    keywords: list[str]
    partner: str
    city: str
    country: str
    country_iso3: str
    lang: str
    date: dt.date
    catalog_version: str
    input_hash: str
    consultant: str | None
    fallback_used: bool  # some catalog text is shown in English, marked (EN)
    machine_assisted: int = 0  # catalog texts shown in a machine-assisted translation awaiting native review
    edition: Edition = "partner"  # partner: what a partner government reads; working: the team's copy with the method

    @property
    def working(self) -> bool:
        return self.edition == "working"


class SourceEntry(Part):
    number: int
    id: str
    title: str
    publisher: str
    url: str
    date: str | None
    accessed: dt.date | None


# ---------------------------------------------------------------- front matter


class Cover(Part):
    title: str
    title_alt: str  # the title in the other of English/Korean: the cover is bilingual
    partner: str
    city: str
    country: str
    date: dt.date
    notice: str
    notice_alt: str


class DocumentControl(Part):
    rows: list[Row]
    disclaimer: list[str]


class PilotLine(Part):
    module: Text
    scope: Text
    study: bool = False  # a planning study scoped down, not a pilot deployment


class ExecutiveSummary(Part):
    needs: list[Text]
    tier_label: str
    modules: list[Text]
    capex: MoneyRange
    opex_per_year: MoneyRange
    total: MoneyRange
    horizon_years: int
    contingency_pct: float
    budget_usd: float
    months: int
    financing: list[Row]
    next_steps: list[str]
    # what the prose of the summary says
    partner: str = ""
    city: str = ""
    critical: list[Text] = []  # the needs of severity 4 or 5
    others: list[Text] = []  # the other needs the partner named
    pilots: list[PilotLine] = []  # modules that start at their pilot scale, with what the pilot covers
    unanswered: list[Text] = []  # severe needs nothing in the package answers
    partly: list[Text] = []  # severe needs the package answers only in part (no module made for them fits)
    gap_usd: float = 0.0  # what the grants open to the project leave for the city's budget or a loan
    loans: list[Text] = []
    request_by: dt.date | None = None  # the planning channel's next intake cut-off after the document's date


# ---------------------------------------------------------------- context and diagnosis


class ChannelFacts(Part):
    """A programme described only with what the catalog says about it, with its sources."""

    id: str
    name: Text
    provider: Text
    pays_for: Text
    size: Money | None  # the channel's typical amount per project, formatted by the renderer
    eligibility: Text | None
    notes: Text | None
    refs: list[int]


class RequestContext(Part):
    request: list[str]
    project_type: str
    budget: float
    budget_currency: str
    start: dt.date
    horizon_years: int
    notes: str | None  # the consultant's notes, citations renumbered
    case_refs: list[int]  # catalog sources the engagement names
    programmes: list[ChannelFacts]


class IndicatorRow(Part):
    code: str
    name: Text
    value: float
    unit: str
    year: int
    refs: list[int]


class BaselineRow(Part):
    need: Text
    name: str
    value: float
    unit: str
    year: int


class CityProfile(Part):
    facts: list[Row]
    indicators: list[IndicatorRow]
    baselines: list[BaselineRow]


class ReadinessRow(Part):
    code: str
    label: str
    score: int | None  # None: not assessed
    gap: bool
    basis: str


class ConditionRow(Part):
    label: str
    severity: str  # "hard" or "soft"
    modules: list[Text]


class Diagnosis(Part):
    readiness: list[ReadinessRow]
    estimated: bool
    in_place: list[str]  # stated by the consultant
    inferred: list[str] = []  # taken as in place from a readiness score only: to confirm
    missing: list[ConditionRow]
    to_confirm: list[ConditionRow] = []  # conditions the package needs that nobody assessed
    gaps: list[str]
    not_assessed: int = 0  # readiness dimensions without a score
    unassessed: list[str] = []  # their names, said in one sentence instead of a table row each
    refs: list[int]

    @property
    def assessed(self) -> list[ReadinessRow]:
        return [r for r in self.readiness if r.score is not None]


class NeedRow(Part):
    code: str
    name: Text
    domain: Text
    severity: int
    basis: str
    modules: list[Text]
    horizon: str  # "quick_win", "structural" or "unaddressed"
    horizon_label: str


class Flow(Part):
    need: str
    module: str
    value: float


class PriorityNeeds(Part):
    needs: list[NeedRow]
    flows: list[Flow]


class KpiRow(Part):
    module: Text
    name: Text
    unit: str
    direction: str
    baseline: str | None
    effect: float | None  # the effect observed elsewhere, formatted by the renderer, in ``effect_unit``
    effect_unit: str = ""
    context: Text | None
    refs: list[int]


class Goal(Part):
    need: Text
    severity: int
    kpis: list[KpiRow]  # indicators of the modules made for this need only
    baseline: BaselineRow | None = None  # the partner's baseline for this need, once per goal


class Vision(Part):
    goals: list[Goal]


# ---------------------------------------------------------------- packages


class TierRow(Part):
    name: str
    label: str
    modules: list[Text]
    fit: float
    capex: MoneyRange
    budget_usd: float
    selected: bool
    note: str | None


class PrereqRow(Part):
    label: str
    hard: bool
    state: FactState  # yes: in place; no: missing; not_assessed: to confirm
    provided_by: list[Text]
    note: Text | None
    inferred: bool = False  # "in place" only because a readiness score suggests it: to confirm, as chapter 3 says


class ReferenceRow(Part):
    korean: bool
    place: str
    year: int
    description: Text
    value: str | None
    refs: list[int]


class ModuleCard(Part):
    id: str
    number: int
    name: Text
    domain: Text
    phase: str
    summary: Text
    description: Text
    why: Text
    added_for: Text | None
    maturity: str
    prerequisites: list[PrereqRow]
    references: list[ReferenceRow]
    kpis: list[KpiRow]
    capex: MoneyRange
    opex_per_year: MoneyRange
    quantity: float
    unit: str
    unit_code: str = ""  # the scale unit's code, for saying the quantity in words
    price_year: int
    escalated_to: int | None = None  # the year whose prices the amounts are in, when escalated from the price year
    cost_refs: list[int]
    standards: list[str]
    refs: list[int]


class Packages(Part):
    tiers: list[TierRow]
    modules: list[ModuleCard]
    left_out: list[Row]


class Architecture(Part):
    platforms: list[Text]
    standards: list[Row]
    protection: list[Row]
    law_in_place: bool | None  # None: not assessed
    high_risk: int
    national_laws: list[str] = []  # when not assessed: the laws a national dataset records (UNCTAD Cyberlaw Tracker)
    national_year: int | None = None
    national_more: int = 0  # further laws the dataset lists beyond the ones named
    national_refs: list[int] = []


class PhaseRow(Part):
    code: str
    label: str
    start: dt.date
    end: dt.date
    first_month: int
    last_month: int
    modules: list[Text]


class GanttRow(Part):
    module: Text
    phase: str
    phase_label: str
    start: dt.date
    end: dt.date
    start_month: int
    design: int
    build: int
    pilot: int
    beyond: bool


class Roadmap(Part):
    start: dt.date
    horizon_months: int
    phases: list[PhaseRow]
    items: list[GanttRow]
    start_in_past: bool = False  # the engagement's start date is before the document's date
    has_pilot: bool = False  # some module is taken at its pilot scale
    issued: dt.date | None = None  # the document's date
    # the K-City Network planning call's next cut-off, when the planning study is scheduled to start before it
    # (funded by that call, it could start only after the selection that follows)
    planning_call_by: dt.date | None = None


class CostRow(Part):
    module: Text
    quantity: float
    unit: str
    unit_code: str = ""  # the scale unit's code, for saying the quantity in words
    capex: MoneyRange
    opex_per_year: MoneyRange
    price_year: int
    currency: str
    confidence: str
    basis: str
    scope: str = ""  # what the unit cost covers (equipment only, turnkey…), in the reader's words
    refs: list[int]


class RangeRow(Part):
    label: str
    range: MoneyRange


class RateRow(Part):
    currency: str
    per_usd: float
    year: int
    refs: list[int]


class Escalation(Part):
    """How the catalog's prices were brought to one year's money, for the costs chapter's assumptions."""

    year: int
    indices: list[Text]  # e.g. "the GDP deflator of South Korea for prices in KRW", in the reader's language
    refs: list[int]
    not_escalated: list[Text] = []  # currencies whose prices stay in their price year


class Costs(Part):
    rows: list[CostRow]
    capex: MoneyRange
    contingency: MoneyRange
    capex_with_contingency: MoneyRange
    opex_per_year: MoneyRange
    opex_over_horizon: MoneyRange
    total_over_horizon: MoneyRange
    by_phase: list[RangeRow]
    by_domain: list[RangeRow]
    rates: list[RateRow]
    local: RangeRow | None
    local_rate: RateRow | None
    price_years: tuple[int, int]
    escalation: Escalation | None = None  # None: every amount is in prices of its own price year
    contingency_pct: float
    horizon_years: int
    budget_usd: float
    low_confidence: int
    korean_prices_abroad: bool = False  # a Korean domestic price is quoted for a project outside Korea


class ChannelOption(Part):
    id: str
    name: Text
    provider: Text
    kind: str
    pays_for: Text
    size: Money | None  # the channel's typical amount per project, formatted by the renderer
    phases: list[str]
    eligible_in: list[str]
    preferred: bool
    verified: bool
    reasons: list[Text]
    failed: list[Text]  # the rules that make it ineligible
    partial: list[Text] = []  # phases it can pay only a part of (its typical size is below the phase's cost)
    notes: Text | None
    refs: list[int]


class MatrixRow(Part):
    name: Text
    cells: list[str]  # per phase: "yes", "no" or ""


class FundingRow(Part):
    """One phase of the indicative financing plan: its cost, the grant that could pay part of it, and the rest."""

    phase: str
    cost_usd: float  # typical capital cost with contingency
    grant: Text | None  # the eligible grant whose typical size is largest (the partner's preferred one first)
    grant_usd: float  # up to its typical maximum, never more than the phase costs
    gap_usd: float  # what remains for the partner's budget or a loan
    loans: list[Text]  # eligible loan channels for the rest


class Financing(Part):
    phases: list[str]
    matrix: list[MatrixRow]
    channels: list[ChannelOption]
    mix: list[Row]  # kind label → number of eligible channels
    plan: list[FundingRow] = []


class Implementation(Part):
    lead_agency: str | None
    enabling: list[ConditionRow]
    om_yearly: MoneyRange


class RiskRow(Part):
    category: str
    risk: str
    mitigation: str
    level: str


class Risks(Part):
    rows: list[RiskRow]


class NextSteps(Part):
    steps: list[str]
    application: Text | None
    application_refs: list[int]
    data_requests: list[str]
    mou_items: list[str]


class Term(Part):
    term: str
    definition: str


class Proposal(Part):
    """Everything the proposal PDF prints, in reading order."""

    meta: Meta
    chapters: list[Chapter]
    cover: Cover
    control: DocumentControl
    summary: ExecutiveSummary
    context: RequestContext
    profile: CityProfile
    diagnosis: Diagnosis
    needs: PriorityNeeds
    vision: Vision
    packages: Packages
    architecture: Architecture
    roadmap: Roadmap
    costs: Costs
    financing: Financing
    implementation: Implementation
    risks: Risks
    next_steps: NextSteps
    annex_indicators: list[IndicatorRow]
    glossary: list[Term]
    sources: list[SourceEntry]
    sources_accessed: tuple[dt.date, dt.date] | None = None  # first and last access date, said once above the list
    catalog_reviewed: tuple[dt.date, dt.date] | None = None  # oldest and latest review of the cited modules and sources
    consultant_sources: list[str]
    engagement_json: str  # attached to the PDF so that it can be re-opened

    def chapter(self, anchor: str) -> Chapter:
        return next(c for c in self.chapters if c.anchor == anchor)
