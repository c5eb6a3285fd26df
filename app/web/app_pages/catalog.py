"""Catalog browser: the catalog's size; modules found by fuzzy search (names, needs, summaries) and filtered by domain,
need, maturity and financing, in a sortable table with the typical unit cost in US dollars, exportable to Excel; the
whole catalog as a workbook that catalog owners edit and import back (``catalog_admin``); a
selected row opens the module's detail with its costs, prerequisites, references and sources, and can be added to the
open engagement's package."""

from __future__ import annotations

from functools import partial

import streamlit as st

from app import services
from app.core.explain import label
from app.web import cached, ui
from app.web.catalog_admin import workbook_panel

_ = ui.t()
state = ui.header("catalog")
catalog = cached.catalog()
stats = services.catalog_stats(catalog)
lang = ui.lang()

st.caption(_("Catalog version {version} · {sources} cited sources · {countries} partner countries with indicators").format(
    version=stats.version, sources=stats.sources, countries=stats.countries))
cols = st.columns(5)
cols[0].metric(_("Solution modules"), stats.modules)
cols[1].metric(_("Domains"), stats.domains)
cols[2].metric(_("Needs"), stats.needs)
cols[3].metric(_("Packages"), stats.packages)
cols[4].metric(_("Financing channels"), stats.financing)
workbook_panel(state)

domains = catalog.domains
needs = catalog.needs
search = st.text_input(_("Search modules"), key="catalog-search", placeholder=_("a name, a need or a few words, e.g. flood early warning"))
f1, f2, f3, f4 = st.columns(4)
choose = _("Choose options")
pick_domains = f1.multiselect(_("Domain"), list(domains), format_func=lambda d: domains[d].name.get(lang), placeholder=choose,
                              key=ui.choice_key("catalog-domain"))
pick_needs = f2.multiselect(_("Need"), list(needs), format_func=lambda n: needs[n].name.get(lang), placeholder=choose,
                            key=ui.choice_key("catalog-need"))
pick_maturity = f3.multiselect(_("Maturity"), ["pilot", "proven_domestic", "proven_overseas"], format_func=ui.vocab_in(lang),
                               placeholder=choose, key=ui.choice_key("catalog-maturity"))
pick_financing = f4.multiselect(_("Financing"), sorted(catalog.financing), format_func=lambda f: catalog.financing[f].name.get(lang),
                                placeholder=choose, key=ui.choice_key("catalog-financing"))

found = []
for m in sorted(catalog.modules.values(), key=lambda m: (m.domain, m.name.get(lang))):
    if pick_domains and m.domain not in pick_domains:
        continue
    if pick_needs and not {n.need for n in m.needs} & set(pick_needs):
        continue
    if pick_maturity and m.maturity not in pick_maturity:
        continue
    if pick_financing and not set(m.financing) & set(pick_financing):
        continue
    found.append(m.id)
found = [match.module_id for match in services.search_modules(catalog, search, lang, found)]  # best match first

columns = [_("Module"), _("Domain"), _("Typical unit cost (USD)"), _("Per"), _("Price year"), _("Cost confidence"), _("Maturity"),
           _("Summary")]
rows = []
for mid in found:
    m = catalog.modules[mid]
    rows.append([m.name.get(lang), domains[m.domain].name.get(lang) if m.domain in domains else m.domain,
                 round(services.typical_unit_cost_usd(catalog, mid)), ui.vocab(m.scale.unit), m.cost.price_year,
                 ui.vocab(m.cost.confidence), ui.vocab(m.maturity), m.summary.get(lang)])
st.caption(_("{n} of {total} modules").format(n=len(found), total=len(catalog.modules)))
if not found:
    st.warning(_("No module matches this search and these filters. Try fewer words or clear a filter."), icon=":material/search_off:")
    st.stop()
event = st.dataframe([dict(zip(columns, row, strict=True)) for row in rows], hide_index=True, width="stretch", key="catalog-table",
                     on_select="rerun", selection_mode="single-row",
                     column_config={columns[2]: st.column_config.NumberColumn(format="localized"),
                                    columns[4]: st.column_config.NumberColumn(format="%d")})
st.download_button(_("Export this list to Excel"), data=partial(services.workbook, _("Modules"), columns, rows), file_name="kcity-modules.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore",
                   icon=":material/download:", key="catalog-export")
chosen = event.selection.rows if event is not None else []
if not chosen:
    st.caption(_("Select a row to see the module's detail."))
    st.stop()
m = catalog.modules[found[chosen[0]]]
with st.container(border=True):
    st.subheader(m.name.get(lang))
    st.write(ui.md(m.description.get(lang)))
    a, b = st.columns(2, gap="large")
    with a:
        st.markdown(f"**{_('Answers')}**")
        for link in m.needs:
            st.markdown(f"- {ui.md(needs[link.need].name.get(lang)) if link.need in needs else link.need} ({'★' * link.relevance})")
        if m.prerequisites:
            st.markdown(f"**{_('Prerequisites')}**")
            for pre in m.prerequisites:
                st.markdown(f"- {label(pre.code, lang)} ({_('required') if pre.severity == 'hard' else _('advisable')})")
        if m.depends_on:
            st.markdown(f"**{_('Depends on')}**: " + ", ".join(ui.md(catalog.modules[d].name.get(lang)) for d in m.depends_on))
    with b:
        c = m.cost
        unit = ui.vocab(m.scale.unit)
        st.markdown(f"**{_('Unit cost')}** ({_('per')} {unit}, {_('prices of {year}').format(year=c.price_year)})")
        lines = [f"- {_('Capital cost')}: {ui.money(c.capex.typical, c.currency, lang)} "
                 f"({ui.money(c.capex.min, c.currency, lang)} – {ui.money(c.capex.max, c.currency, lang)})",
                 f"- {_('Operation and maintenance a year')}: {ui.money(c.opex_per_year.typical, c.currency, lang)} "
                 f"({ui.money(c.opex_per_year.min, c.currency, lang)} – {ui.money(c.opex_per_year.max, c.currency, lang)})"]
        if c.currency != "USD":
            usd_cost = ui.money(services.typical_unit_cost_usd(catalog, m.id), "USD", lang)
            lines.append(f"- {_('About {amount} per {unit}').format(amount=usd_cost, unit=unit)}")
        st.markdown("\n".join([*lines, f"- {ui.vocab(c.basis)} · {ui.vocab(c.confidence)}"]))
        months = m.implementation_months
        st.caption(_("Design {d} + build {b} + pilot {p} months").format(d=months.design, b=months.build, p=months.pilot))
        if state.engagement is not None and state.engagement_id is not None:
            if m.id in state.engagement.required_modules:
                st.caption(_("Already required in the package of {title}.").format(title=ui.md(state.title)))
            elif st.button(_("Add to the package of {title}").format(title=state.title), key="catalog-add", icon=":material/add:"):
                if ui.save("package", services.with_module(state.engagement, m.id)) is not None:
                    state.messages.append(("success", _("{module} added to the package; the Package step shows what changed.").format(
                        module=m.name.get(lang))))
                ui.go("package")
    if m.references:
        st.markdown(f"**{_('References')}**")
        for ref in m.references:
            st.markdown(f"- {ui.md(ref.city)}, {ref.country} ({ref.year}): {ui.md(ref.description.get(lang))} [{', '.join(ref.source_ids)}]")
    st.markdown(f"**{_('Sources')}**")
    for sid in sorted(m.all_source_ids()):
        src = catalog.sources.get(sid)
        if src is not None:
            st.markdown(f"- `{sid}` [{ui.md(src.title)}]({src.url}) — {ui.md(src.publisher)}, {src.date or _('no date')}")
        else:
            st.markdown(f"- `{sid}`")
