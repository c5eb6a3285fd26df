"""Build a :class:`~app.core.proposal.Proposal` from a catalog, an engagement and its recommendation.

Pure: the frame text comes through an injected ``gettext`` callable and the date is a parameter. Every catalog
figure keeps its sources, numbered in order of first citation; citations written inside catalog text as
``[S12]`` are renumbered the same way, so every number printed resolves in the source list.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from app.core import explain, names
from app.core import proposal_money as money
from app.core.engagement import Engagement
from app.core.facts import condition_states, stated_conditions
from app.core.models import Catalog, LocalizedText, Module
from app.core.proposal import (
    BaselineRow,
    ChannelFacts,
    Chapter,
    CityProfile,
    ConditionRow,
    Diagnosis,
    DocumentControl,
    Edition,
    Flow,
    FundingRow,
    GanttRow,
    Goal,
    Implementation,
    IndicatorRow,
    KpiRow,
    Meta,
    ModuleCard,
    NeedRow,
    Packages,
    PhaseRow,
    PrereqRow,
    PriorityNeeds,
    Proposal,
    ReadinessRow,
    ReferenceRow,
    RequestContext,
    Roadmap,
    Row,
    SourceEntry,
    Text,
    TierRow,
    Vision,
)
from app.core.proposal_text import (
    architecture,
    baselines,
    cover,
    glossary,
    next_steps,
    risks,
    summary,
)
from app.core.recommendation import Reason, Recommendation
from app.core.roadmap import add_months
from app.core.scoring import PRIMARY_RELEVANCE
from app.core.vocab import READINESS_DIMENSIONS

Gettext = Callable[[str], str]
CITATION_RUN = re.compile(r"(?:\s*\[[A-Za-z0-9][A-Za-z0-9_.-]*\])+")
CITATION = re.compile(r"\[([A-Za-z0-9][A-Za-z0-9_.-]*)\]")
# Indicators a partner government may read as a judgement of itself, unrelated to a smart-city offer: the working
# paper keeps them, the partner edition leaves them out.
SENSITIVE_INDICATORS = frozenset({"wgi_voice_accountability", "wgi_political_stability", "wgi_control_of_corruption",
                                  "wgi_rule_of_law", "slum_population_pct_of_urban"})
PROFILE_INDICATORS = (
    "population", "urban_population_pct", "gdp_per_capita_usd", "gni_per_capita_atlas_usd", "internet_users_pct",
    "fixed_broadband_per_100", "electricity_access_pct", "pm25_mean_exposure_ugm3", "slum_population_pct_of_urban",
    "egdi", "wgi_government_effectiveness", "wgi_regulatory_quality",
)
FRAME_TERMS = ("K-City Network", "KOICA", "O&M", "PMO")  # glossary terms the templates' own text uses
CHAPTERS = (
    ("summary", "", "Executive summary"),
    ("context", "1", "Request and context"),
    ("profile", "2", "City profile and baseline"),
    ("diagnosis", "3", "Diagnosis and readiness"),
    ("needs", "4", "Priority needs"),
    ("vision", "5", "Vision, goals and target KPIs"),
    ("packages", "6", "Recommended solution package"),
    ("architecture", "7", "Architecture and data governance"),
    ("roadmap", "8", "Phased roadmap"),
    ("costs", "9", "Indicative costs"),
    ("financing", "10", "Financing options"),
    ("implementation", "11", "Implementation and governance"),
    ("risks", "12", "Risks and mitigations"),
    ("next_steps", "13", "Next steps"),
    ("annex_indicators", "", "Annex A. Indicator table"),
    ("annex_financing", "", "Annex B. Financing channels"),
    ("glossary", "", "Annex C. Glossary"),
    ("sources", "", "Annex D. Sources"),
)

CARD_REFERENCES = 4  # references on a module card of the partner edition: the partner's country, overseas, then Korea
OPEN_A_PAGE = frozenset({"summary", "context", "annex_indicators"})  # the rest follow on: no near-empty pages


class Sources:
    """Numbers sources in order of first citation and rewrites ``[S12]`` citations inside catalog text."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.numbers: dict[str, int] = {}

    def cite(self, ids: Iterable[str]) -> list[int]:
        out = []
        for sid in ids:
            if sid not in self.catalog.sources:
                continue
            if sid not in self.numbers:
                self.numbers[sid] = len(self.numbers) + 1
            if self.numbers[sid] not in out:
                out.append(self.numbers[sid])
        return sorted(out)  # a citation list reads in order: [2, 3, 4], never [3, 2, 4]

    def rewrite(self, text: str) -> str:
        def run(match: re.Match[str]) -> str:
            ids = CITATION.findall(match.group(0))
            known = self.cite(ids)
            if len(known) != len(set(ids)):  # not all citations: leave the text as it is
                return match.group(0)
            return " [" + ", ".join(str(n) for n in known) + "]"

        return CITATION_RUN.sub(run, text)

    def entries(self) -> list[SourceEntry]:
        return [
            SourceEntry(number=n, id=sid, title=s.title, publisher=s.publisher, url=s.url, date=s.date, accessed=s.accessed)
            for sid, n in sorted(self.numbers.items(), key=lambda kv: kv[1])
            for s in [self.catalog.sources[sid]]
        ]


class Builder:
    def __init__(self, catalog: Catalog, engagement: Engagement, rec: Recommendation, lang: str, gettext: Gettext,
                 edition: Edition = "partner", content: CatalogTranslations | None = None):
        self.c, self.e, self.r, self.lang, self._ = catalog, engagement, rec, lang, gettext
        self.content = content or CatalogTranslations()  # catalog texts in a language the YAML files do not carry
        self.machine_assisted = 0  # catalog texts shown in a translation nobody has reviewed yet
        self.edition = edition
        self.working = edition == "working"
        self.has_pilot = any(i.phase == "pilot" for i in rec.roadmap.items)  # the roadmap has a pilot phase
        self.in_vision: set[tuple[str, int]] = set()  # (module, KPI index) the goals of chapter 5 show: said once
        self.src = Sources(catalog)
        self.fallback_used = False
        tier = rec.tier("recommended")
        self.selected = tier.module_ids
        self.items = {i.module_id: i for i in rec.roadmap.items}
        self.costs = {m.module_id: m for m in rec.costs.modules}
        self.states = condition_states(engagement, catalog)
        self.conditions = {code for code, state in self.states.items() if state == "yes"}
        self.stated = stated_conditions(engagement, catalog)  # in place because the consultant said so, not inferred

    # ------------------------------------------------------------ helpers

    def t(self, text: LocalizedText | None) -> Text | None:
        if text is None:
            return None
        if self.lang in ("en", "ko") or text.has(self.lang):
            return Text(text=self.src.rewrite(text.get(self.lang)), fallback=False)
        translated = self.content.texts.get(text.en)
        if translated:
            self.machine_assisted += text.en not in self.content.reviewed
            return Text(text=self.src.rewrite(translated), fallback=False)
        self.fallback_used = True
        return Text(text=self.src.rewrite(text.en), fallback=True)

    def unit(self, english: str) -> str:
        """An indicator's unit, which the catalog gives in English only, in the proposal's language when translated
        (a label like the frame text: not counted among the machine-assisted catalog texts)."""
        return self.content.texts.get(english, english) if self.lang != "en" else english

    def tt(self, text: LocalizedText) -> Text:
        out = self.t(text)
        assert out is not None
        return out

    def said(self, sentence: str, english: str) -> Text:
        """A sentence from :mod:`app.core.explain`, marked as English when its translation is still missing."""
        fallback = self.lang != "en" and sentence == english
        self.fallback_used |= fallback
        return Text(text=sentence, fallback=fallback)

    def reason(self, reason: Reason) -> Text:
        return self.said(explain.say(reason, self.lang, self.c), explain.say(reason, "en", self.c))

    def label(self, code: str) -> str:
        return explain.label(code, self.lang)

    def country_name(self) -> str:
        """The partner country's name in the proposal's language (CLDR through Babel), else the catalog's name."""
        return names.country_name(self.c, self.e.country, self.lang)

    def city_name(self) -> str:
        """The city as the reader writes it: its local name in the partner's own language edition."""
        local = self.e.local_names
        return local.city if local is not None and local.language == self.lang else self.e.city

    def partner_name(self) -> str:
        local = self.e.local_names
        if local is not None and local.language == self.lang and local.partner:
            return local.partner
        return self.e.applicant_org or self.city_name()

    @functools.cached_property
    def funding(self) -> list[FundingRow]:
        """The indicative financing plan, built once for the summary and the financing chapter."""
        return money.plan(self)

    def mod_name(self, mid: str) -> Text:
        return self.tt(self.c.modules[mid].name)

    # ------------------------------------------------------------ sections

    def meta(self, today: dt.date) -> Meta:
        country = self.country_name()
        partner = self.partner_name()
        # the engagement's title is the team's label for the case; the partner's copy carries the document's own title
        generated = self._("Smart city pre-consulting proposal for {city}").format(city=self.city_name())
        title = (self.e.title or generated) if self.working else generated
        modules = [self.c.modules[m].name.en for m in self.selected]
        return Meta(
            title=title, subject=self._("Indicative, non-binding pre-consulting proposal"),
            keywords=["K-City Network", "smart city", "pre-consulting", self.city_name(), country, *modules][:12],
            partner=partner, city=self.city_name(), country=country, country_iso3=self.e.country, lang=self.lang, date=today,
            catalog_version=self.r.catalog_version, input_hash=self.r.input_hash, consultant=self.e.consultant,
            fallback_used=False, edition=self.edition,
        )

    def chapters(self) -> list[Chapter]:
        return [Chapter(anchor=a, number=n, title=self._(title), new_page=a in OPEN_A_PAGE) for a, n, title in CHAPTERS]

    def control(self, meta: Meta) -> DocumentControl:
        _ = self._
        rows = [
            Row(label=_("Partner"), value=meta.partner),
            Row(label=_("City and country"), value=f"{meta.city}, {meta.country}"),
            Row(label=_("Prepared by"), value=meta.consultant or _("K-City Network pre-consulting team")),
            Row(label=_("Status"), value=_("Indicative, non-binding pre-consulting proposal")),
        ]
        if self.working:  # reproducibility records are for the team, not for the partner
            rows += [Row(label=_("Edition"), value=_("Working paper for the consulting team: not for the partner")),
                     Row(label=_("Catalog version"), value=meta.catalog_version), Row(label=_("Input hash"), value=meta.input_hash)]
        disclaimer = [
            _("This document is an indicative, non-binding pre-consulting proposal. It is not an offer, a feasibility "
              "study or a commitment of funds by any Korean or international institution."),
            _("Costs are order-of-magnitude ranges derived from published Korean and overseas projects; they are not "
              "quotations. Eligibility for financing is screened against published rules and must be confirmed with "
              "each provider."),
            _("Every figure taken from a publication carries a number in square brackets that points to the source "
              "list in Annex D. Statements without a number are the consultant's assessment or the partner's input."),
        ]
        return DocumentControl(rows=rows, disclaimer=disclaimer)

    def context(self) -> RequestContext:
        _ = self._
        country = self.country_name()
        request = [
            _("{partner} asked for a pre-consulting review of smart-city solutions for {city}, {country}: which Korean "
              "solutions answer the city's priority needs, in what order, at what indicative cost and with which "
              "financing.").format(partner=self.partner_name(), city=self.city_name(), country=country),
        ]
        shared = self.working or self.e.share_notes  # the consultant's notes are internal unless shared on purpose
        notes = self.src.rewrite(self.e.notes) if self.e.notes and shared else None
        case_refs = self.src.cite([s for s in self.e.sources if s in self.c.sources])
        programmes = []
        for cid in ("kcity-planning", "kcity-demonstration"):
            ch = self.c.financing.get(cid)
            if ch is None:
                continue
            programmes.append(ChannelFacts(
                id=cid, name=self.tt(ch.name), provider=self.tt(ch.provider), pays_for=self.tt(ch.pays_for),
                size=ch.typical_size, eligibility=self.t(ch.eligibility.note), notes=self.t(ch.notes),
                refs=self.src.cite(ch.source_ids)))
        return RequestContext(request=request, notes=notes, case_refs=case_refs, programmes=programmes,
                              project_type=self.label(self.e.project_type), budget=self.e.budget.amount,
                              budget_currency=self.e.budget.currency, start=self.e.start_date, horizon_years=self.e.horizon_years)

    def indicator_rows(self, codes: Iterable[str]) -> list[IndicatorRow]:
        country = self.c.countries[self.e.country]
        rows = []
        for code in codes:
            if code in SENSITIVE_INDICATORS and not self.working:
                continue
            meta, value = self.c.indicators.get(code), country.indicators.get(code)
            if meta is None or value is None:
                continue
            rows.append(IndicatorRow(code=code, name=self.tt(meta.name), value=value.value, unit=self.unit(meta.unit), year=value.year,
                                     refs=self.src.cite([meta.source_id])))
        return rows

    def profile(self) -> tuple[list[Row], list[IndicatorRow]]:
        _ = self._
        e = self.e
        country = self.c.countries[e.country]
        facts = [
            Row(label=_("City"), value=e.city),
            Row(label=_("Country"), value=f"{self.country_name()} ({e.country})"),
            Row(label=_("Population (partner input)"), amount=e.population),
            Row(label=_("Area (partner input)"), amount=round(e.area_km2), unit="km²"),
            Row(label=_("Density"), amount=round(e.population / e.area_km2), unit="/ km²"),
            Row(label=_("World Bank income group"), value=_(country.income_group or "not classified"),
                refs=self.src.cite(["wb-income-fy2025"])),
            Row(label=_("Region"), value=_(country.region or "—")),
        ]
        return facts, self.indicator_rows(PROFILE_INDICATORS)

    def diagnosis(self) -> Diagnosis:
        _ = self._
        rd = self.e.readiness
        rows = []
        for dim in READINESS_DIMENSIONS:
            score = rd.score(dim)
            basis = _("estimated from national indicators") if rd.estimated_from_indicators and score is not None else (
                _("consultant assessment") if score is not None else _("not assessed"))
            rows.append(ReadinessRow(code=dim, label=self.label(dim), score=score, gap=score is not None and score <= 1, basis=basis))
        missing: dict[tuple[str, str], list[Text]] = {}
        unknown: dict[tuple[str, str], list[Text]] = {}
        for mid in self.selected:
            for pre in self.c.modules[mid].prerequisites:
                state = self.states.get(pre.code, "not_assessed")
                if state == "no":
                    missing.setdefault((pre.code, pre.severity), []).append(self.mod_name(mid))
                elif state == "not_assessed" and pre.severity == "hard":
                    unknown.setdefault((pre.code, pre.severity), []).append(self.mod_name(mid))

        def rows_of(found: dict[tuple[str, str], list[Text]]) -> list[ConditionRow]:
            return [ConditionRow(label=self.label(code), severity=sev, modules=mods)
                    for (code, sev), mods in sorted(found.items(), key=lambda kv: (kv[0][1] != "hard", kv[0][0]))]

        gaps = [_("{dimension} scores {score} of 4").format(dimension=r.label, score=r.score) for r in rows if r.gap]
        refs = self.src.cite(["wb-wdi", "un-egov-2024", "wb-wgi"]) if rd.estimated_from_indicators else []
        return Diagnosis(readiness=rows, estimated=rd.estimated_from_indicators,
                         in_place=[self.label(c) for c in sorted(self.conditions & self.stated)],
                         inferred=[self.label(c) for c in sorted(self.conditions - self.stated)],
                         missing=rows_of(missing), to_confirm=rows_of(unknown), gaps=gaps,
                         not_assessed=sum(1 for r in rows if r.score is None),
                         unassessed=[r.label for r in rows if r.score is None], refs=refs)

    def needs(self) -> PriorityNeeds:
        _ = self._
        rows, flows = [], []
        needs, domains = self.c.needs, self.c.domains
        for code, inp in sorted(self.e.needs.items(), key=lambda kv: (-kv[1].severity, kv[0])):
            need = needs[code]
            # the modules that answer the need as the engine counts coverage (a marginal link is not an answer)
            mods = [m for m in self.selected if self.c.modules[m].relevance(code) >= PRIMARY_RELEVANCE]
            for m in mods:
                flows.append(Flow(need=self.tt(need.name).text, module=self.tt(self.c.modules[m].name).text,
                                  value=inp.severity * self.c.modules[m].relevance(code)))
            quick = any(self.items[m].phase in ("pilot", "phase_1") and self.c.modules[m].implementation_months.total <= 15
                        for m in mods if m in self.items)
            horizon = "unaddressed" if not mods else ("quick_win" if quick else "structural")
            labels = {"quick_win": _("Quick win"), "structural": _("Structural measure"), "unaddressed": _("Not covered by this package")}
            why = explain.suggested(inp, self.lang, self.c)  # a suggestion says it is national data
            basis = self.src.rewrite(inp.evidence) if inp.evidence else (why or _("Partner input"))
            rows.append(NeedRow(code=code, name=self.tt(need.name), domain=self.tt(domains[need.domain].name), severity=inp.severity,
                                basis=basis, modules=[self.mod_name(m) for m in mods], horizon=horizon, horizon_label=labels[horizon]))
        return PriorityNeeds(needs=rows, flows=flows)

    def kpis(self, mid: str) -> list[KpiRow]:
        out = []
        for kpi in self.c.modules[mid].kpis:
            eff = kpi.typical_effect
            out.append(KpiRow(module=self.mod_name(mid), name=self.tt(kpi.name), unit=self.unit(kpi.unit), direction=kpi.direction,
                              baseline=None, effect=eff.value if eff else None, effect_unit=self.unit(eff.unit) if eff else "",
                              context=self.t(eff.context) if eff else None, refs=self.src.cite(kpi.source_ids) if eff else []))
        return out

    def vision(self) -> list[Goal]:
        """One goal per need, measured only by the indicators of the modules made for that need (a road-safety goal
        is not measured by travel speed), with the partner's baseline stated once for the goal."""
        goals = []
        measured: set[str] = set()  # indicators already measuring a goal, by name
        for code, inp in sorted(self.e.needs.items(), key=lambda kv: (-kv[1].severity, kv[0])):
            mods = [m for m in self.selected if self.c.modules[m].relevance(code) == 3]
            if not mods:
                continue  # chapter 4 says the package does not cover it
            # a module made for several needs measures the most severe one: an indicator is never repeated under
            # another goal (an interoperability goal measured by an arrest rate); a goal left without one says so
            shown: list[tuple[str, int, KpiRow]] = []
            for m in mods:  # the same indicator of two modules (an arrest rate) is one indicator
                for i, k in enumerate(self.kpis(m)):
                    if k.effect is not None and (m, i) not in self.in_vision and self.c.modules[m].kpis[i].name.en not in measured:
                        shown.append((m, i, k))
                        measured.add(self.c.modules[m].kpis[i].name.en)
            shown = shown[:3]
            kpis = [k for _m, _i, k in shown]
            self.in_vision.update((m, i) for m, i, _k in shown)
            b = inp.baseline
            baseline = BaselineRow(need=self.tt(self.c.needs[code].name), name=b.name, value=b.value, unit=b.unit, year=b.year) if b else None
            goals.append(Goal(need=self.tt(self.c.needs[code].name), severity=inp.severity, kpis=kpis, baseline=baseline))
            if len(goals) == 5:
                break
        return goals

    def card(self, number: int, mid: str) -> ModuleCard:
        m: Module = self.c.modules[mid]
        score = self.r.score(mid)
        tier = self.r.tier("recommended")
        providers = {p: [self.mod_name(o) for o in self.selected if p in self.c.modules[o].provides] for p in (q.code for q in m.prerequisites)}
        prereqs = [PrereqRow(label=self.label(p.code), hard=p.severity == "hard", state=self.states.get(p.code, "not_assessed"),
                             provided_by=providers[p.code], note=self.t(p.note), inferred=p.code not in self.stated)
                   for p in m.prerequisites]
        chosen = m.references if self.working else sorted(  # the partner reads the closest and newest few
            m.references, key=lambda r: (r.country != self.e.country, r.kind == "korea", -r.year))[:CARD_REFERENCES]
        refs = [ReferenceRow(korean=r.kind == "korea", place=f"{r.city} ({r.country})", year=r.year, description=self.tt(r.description),
                             value=r.value, refs=self.src.cite(r.source_ids))
                for r in sorted(chosen, key=lambda r: (r.kind != "korea", -r.year))]
        cost = self.costs[mid]
        item = self.items.get(mid)
        return ModuleCard(
            id=mid, number=number, name=self.mod_name(mid), domain=self.tt(self.c.domains[m.domain].name),
            phase=self.label(item.phase) if item else "—", summary=self.tt(m.summary), description=self.tt(m.description),
            why=self.said(explain.why(score, self.c, self.lang), explain.why(score, self.c, "en")) if self.working else self.answers(mid),
            added_for=self.reason(tier.added_for[mid]) if mid in tier.added_for else None,
            maturity=self.label("pilot_maturity" if m.maturity == "pilot" else m.maturity), prerequisites=prereqs, references=refs,
            kpis=[k for i, k in enumerate(self.kpis(mid)) if self.working or (mid, i) not in self.in_vision],
            capex=cost.capex, opex_per_year=cost.opex_per_year, quantity=cost.quantity,
            unit=self._(cost.unit.replace("_", " ")), unit_code=cost.unit, price_year=cost.price_year,
            escalated_to=self.r.costs.escalation.year if cost.escalated and self.r.costs.escalation else None,
            cost_refs=self.src.cite(m.cost.source_ids),
            standards=list(m.standards), refs=self.src.cite(m.source_ids),
        )

    def answers(self, mid: str) -> Text:
        """Why a module is proposed, as the partner reads it: the partner's needs it answers, most severe first."""
        _ = self._
        mod = self.c.modules[mid]
        needs = [self.tt(self.c.needs[code].name).text for code, inp in sorted(self.e.needs.items(), key=lambda kv: (-kv[1].severity, kv[0]))
                 if mod.relevance(code) >= PRIMARY_RELEVANCE and code in self.c.needs]
        name = self.tt(mod.name).text
        if not needs:
            return Text(text=_("{module} is needed by the other modules of the package.").format(module=name), fallback=False)
        return Text(text=_("{module} answers these needs of the city: {needs}.").format(module=name, needs=", ".join(needs)), fallback=False)

    def packages(self) -> Packages:
        tiers = [TierRow(name=t.name, label=self.label(t.name), modules=[self.mod_name(m) for m in t.module_ids], fit=t.fit,
                         capex=t.capex, budget_usd=t.budget_usd, selected=t.name == "recommended",
                         note=explain.say(t.note, self.lang, self.c) if t.note else None) for t in self.r.tiers]
        cards = [self.card(i, mid) for i, mid in enumerate(self.ordered(), start=1)]
        left = [Row(label=self.mod_name(x.module_id).text, value=explain.say(x.reason, self.lang, self.c)) for x in self.r.excluded[:6]]
        return Packages(tiers=tiers, modules=cards, left_out=left)

    def ordered(self) -> list[str]:
        """Selected modules in roadmap order."""
        order = [i.module_id for i in self.r.roadmap.items]
        return order + [m for m in self.selected if m not in order]

    def roadmap(self) -> tuple[list[PhaseRow], list[GanttRow]]:
        rm = self.r.roadmap
        study = Text(text=self._("Planning and feasibility study"), fallback=False)
        phases = [PhaseRow(code=p, label=self.label(p), start=add_months(rm.start_date, first), end=add_months(rm.start_date, last),
                           first_month=first, last_month=last,
                           modules=[self.mod_name(i.module_id) for i in rm.items if i.phase == p] or ([study] if p == "planning" else []))
                  for p, (first, last) in rm.phases.items()]
        items = [GanttRow(module=self.mod_name(i.module_id), phase=i.phase, phase_label=self.label(i.phase), start=i.start, end=i.end,
                          start_month=i.start_month, design=i.design_months, build=i.build_months, pilot=i.pilot_months,
                          beyond=i.beyond_horizon) for i in rm.items]
        return phases, items

    def build(self, today: dt.date) -> Proposal:
        meta = self.meta(today)
        control = self.control(meta)
        summ = summary(self, today)
        context = self.context()
        facts, indicators = self.profile()
        profile = CityProfile(facts=facts, indicators=indicators, baselines=baselines(self))
        diagnosis = self.diagnosis()
        needs = self.needs()
        vision = Vision(goals=self.vision())
        packages = self.packages()
        arch = architecture(self)
        phases, items = self.roadmap()
        study_start = next((ph.start for ph in phases if ph.code == "planning"), None)
        roadmap = Roadmap(start=self.r.roadmap.start_date, horizon_months=self.r.roadmap.horizon_months, phases=phases, items=items,
                          start_in_past=self.r.roadmap.start_date < today, issued=today,
                          has_pilot=self.has_pilot,
                          planning_call_by=summ.request_by if summ.request_by and study_start and study_start <= summ.request_by else None)
        costs = money.costs(self)
        fin = money.financing(self)
        lead = self.e.readiness.lead_agency
        impl = Implementation(lead_agency=self.partner_name() if lead and lead == self.e.applicant_org else lead,
                              enabling=diagnosis.missing, om_yearly=self.r.costs.opex_per_year)
        risk = risks(self, diagnosis, costs, fin)
        steps = next_steps(self)
        shown = {row.code for row in indicators}  # the profile already shows these: the annex holds the others
        annex = self.indicator_rows(code for code in self.c.indicators if code not in shown)
        sources = self.src.entries()  # last: every chapter has cited what it uses
        accessed = [s.accessed for s in sources if s.accessed]
        reviewed = self.review_dates(sources)
        proposal = Proposal(
            meta=meta.model_copy(update={"fallback_used": self.fallback_used, "machine_assisted": self.machine_assisted}),
            chapters=self.chapters(), cover=cover(self, meta),
            control=control, summary=summ, context=context, profile=profile, diagnosis=diagnosis, needs=needs, vision=vision,
            packages=packages, architecture=arch, roadmap=roadmap, costs=costs, financing=fin, implementation=impl, risks=risk,
            next_steps=steps, annex_indicators=annex, glossary=glossary(self._), sources=sources,
            sources_accessed=(min(accessed), max(accessed)) if accessed else None,
            catalog_reviewed=(min(reviewed), max(reviewed)) if reviewed else None,
            consultant_sources=[s for s in self.e.sources if s not in self.c.sources], engagement_json=self.attachment(),
        )
        # the glossary explains only the terms the document uses (its frame text uses K-City Network, KOICA, O&M, PMO)
        said = proposal.model_copy(update={"glossary": [], "engagement_json": ""}).model_dump_json()
        used = [t for t in proposal.glossary if t.term in FRAME_TERMS or re.search(rf"(?<![\w-]){re.escape(t.term)}(?![\w-])", said)]
        return proposal.model_copy(update={"glossary": used})

    def review_dates(self, sources: list[SourceEntry]) -> list[dt.date]:
        """When the proposed modules and the cited sources were last reviewed (those that carry a review date)."""
        entries = [self.c.modules[m] for m in self.selected] + [self.c.sources[s.id] for s in sources if s.id in self.c.sources]
        return [e.reviewed.on for e in entries if e.reviewed is not None]

    def attachment(self) -> str:
        """The engagement attached to the PDF: in the partner edition without the consultant's internal notes."""
        if self.working or self.e.share_notes:
            return self.e.model_dump_json(indent=2)
        return self.e.model_copy(update={"notes": None}).model_dump_json(indent=2)


@dataclass(frozen=True)
class CatalogTranslations:
    """Catalog texts in one partner language (``catalog.po``): English text → translation, and the English texts
    whose translation a native speaker has reviewed (the others are machine-assisted)."""

    texts: Mapping[str, str] = field(default_factory=dict)
    reviewed: frozenset[str] = frozenset()


def build(catalog: Catalog, engagement: Engagement, rec: Recommendation, lang: str = "en", today: dt.date | None = None,
          gettext: Gettext | None = None, edition: Edition = "partner", content: CatalogTranslations | None = None) -> Proposal:
    """The proposal for ``engagement`` in ``lang``; ``gettext`` translates the frame text (identity if omitted),
    ``content`` the catalog texts the YAML files have only in English and Korean.

    The *partner* edition carries no scoring arithmetic, hashes or internal notes; the *working* edition keeps the
    method, the scores and the reproducibility records for the consulting team."""
    return Builder(catalog, engagement, rec, lang, gettext or (lambda s: s), edition, content).build(today or engagement.start_date)
