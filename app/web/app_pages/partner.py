"""Partner: the country (with its indicators, year and source), the city, its size, the project and the applicant."""

from __future__ import annotations

import streamlit as st

from app import services
from app.core.explain import label
from app.core.vocab import APPLICANT_TYPES, PROJECT_TYPES
from app.errors import EngagementError
from app.web import cached, ui

_ = ui.t()
state = ui.header("partner")
catalog = cached.catalog()
stored = ui.current_data(state)  # the stored engagement, even one the catalog no longer accepts
DEFAULT_BUDGET = {"amount": 10_000_000.0, "currency": "USD"}
LOCAL_LANGUAGES = ["vi", "id", "es", "ko", "en"]


def submit() -> bool:
    v = state.value
    fields = {
        "title": v("title") or None, "country": v("country"), "city": v("city") or "", "population": v("population"),
        "area_km2": v("area"), "project_type": v("project_type"), "applicant_type": v("applicant_type"),
        "applicant_org": v("applicant_org") or None, "consultant": v("consultant") or None,
        "local_names": {"language": v("local_language"), "city": v("local_city"), "partner": v("local_partner") or None}
        if v("local_city") and v("local_language") else None,
    }
    if ui.current_data(state):
        return ui.save("partner", {**ui.current_data(state), **fields}) is not None
    data = {**fields, "budget": DEFAULT_BUDGET}
    try:  # validate the typed fields first, then prefill needs, readiness and hazards from the country's indicators
        services.parse_engagement(data, catalog)
    except EngagementError as exc:
        state.problems["partner"] = exc.problems
        return False
    prefilled = services.new_engagement(catalog, fields["country"], fields["city"], fields["population"], fields["area_km2"],
                                        project_type=fields["project_type"])
    return ui.save("partner", {**prefilled.model_dump(mode="json"), **fields}) is not None


countries: list[str] = sorted(catalog.countries, key=lambda c: ui.country_name(catalog, c))


def country_label(code: str, language: str = state.lang) -> str:
    """The country as the picker shows it, in the language of this run (bound: Streamlit may call it later)."""
    return f"{ui.country_name(catalog, code, language)} ({code})"
left, right = st.columns([3, 2], gap="large")
with left:
    if state.problems.get("partner"):
        st.error(_("Not saved yet: fix the fields marked below. What you typed is kept."))
    st.selectbox(_("Country"), countries, key=state.seed("country", stored.get("country"), labelled=True),
                 format_func=country_label, placeholder=_("Choose the partner country"))
    ui.problems("partner", ("country",))
    if stored.get("country") and state.value("country") not in (None, stored.get("country")):
        st.info(_("Saving keeps the needs already selected; on the Needs step you can tick those suggested for the new country."))
    with st.container(border=False):
        ui.text_field(st.container(), _("City"), state.seed("city", stored.get("city") or ""), 120)
        ui.problems("partner", ("city",))
        a, b = st.columns(2)
        a.number_input(_("Population of the city"), min_value=1, step=10_000, key=state.seed("population", stored.get("population")),
                       placeholder="1200000")
        b.number_input(_("Area (km²)"), min_value=0.1, step=10.0, format="%.1f", key=state.seed("area", stored.get("area_km2")),
                       placeholder="1285")
        with a:
            ui.problems("partner", ("population",))
        with b:
            ui.problems("partner", ("area_km2",))
        st.selectbox(_("Project type"), PROJECT_TYPES, format_func=ui.vocab_in(state.lang),
                     key=state.seed("project_type", stored.get("project_type") or "brownfield_retrofit", labelled=True))
        ui.problems("partner", ("project_type",))
        c, d = st.columns(2)
        c.selectbox(_("Applicant type"), APPLICANT_TYPES, format_func=ui.vocab_in(state.lang),
                    key=state.seed("applicant_type", stored.get("applicant_type") or "local_gov", labelled=True))
        ui.text_field(d, _("Applicant organisation"), state.seed("applicant_org", stored.get("applicant_org") or ""), 200)
        local = stored.get("local_names") or {}
        e, f, g = st.columns([1, 2, 3])
        e.selectbox(_("Partner's language"), LOCAL_LANGUAGES, format_func=lambda c: ui.LANGUAGE_NAMES.get(c, c), index=None,
                    placeholder="—", key=state.seed("local_language", local.get("language"), labelled=True))
        ui.text_field(f, _("City name in that language"), state.seed("local_city", local.get("city") or ""), 120,
                      placeholder=_("e.g. Hải Phòng"))
        ui.text_field(g, _("Partner body's name in that language"), state.seed("local_partner", local.get("partner") or ""), 200,
                      help=_("Used in the proposal written in the partner's language."))
        ui.problems("partner", ("local_names",))
        ui.text_field(st.container(), _("Proposal title (optional)"), state.seed("title", stored.get("title") or ""), 200)
        ui.text_field(st.container(), _("Consultant"), state.seed("consultant", stored.get("consultant") or ""), 200)
        ui.problems("partner", ("applicant", "title", "consultant", "budget", "needs", "readiness", "hazards"))
        submit_label = _("Save partner") if stored else _("Save partner and suggest needs")
        st.button(submit_label, type="primary", on_click=ui.as_callback(submit), key="save-partner")

KEY_INDICATORS = ("population", "gdp_per_capita_usd", "internet_users_pct", "urban_population_pct")


def fmt(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:,.4g}"


def compact(value: float) -> str:
    for size, suffix in ((1e9, " B"), (1e6, " M")):
        if abs(value) >= size:
            return f"{value / size:,.1f}{suffix}"
    return fmt(value)


chosen = state.value("country")
with right:
    if chosen in catalog.countries:
        country = catalog.countries[chosen]
        st.subheader(_("Indicators of {country}").format(country=ui.country_name(catalog, chosen)))
        facts = [f"{_('Income group')}: {label(country.income_group, state.lang) if country.income_group else '—'}",
                 f"{_('Region')}: {label(country.region, state.lang) if country.region else '—'}",
                 f"{_('Currency')}: {country.currency or '—'}"]
        if country.ldc:
            facts.append(_("Least Developed Country"))
        st.caption(" · ".join(facts))
        cells = st.columns(2)
        for i, code in enumerate(c for c in KEY_INDICATORS if c in country.indicators):
            meta, observed = catalog.indicators.get(code), country.indicators[code]
            shown_unit = ui.unit(meta.unit, state.lang) if meta else ""
            cells[i % 2].metric(f"{meta.name.get(state.lang) if meta else code} ({observed.year})",
                                ui.short_with_unit(compact(observed.value), meta.unit if meta else "", state.lang),
                                help=f"{shown_unit} · {_('Source')}: {meta.source_id if meta else '—'}")
    else:
        st.info(_("Choose a country to see its indicators (with year and source)."))

if chosen in catalog.countries:
    country = catalog.countries[chosen]
    with st.expander(_("All {n} indicators of {country}, with year and source").format(
            n=len(country.indicators), country=ui.country_name(catalog, chosen)), expanded=True):
        rows: list[dict[str, str]] = []
        for code, observed in country.indicators.items():
            meta = catalog.indicators.get(code)
            shown_unit = ui.unit(meta.unit, state.lang) if meta else ""
            rows.append({_("Indicator"): meta.name.get(state.lang) if meta else code,
                         _("Value"): ui.with_unit(fmt(observed.value), shown_unit), _("Year"): str(observed.year),
                         _("Source"): meta.source_id if meta else ""})
        st.dataframe(rows, hide_index=True, width="stretch")
        for sid in sorted({catalog.indicators[c].source_id for c in country.indicators if c in catalog.indicators}):
            if sid in catalog.sources:
                src = catalog.sources[sid]
                st.caption(f"{sid}: {src.title} — {src.publisher} ({src.date or 'n.d.'})")

ui.footer("partner", submit)
