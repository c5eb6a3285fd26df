"""Reasons in words: each reason code of the engine as a sentence in the reader's language.

The English sentences and labels below are the message ids of the ``proposal`` gettext catalog; their
translations live in ``templates/locales/<lang>/LC_MESSAGES/proposal.po`` (``scripts/proposal_messages.py``).

Vocabulary labels (readiness dimensions, enabling conditions, phases…) live here too so that the CLI, the
wizard and the proposal describe the engine's decisions with the same words.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from babel.numbers import format_currency, format_decimal

from app.core.costing import significant
from app.core.engagement import Engagement, NeedInput
from app.core.korean import attach_particles
from app.core.models import Catalog, LocalizedText
from app.core.prefill import suggestion_reason
from app.core.recommendation import Adjustment, ModuleScore, Reason, Recommendation
from app.i18n import BABEL_LOCALES, translator

LABELS: dict[str, str] = {
    # World Bank income groups and regions, as the country data gives them
    "Low income": "low income", "Lower middle income": "lower-middle income", "Upper middle income": "upper-middle income",
    "High income": "high income", "very_low": "very low", "very_high": "very high", "low": "low", "medium": "medium", "high": "high",
    "East Asia & Pacific": "East Asia and Pacific", "Europe & Central Asia": "Europe and Central Asia",
    "Latin America & Caribbean": "Latin America and the Caribbean", "Middle East & North Africa": "Middle East and North Africa",
    "North America": "North America", "South Asia": "South Asia", "Sub-Saharan Africa": "Sub-Saharan Africa",
    # readiness dimensions
    "leadership_funding": "leadership and funding",
    "interoperability_governance": "interoperability and governance",
    "user_driven_design": "user-driven design",
    "capabilities_skills": "capabilities and skills",
    "technology_infrastructure": "technology infrastructure",
    "data_infrastructure": "data infrastructure and governance",
    "legislation_regulation": "legislation and regulation",
    "resilience_cybersecurity": "resilience and cybersecurity",
    "digital_ecosystem": "digital ecosystem",
    "connectivity": "connectivity",
    "power_reliability": "power reliability",
    # enabling conditions
    "fibre_backbone": "a fibre backbone",
    "mobile_coverage": "mobile coverage",
    "reliable_power": "reliable power",
    "datacentre_or_cloud": "a data centre or cloud",
    "cctv_control_room": "a CCTV control room",
    "gis_basemap": "a GIS base map",
    "legal_basis_data": "a legal basis for data use",
    "police_fire_mou": "agreements with police and fire services",
    "utility_partner": "a utility partner",
    "operating_agency": "an operating agency",
    "om_budget": "an O&M budget",
    "skilled_staff": "skilled staff",
    "iot_network": "an IoT network",
    "regulatory_sandbox": "a regulatory sandbox",
    "land_and_developer": "land and a master developer",
    # applicant types and project types (financing rules and scores name them)
    "central_gov": "central government",
    "local_gov": "local government",
    "public_body": "public body",
    "intl_org": "international organisation",
    "sez_authority": "special economic zone authority",
    "private": "private company",
    "greenfield_new_town": "greenfield new town",
    "brownfield_retrofit": "retrofit of an existing city",
    "district_regeneration": "district regeneration",
    "single_solution": "single solution",
    "special_economic_zone": "special economic zone",
    # systems a city may already run
    "cctv_network": "a public CCTV network",
    "operations_centre": "a city operations centre",
    "traffic_centre": "a traffic management centre",
    "fibre_network": "a city fibre network",
    "data_centre": "a government data centre or cloud",
    # gis_basemap and iot_network share their label with the enabling condition of the same code
    "bus_tracking": "bus tracking (AVL) and passenger information",
    "smart_water_meters": "smart water meters",
    "smart_electricity_meters": "smart electricity meters",
    "public_wifi": "public Wi-Fi",
    # phases
    "planning": "Planning",
    "pilot": "Pilot",
    "phase_1": "Phase 1",
    "phase_2": "Phase 2",
    "phase_3": "Phase 3",
    # tiers
    "essential": "Essential",
    "recommended": "Recommended",
    "comprehensive": "Comprehensive",
    # hazards
    "flood": "flood",
    "landslide": "landslide",
    "heat": "heat",
    "drought": "drought",
    "earthquake": "earthquake",
    "cyclone": "cyclone",
    "wildfire": "wildfire",
    "sea_level_rise": "sea-level rise",
    # maturity
    "pilot_maturity": "pilot stage",
    "proven_domestic": "proven in Korea",
    "proven_overseas": "proven overseas",
}

MESSAGES: dict[str, str] = {
    "hazard_bonus": "helps with the city's hazards ({hazards}): +{points} points",
    "hazard_help": "helps with the city's hazards ({hazards})",  # hazard_bonus in plain words, without the points
    # why the tool suggested a need (national data: a city can differ)
    "suggested_above": "national indicator ({year}): {indicator} is {value} {unit}, above {threshold}",
    "suggested_below": "national indicator ({year}): {indicator} is {value} {unit}, below {threshold}",
    "suggested_by_exposure": "national exposure ({year}): {index} rates it {value} of {scale}",
    "enabling_work": "needs {condition}: enabling work for the partner",
    "needs_enabling_module": "needs {condition}: an enabling module is added",
    "readiness_gap": "{dimension} is {actual} of the {needed} it needs",
    "readiness_too_low": "readiness too low: {dimension} is {actual}, it needs {needed}",
    "maturity": "maturity: {maturity}",
    "project_type": "suits {suits} rather than this {project_type} project",
    "soft_prerequisite": "{condition} is not yet in place: plan enabling work",
    "hard_prerequisite": "blocked: needs {condition}, which is not in place and no module provides",
    "dependency_of": "added because {module} needs it",
    "enables": "added to provide what {module} needs",
    "required_by_consultant": "required by the consultant",
    "required_over_budget": "the required modules cost {required_usd} against a budget of {budget_usd}",
    "excluded_by_consultant": "excluded by the consultant",
    "dependency_unavailable": "needs {dependency}, which is excluded or blocked",
    "conflicts_with": "conflicts with {module}, which is selected",
    "alternative_to": "an alternative to {module}, which is selected",
    "over_budget": "costs {cost_usd}, more than the whole budget of {budget_usd}",
    "over_budget_with": "costs {cost_usd} with what it needs ({enablers}), more than the whole budget of {budget_usd}",
    "budget_committed": "would cost {cost_usd}; the budget goes first to the partner's higher-priority needs ({remaining_usd} left)",
    "already_in_place": "the city already has this system",
    "readiness_not_assessed": "{dimension} not assessed (it needs {needed}): to confirm",
    "condition_not_assessed": "needs {condition}, not assessed: to confirm",
    "uncovered": "{need} (severity {severity}) is not answered; the cheapest answer is {module} at {cost_usd}",
    "uncovered_pilot": "{need} (severity {severity}) is not answered; a pilot of {module} would cost {cost_usd}",
    "partly_uncovered": "{need} (severity {severity}) is answered only in part; the module made for it, {module}, would cost {cost_usd}",
    "partly_uncovered_pilot": "{need} (severity {severity}) is answered only in part; a pilot of {module}, made for it, would cost {cost_usd}",
    "uncovered_no_module": "{need} (severity {severity}) is not answered: no available module answers it",
    "empty_tier": "nothing fits {budget_usd}; the cheapest answer to {need} is {module} at {cost_usd}",
    "max_over_budget": "at the high end of the cost range ({max_usd}) it would exceed the budget of {budget_usd}",
    "marginal_fit": "answers the selected needs only marginally",
    "lower_priority": "lower fit for its cost than the modules selected",
    "income_ok": "income group {income} is eligible",
    "income_fail": "income group {income} is not among {allowed}",
    "ldc_ok": "{country} is a Least Developed Country",
    "ldc_fail": "reserved for Least Developed Countries",
    "oda_ok": "ODA-eligible (income group {income}; proxy for the OECD DAC list)",
    "oda_fail": "not ODA-eligible (income group {income})",
    "applicant_ok": "applicant type {applicant} can apply",
    "applicant_route": "open to a {applicant} through the {route}, which applies and borrows on its behalf",
    "applicant_fail": "applicant type {applicant} is not among {allowed}",
    "project_type_ok": "project type {project_type} fits",
    "project_type_fail": "project type {project_type} is not among {allowed}",
    "region_ok": "region {region} is covered",
    "region_fail": "region {region} is not covered ({allowed})",
    "min_size_ok": "phase size {cost_usd} meets the minimum {limit_usd}",
    "min_size_fail": "phase size {cost_usd} is below the minimum {limit_usd}",
    "max_size_ok": "phase size {cost_usd} is within the maximum {limit_usd}",
    "max_size_fail": "phase size {cost_usd} exceeds the maximum {limit_usd}",
    "pays_part": "it typically pays up to {max_usd}, a part of this phase's {cost_usd}: the rest needs other sources",
    "revenue_ok": "a module of this phase earns fees or tariffs that can repay private capital",
    "revenue_fail": "no module of this phase earns fees or tariffs to repay private capital",
    "no_restriction": "no eligibility restriction recorded",
    "terms_unverified": "terms not verified from a public source: confirm with the provider",
}

WHY = {"answers": "Answers {needs}", "answers_none": "Answers none of the selected needs"}


def _(lang: str) -> Callable[[str], str]:
    """The proposal catalog's gettext for ``lang``: every engine sentence and label is a message there, English the id."""
    return translator("proposal", lang)


def label(code: str, lang: str = "en") -> str:
    """A vocabulary code in words, in ``lang`` (English when that language has no translation yet)."""
    english = LABELS.get(code)
    return _(lang)(english) if english else code.replace("_", " ")


def usd(value: float, lang: str = "en") -> str:
    """Dollars as a sentence gives them: three significant figures from ten thousand up ($8,210,000, not $8,205,970)."""
    if abs(value) >= 10_000:
        value = significant(value, 3)
    return format_currency(value, "USD", locale=BABEL_LOCALES.get(lang, "en_US"), format="¤#,##0", currency_digits=False)


def catalog_text(text: LocalizedText, lang: str) -> str:
    """A catalog text in ``lang``: the catalog file's own version, else its translation in ``catalog.po``, else English."""
    return text.get(lang) if text.has(lang) or lang == "en" else translator("catalog", lang)(text.en)


def number(value: float, lang: str = "en") -> str:
    """A number in a sentence, the reader's way (32.5 → "32,5" in Vietnamese), at most three decimals."""
    return format_decimal(value, format="#,##0.###", locale=BABEL_LOCALES.get(lang, "en_US"))


def measured(value: float, lang: str = "en") -> str:
    """A measured value with sensible precision: large values grouped, small ones with 2–3 significant decimals."""
    digits = 0 if abs(value) >= 1000 else 1 if abs(value) >= 10 else 3 if abs(value) < 1 else 2
    return format_decimal(round(value, digits), format="#,##0." + "#" * digits if digits else "#,##0",
                          locale=BABEL_LOCALES.get(lang, "en_US"))


def words(reason: Reason, lang: str = "en", catalog: Catalog | None = None) -> dict[str, str]:
    """The reason's parameters in words: amounts, numbers, module, need and indicator names, vocabulary labels."""
    params: dict[str, str] = {}
    for key, value in reason.params.items():
        if key.endswith("_usd") and isinstance(value, int | float):
            params[key] = usd(value, lang)
        elif key in ("module", "dependency") and catalog is not None and str(value) in catalog.modules:
            params[key] = catalog_text(catalog.modules[str(value)].name, lang)
        elif key == "enablers" and catalog is not None:
            params[key] = ", ".join(catalog_text(catalog.modules[m.strip()].name, lang) if m.strip() in catalog.modules else m.strip()
                                    for m in str(value).split(",") if m.strip())
        elif key == "need" and catalog is not None and str(value) in catalog.needs:
            params[key] = catalog_text(catalog.needs[str(value)].name, lang)
        elif key == "indicator" and catalog is not None and str(value) in catalog.indicators:
            meta = catalog.indicators[str(value)]
            params[key] = catalog_text(meta.name, lang)
        elif key == "unit":  # an indicator's unit, English in the catalog files, translated with the catalog texts
            params[key] = translator("catalog", lang)(str(value)) if lang != "en" else str(value)
        elif key == "income" and str(value) in LABELS:
            params[key] = label(str(value), lang)
        elif key == "year":
            params[key] = str(value)
        elif key in ("value", "threshold", "scale") and isinstance(value, int | float):
            params[key] = measured(value, lang)
        elif key in ("dimension", "condition", "applicant", "project_type", "route", "region"):
            params[key] = label(str(value), lang)
        elif key in ("allowed", "suits") and all(v.strip() in LABELS for v in str(value).split(",")):
            params[key] = ", ".join(label(v.strip(), lang) for v in str(value).split(","))
        elif key == "maturity":
            params[key] = label("pilot_maturity" if value == "pilot" else str(value), lang)
        elif key == "hazards":
            params[key] = ", ".join(label(h.strip(), lang) for h in str(value).split(","))
        else:
            params[key] = value if isinstance(value, str) else number(value, lang)
    return params


def say(reason: Reason, lang: str = "en", catalog: Catalog | None = None) -> str:
    """The reason as a sentence in ``lang``. A translation that does not fit the parameters falls back to English
    (a test renders every code in every language, so this only guards a catalog edited without running it); an
    unknown code or an English message that does not fit its parameters is a programming error and raises."""
    english = MESSAGES[reason.code]
    params = words(reason, lang, catalog)
    try:
        text = _(lang)(english).format(**params)
    except (KeyError, IndexError, ValueError):
        text = english.format(**params)
    return attach_particles(text) if lang == "ko" else text


def suggested(need: NeedInput, lang: str, catalog: Catalog) -> str | None:
    """Why the tool suggested ``need``, in ``lang`` (an engagement saved before suggestions were values: its English
    note), or None when the consultant chose it."""
    if need.suggestion is not None:
        text = say(suggestion_reason(need.suggestion, catalog), lang, catalog)
        return text[:1].upper() + text[1:]
    return need.suggested


def adjustment_text(adj: Adjustment, lang: str = "en", catalog: Catalog | None = None) -> str:
    text = say(adj.reason, lang, catalog)
    return text if adj.factor == 1 else f"{text} (×{adj.factor:.2f})"


def _plain(reason: Reason) -> Reason:
    return reason.model_copy(update={"code": "hazard_help"}) if reason.code == "hazard_bonus" else reason


def why(score: ModuleScore, catalog: Catalog, lang: str = "en", top: int = 3, arithmetic: bool = True) -> str:
    """The fit of a module in one sentence: the needs that drive it and the adjustments applied; with
    ``arithmetic`` each need's severity × relevance and each adjustment's factor (the team's view), else plain words."""
    needs = catalog.needs
    parts = [needs[c.need].name.get(lang) + (f" ({c.severity}×{c.relevance})" if arithmetic else "")
             for c in score.contributions[:top] if c.need in needs]
    lead = _(lang)(WHY["answers"]).format(needs=", ".join(parts)) if parts else _(lang)(WHY["answers_none"])
    extra = [adjustment_text(a, lang, catalog) if arithmetic else say(_plain(a.reason), lang, catalog) for a in score.adjustments]
    text = lead + ("; " + "; ".join(extra) if extra else "") + "."
    return attach_particles(text) if lang == "ko" else text


def recommendation_dict(rec: Recommendation, catalog: Catalog, lang: str = "en") -> dict[str, Any]:
    """The recommendation as plain data with every reason also said in words (for JSON output)."""
    data = rec.model_dump(mode="json")
    data["ranked"] = [
        {"module_id": s.module_id, "domain": s.domain, "score": s.fit, "base": s.base,
         "contributions": [c.model_dump() for c in s.contributions],
         "adjustments": [{"factor": a.factor, "reason": a.reason.code, "text": adjustment_text(a, lang, catalog)} for a in s.adjustments],
         "blocked": say(s.blocked, lang, catalog) if s.blocked else None, "why": why(s, catalog, lang)}
        for s in rec.ranked
    ]
    data["tiers"] = [
        {**t.model_dump(mode="json", exclude={"added_for", "note", "risks"}),
         "added_for": {m: say(r, lang, catalog) for m, r in t.added_for.items()},
         "note": say(t.note, lang, catalog) if t.note else None,
         "risks": [say(r, lang, catalog) for r in t.risks]}
        for t in rec.tiers
    ]
    data["uncovered"] = [{"need": r.params.get("need"), "severity": r.params.get("severity"), "module": r.params.get("module"),
                          "cost_usd": r.params.get("cost_usd"), "pilot": r.code.endswith("uncovered_pilot"),
                          "partly": r.code.startswith("partly_"), "text": say(r, lang, catalog)}
                         for r in rec.uncovered]
    data["to_confirm"] = [{"reason": r.code, **r.params, "text": say(r, lang, catalog)} for r in rec.to_confirm]
    data["excluded"] = [{"module_id": x.module_id, "fit": x.fit, "reason": x.reason.code, "text": say(x.reason, lang, catalog)}
                        for x in rec.excluded]
    data["financing"] = [{**f.model_dump(mode="json", exclude={"reasons"}), "reasons": [say(r, lang, catalog) for r in f.reasons]}
                         for f in rec.financing]
    return data


def recommendation_table(rec: Recommendation, catalog: Catalog, engagement: Engagement, lang: str = "en",
                         top: int = 12) -> list[str]:
    """A readable terminal summary: top modules with why, tiers, exclusions, costs, phases, financing."""

    def name(m: str) -> str:
        return catalog.modules[m].name.get(lang)

    country = catalog.countries[engagement.country].name
    lines = [f"{engagement.city}, {country} — catalog {rec.catalog_version}, input {rec.input_hash}", "", "Top modules by fit:"]
    for s in rec.ranked[:top]:
        flag = "  [blocked]" if s.blocked else ""
        lines.append(f"  {s.fit:7.1f}  {name(s.module_id)}{flag}")
        lines.append(f"           {why(s, catalog, lang)}")
    lines += ["", "Tiers (capex incl. contingency, USD):"]
    for t in rec.tiers:
        status = t.status + (f", gap {t.gap:.2%}" if t.status == "feasible" else "")
        lines.append(f"  {label(t.name, lang):<14} fit {t.fit:7.1f}  {usd(t.capex.min, lang)} – {usd(t.capex.max, lang)} "
                     f"(typical {usd(t.capex.typical, lang)}; budget {usd(t.budget_usd, lang)}; {status})")
        lines.append("      " + ", ".join(name(m) + (" (pilot)" if m in t.pilots else "") for m in t.module_ids)
                     if t.module_ids else "      (none)")
        if t.note:
            lines.append("      " + say(t.note, lang, catalog))
        lines += ["      risk: " + say(r, lang, catalog) for r in t.risks]
    if rec.uncovered:
        lines += ["", "Needs the Recommended tier does not answer:"]
        lines += ["  " + say(r, lang, catalog) for r in rec.uncovered]
    if rec.builds_on:
        lines += ["", "Builds on the city's existing systems: " + ", ".join(name(m) for m in rec.builds_on)]
    if rec.to_confirm:
        lines += ["", "To confirm in the planning study:"]
        lines += ["  " + say(r, lang, catalog) for r in rec.to_confirm]
    if rec.excluded:
        lines += ["", "Left out:"]
        lines += [f"  {name(x.module_id)}: {say(x.reason, lang, catalog)}" for x in rec.excluded[:top]]
    c = rec.costs
    prices = (f"{c.escalation.year} prices, escalated from {c.price_years[0]}–{c.price_years[1]} with "
              + ", ".join(f"{i.country} GDP deflator for {i.currency}" for i in c.escalation.indices)
              if c.escalation else f"prices of {c.price_years[0]}–{c.price_years[1]}, not escalated")
    lines += ["", f"Costs over {engagement.horizon_years} years (USD; {prices}):",
              f"  capex incl. {c.contingency_pct:g}% contingency  {usd(c.capex_with_contingency.typical, lang)} "
              f"({usd(c.capex_with_contingency.min, lang)} – {usd(c.capex_with_contingency.max, lang)})",
              f"  opex over the horizon            {usd(c.opex_over_horizon.typical, lang)}",
              "  rates: " + "; ".join(f"{r.currency} {r.per_usd:,.4g}/USD ({r.year})" for r in c.rates.values() if r.currency != "USD")]
    lines += ["", "Roadmap:"]
    for item in rec.roadmap.items:
        lines.append(f"  {label(item.phase, lang):<8} {item.start:%Y-%m} → {item.end:%Y-%m}  {name(item.module_id)}"
                     + ("  (beyond horizon)" if item.beyond_horizon else ""))
    lines += ["", "Financing (eligible):"]
    for f in rec.financing:
        if f.eligible:
            lines.append(f"  {label(f.phase, lang):<8} {catalog.financing[f.channel_id].name.get(lang)}"
                         + ("  [preferred]" if f.preferred else ""))
    return lines
