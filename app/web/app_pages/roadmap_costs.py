"""Roadmap and costs: the Gantt of the recommended package, costs by phase and domain with ranges in a chosen
currency (dated rates), and the financing channels per phase with the rules that made them eligible or not."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from app import services
from app.core.explain import label, say
from app.core.recommendation import MoneyRange
from app.web import figures, ui

_ = ui.t()
state, catalog, eng, lang = ui.engagement_step("roadmap")

rec, error = state.recommendation(catalog)
if rec is None:
    st.error(_("No roadmap for these inputs: {error}").format(error=error))
    ui.footer("roadmap")
    st.stop()


def name(module_id: str) -> str:
    return catalog.modules[module_id].name.get(lang)


st.subheader(_("Roadmap"))
if rec.roadmap.items:
    horizon = _("End of the {years}-year horizon").format(years=eng.horizon_years)
    st.plotly_chart(figures.gantt(rec, catalog, lang, horizon_label=horizon), width="stretch", config={"displayModeBar": False})
    st.dataframe([{
        _("Phase"): label(i.phase, lang), _("Module"): name(i.module_id), _("Start"): f"{i.start:%Y-%m}", _("End"): f"{i.end:%Y-%m}",
        _("Design / build / pilot (months)"): f"{i.design_months} / {i.build_months} / {i.pilot_months}",
        _("Beyond the horizon"): i.beyond_horizon,
    } for i in rec.roadmap.items], hide_index=True, width="stretch")
else:
    st.info(_("The package is empty: nothing to schedule."))

st.subheader(_("Costs"))
costs = rec.costs
choices = list(dict.fromkeys(["USD", "KRW", eng.budget.currency, *(c for c in [catalog.countries[eng.country].currency] if c)]))
choices = [c for c in choices if c in catalog.rates]
if state.currency not in choices:
    state.currency = "USD"
st.session_state.setdefault("currency-choice", state.currency)
currency = st.segmented_control(_("Currency"), choices, key="currency-choice") or "USD"
state.currency = currency
rate = catalog.rates[currency]
first, last = costs.price_years
years = str(first) if first == last else f"{first}–{last}"
prices = (_("catalog prices of {years} escalated to {year} prices with GDP deflators").format(years=years, year=costs.escalation.year)
          if costs.escalation else _("prices of {years}, not escalated").format(years=years))
if currency == "USD":  # the catalog's amounts are already in US dollars: no rate to state
    st.caption(_("Amounts in US dollars; {prices}.").format(prices=prices))
else:
    source = catalog.sources.get(rate.source_id)
    st.caption(_("Converted at {per_usd} {currency} per US dollar ({publisher}, {year}); {prices}.").format(
        per_usd=f"{rate.per_usd:,.4g}", currency=currency, publisher=source.publisher if source else rate.source_id, year=rate.year,
        prices=prices))


def money(value: float) -> str:
    return f"{services.convert_money(value, 'USD', currency, catalog):,.0f}"


def table(groups: dict[str, MoneyRange], title: str, naming: Callable[[str], str]) -> list[dict[str, str]]:
    return [{title: naming(k), _("Low"): money(r.min), _("Typical"): money(r.typical), _("High"): money(r.max)} for k, r in groups.items()]


m1, m2, m3 = st.columns(3)
m1.metric(_("Capital cost incl. {pct:g}% contingency ({currency})").format(pct=costs.contingency_pct, currency=currency),
          money(costs.capex_with_contingency.typical), help=f"{money(costs.capex_with_contingency.min)} – {money(costs.capex_with_contingency.max)}")
m2.metric(_("Operating cost per year ({currency})").format(currency=currency), money(costs.opex_per_year.typical))
m3.metric(_("Total over {years} years ({currency})").format(years=eng.horizon_years, currency=currency), money(costs.total_over_horizon.typical))
a, b = st.columns(2, gap="large")
a.markdown(f"**{_('By phase')}**")
a.dataframe(table(costs.by_phase, _("Phase"), lambda p: label(p, lang)), hide_index=True, width="stretch")
b.markdown(f"**{_('By domain')}**")
b.dataframe(table(costs.by_domain, _("Domain"), lambda d: catalog.domains[d].name.get(lang) if d in catalog.domains else d),
            hide_index=True, width="stretch")

st.subheader(_("Financing per phase"))
phases = list(dict.fromkeys(f.phase for f in rec.financing))
for phase in phases:
    options = [f for f in rec.financing if f.phase == phase]
    eligible = [f for f in options if f.eligible]
    with st.expander(f"{label(phase, lang)} · {_('{n} eligible of {total}').format(n=len(eligible), total=len(options))}",
                     expanded=phase == phases[0]):
        for f in options:
            channel = catalog.financing[f.channel_id]
            mark = ":material/check_circle:" if f.eligible else ":material/cancel:"
            star = " :material/star:" if f.preferred else ""
            st.markdown(f"{mark} **{channel.name.get(lang)}**{star} — {channel.provider.get(lang)}")
            st.caption("; ".join(say(r, lang, catalog) for r in f.reasons))

ui.footer("roadmap")
