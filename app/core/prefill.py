"""Suggestions from a country's national data: needs the data points to, and country facts that a dataset supplies.

The prefill suggests, it never decides:

* needs suggested by national indicators or by high national hazard exposure are labelled national, carry the
  indicator (or index), value and year, and enter an engagement at low severity (``SUGGESTED_SEVERITY``) — or not
  at all in the wizard, which shows them unticked;
* hazards are prefilled only from a hazard index (INFORM Risk 2023, WorldRiskIndex 2022 for sea-level rise) where the
  national exposure is high or very high — never inferred from another need or indicator;
* the data-protection law comes from the UNCTAD Global Cyberlaw Tracker where it says legislation or none;
* readiness scores are estimated from indicators and flagged as estimates; what no dataset supplies stays not assessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from app.core.engagement import Budget, Engagement, NeedInput, Readiness, Suggestion
from app.core.models import Catalog, Country
from app.core.recommendation import Reason

SUGGESTED_SEVERITY = 2  # a suggestion enters as "noticeable": the consultant raises what the partner confirms
HIGH_EXPOSURE = ("high", "very_high")

# Readiness dimension ← (indicator, band edges for scores 1..4). A value below the first edge scores 0.
READINESS_BANDS: dict[str, tuple[str, tuple[float, float, float, float]]] = {
    "connectivity": ("internet_users_pct", (20, 40, 60, 80)),
    "power_reliability": ("electricity_access_pct", (50, 75, 90, 99)),
    "technology_infrastructure": ("egdi_telecom_infrastructure_index", (0.2, 0.4, 0.6, 0.8)),
    "user_driven_design": ("egdi_online_service_index", (0.2, 0.4, 0.6, 0.8)),
    "capabilities_skills": ("egdi_human_capital_index", (0.3, 0.5, 0.7, 0.85)),
    "data_infrastructure": ("egdi", (0.25, 0.45, 0.65, 0.85)),
    "leadership_funding": ("wgi_government_effectiveness", (-1.0, -0.5, 0.0, 0.75)),
    "interoperability_governance": ("wgi_government_effectiveness", (-1.0, -0.5, 0.0, 0.75)),
    "legislation_regulation": ("wgi_regulatory_quality", (-1.0, -0.5, 0.0, 0.75)),
    "resilience_cybersecurity": ("secure_internet_servers_per_million", (10, 100, 1000, 10000)),
    "digital_ecosystem": ("rd_expenditure_pct_gdp", (0.1, 0.3, 1.0, 2.0)),
}


@dataclass(frozen=True)
class NeedSuggestion:
    need: str
    severity: int
    indicator: str
    value: float
    year: int
    threshold: float
    direction: Literal["above", "below", "of"]  # above/below a threshold, or "of" a hazard index's scale
    rationale: str
    index: str | None = None  # for a hazard-exposure suggestion: the index and component


@dataclass(frozen=True)
class ReadinessEstimate:
    dimension: str
    score: int
    indicator: str
    value: float
    year: int


def band(value: float, edges: tuple[float, ...]) -> int:
    return sum(value >= edge for edge in edges)


def suggest_needs(country: Country, catalog: Catalog) -> list[NeedSuggestion]:
    """Needs whose indicator signals fire for this country, strongest first (one entry per need)."""
    best: dict[str, NeedSuggestion] = {}
    for need in catalog.taxonomy.needs:
        for signal in need.signals:
            observed = country.indicators.get(signal.indicator)
            if observed is None:
                continue
            fired = (signal.above is not None and observed.value > signal.above) or (
                signal.below is not None and observed.value < signal.below
            )
            if not fired:
                continue
            direction: Literal["above", "below"]
            if signal.above is not None:
                direction, threshold = "above", signal.above
            elif signal.below is not None:
                direction, threshold = "below", signal.below
            else:  # unreachable: a signal without thresholds never fires
                continue
            suggestion = NeedSuggestion(
                need=need.code, severity=signal.severity, indicator=signal.indicator, value=observed.value,
                year=observed.year, threshold=float(threshold), direction=direction, rationale=signal.rationale.en,
            )
            if need.code not in best or suggestion.severity > best[need.code].severity:
                best[need.code] = suggestion
        for hazard in need.hazards:
            exposure = country.hazards.get(hazard)
            if exposure is None or exposure.level not in HIGH_EXPOSURE or need.code in best:
                continue
            best[need.code] = NeedSuggestion(
                need=need.code, severity=3, indicator=hazard, value=exposure.score, year=exposure.year,
                threshold=exposure.scale_max, direction="of", rationale=f"national {hazard} exposure is {exposure.level}",
                index=exposure.index)
    return sorted(best.values(), key=lambda s: (-s.severity, s.need))


def national_hazards(country: Country) -> list[str]:
    """Hazards to which a hazard index rates the country's exposure high or very high (national, not the city's)."""
    return sorted(h for h, e in country.hazards.items() if e.level in HIGH_EXPOSURE)


def data_protection_law(country: Country) -> bool | None:
    """Whether a data-protection law is in force per the UNCTAD tracker; ``None`` when it has no answer."""
    dp = country.data_protection
    if dp is None or dp.status == "no_data":
        return None
    return dp.status == "legislation"


def estimate_readiness(country: Country) -> tuple[Readiness, list[ReadinessEstimate]]:
    """Readiness scores 0–4 from indicators; dimensions without data stay at the neutral default."""
    estimates = []
    for dimension, (indicator, edges) in READINESS_BANDS.items():
        observed = country.indicators.get(indicator)
        if observed is not None:
            estimates.append(ReadinessEstimate(dimension, band(observed.value, edges), indicator, observed.value, observed.year))
    scores = {e.dimension: e.score for e in estimates}
    return Readiness(scores=scores, estimated_from_indicators=True), estimates


def as_suggestion(s: NeedSuggestion) -> Suggestion:
    """The values a saved engagement keeps of why a need was suggested."""
    return Suggestion(indicator=s.indicator, value=s.value, year=s.year, direction=s.direction, threshold=s.threshold, index=s.index)


def suggestion_reason(s: Suggestion, catalog: Catalog) -> Reason:
    """Why a need was suggested, as a message to say in the reader's language, labelled national (a city can differ)."""
    if s.index is not None or s.direction == "of":
        return Reason(code="suggested_by_exposure", params={"index": s.index or s.indicator, "value": s.value, "scale": s.threshold,
                                                              "year": s.year})
    meta = catalog.indicators.get(s.indicator)
    return Reason(code=f"suggested_{s.direction}", params={"indicator": s.indicator, "value": s.value, "unit": meta.unit if meta else "",
                                                           "threshold": s.threshold, "year": s.year})


def new_engagement(catalog: Catalog, country: str, city: str, population: int, area_km2: float,
                   budget_usd: float = 10_000_000, project_type: str = "brownfield_retrofit",
                   suggested_needs: bool = True) -> Engagement:
    """A new engagement prefilled from the country's datasets: estimated readiness, national hazards and
    data-protection law, and (with ``suggested_needs``) the suggested needs at low severity."""
    profile = catalog.countries[country]
    readiness, _ = estimate_readiness(profile)
    readiness = readiness.model_copy(update={"data_protection_law": data_protection_law(profile)})
    needs = {
        s.need: NeedInput(severity=SUGGESTED_SEVERITY, suggestion=as_suggestion(s))
        for s in suggest_needs(profile, catalog)
    } if suggested_needs else {}
    return Engagement(
        country=country, city=city, population=population, area_km2=area_km2,
        project_type=project_type,
        needs=needs, readiness=readiness, hazards=national_hazards(profile),
        budget=Budget(amount=budget_usd, currency="USD"),
    )
