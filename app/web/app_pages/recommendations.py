"""Recommendations: the three package tiers side by side, then every module ranked by fit with why in words."""

from __future__ import annotations

import streamlit as st

from app.core.explain import label, say, usd, why
from app.web import figures, ui

_ = ui.t()
state, catalog, eng, lang = ui.engagement_step("recommendations")

rec, error = state.recommendation(catalog)
if rec is None:
    st.error(_("No recommendation for these inputs: {error}").format(error=error))
    st.info(_("Change the required or excluded modules or the budget (Readiness and constraints)."))
    ui.footer("recommendations")
    st.stop()


def name(module_id: str) -> str:
    return catalog.modules[module_id].name.get(lang)


st.caption(_("Budget {budget}").format(budget=ui.money(eng.budget.amount, eng.budget.currency, lang)))
for gap in rec.uncovered:
    st.warning(say(gap, lang, catalog), icon=":material/report:")
if rec.uncovered:
    st.caption(_("Severe needs without a module made for them in the Recommended package, with the cheapest way to cover each "
                 "(costs incl. the {pct} contingency).").format(pct=f"{eng.contingency_pct:g} %"))
if rec.builds_on:
    st.info(_("Builds on what the city already runs: {systems}").format(systems=", ".join(name(m) for m in rec.builds_on)))
cols = st.columns(3, gap="medium")
for col, tier in zip(cols, rec.tiers, strict=True):
    with col.container(border=True):
        st.subheader(label(tier.name, lang))
        st.metric(_("Capital cost incl. contingency"), usd(tier.capex.typical, lang),
                  help=_("Range {low} – {high}").format(low=usd(tier.capex.min, lang), high=usd(tier.capex.max, lang)))
        st.caption(_("Budget {budget} · modules: {n}").format(budget=usd(tier.budget_usd, lang), n=len(tier.module_ids)))
        if tier.note:
            st.warning(say(tier.note, lang, catalog))
        for m in tier.module_ids:
            reason = tier.added_for.get(m)
            pilot = f" · :orange[{_('pilot scale')}]" if m in tier.pilots else ""
            st.markdown(f"- {name(m)}{pilot}" + (f"  \n  :gray[{say(reason, lang, catalog)}]" if reason else ""))
        for risk in tier.risks:
            st.caption(":material/warning: " + say(risk, lang, catalog))

if rec.to_confirm:
    with st.expander(_("To confirm in the planning study ({n})").format(n=len(rec.to_confirm))):
        st.markdown("\n".join(f"- {say(r, lang, catalog)}" for r in rec.to_confirm))

st.subheader(_("Modules ranked by fit"))
top_fit = max((s.fit for s in rec.ranked), default=1) or 1
recommended = set(rec.tier("recommended").module_ids)
excluded = {x.module_id: x for x in rec.excluded}
relevant = [s for s in rec.ranked if s.fit > 0 or s.module_id in recommended]
for s in relevant[:10]:
    c1, c2, c3 = st.columns([3, 2, 6], vertical_alignment="center")
    c1.markdown(f"**{name(s.module_id)}**" + (" :material/inventory_2:" if s.module_id in recommended else ""))
    c2.progress(min(1.0, max(0.0, s.fit / top_fit)), text=_("match with the needs"))
    left_out = excluded.get(s.module_id)
    c3.caption((say(s.blocked, lang, catalog) + " — " if s.blocked else "") + why(s, catalog, lang, arithmetic=False)
               + (f"  \n**{_('Left out')}**: {say(left_out.reason, lang, catalog)}" if left_out and not s.blocked else ""))
st.caption(_(":material/inventory_2: in the recommended package"))

with st.expander(_("How each module was scored: all {n} modules, with the arithmetic").format(n=len(rec.ranked))):
    st.caption(_("Fit adds, for each selected need, its severity × the module's relevance to it (1–3), then applies the "
                 "factors shown. Catalog {version}, inputs {digest}.").format(version=rec.catalog_version, digest=rec.input_hash))
    rows = [{
        _("Module"): name(s.module_id), _("Domain"): catalog.domains[s.domain].name.get(lang) if s.domain in catalog.domains else s.domain,
        _("Fit"): round(s.fit, 1), _("In package"): s.module_id in recommended,
        _("Why"): (say(s.blocked, lang, catalog) + " — " if s.blocked else "") + why(s, catalog, lang),
    } for s in rec.ranked]
    st.dataframe(rows, hide_index=True, width="stretch", column_config={
        _("Fit"): st.column_config.ProgressColumn(_("Fit"), min_value=0, max_value=float(top_fit), format="%.1f"),
        _("Why"): st.column_config.TextColumn(_("Why"), width="large"),
    })

left, right = st.columns(2, gap="large")
with left:
    st.subheader(_("From needs to modules"))
    st.plotly_chart(figures.sankey(rec, eng, catalog, lang, not_answered=_("Not answered by the package")), width="stretch",
                    config={"displayModeBar": False})
with right:
    st.subheader(_("Readiness"))
    st.plotly_chart(figures.radar(eng, lang), width="stretch", config={"displayModeBar": False})

ui.footer("recommendations")
