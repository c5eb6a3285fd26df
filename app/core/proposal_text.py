"""Proposal sections that are mostly frame text: cover, summary, architecture, risks, glossary.

Split from :mod:`app.core.proposal_build` to keep both small. Every sentence goes through the injected
``gettext`` so the ``proposal`` message catalogs can translate it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from app.core.financing import next_intake_deadline
from app.core.models import DataProtection
from app.core.proposal import (
    Architecture,
    BaselineRow,
    Costs,
    Cover,
    Diagnosis,
    ExecutiveSummary,
    Financing,
    Meta,
    NextSteps,
    PilotLine,
    RiskRow,
    Risks,
    Row,
    Term,
)

if TYPE_CHECKING:
    from app.core.proposal_build import Builder

Gettext = Callable[[str], str]

TITLE_EN = "Smart city pre-consulting proposal"
TITLE_KO = "스마트시티 사전컨설팅 제안서"
NOTICE_EN = "Indicative, non-binding"
NOTICE_KO = "참고용 · 구속력 없음"

KINDS = {
    "planning_grant": "Planning grant", "grant": "Grant", "concessional_loan": "Concessional loan", "loan": "Loan",
    "equity": "Equity", "technical_assistance": "Technical assistance", "ppp": "Public-private partnership",
    "own_budget": "Own budget",
}


# A module's quantity as the proposal says it: English singular and plural of each scale unit (translated through
# the proposal catalog); "city" and "lump_sum" are whole systems, said as such rather than counted.
UNIT_WORDS: dict[str, tuple[str, str]] = {
    "km_road": ("km of road", "km of road"), "intersection": ("intersection", "intersections"), "bus": ("bus", "buses"),
    "stop": ("stop", "stops"), "bay": ("parking bay", "parking bays"), "household": ("household", "households"),
    "meter": ("meter", "meters"), "luminaire": ("luminaire", "luminaires"), "camera": ("camera", "cameras"),
    "km2": ("km²", "km²"), "bin": ("bin", "bins"), "building": ("building", "buildings"), "charger": ("charger", "chargers"),
    "sensor": ("sensor", "sensors"), "site": ("site", "sites"), "school": ("school", "schools"),
    "facility": ("facility", "facilities"), "user": ("user", "users"), "vehicle": ("vehicle", "vehicles"),
    "km_network": ("km of network", "km of network"),
}
WHOLE_UNITS = ("city", "lump_sum")


def kind_label(kind: str, _: Gettext) -> str:
    return _(KINDS.get(kind, kind))


def cover(b: Builder, meta: Meta) -> Cover:
    title = b._(TITLE_EN)
    alt, notice_alt = (TITLE_EN, NOTICE_EN) if b.lang == "ko" else (TITLE_KO, NOTICE_KO)
    return Cover(title=title, title_alt=alt, partner=meta.partner, city=meta.city, country=meta.country, date=meta.date,
                 notice=b._(NOTICE_EN), notice_alt=notice_alt)


def summary(b: Builder, today: dt.date) -> ExecutiveSummary:
    tier = b.r.tier("recommended")
    needs = [b.tt(b.c.needs[c].name) for c, _n in sorted(b.e.needs.items(), key=lambda kv: (-kv[1].severity, kv[0]))][:5]
    fin = []
    for phase in dict.fromkeys(o.phase for o in b.r.financing):
        names = [b.tt(b.c.financing[o.channel_id].name).text for o in b.r.financing if o.phase == phase and o.eligible][:4]
        if names:
            fin.append(Row(label=b.label(phase), value=", ".join(names)))
    months = max((i.end_month for i in b.r.roadmap.items), default=0)
    ordered = sorted(b.e.needs.items(), key=lambda kv: (-kv[1].severity, kv[0]))
    funding = b.funding
    loans = list({t.text: t for row in funding for t in row.loans}.values())
    phase_of = {i.module_id: i.phase for i in b.r.roadmap.items}
    pilots = [PilotLine(module=b.mod_name(m), scope=b.tt(pilot.description), study=phase_of.get(m) == "planning") for m in tier.pilots
              if (pilot := b.c.modules[m].scale.pilot) is not None]
    return ExecutiveSummary(
        partner=b.partner_name(), city=b.city_name(),
        critical=[b.tt(b.c.needs[c].name) for c, n in ordered if n.severity >= 4],
        others=[b.tt(b.c.needs[c].name) for c, n in ordered if n.severity < 4][:4],
        pilots=pilots,
        unanswered=[b.tt(b.c.needs[str(r.params["need"])].name) for r in b.r.uncovered
                    if str(r.params.get("need")) in b.c.needs and not r.code.startswith("partly_")],
        partly=[b.tt(b.c.needs[str(r.params["need"])].name) for r in b.r.uncovered
                if str(r.params.get("need")) in b.c.needs and r.code.startswith("partly_")],
        gap_usd=sum(row.gap_usd for row in funding), loans=loans[:2],
        request_by=next_intake_deadline(planning.intake_cutoff_month, today)
        if (planning := b.c.financing.get("kcity-planning")) and planning.intake_cutoff_month else None,
        needs=needs, tier_label=b.label("recommended"), modules=[b.mod_name(m) for m in b.ordered()],
        capex=b.r.costs.capex_with_contingency, opex_per_year=b.r.costs.opex_per_year, total=b.r.costs.total_over_horizon,
        horizon_years=b.e.horizon_years, contingency_pct=b.e.contingency_pct, budget_usd=tier.budget_usd, months=months,
        financing=fin,
        next_steps=[b._("Validate needs, readiness and budget with the lead agency."),
                    b._("Submit a K-City Network planning-type proposal to KIND."),
                    b._("Collect baseline data and agree a memorandum of understanding.")],
    )


def baselines(b: Builder) -> list[BaselineRow]:
    return [BaselineRow(need=b.tt(b.c.needs[c].name), name=n.baseline.name, value=n.baseline.value, unit=n.baseline.unit,
                        year=n.baseline.year) for c, n in b.e.needs.items() if n.baseline is not None]


def architecture(b: Builder) -> Architecture:
    platforms = [b.mod_name(m) for m in b.ordered() if b.c.modules[m].domain in ("data_platform", "connectivity")]
    standards: dict[str, list[str]] = {}
    for m in b.ordered():
        for s in b.c.modules[m].standards:
            standards.setdefault(s, []).append(b.tt(b.c.modules[m].name).text)
    risk_label = {"low": b._("low"), "medium": b._("medium"), "high": b._("high")}
    protection = [Row(label=b.tt(b.c.modules[m].name).text, value=risk_label[b.c.modules[m].data_protection_risk]) for m in b.ordered()]
    national = national_law(b)
    return Architecture(platforms=platforms, standards=[Row(label=s, value=", ".join(ms)) for s, ms in sorted(standards.items())],
                        protection=protection, law_in_place=b.e.readiness.data_protection_law,
                        high_risk=sum(1 for m in b.selected if b.c.modules[m].data_protection_risk == "high"),
                        national_laws=national.laws[:NAMED_LAWS] if national else [], national_year=national.year if national else None,
                        national_more=max(0, len(national.laws) - NAMED_LAWS) if national else 0,
                        national_refs=b.src.cite([national.source_id]) if national else [])


NAMED_LAWS = 2  # the tracker may list many laws; the proposal names the first ones and counts the rest


def national_law(b: Builder) -> DataProtection | None:
    """The national data-protection legislation a dataset records, when the consultant did not assess the law:
    a fact with its source and year, labelled national (how it applies to the city's systems is still to confirm)."""
    dp = b.c.countries[b.e.country].data_protection
    if b.e.readiness.data_protection_law is not None or dp is None or dp.status != "legislation":
        return None
    return dp


def risks(b: Builder, diagnosis: Diagnosis, costs: Costs, fin: Financing) -> Risks:
    _ = b._
    pilot = b.has_pilot
    rows: list[RiskRow] = []
    for r in diagnosis.readiness:
        if r.gap:
            rows.append(RiskRow(category=_("Institutional"), level=_("high") if r.score == 0 else _("medium"),
                                risk=_("Weak {dimension} (score {score} of 4) may delay adoption.").format(dimension=r.label, score=r.score),
                                mitigation=_("Include capacity building and invitational training in the planning study; "
                                             "assign a counterpart team.")))
    hard = [c for c in diagnosis.missing if c.severity == "hard"]
    for c in hard:
        rows.append(RiskRow(category=_("Technical"), level=_("high"),
                            risk=_("{condition} is not in place; the modules that need it cannot operate without it.").format(condition=c.label),
                            mitigation=_("Schedule the enabling module or works first, as the roadmap does, and confirm it in the survey.")))
    if b.e.readiness.data_protection_law is False:
        rows.append(RiskRow(category=_("Data protection"), level=_("high"),
                            risk=_("The partner has no personal-data protection law in force."),
                            mitigation=_("Adopt data-sharing and privacy rules before collecting personal data; "
                                         "start with modules of low data-protection risk.")))
    elif (b.e.readiness.data_protection_law is None and national_law(b) is None
          and any(b.c.modules[m].data_protection_risk == "high" for m in b.selected)):
        rows.append(RiskRow(category=_("Data protection"), level=_("medium"),
                            risk=_("The legal basis for processing personal data has not been assessed yet."),
                            mitigation=_("Confirm the applicable data-protection law and its implementing rules in the planning "
                                         "study, before any module that processes personal data.")))
    n_high = sum(1 for m in b.selected if b.c.modules[m].data_protection_risk == "high")
    if n_high:
        rows.append(RiskRow(category=_("Social"), level=_("medium"),
                            risk=_("{n} selected modules process personal or video data; public acceptance may be low.").format(n=n_high),
                            mitigation=_("Publish the purpose and retention rules, run a privacy impact assessment and "
                                         "involve residents in the pilot.") if pilot else
                            _("Publish the purpose and retention rules, run a privacy impact assessment and involve residents "
                              "from the first phase.")))
    if costs.low_confidence:
        rows.append(RiskRow(category=_("Financial"), level=_("medium"),
                            risk=_("{n} module costs are low-confidence estimates.").format(n=costs.low_confidence),
                            mitigation=_("Replace estimates with quotations during the feasibility study.")))
    if costs.capex_with_contingency.max > costs.budget_usd:
        later = any(i.phase in ("phase_2", "phase_3") for i in b.r.roadmap.items)
        rows.append(RiskRow(category=_("Financial"), level=_("medium"),
                            risk=_("The upper end of the capital cost range exceeds the budget envelope."),
                            mitigation=_("Keep phase 2 and later modules conditional on the pilot's results and on confirmed financing.")
                            if pilot and later else
                            _("Keep phase 2 and later modules conditional on the results of phase 1 and on confirmed financing.")
                            if later else  # one construction phase: there is no later phase to hold back
                            _("Fix the scope of phase 1 against confirmed financing in the planning study, and tender it in lots "
                              "that can be deferred.")))
    rows.append(RiskRow(category=_("Financial"), level=_("medium"),
                        risk=_("Operation and maintenance costs continue after handover."),
                        mitigation=_("Budget O&M from the start and agree the operating model (in-house, outsourced or concession).")))
    if any(not c.verified for c in fin.channels if c.eligible_in):
        rows.append(RiskRow(category=_("Financial"), level=_("low"),
                            risk=_("Some eligible channels have terms not verified from a public source."),
                            mitigation=_("Confirm current terms and calls with each provider before relying on them.")))
    if any(i.beyond_horizon for i in b.r.roadmap.items):
        rows.append(RiskRow(category=_("Technical"), level=_("medium"),
                            risk=_("Some modules end after the planning horizon."),
                            mitigation=_("Extend the horizon or move these modules to a later phase.")))
    return Risks(rows=rows)


def glossary(_: Gettext) -> list[Term]:
    terms = [
        ("CAPEX", "Capital expenditure: the one-off cost of design, equipment and construction."),
        ("OPEX", "Operating expenditure: the yearly cost of operation and maintenance."),
        ("DGRA", "Digital Government Readiness Assessment of the World Bank, whose foundations structure the readiness scores."),
        ("EDCF", "Economic Development Cooperation Fund: Korea's concessional loans, managed by the Korea Eximbank."),
        ("IOC", "Integrated operations centre: the platform that links city services and their control rooms."),
        ("K-City Network", "Korean government programme that supports partner cities with planning studies and demonstrations."),
        ("KIND", "Korea Overseas Infrastructure & Urban Development Corporation, secretariat of the K-City Network."),
        ("KOICA", "Korea International Cooperation Agency, Korea's grant aid agency."),
        ("MOLIT", "Ministry of Land, Infrastructure and Transport of Korea."),
        ("O&M", "Operation and maintenance."),
        ("ODA", "Official development assistance."),
        ("PMO", "Project management office."),
        ("PPP", "Public-private partnership."),
        ("U4SSC", "United for Smart Sustainable Cities: the ITU and UNECE key performance indicators for smart cities."),
    ]
    return [Term(term=t, definition=_(d)) for t, d in terms]


def next_steps(b: Builder) -> NextSteps:
    pilot = b.has_pilot
    _ = b._
    ch = b.c.financing.get("kcity-planning")
    missing_baselines = [b.tt(b.c.needs[c].name).text for c, n in b.e.needs.items() if n.baseline is None]
    return NextSteps(
        steps=[
            _("Confirm the priority needs, the readiness scores and the budget envelope with the partner's lead agency."),
            _("Prepare a K-City Network proposal to KIND for a planning-type project (master plan or feasibility study) "
              "covering the recommended package."),
            _("Collect the data listed below so that baselines and targets can be set during the planning study."),
            _("Agree a memorandum of understanding that names the lead agency, the counterpart team and the data to be shared."),
            _("Approach the financing channels shown as eligible for the pilot and phase 1 to confirm their current terms.") if pilot
            else _("Approach the financing channels shown as eligible for phase 1 to confirm their current terms."),
        ],
        application=b.t(ch.eligibility.note) if ch else None,
        application_refs=b.src.cite(ch.source_ids) if ch else [],
        # one line for every need without a baseline, not a line each ("… for: A", "… for: B", …)
        data_requests=[_("Baseline value, year and source for: {need}").format(need="; ".join(missing_baselines))]
        * bool(missing_baselines) + [
            _("Existing ICT infrastructure inventory (fibre, data centre, control rooms, IoT networks)"),
            _("Organisation chart of the agencies that would own and operate each module"),
            _("Current operating budgets and tariffs for the services concerned"),
            _("Applicable laws on personal data, procurement and public-private partnership"),
        ],
        mou_items=[
            _("Lead agency and single point of contact"), _("Counterpart staff and working group"),
            _("Data sharing and confidentiality"), _("Site access for surveys"), _("Timeline for the planning study"),
        ],
    )
