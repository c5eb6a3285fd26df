"""The engagement: what a consultant knows about a partner city, its needs, readiness and constraints.

An engagement is saved as YAML or JSON. :func:`parse_engagement` validates it against the schema *and* the
catalog (unknown need codes, countries, modules, channels) and reports every problem field by field.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Annotated, Any, Literal, cast

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import ErrorDetails

from app.core.models import Catalog, Currency, Id, Iso3, NeedCode
from app.core.vocab import (
    ApplicantType,
    ExistingSystem,
    Hazard,
    Language,
    PrerequisiteCode,
    ProjectType,
    ReadinessDimension,
)
from app.errors import EngagementError, Problem

# 2: three-state facts (an absent score, law or system is "not assessed"), existing systems, project scope.
SCHEMA_VERSION = 2
ShortText = Annotated[str, Field(max_length=200)]
LongText = Annotated[str, Field(max_length=4000)]
Score = Annotated[int, Field(ge=0, le=4)]


class Editable(BaseModel):
    """Base of engagement models: unknown fields are errors; values can be edited in the wizard."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, validate_assignment=True)


class Baseline(Editable):
    name: ShortText
    value: float
    unit: ShortText
    year: Annotated[int, Field(ge=1950, le=2100)]


class Suggestion(Editable):
    """Why the tool suggested a need: a national indicator past a threshold, or a hazard index's national exposure.
    Stored as values, said in the reader's language wherever it is shown."""

    indicator: Annotated[str, Field(pattern=r"^[a-z0-9_]+$", max_length=60)] = Field(
        description="The country indicator's code, or the hazard for an exposure suggestion.")
    value: float
    year: Annotated[int, Field(ge=1900, le=2100)]
    direction: Literal["above", "below", "of"] = Field(description="above/below a threshold, or 'of' a hazard index's scale.")
    threshold: float = Field(description="The signal's threshold, or the hazard index's scale maximum.")
    index: ShortText | None = Field(default=None, description="For an exposure suggestion: the index and component.")


class NeedInput(Editable):
    severity: Annotated[int, Field(ge=1, le=5)]
    evidence: LongText | None = None
    baseline: Baseline | None = None
    suggestion: Suggestion | None = None
    suggested: ShortText | None = Field(default=None, description="Why the tool suggested it, in English (engagements saved "
                                                                  "before suggestions were stored as values).")


class Readiness(Editable):
    """Digital-government readiness (World Bank DGRA foundations) and infrastructure, each 0 (none) to 4 (strong).

    Every fact has three states: a score, law, condition or system that is absent here is *not assessed* — never
    read as present or absent (``app.core.facts`` turns them into the engine's yes / no / not assessed)."""

    scores: dict[ReadinessDimension, Score] = Field(default={}, description="Assessed dimensions only; absent = not assessed.")
    data_protection_law: bool | None = Field(default=None, description="A personal-data protection law is in force; null = not assessed.")
    lead_agency: ShortText | None = None
    in_place: list[PrerequisiteCode] = Field(default=[], description="Enabling conditions the city is known to have.")
    not_in_place: list[PrerequisiteCode] = Field(default=[], description="Enabling conditions the city is known to lack.")
    systems: dict[ExistingSystem, bool] = Field(default={}, description="Systems the city already runs (true) or lacks (false); absent = not known.")
    estimated_from_indicators: bool = False

    def score(self, dimension: str) -> int | None:
        """The assessed score of ``dimension``, or ``None`` when it was not assessed."""
        return self.scores.get(cast(ReadinessDimension, dimension))

    @model_validator(mode="after")
    def _consistent(self) -> Readiness:
        both = sorted(set(self.in_place) & set(self.not_in_place))
        if both:
            raise ValueError(f"both in place and not in place: {', '.join(both)}")
        return self


class UnitCost(Editable):
    """The consultant's own typical capital cost per catalog unit of one module (a vendor quote, a local tender), with
    the reason. It replaces the catalog's typical unit cost, in prices of the project's start (not escalated); the
    catalog's low–high spread around its typical value is kept."""

    amount: Annotated[float, Field(gt=0, le=1_000_000_000)]
    currency: Currency = "USD"
    reason: Annotated[str, Field(min_length=3, max_length=200)] = Field(description="Where the figure comes from, e.g. a 2026 vendor quote.")


class Scope(Editable):
    """What the first project covers when it is smaller than the city: a district, a corridor, N units of a module.

    Quantities are computed from the scope's population and area instead of the city's; ``quantities`` overrides
    the computed quantity of a module (in its catalog unit: intersections, bays, cameras…)."""

    name: ShortText | None = Field(default=None, description="e.g. Hai Chau district, or the Nguyen Van Linh corridor.")
    population: Annotated[int, Field(gt=0, le=100_000_000)] | None = None
    area_km2: Annotated[float, Field(gt=0, le=1_000_000)] | None = None
    quantities: dict[Id, Annotated[float, Field(gt=0, le=1_000_000)]] = {}
    unit_costs: dict[Id, UnitCost] = Field(default={}, description="The consultant's unit cost of a module, with the reason.")


class LocalNames(Editable):
    """The city's and the partner body's names in the partner's own language, used in that language's edition
    (e.g. vi: Hải Phòng, Ủy ban nhân dân thành phố Hải Phòng)."""

    language: Language
    city: Annotated[str, Field(min_length=1, max_length=120)]
    partner: ShortText | None = None


class Budget(Editable):
    amount: Annotated[float, Field(gt=0)]
    currency: Currency = "USD"


class Engagement(Editable):
    """A partner city's pre-consulting case."""

    schema_version: int = SCHEMA_VERSION
    title: ShortText | None = None
    country: Iso3
    city: Annotated[str, Field(min_length=1, max_length=120)]
    population: Annotated[int, Field(gt=0, le=100_000_000)]
    area_km2: Annotated[float, Field(gt=0, le=1_000_000)]
    project_type: ProjectType
    applicant_type: ApplicantType = "local_gov"
    applicant_org: ShortText | None = None
    local_names: LocalNames | None = None
    scope: Scope = Scope()
    needs: dict[NeedCode, NeedInput] = {}
    readiness: Readiness = Readiness()
    hazards: list[Hazard] = []
    budget: Budget
    horizon_years: Annotated[int, Field(ge=1, le=20)] = 5
    start_date: dt.date = dt.date(2027, 1, 1)
    contingency_pct: Annotated[float, Field(ge=0, le=50)] = 15
    preferred_financing: list[Id] = []
    required_modules: list[Id] = []
    excluded_modules: list[Id] = []
    consultant: ShortText | None = None
    notes: LongText | None = Field(default=None, description="The consultant's internal notes: not in the partner edition unless shared.")
    share_notes: bool = Field(default=False, description="Print the notes in the partner edition and attach them to its PDF.")
    sources: list[ShortText] = Field(default=[], description="Public sources describing this case (examples).")

    @field_validator("city", "title", "applicant_org", "consultant")
    @classmethod
    def _no_control_characters(cls, value: str | None) -> str | None:
        if value is not None and any(ord(c) < 32 for c in value):
            raise ValueError("must be a single line of text")
        return value

    @model_validator(mode="after")
    def _scope_within_city(self) -> Engagement:
        if self.scope.population is not None and self.scope.population > self.population:
            raise ValueError("scope.population is larger than the city's population")
        if self.scope.area_km2 is not None and self.scope.area_km2 > self.area_km2:
            raise ValueError("scope.area_km2 is larger than the city's area")
        return self

    def input_hash(self) -> str:
        """A stable hash of the engagement's content (for reproducibility records)."""
        data = self.model_dump(mode="json")
        if not data["scope"]["unit_costs"]:  # added later: an engagement without unit costs keeps the hash it always had
            del data["scope"]["unit_costs"]
        payload = json.dumps(data, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode()).hexdigest()[:16]


def _loc(err: ErrorDetails) -> str:
    return ".".join(str(p) for p in err["loc"])


def catalog_problems(engagement: Engagement, catalog: Catalog, where: str = "engagement") -> list[Problem]:
    """References from the engagement to things the catalog does not know."""
    problems: list[Problem] = []
    if engagement.country not in catalog.countries:
        problems.append(Problem(where, "country", f"unknown country code {engagement.country!r} (ISO 3166 alpha-3)"))
    needs = catalog.needs
    for code in engagement.needs:
        if code not in needs:
            problems.append(Problem(where, f"needs.{code}", f"unknown need code {code!r}"))
    for mod in engagement.scope.quantities:
        if mod not in catalog.modules:
            problems.append(Problem(where, f"scope.quantities.{mod}", f"unknown module {mod!r}"))
    for mod, unit_cost in engagement.scope.unit_costs.items():
        if mod not in catalog.modules:
            problems.append(Problem(where, f"scope.unit_costs.{mod}", f"unknown module {mod!r}"))
        if unit_cost.currency not in catalog.rates:
            problems.append(Problem(where, f"scope.unit_costs.{mod}.currency", f"no exchange rate for {unit_cost.currency!r}"))
    for fld in ("required_modules", "excluded_modules"):
        for mod in getattr(engagement, fld):
            if mod not in catalog.modules:
                problems.append(Problem(where, fld, f"unknown module {mod!r}"))
    both = sorted(set(engagement.required_modules) & set(engagement.excluded_modules))
    if both:
        problems.append(Problem(where, "excluded_modules", f"both required and excluded: {', '.join(both)}"))
    for chan in engagement.preferred_financing:
        if chan not in catalog.financing:
            problems.append(Problem(where, "preferred_financing", f"unknown financing channel {chan!r}"))
    if engagement.budget.currency not in catalog.rates:
        problems.append(Problem(where, "budget.currency", f"no exchange rate for {engagement.budget.currency!r}"))
    return problems


def upgrade(data: dict[str, Any]) -> dict[str, Any]:
    """Bring engagement data saved by an earlier schema version to the current one (a copy; the input is kept).

    Version 1 always wrote ``data_protection_law: false`` when nobody answered, so a version-1 ``false`` cannot be
    told from "not assessed" and becomes not assessed; a ``true`` was always an answer and stays."""
    version = data.get("schema_version", 1)
    if not isinstance(version, int) or version >= SCHEMA_VERSION:
        return data
    out = {**data, "schema_version": SCHEMA_VERSION}
    readiness = out.get("readiness")
    if isinstance(readiness, dict) and readiness.get("data_protection_law") is False:
        out["readiness"] = {k: v for k, v in readiness.items() if k != "data_protection_law"}
    return out


def parse_engagement(data: Any, catalog: Catalog, where: str = "engagement") -> Engagement:
    """Validate raw engagement data against the schema and the catalog, or raise ``EngagementError``."""
    if not isinstance(data, dict):
        raise EngagementError([Problem(where, "", "expected a mapping of engagement fields")])
    data = upgrade(data)
    try:
        engagement = Engagement.model_validate(data)
    except ValidationError as exc:
        raise EngagementError(
            [Problem(where, _loc(err), err["msg"].removeprefix("Value error, ")) for err in exc.errors(include_url=False)]
        ) from None
    problems = catalog_problems(engagement, catalog, where)
    if problems:
        raise EngagementError(problems)
    return engagement
