"""Interactive Plotly figures for the wizard's screens (the PDF's static charts live in the charts adapter)."""

from __future__ import annotations

import datetime as dt
import textwrap

import plotly.graph_objects as go

from app.adapters.charts import month_ticks
from app.core.engagement import Engagement
from app.core.explain import label
from app.core.models import Catalog
from app.core.recommendation import Recommendation
from app.core.vocab import READINESS_DIMENSIONS

PHASE_COLOURS = {"planning": "#94a3b8", "pilot": "#f59e0b", "phase_1": "#2563eb", "phase_2": "#7c3aed", "phase_3": "#059669"}


def _layout(fig: go.Figure, height: int) -> go.Figure:
    fig.update_layout(height=height, margin={"l": 10, "r": 10, "t": 30, "b": 10}, font={"size": 12})
    return fig


def sankey(rec: Recommendation, engagement: Engagement, catalog: Catalog, lang: str = "en",
           not_answered: str = "Not answered by the package") -> go.Figure:
    """Selected needs → the recommended modules that answer them (link width: severity × relevance); a need that no
    module of the package answers flows into a red "not answered" node (width: its severity), so it stays visible."""
    selected = rec.tier("recommended").module_ids
    needs = sorted(engagement.needs, key=lambda n: -engagement.needs[n].severity)
    needs = [n for n in needs if n in catalog.needs]
    nodes = [catalog.needs[n].name.get(lang) for n in needs] + [catalog.modules[m].name.get(lang) for m in selected]
    source, target, value, link_colours = [], [], [], []
    gap = len(nodes)
    for i, n in enumerate(needs):
        answered = False
        for j, m in enumerate(selected):
            rel = catalog.modules[m].relevance(n)
            if rel:
                answered = True
                source.append(i)
                target.append(len(needs) + j)
                value.append(engagement.needs[n].severity * rel)
                link_colours.append("rgba(37, 99, 235, 0.25)")
        if not answered:
            source.append(i)
            target.append(gap)
            value.append(engagement.needs[n].severity)
            link_colours.append("rgba(220, 38, 38, 0.35)")
    colours = ["#f59e0b"] * len(needs) + ["#2563eb"] * len(selected)
    if gap in target:
        nodes.append(not_answered)
        colours.append("#dc2626")
    fig = go.Figure(go.Sankey(node={"label": nodes, "pad": 12, "color": colours},
                              link={"source": source, "target": target, "value": value, "color": link_colours}))
    return _layout(fig, max(320, 28 * max(len(needs), len(selected) + 1)))


def _wrap(text: str, width: int) -> str:
    """A label broken into lines of at most ``width`` characters (Plotly breaks lines only at <br>)."""
    return "<br>".join(textwrap.wrap(text, width)) or text


def radar(engagement: Engagement, lang: str = "en") -> go.Figure:
    """The readiness scores around a circle; labels wrapped so that none is cut at the wizard's half width."""
    names = [_wrap(label(d, lang), 9 if lang in ("ko", "ja", "zh") else 16) for d in READINESS_DIMENSIONS]
    # a dimension nobody assessed has no point (a gap in the line), never a default value
    scores = [engagement.readiness.score(d) for d in READINESS_DIMENSIONS]
    fig = go.Figure(go.Scatterpolar(r=[*scores, scores[0]], theta=[*names, names[0]], fill="toself", line={"color": "#2563eb"},
                                    connectgaps=False))
    fig.update_layout(polar={"radialaxis": {"range": [0, 4], "dtick": 1}, "angularaxis": {"tickfont": {"size": 11}}},
                      showlegend=False)
    _layout(fig, 420)
    fig.update_layout(margin={"l": 90, "r": 90, "t": 50, "b": 50})
    return fig


def gantt(rec: Recommendation, catalog: Catalog, lang: str = "en", horizon_label: str = "End of the horizon") -> go.Figure:
    """The roadmap as horizontal bars from each module's start to its end, coloured by phase."""
    fig = go.Figure()
    for phase in dict.fromkeys(i.phase for i in rec.roadmap.items):
        items = [i for i in rec.roadmap.items if i.phase == phase]
        fig.add_trace(go.Bar(
            name=label(phase, lang), orientation="h", y=[catalog.modules[i.module_id].name.get(lang) for i in items],
            x=[(i.end - i.start).days * 86_400_000 for i in items], base=[i.start.isoformat() for i in items],
            marker_color=PHASE_COLOURS.get(phase, "#64748b"),
        ))
    horizon_end = rec.roadmap.start_date + dt.timedelta(days=round(rec.roadmap.horizon_months * 30.44))
    fig.add_vline(x=horizon_end.isoformat(), line_dash="dash", line_color="#dc2626")
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", name=horizon_label, hoverinfo="skip",
                             line={"color": "#dc2626", "dash": "dash"}))  # the dashed line's legend entry
    months = max([rec.roadmap.horizon_months, *(i.end_month for i in rec.roadmap.items)]) + 1
    ticks, labels = month_ticks(rec.roadmap.start_date, months, lang)  # in the UI language (2027년 7월), not Plotly's Jul 2027
    fig.update_layout(xaxis={"type": "date", "tickvals": [d.isoformat() for d in ticks], "ticktext": labels},
                      yaxis={"autorange": "reversed"}, barmode="overlay",
                      legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0})
    return _layout(fig, max(260, 34 * len(rec.roadmap.items) + 80))
