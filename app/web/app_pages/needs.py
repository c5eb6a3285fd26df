"""Needs: the taxonomy by domain, the needs suggested by the country's indicators ticked with their reason,
a severity and evidence notes per need."""

from __future__ import annotations

import streamlit as st

from app import services
from app.core import explain
from app.core.models import Need
from app.errors import Problem
from app.web import ui

_ = ui.t()
state, catalog, eng, lang = ui.engagement_step("needs")
SEVERITY = {1: _("1 · minor"), 2: _("2 · noticeable"), 3: _("3 · significant"), 4: _("4 · serious"), 5: _("5 · critical")}


EVIDENCE_LIMIT = 4000


def submit() -> bool:
    v = state.value
    orphans = [n for n in catalog.taxonomy.needs if (v(f"evidence.{n.code}") or "").strip() and not v(f"need.{n.code}")]
    if orphans:  # evidence is stored with its need: say so rather than drop what was typed
        state.problems["needs"] = [Problem(
            where="needs", field=n.name.get(lang), message=_("evidence was typed but the need is not ticked: tick it, or clear the evidence"))
            for n in orphans]
        return False
    needs = {}
    for need in catalog.taxonomy.needs:
        if v(f"need.{need.code}"):
            before = eng.needs.get(need.code)
            needs[need.code] = {"severity": v(f"severity.{need.code}"), "evidence": v(f"evidence.{need.code}") or None,
                                "suggested": before.suggested if before else None,
                                "suggestion": before.suggestion.model_dump(mode="json") if before and before.suggestion else None,
                                "baseline": before.baseline.model_dump(mode="json") if before and before.baseline else None}
    return ui.save("needs", {**ui.current_data(state), "needs": needs}) is not None


def add_suggestions() -> None:
    suggested = services.new_engagement(catalog, eng.country, eng.city, eng.population, eng.area_km2, project_type=eng.project_type)
    merged = {**{k: v.model_dump(mode="json") for k, v in suggested.needs.items()}, **{k: v.model_dump(mode="json") for k, v in eng.needs.items()}}
    ui.save("needs", {**ui.current_data(state), "needs": merged})


suggestions = services.suggest_needs(catalog.countries[eng.country], catalog)
top = st.columns([3, 2])
intro = _("{n} needs selected. Needs marked :material/lightbulb: were suggested from the indicators of {country}; the reason is shown "
          "under each.")
top[0].markdown(intro.format(n=len(eng.needs), country=ui.country_name(catalog, eng.country)))
missing = [s for s in suggestions if s.need not in eng.needs]
if missing:
    top[1].button(_("Tick the {n} suggested needs not selected").format(n=len(missing)), on_click=add_suggestions, key="add-suggestions")
ui.problems("needs")

by_domain: dict[str, list[Need]] = {}
for need in catalog.taxonomy.needs:
    by_domain.setdefault(need.domain, []).append(need)

with st.container(border=False):
    for domain in catalog.taxonomy.domains:
        needs = by_domain.get(domain.code, [])
        if not needs:
            continue
        chosen = sum(n.code in eng.needs for n in needs)
        with st.expander(f"{domain.name.get(lang)} · {chosen}/{len(needs)}", expanded=chosen > 0):
            st.caption(domain.description.get(lang))
            for need in needs:
                current = eng.needs.get(need.code)
                c1, c2, c3 = st.columns([3, 2, 3], vertical_alignment="top")
                why = explain.suggested(current, lang, catalog) if current is not None else None
                icon = ":material/lightbulb: " if why else ""
                c1.checkbox(icon + need.name.get(lang), key=state.seed(f"need.{need.code}", current is not None),
                            help=need.description.get(lang))
                if why:
                    c1.caption(ui.md(why))
                c2.select_slider(_("Severity"), options=list(SEVERITY), format_func=SEVERITY.get, label_visibility="collapsed",
                                 key=state.seed(f"severity.{need.code}", current.severity if current else 3))
                evidence = c3.text_input(_("Evidence"), key=state.seed(f"evidence.{need.code}", (current.evidence if current else "") or ""),
                                         placeholder=_("Evidence: a figure, a report, a meeting…"), label_visibility="collapsed")
                with c3:
                    ui.too_long(_("Evidence"), evidence, EVIDENCE_LIMIT)
    st.button(_("Save needs"), type="primary", on_click=ui.as_callback(submit), key="save-needs")

ui.footer("needs", submit)
