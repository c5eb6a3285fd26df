"""Which financing channels fit each phase, and the rule that made each eligible or not.

A channel is considered for a phase when it pays for that phase. Each eligibility rule in the catalog is then
checked against the partner: income group, LDC status, ODA eligibility, applicant type, project type, region
and the phase's size. ODA eligibility is approximated by a World Bank income group below "High income" (a
proxy for the OECD DAC list, which is not in the catalog) and says so.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping

from app.core.engagement import Engagement
from app.core.models import Catalog, FinancingChannel
from app.core.recommendation import FinancingOption, MoneyRange, Reason

ODA_INCOME_GROUPS = {"Low income", "Lower middle income", "Upper middle income"}
# sub-national applicants that reach sovereign (government-to-government) finance through their central government
SOVEREIGN_ROUTE = {"local_gov", "public_body", "sez_authority"}
PRIVATE_CAPITAL = ("ppp", "equity")


def _rule(name: str, ok: bool, **params: str | float | int) -> Reason:
    return Reason(code=f"{name}_{'ok' if ok else 'fail'}", params=params)


def check_channel(channel: FinancingChannel, engagement: Engagement, catalog: Catalog, phase_cost_usd: float | None) -> list[Reason]:
    """Every eligibility rule of ``channel`` applied to the engagement, passed or failed."""
    rules = channel.eligibility
    country = catalog.countries[engagement.country]
    income = country.income_group or "not classified"
    reasons: list[Reason] = []
    if rules.income_groups:
        reasons.append(_rule("income", income in rules.income_groups, income=income, allowed=", ".join(rules.income_groups)))
    if rules.ldc_only:
        reasons.append(_rule("ldc", country.ldc, country=country.name))
    if rules.oda_eligible_only:
        reasons.append(_rule("oda", income in ODA_INCOME_GROUPS, income=income))
    if rules.applicant_types:
        applicant = engagement.applicant_type
        if applicant not in rules.applicant_types and applicant in SOVEREIGN_ROUTE and "central_gov" in rules.applicant_types:
            # sovereign finance reaches a city, a public body or a zone authority through its central government
            reasons.append(Reason(code="applicant_route", params={"applicant": applicant, "route": "central_gov"}))
        else:
            reasons.append(_rule("applicant", applicant in rules.applicant_types, applicant=applicant,
                                 allowed=", ".join(rules.applicant_types)))
    if rules.project_types:
        reasons.append(_rule("project_type", engagement.project_type in rules.project_types, project_type=engagement.project_type,
                             allowed=", ".join(rules.project_types)))
    if rules.regions:
        region = country.region or "none"
        reasons.append(_rule("region", region in rules.regions, region=region, allowed=", ".join(rules.regions)))
    if phase_cost_usd is not None and rules.min_project_usd is not None:
        reasons.append(_rule("min_size", phase_cost_usd >= rules.min_project_usd, cost_usd=round(phase_cost_usd),
                             limit_usd=round(rules.min_project_usd)))
    if phase_cost_usd is not None and rules.max_project_usd is not None:
        reasons.append(_rule("max_size", phase_cost_usd <= rules.max_project_usd, cost_usd=round(phase_cost_usd),
                             limit_usd=round(rules.max_project_usd)))
    size = channel.typical_size
    if phase_cost_usd is not None and size is not None and size.currency in catalog.rates:
        most = size.max / catalog.rates[size.currency].per_usd * catalog.rates["USD"].per_usd if "USD" in catalog.rates else None
        if most is not None and phase_cost_usd > most:  # eligible, but it pays for a part of the phase only
            reasons.append(Reason(code="pays_part", params={"max_usd": round(most), "cost_usd": round(phase_cost_usd)}))
    if not any(r.code != "pays_part" for r in reasons):
        reasons.append(Reason(code="no_restriction"))
    if not channel.terms_verified:
        reasons.append(Reason(code="terms_unverified"))
    return reasons


def options(catalog: Catalog, engagement: Engagement, phase_costs: Mapping[str, MoneyRange],
            phase_modules: Mapping[str, list[str]] | None = None) -> list[FinancingOption]:
    """For the planning phase and each roadmap phase, every channel that pays for it, eligible first.

    Private capital (PPP, equity) is repaid from user fees or tariffs: it is open to a phase only when one of the
    phase's modules has such a revenue model (``Module.revenue_model``)."""
    out: list[FinancingOption] = []
    phases = ["planning", *phase_costs]
    for phase in phases:
        cost = phase_costs[phase].typical if phase in phase_costs else None
        modules = (phase_modules or {}).get(phase, [])
        earns = any(catalog.modules[m].revenue_model for m in modules if m in catalog.modules)
        found = []
        for channel in sorted(catalog.financing.values(), key=lambda c: c.id):
            if phase not in channel.phases:
                continue
            reasons = check_channel(channel, engagement, catalog, cost)
            if channel.kind in PRIVATE_CAPITAL and phase_modules is not None and phase != "planning":
                reasons.insert(0, _rule("revenue", earns))
            eligible = not any(r.code.endswith("_fail") for r in reasons)
            found.append(FinancingOption(channel_id=channel.id, phase=phase, eligible=eligible,
                                         preferred=channel.id in engagement.preferred_financing, reasons=reasons))
        found.sort(key=lambda o: (not o.eligible, not o.preferred, o.channel_id))
        out.extend(found)
    return out


def next_intake_deadline(cutoff_month: int, today: dt.date) -> dt.date:
    """The last day on which a proposal is still considered in a selection: the end of ``cutoff_month`` this year,
    or next year once that day has passed (a channel whose intake closes at the end of April, asked in May, is
    next year's April)."""
    year = today.year
    deadline = dt.date(year, cutoff_month, calendar.monthrange(year, cutoff_month)[1])
    if today > deadline:
        deadline = dt.date(year + 1, cutoff_month, calendar.monthrange(year + 1, cutoff_month)[1])
    return deadline
