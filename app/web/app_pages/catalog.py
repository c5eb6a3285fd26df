"""Catalog browser: the catalog's size, modules searched and filtered by domain, need, maturity and financing,
and a module's detail with its costs, prerequisites, references and sources."""

from __future__ import annotations

import streamlit as st

from app import services
from app.core.explain import label
from app.web import cached, ui

_ = ui.t()
ui.header("catalog")
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

domains = catalog.domains
needs = catalog.needs
search = st.text_input(_("Search modules"), key="catalog-search", placeholder=_("name, summary or standard…"))
f1, f2, f3, f4 = st.columns(4)
choose = _("Choose options")
pick_domains = f1.multiselect(_("Domain"), list(domains), format_func=lambda d: domains[d].name.get(lang), placeholder=choose,
                              key="catalog-domain")
pick_needs = f2.multiselect(_("Need"), list(needs), format_func=lambda n: needs[n].name.get(lang), placeholder=choose, key="catalog-need")
pick_maturity = f3.multiselect(_("Maturity"), ["pilot", "proven_domestic", "proven_overseas"], format_func=ui.vocab, placeholder=choose,
                               key="catalog-maturity")
pick_financing = f4.multiselect(_("Financing"), sorted(catalog.financing), format_func=lambda f: catalog.financing[f].name.get(lang),
                                placeholder=choose, key="catalog-financing")

query = search.strip().lower()
found = []
for m in sorted(catalog.modules.values(), key=lambda m: (m.domain, m.name.get(lang))):
    text = " ".join((m.id, m.name.en, m.name.ko, m.summary.en, m.summary.ko, *m.standards)).lower()
    if query and query not in text:
        continue
    if pick_domains and m.domain not in pick_domains:
        continue
    if pick_needs and not {n.need for n in m.needs} & set(pick_needs):
        continue
    if pick_maturity and m.maturity not in pick_maturity:
        continue
    if pick_financing and not set(m.financing) & set(pick_financing):
        continue
    found.append(m)

st.caption(_("{n} of {total} modules").format(n=len(found), total=len(catalog.modules)))
st.dataframe([{
    _("Module"): m.name.get(lang), _("Domain"): domains[m.domain].name.get(lang) if m.domain in domains else m.domain,
    _("Maturity"): ui.vocab(m.maturity), _("Cost confidence"): ui.vocab(m.cost.confidence), _("Summary"): m.summary.get(lang),
} for m in found], hide_index=True, width="stretch")

if found:
    detail = st.selectbox(_("Module detail"), [m.id for m in found], format_func=lambda m: catalog.modules[m].name.get(lang),
                          key="catalog-detail")
    m = catalog.modules[detail]
    with st.container(border=True):
        st.subheader(m.name.get(lang))
        st.write(m.description.get(lang))
        a, b = st.columns(2, gap="large")
        with a:
            st.markdown(f"**{_('Answers')}**")
            for link in m.needs:
                st.markdown(f"- {needs[link.need].name.get(lang) if link.need in needs else link.need} ({'★' * link.relevance})")
            if m.prerequisites:
                st.markdown(f"**{_('Prerequisites')}**")
                for pre in m.prerequisites:
                    st.markdown(f"- {label(pre.code, lang)} ({_('hard') if pre.severity == 'hard' else _('soft')})")
            if m.depends_on:
                st.markdown(f"**{_('Depends on')}**: " + ", ".join(catalog.modules[d].name.get(lang) for d in m.depends_on))
        with b:
            c = m.cost
            st.markdown(f"**{_('Unit cost')}** ({c.currency} {c.price_year}, {_('per')} {m.scale.unit})")
            st.text(f"capex {c.capex.min:,.0f} – {c.capex.max:,.0f} (typ. {c.capex.typical:,.0f})\n"
                    f"opex/yr {c.opex_per_year.min:,.0f} – {c.opex_per_year.max:,.0f}\n{ui.vocab(c.basis)} · {ui.vocab(c.confidence)}")
            months = m.implementation_months
            st.caption(_("Design {d} + build {b} + pilot {p} months").format(d=months.design, b=months.build, p=months.pilot))
        if m.references:
            st.markdown(f"**{_('References')}**")
            for ref in m.references:
                st.markdown(f"- {ref.city}, {ref.country} ({ref.year}): {ref.description.get(lang)} [{', '.join(ref.source_ids)}]")
        st.markdown(f"**{_('Sources')}**")
        for sid in sorted(m.all_source_ids()):
            src = catalog.sources.get(sid)
            if src is not None:
                st.markdown(f"- `{sid}` [{ui.md(src.title)}]({src.url}) — {ui.md(src.publisher)}, {src.date or 'n.d.'}")
            else:
                st.markdown(f"- `{sid}`")
