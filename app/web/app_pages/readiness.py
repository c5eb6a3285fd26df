"""Readiness and constraints: the nine DGRA foundations with connectivity and power, the systems the city already
runs, enabling conditions, hazards (yes / no / not assessed throughout), the project's scope, budget and currency,
horizon, financing preferences, required and excluded modules."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from app.core.explain import label
from app.core.vocab import DGRA_FOUNDATIONS, EXISTING_SYSTEMS, HAZARDS, PREREQUISITE_CODES
from app.web import ui

_ = ui.t()
state, catalog, eng, lang = ui.engagement_step("readiness")

GUIDANCE = {
    "leadership_funding": _("0: no digital strategy or owner · 2: a strategy without a budget · 4: a funded strategy led at the top"),
    "interoperability_governance": _("0: systems cannot share data · 2: some shared standards · 4: a governed interoperability framework"),
    "user_driven_design": _("0: services designed without users · 2: some online services · 4: services co-designed and measured with users"),
    "capabilities_skills": _("0: no digital staff · 2: a small IT unit · 4: skilled teams and a training programme"),
    "technology_infrastructure": _("0: no shared infrastructure · 2: partial networks and hosting · 4: resilient shared cloud and networks"),
    "data_infrastructure": _("0: no data management · 2: scattered registries · 4: base registries, open data and data governance"),
    "legislation_regulation": _("0: no legal basis for digital services · 2: partial laws · 4: e-government, data and cyber laws in force"),
    "resilience_cybersecurity": _("0: no cybersecurity function · 2: basic protection · 4: a CERT, standards and tested continuity plans"),
    "digital_ecosystem": _("0: no local tech firms · 2: a few vendors · 4: an active ecosystem of firms, start-ups and universities"),
    "connectivity": _("0: little coverage · 2: urban mobile coverage · 4: fibre and 4G/5G across the city"),
    "power_reliability": _("0: frequent long outages · 2: daily short outages · 4: reliable supply with backup"),
}
NOT_ASSESSED = -1  # the slider position for "not assessed" (nothing is stored)
LEVELS = {NOT_ASSESSED: _("not assessed"), 0: _("0 · none"), 1: _("1 · weak"), 2: _("2 · partial"), 3: _("3 · good"), 4: _("4 · strong")}
ANSWERS = {"yes": _("yes"), "no": _("no"), "unknown": _("not known")}
CHOICES: list[str] = list(ANSWERS)


def answer(value: bool | None) -> str:
    return "unknown" if value is None else "yes" if value else "no"


def as_bool(choice: str | None) -> bool | None:
    return None if choice in (None, "unknown") else choice == "yes"


def quantity_rows() -> list[dict[str, Any]]:
    return [{"module": m, "quantity": q} for m, q in eng.scope.quantities.items()]  # module ids: the names follow the UI language


def quantity_table() -> dict[str, list[Any]]:
    """The rows as columns, so that an empty table still shows its two columns."""
    rows = quantity_rows()
    return {"module": [r["module"] for r in rows], "quantity": [r["quantity"] for r in rows]}


def edited(rows: list[dict[str, Any]], changes: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The data editor's rows after its recorded changes (its session state holds the changes, not the rows)."""
    out: list[dict[str, Any] | None] = [dict(r) for r in rows]
    for index, change in (changes or {}).get("edited_rows", {}).items():
        row = out[int(index)] if int(index) < len(out) else None
        if row is not None:
            row.update(change)
    for index in (changes or {}).get("deleted_rows", []):
        if int(index) < len(out):
            out[int(index)] = None
    return [r for r in out if r is not None] + [dict(r) for r in (changes or {}).get("added_rows", [])]


def submit() -> bool:
    v = state.value
    r = eng.readiness
    data = ui.current_data(state)
    scores = {d: v(f"score.{d}") for d in GUIDANCE if v(f"score.{d}") not in (None, NOT_ASSESSED)}
    data["readiness"] = {
        "scores": scores,
        "data_protection_law": as_bool(v("law")), "lead_agency": v("lead_agency") or None, "in_place": v("in_place") or [],
        "not_in_place": v("not_in_place") or [],
        "systems": {s: as_bool(v(f"system.{s}")) for s in EXISTING_SYSTEMS if as_bool(v(f"system.{s}")) is not None},
        "estimated_from_indicators": r.estimated_from_indicators and all(scores.get(d) == r.score(d) for d in GUIDANCE),
    }
    quantities = {row["module"]: row["quantity"] for row in edited(quantity_rows(), v("quantities")) if row.get("module") and row.get("quantity")}
    data["scope"] = {"name": v("scope_name") or None, "population": v("scope_population") or None,
                     "area_km2": v("scope_area") or None,
                     "quantities": {m: q for m, q in quantities.items() if m in catalog.modules}}
    data.update({
        "hazards": v("hazards") or [], "budget": {"amount": v("budget"), "currency": v("currency")},
        "horizon_years": v("horizon"), "contingency_pct": v("contingency"), "start_date": str(v("start")) if v("start") else None,
        "preferred_financing": v("financing") or [], "required_modules": v("required") or [], "excluded_modules": v("excluded") or [],
        "notes": v("notes") or None,
    })
    return ui.save("readiness", data) is not None


if state.problems.get("readiness"):
    st.error(_("Not saved yet: fix the fields marked below. What you typed is kept."))
if eng.readiness.estimated_from_indicators:
    st.info(_("The scores below were estimated from the country's indicators: adjust them to what you know of the city."))

module_names = {m: catalog.modules[m].name.get(lang) for m in sorted(catalog.modules, key=lambda m: catalog.modules[m].name.get(lang))}
with st.container(border=False):
    st.subheader(_("Digital government readiness (World Bank DGRA foundations)"))
    cols = st.columns(2, gap="large")
    for i, dim in enumerate((*DGRA_FOUNDATIONS, "connectivity", "power_reliability")):
        with cols[i % 2]:
            score = eng.readiness.score(dim)
            st.select_slider(ui.sentence(label(dim, lang)), options=list(LEVELS), format_func=lambda s: LEVELS.get(s, str(s)),
                             key=state.seed(f"score.{dim}", NOT_ASSESSED if score is None else score))
            st.caption(GUIDANCE[dim])
    ui.problems("readiness", ("readiness.scores",))
    a, b = st.columns(2, gap="large")
    a.radio(_("A personal-data protection law is in force"), CHOICES, format_func=lambda c: ANSWERS.get(c, c), horizontal=True,
            key=state.seed("law", answer(eng.readiness.data_protection_law)))
    ui.text_field(b, _("Lead agency"), state.seed("lead_agency", eng.readiness.lead_agency or ""), 200)

    st.subheader(_("Systems the city already runs"))
    st.caption(_("What the city already has is not bought again, and the proposal says what it builds on. "
                 "\"Not known\" becomes a point to confirm in the planning study."))
    system_cols = st.columns(3)
    known = {str(k): v for k, v in eng.readiness.systems.items()}
    for i, system in enumerate(EXISTING_SYSTEMS):
        system_cols[i % 3].radio(ui.sentence(label(system, lang)), CHOICES, format_func=lambda c: ANSWERS.get(c, c), horizontal=True,
                                 key=state.seed(f"system.{system}", answer(known.get(system))))
    a, b = st.columns(2, gap="large")
    a.multiselect(_("Enabling conditions known to be in place"), PREREQUISITE_CODES, format_func=lambda c: label(c, lang),
                  placeholder=_("Choose options"), key=state.seed("in_place", list(eng.readiness.in_place), labelled=True))
    b.multiselect(_("Enabling conditions known to be missing"), PREREQUISITE_CODES, format_func=lambda c: label(c, lang),
                  placeholder=_("Choose options"), key=state.seed("not_in_place", list(eng.readiness.not_in_place), labelled=True))
    st.multiselect(_("Hazards the city faces"), HAZARDS, format_func=ui.vocab_in(lang), placeholder=_("Choose options"),
                   key=state.seed("hazards", list(eng.hazards), labelled=True))
    national = {h: e for h, e in catalog.countries[eng.country].hazards.items()} if eng.country in catalog.countries else {}
    if national:
        st.caption(_("National exposure (a city's can differ): {levels}.").format(levels=", ".join(
            f"{ui.vocab(h)} {label(e.level, lang)} ({e.index}, {e.year})" for h, e in sorted(national.items()))))
    ui.problems("readiness", ("readiness", "hazards"))

    st.subheader(_("Scope of the first project"))
    st.caption(_("Leave empty to cost every module for the whole city. A district or corridor: give its population or area. "
                 "A module's quantity typed below replaces the one computed from the catalog's scale rule."))
    a, b, c = st.columns([2, 1, 1])
    ui.text_field(a, _("Scope (district, corridor…)"), state.seed("scope_name", eng.scope.name or ""), 200)
    b.number_input(_("Population covered"), min_value=0, max_value=eng.population, step=10_000,
                   key=state.seed("scope_population", eng.scope.population or 0))
    c.number_input(_("Area covered (km²)"), min_value=0.0, max_value=float(eng.area_km2), step=1.0,
                   key=state.seed("scope_area", float(eng.scope.area_km2 or 0.0)))
    st.data_editor(quantity_table(), num_rows="dynamic", width="stretch", key=state.key("quantities"),
                   column_config={"module": st.column_config.SelectboxColumn(_("Module"), options=list(module_names), required=True,
                                                                             format_func=lambda m: module_names.get(str(m), str(m))),
                                  "quantity": st.column_config.NumberColumn(_("Quantity (catalog unit)"), min_value=0.0)})
    ui.problems("readiness", ("scope",))

    st.subheader(_("Budget and horizon"))
    a, b, c, d = st.columns([2, 1, 1, 1])
    a.number_input(_("Budget (capital expenditure)"), min_value=0.0, step=1_000_000.0, format="%.0f",
                   key=state.seed("budget", float(eng.budget.amount)))
    currencies = sorted(catalog.rates)
    a.caption(f"{eng.budget.amount:,.0f} {eng.budget.currency}")
    b.selectbox(_("Currency"), currencies, key=state.seed("currency", eng.budget.currency))
    c.number_input(_("Horizon (years)"), min_value=1, max_value=20, key=state.seed("horizon", eng.horizon_years))
    d.number_input(_("Contingency (%)"), min_value=0.0, max_value=50.0, step=5.0, key=state.seed("contingency", float(eng.contingency_pct)))
    st.date_input(_("Start date"), key=state.seed("start", eng.start_date), min_value=dt.date(2020, 1, 1), max_value=dt.date(2050, 12, 31))
    ui.problems("readiness", ("budget", "horizon_years", "contingency_pct", "start_date"))

    st.subheader(_("Financing and modules"))
    st.multiselect(_("Preferred financing channels"), sorted(catalog.financing), format_func=lambda f: catalog.financing[f].name.get(lang),
                   placeholder=_("Choose options"), key=state.seed("financing", list(eng.preferred_financing), labelled=True))
    a, b = st.columns(2, gap="large")
    a.multiselect(_("Modules required by the partner"), list(module_names), format_func=lambda m: module_names.get(m, m),
                  placeholder=_("Choose options"), key=state.seed("required", list(eng.required_modules), labelled=True))
    b.multiselect(_("Modules to exclude"), list(module_names), format_func=lambda m: module_names.get(m, m),
                  placeholder=_("Choose options"), key=state.seed("excluded", list(eng.excluded_modules), labelled=True))
    ui.problems("readiness", ("preferred_financing", "required_modules", "excluded_modules"))
    ui.text_field(st.container(), _("Notes"), state.seed("notes", eng.notes or ""), 4000, area=True)
    ui.problems("readiness", ("notes",))
    st.button(_("Save readiness and constraints"), type="primary", on_click=ui.as_callback(submit), key="save-readiness")

ui.footer("readiness", submit)
