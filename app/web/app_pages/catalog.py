"""Catalog browser: what the bundled catalog holds."""

from __future__ import annotations

import streamlit as st

from app import services
from app.web import cached

catalog = cached.catalog()
stats = services.catalog_stats(catalog)

st.title("K-Smart City solution catalog")
st.caption(f"Catalog version {stats.version} · {stats.sources} cited sources")
cols = st.columns(5)
cols[0].metric("Solution modules", stats.modules)
cols[1].metric("Domains", stats.domains)
cols[2].metric("Needs", stats.needs)
cols[3].metric("Packages", stats.packages)
cols[4].metric("Financing channels", stats.financing)
st.metric("Partner countries with indicators", stats.countries)

st.subheader("Modules")
st.dataframe(
    [
        {"Module": m.name.en, "모듈": m.name.ko, "Domain": catalog.domains[m.domain].name.en, "Maturity": m.maturity,
         "Cost confidence": m.cost.confidence}
        for m in sorted(catalog.modules.values(), key=lambda m: (m.domain, m.id))
    ],
    hide_index=True,
    width="stretch",
)
