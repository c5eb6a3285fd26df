"""Catalog entities: the validated shape of everything under ``catalog/``.

Every model forbids unknown fields, so a typo in a catalog file is reported instead of ignored. Checks that
need more than one file (unknown references, cycles) live in :mod:`app.core.catalog_checks`.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cached_property
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from app.core.vocab import (
    ApplicantType,
    ASEANFocusArea,
    Confidence,
    CostBasis,
    CostScope,
    DataProtectionStatus,
    Direction,
    ExistingSystem,
    FinancingKind,
    Hazard,
    HazardLevel,
    IncomeGroup,
    ISO37120Theme,
    LegalServiceField,
    Maturity,
    Phase,
    PrerequisiteCode,
    ProjectType,
    ReadinessDimension,
    ReferenceKind,
    RiskLevel,
    ScaleBasis,
    ScaleUnit,
    Severity,
    U4SSCCategory,
)

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
NEED_PATTERN = r"^[a-z]{3}\.[a-z0-9_]+$"
SOURCE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"

Id = Annotated[str, Field(pattern=ID_PATTERN, max_length=60)]
NeedCode = Annotated[str, Field(pattern=NEED_PATTERN, max_length=60)]
SourceId = Annotated[str, Field(pattern=SOURCE_PATTERN, max_length=60)]
Iso3 = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
NonEmpty = Annotated[str, Field(min_length=1)]


class Strict(BaseModel):
    """Base of every catalog model: unknown fields are errors, strings are stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class LocalizedText(Strict):
    """Text in English and Korean (required) and optional partner languages."""

    en: NonEmpty
    ko: NonEmpty
    vi: str | None = None
    id: str | None = None
    es: str | None = None

    def get(self, lang: str) -> str:
        """The text in ``lang``, or English when that language is missing."""
        value = getattr(self, lang, None) if lang in type(self).model_fields else None
        return value or self.en

    def has(self, lang: str) -> bool:
        return bool(getattr(self, lang, None)) if lang in type(self).model_fields else False


def word_count(text: str) -> int:
    """Words in Latin text, or Hangul/CJK 'words' approximated as eojeol (space-separated chunks)."""
    return len(re.findall(r"\S+", text))


# ---------------------------------------------------------------- reviews


class Review(Strict):
    """When a person last checked an entry against its sources, and who: ``reviewed: {on: 2026-11-25, by: Kim}``."""

    on: dt.date
    by: NonEmpty


# ---------------------------------------------------------------- sources


class Source(Strict):
    """A public document that a catalog figure cites."""

    id: SourceId
    title: NonEmpty
    publisher: NonEmpty
    url: Annotated[str, Field(pattern=r"^https?://\S+$")]
    alternate_urls: list[Annotated[str, Field(pattern=r"^https?://\S+$")]] = []
    date: str | None = Field(default=None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$", description="Publication date, as precise as known.")
    accessed: dt.date | None = None
    licence: NonEmpty = "Cited for facts; text not reproduced"
    language: str | None = None
    note: str | None = None
    reviewed: Review | None = Field(default=None, description="Last check that the source still says what the catalog cites.")


# ---------------------------------------------------------------- taxonomy


class Domain(Strict):
    """A first-level area of city services (mobility, water…)."""

    code: Annotated[str, Field(pattern=r"^[a-z_]+$")]
    prefix: Annotated[str, Field(pattern=r"^[a-z]{3}$", description="Three-letter prefix of this domain's need codes.")]
    name: LocalizedText
    description: LocalizedText
    legal_service_fields: list[LegalServiceField] = []


class IndicatorSignal(Strict):
    """A country indicator whose value suggests that a need is present."""

    indicator: NonEmpty
    above: float | None = None
    below: float | None = None
    severity: Annotated[int, Field(ge=1, le=5)] = 3
    rationale: LocalizedText

    @model_validator(mode="after")
    def _one_threshold(self) -> IndicatorSignal:
        if (self.above is None) == (self.below is None):
            raise ValueError("give exactly one of 'above' or 'below'")
        return self


class FrameworkMapping(Strict):
    u4ssc: list[U4SSCCategory] = []
    iso37120: list[ISO37120Theme] = []
    asean: list[ASEANFocusArea] = []


class Need(Strict):
    """A second-level need a partner city may have (traffic congestion, leakage…)."""

    code: NeedCode
    domain: NonEmpty
    name: LocalizedText
    description: LocalizedText
    frameworks: FrameworkMapping
    signals: list[IndicatorSignal] = []
    hazards: list[Hazard] = Field(default=[], description="Hazards whose presence suggests this need.")


class Taxonomy(Strict):
    domains: list[Domain]
    needs: list[Need]


# ---------------------------------------------------------------- modules


class NeedLink(Strict):
    need: NeedCode
    relevance: Annotated[int, Field(ge=1, le=3)]


class Prerequisite(Strict):
    code: PrerequisiteCode
    severity: Severity
    note: LocalizedText | None = None


class PilotScale(Strict):
    """The smallest meaningful first deployment of a module: one corridor, one district, one demonstration site.

    Sourced from real demonstrations where possible (K-City Network demonstrations, KOICA pilots); without
    ``source_ids`` it is an estimate and the proposal says so."""

    quantity: Annotated[float, Field(gt=0)]
    description: LocalizedText = Field(description="What the pilot covers, in words a partner reads, e.g. one corridor of 10 intersections.")
    source_ids: list[SourceId] = []
    note: str | None = Field(default=None, description="Internal: how the figure was derived.")


class ScaleRule(Strict):
    """How many units of a module a city needs: ``quantity`` units per ``per`` of ``basis``."""

    unit: ScaleUnit
    basis: ScaleBasis
    per: Annotated[float, Field(gt=0)] = 1
    quantity: Annotated[float, Field(gt=0)] = 1
    minimum: Annotated[float, Field(ge=0)] = 1
    maximum: Annotated[float, Field(gt=0)] | None = None
    note: str | None = None
    pilot: PilotScale | None = None

    @model_validator(mode="after")
    def _coherent(self) -> ScaleRule:
        if self.basis == "fixed" and self.per != 1:
            raise ValueError("a fixed quantity has per: 1")
        if self.maximum is not None and self.maximum < self.minimum:
            raise ValueError("maximum is below minimum")
        if self.pilot is not None and self.maximum is not None and self.pilot.quantity > self.maximum:
            raise ValueError("the pilot quantity is above the maximum")
        return self


class Range(Strict):
    min: Annotated[float, Field(gt=0)]
    typical: Annotated[float, Field(gt=0)]
    max: Annotated[float, Field(gt=0)]

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if not self.min <= self.typical <= self.max:
            raise ValueError("expected min <= typical <= max")
        return self


class Cost(Strict):
    """Indicative unit cost of a module, per scale unit, with its provenance."""

    capex: Range
    opex_per_year: Range
    currency: Currency
    price_year: Annotated[int, Field(ge=1990, le=2030)]
    basis: CostBasis
    scope: CostScope = Field(description="What the unit cost covers: equipment_only, software, turnkey, with_civil_works "
                                         "(turnkey plus construction) or services (planning, advice, training, programmes).")
    priced_in: Annotated[str, Field(pattern=r"^([A-Z]{3}|INT)$", description=(
        "Where the price was observed: the ISO 3166 alpha-3 code of the country (KOR for a Korean domestic price), or INT "
        "when the figure is drawn from several countries or from none (an estimate)."))]
    confidence: Confidence
    source_ids: list[SourceId] = []
    note: str | None = None

    @model_validator(mode="after")
    def _sourced(self) -> Cost:
        if not self.source_ids and not (self.basis == "estimate" and self.confidence == "low"):
            raise ValueError("an unsourced cost must be basis: estimate, confidence: low")
        if self.basis == "estimate" and not self.note:
            raise ValueError("an estimate needs a note with its reasoning")
        return self


class DevelopmentCost(Strict):
    """The real-estate development a module sits in (land, site works, utilities, housing), per scale unit.

    Context for the partner, sourced; never part of a package's cost: Korea's offer is the smart-city
    infrastructure in ``Module.cost``, and the development is the partner's or its developer's to price."""

    capex: Range
    currency: Currency
    price_year: Annotated[int, Field(ge=1990, le=2030)]
    source_ids: Annotated[list[SourceId], Field(min_length=1)]
    note: str | None = None


class ImplementationMonths(Strict):
    design: Annotated[int, Field(ge=0, le=60)]
    build: Annotated[int, Field(ge=0, le=120)]
    pilot: Annotated[int, Field(ge=0, le=36)] = 0

    @property
    def total(self) -> int:
        return self.design + self.build + self.pilot


class Effect(Strict):
    value: float
    unit: NonEmpty
    context: LocalizedText


class KPI(Strict):
    name: LocalizedText
    unit: NonEmpty
    direction: Direction
    typical_effect: Effect | None = None
    iso37122: str | None = None
    source_ids: list[SourceId] = []

    @model_validator(mode="after")
    def _sourced(self) -> KPI:
        if self.typical_effect is not None and not self.source_ids:
            raise ValueError("a typical effect needs a source id")
        return self


class Reference(Strict):
    """A real deployment of the module, in Korea or abroad."""

    kind: ReferenceKind
    country: Iso3
    city: NonEmpty
    year: Annotated[int, Field(ge=1990, le=2035)]
    description: LocalizedText
    channel: str | None = None
    value: str | None = None
    source_ids: Annotated[list[SourceId], Field(min_length=1)]


class Module(Strict):
    """A K-smart-city solution module a consultant can propose."""

    id: Id
    name: LocalizedText
    summary: LocalizedText
    description: LocalizedText
    domain: NonEmpty
    legal_service_field: LegalServiceField | None = None
    needs: Annotated[list[NeedLink], Field(min_length=1)]
    prerequisites: list[Prerequisite] = []
    provides: list[PrerequisiteCode] = Field(default=[], description="Enabling conditions this module establishes.")
    depends_on: list[Id] = []
    synergies: list[Id] = []
    conflicts: list[Id] = []
    alternatives: list[Id] = []
    scale: ScaleRule
    cost: Cost
    development_cost: DevelopmentCost | None = Field(
        default=None, description="The surrounding real-estate development: context, never in the package's cost.")
    implementation_months: ImplementationMonths
    kpis: list[KPI] = []
    references: list[Reference] = []
    financing: list[Id] = []
    standards: list[str] = []
    data_protection_risk: RiskLevel
    maturity: Maturity
    min_readiness: dict[ReadinessDimension, Annotated[int, Field(ge=0, le=4)]] = {}
    project_types: list[ProjectType] = Field(default=[], description="Project types it suits; empty means all.")
    hazards: list[Hazard] = Field(default=[], description="Hazards it helps with.")
    revenue_model: bool = Field(
        default=False, description="User fees or tariffs could repay private capital (parking, charging, fares, utility billing).")
    existing_system: ExistingSystem | None = Field(
        default=None, description="The system this module is: where the city already has it, it is not bought again.")
    source_ids: list[SourceId] = Field(default=[], description="Sources for the description as a whole.")
    reviewed: Review | None = Field(default=None, description="Last check of the module's figures against its sources.")

    @field_validator("needs")
    @classmethod
    def _unique_needs(cls, needs: list[NeedLink]) -> list[NeedLink]:
        codes = [n.need for n in needs]
        dupes = sorted({c for c in codes if codes.count(c) > 1})
        if dupes:
            raise ValueError(f"need listed twice: {', '.join(dupes)}")
        return needs

    @model_validator(mode="after")
    def _no_self_reference(self) -> Module:
        for field in ("depends_on", "synergies", "conflicts", "alternatives"):
            if self.id in getattr(self, field):
                raise ValueError(f"{field} names the module itself")
        both = set(self.depends_on) & set(self.conflicts)
        if both:
            raise ValueError(f"both a dependency and a conflict: {', '.join(sorted(both))}")
        return self

    def all_source_ids(self) -> set[str]:
        ids = set(self.source_ids) | set(self.cost.source_ids)
        if self.development_cost is not None:
            ids |= set(self.development_cost.source_ids)
        if self.scale.pilot is not None:
            ids |= set(self.scale.pilot.source_ids)
        for kpi in self.kpis:
            ids |= set(kpi.source_ids)
        for ref in self.references:
            ids |= set(ref.source_ids)
        return ids

    def relevance(self, need: str) -> int:
        return next((n.relevance for n in self.needs if n.need == need), 0)


# ---------------------------------------------------------------- packages


class Package(Strict):
    """A curated bundle of modules for a typical situation."""

    id: Id
    name: LocalizedText
    summary: LocalizedText
    fits: list[LocalizedText] = Field(min_length=1, description="Situations the package suits.")
    core_modules: Annotated[list[Id], Field(min_length=1)]
    optional_modules: list[Id] = []
    project_types: list[ProjectType] = []
    source_ids: list[SourceId] = []

    @model_validator(mode="after")
    def _disjoint(self) -> Package:
        both = set(self.core_modules) & set(self.optional_modules)
        if both:
            raise ValueError(f"module both core and optional: {', '.join(sorted(both))}")
        return self


# ---------------------------------------------------------------- financing


class Money(Strict):
    min: Annotated[float, Field(ge=0)]
    max: Annotated[float, Field(ge=0)]
    currency: Currency

    @model_validator(mode="after")
    def _ordered(self) -> Money:
        if self.min > self.max:
            raise ValueError("expected min <= max")
        return self


class Eligibility(Strict):
    """Rules a partner must meet; an empty list means 'no restriction'."""

    income_groups: list[IncomeGroup] = []
    ldc_only: bool = False
    oda_eligible_only: bool = False
    applicant_types: list[ApplicantType] = []
    project_types: list[ProjectType] = []
    min_project_usd: Annotated[float, Field(ge=0)] | None = None
    max_project_usd: Annotated[float, Field(ge=0)] | None = None
    regions: list[str] = Field(default=[], description="World Bank regions; empty means worldwide.")
    note: LocalizedText | None = None


class FinancingChannel(Strict):
    id: Id
    name: LocalizedText
    provider: LocalizedText
    kind: FinancingKind
    pays_for: LocalizedText
    phases: Annotated[list[Phase], Field(min_length=1)]
    typical_size: Money | None = None
    eligibility: Eligibility
    terms_verified: bool
    notes: LocalizedText | None = None
    source_ids: Annotated[list[SourceId], Field(min_length=1)]
    intake_cutoff_month: Annotated[int, Field(ge=1, le=12)] | None = Field(
        default=None, description="Proposals received by the end of this month are considered in the same year's "
                                  "selection, later ones in the next (as the eligibility note says, with its source).")


# ---------------------------------------------------------------- countries


class IndicatorValue(Strict):
    value: float
    year: int


class IndicatorMeta(Strict):
    """What a country indicator column means, and where it comes from."""

    code: NonEmpty
    name: LocalizedText
    unit: NonEmpty
    source_id: SourceId
    higher_is_better: bool | None = None


class HazardExposure(Strict):
    """A country's national exposure to one natural hazard, from a published index (a city's can differ)."""

    score: Annotated[float, Field(ge=0)]
    scale_max: Annotated[float, Field(gt=0)] = Field(description="10 for INFORM, 100 for the WorldRiskIndex.")
    level: HazardLevel
    index: NonEmpty = Field(description="The index and component, e.g. INFORM Risk 2023: Flood.")
    year: int
    source_id: SourceId


class DataProtection(Strict):
    """Whether the country has a personal-data protection law, per the UNCTAD Global Cyberlaw Tracker."""

    status: DataProtectionStatus
    laws: list[NonEmpty] = Field(default=[], description="Titles of the laws the tracker lists.")
    year: int
    source_id: SourceId


class Country(Strict):
    iso3: Iso3
    iso2: str
    name: NonEmpty
    region: str | None = None
    income_group: IncomeGroup | None = None
    ldc: bool = False
    lldc: bool = False
    sids: bool = False
    un_member: bool = False
    currency: Currency | None = None
    indicators: dict[str, IndicatorValue] = {}
    hazards: dict[Hazard, HazardExposure] = Field(default={}, description="National exposure per hazard, where an index covers it.")
    data_protection: DataProtection | None = None


class ExchangeRate(Strict):
    """Local currency units per US dollar, period average of ``year``."""

    currency: Currency
    per_usd: Annotated[float, Field(gt=0)]
    year: int
    source_id: SourceId


class PriceIndex(Strict):
    """The annual change of a price index (in %, year over the year before) that escalates the catalog prices of
    ``currency`` from their price year: the GDP deflator of the country that issues the currency."""

    currency: Currency
    country: Iso3
    series: Literal["gdp_deflator", "cpi"]
    changes: dict[int, float]
    source_id: SourceId

    @property
    def first_year(self) -> int:
        return min(self.changes) - 1  # the first change is over the year before it

    @property
    def last_year(self) -> int:
        return max(self.changes)

    def factor(self, from_year: int, to_year: int) -> float | None:
        """How much a price of ``from_year`` is worth in ``to_year`` money (below 1 back in time); None when the
        index does not reach one of the years."""
        low, high = sorted((from_year, to_year))
        if low < self.first_year or high > self.last_year:
            return None
        up = 1.0
        for year in range(low + 1, high + 1):
            up *= 1 + self.changes[year] / 100
        return up if to_year >= from_year else 1 / up


class CatalogLanguages(Strict):
    """``languages.yaml``: the proposal languages in which the catalog promises every text a proposal prints (Korean
    in the catalog files themselves, the others in ``templates/locales/<lang>/LC_MESSAGES/catalog.po``)."""

    complete: list[Literal["ko", "vi", "id", "es"]] = []


class Catalog(Strict):
    """Everything the engine knows, loaded and cross-checked."""

    version: str
    modules: dict[str, Module]
    packages: dict[str, Package]
    taxonomy: Taxonomy
    financing: dict[str, FinancingChannel]
    sources: dict[str, Source]
    countries: dict[str, Country]
    indicators: dict[str, IndicatorMeta]
    rates: dict[str, ExchangeRate]
    price_indices: dict[str, PriceIndex] = {}  # currency → index; a currency without one is not escalated

    @cached_property
    def needs(self) -> dict[str, Need]:
        return {n.code: n for n in self.taxonomy.needs}

    @cached_property
    def domains(self) -> dict[str, Domain]:
        return {d.code: d for d in self.taxonomy.domains}
