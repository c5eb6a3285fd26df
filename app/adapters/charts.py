"""Proposal → Plotly figures → SVG data URLs for the PDF.

Seven figures: readiness radar, need→module Sankey, roadmap Gantt, capital cost by phase and by domain (typical
with low–high range), eligible financing channels by kind, and the three package tiers.

Export goes through :class:`KaleidoExporter`: one persistent Kaleido sync server per process (Kaleido's server
is a process-wide singleton) using Debian's chromium, MathJax off, every call serialised by one lock (the
server is not thread-safe). When no browser is available the exporter returns ``None``, logs why once, and the
PDF shows the same data as tables only.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol, runtime_checkable

import plotly.graph_objects as go
from babel.dates import format_skeleton

from app.core.proposal import Proposal
from app.core.roadmap import add_months
from app.i18n import BABEL_LOCALES, translator

log = logging.getLogger(__name__)

NAVY, TEAL, MUTED = "#0b2e59", "#0f7c8c", "#8a96a6"
PHASE_COLOURS = {"pilot": "#0f7c8c", "phase_1": "#0b2e59", "phase_2": "#4f6d9a", "phase_3": "#8a96a6", "planning": "#b08a1e"}
WIDTH = 760
TABS = 1  # one tab: Chrome starts in 2.5 s instead of 3.9 s with two, and four charts take 0.55 s either way (2 cores)


class ChartExporter(Protocol):
    """Turns a figure into SVG bytes, or None when charts are unavailable."""

    def __call__(self, fig: go.Figure, width: int, height: int) -> bytes | None: ...


@runtime_checkable
class BatchExporter(ChartExporter, Protocol):
    """An exporter that can also export many figures at once in the background (the Kaleido one)."""

    def available(self) -> bool: ...

    def many(self, figs: dict[str, go.Figure]) -> dict[str, bytes | None]: ...


def _layout(fig: go.Figure, lang: str, height: int, **extra: object) -> go.Figure:
    family = "KC Hangul, NanumGothic, KC Latin, DejaVu Sans" if lang == "ko" else "KC Latin, DejaVu Sans, KC Hangul, NanumGothic"
    settings: dict[str, object] = {"margin": {"l": 10, "r": 10, "t": 10, "b": 10}, "showlegend": False, **extra}
    fig.update_layout(font={"family": family, "size": 13, "color": "#1d2430"}, paper_bgcolor="white", plot_bgcolor="white",
                      height=height, width=WIDTH, **settings)
    return fig


def month_label(day: dt.date, lang: str) -> str:
    """A calendar month as ``lang`` writes it on a time axis, by Babel: Jul 2027, 2027년 7월, thg 7 2027."""
    return format_skeleton("yMMM", day, locale=BABEL_LOCALES.get(lang, "en_US"))


def month_ticks(start: dt.date, months: int, lang: str, max_ticks: int = 12) -> tuple[list[dt.date], list[str]]:
    """Ticks for a date axis that runs ``months`` months from ``start``: every 3, 6, 12, 24 or 60 months (the shortest
    step that keeps at most ``max_ticks`` labels), each labelled in ``lang`` (Plotly's own date ticks are English)."""
    step = next((s for s in (3, 6, 12, 24) if months // s + 1 <= max_ticks), 60)
    days = [add_months(start, m) for m in range(0, months + 1, step)]
    return days, [month_label(d, lang) for d in days]


def _label(text: str, width: int = 28, lines: int = 2) -> str:
    """A label on at most ``lines`` lines of about ``width`` characters (Plotly breaks at <br>): long module names
    wrap instead of being cut ("Situational awareness and integra…"); only a third line's worth is shortened."""
    import textwrap

    parts = textwrap.wrap(text, width) or [text]
    if len(parts) > lines:
        parts = [*parts[: lines - 1], textwrap.shorten(" ".join(parts[lines - 1:]), width, placeholder="…")]
    return "<br>".join(parts)


RADAR_MIN_ASSESSED = 6  # with fewer assessed dimensions a radar draws a sliver that looks like a finding: the table says it


def readiness(p: Proposal) -> go.Figure | None:
    rows = p.diagnosis.readiness
    if sum(r.score is not None for r in rows) < RADAR_MIN_ASSESSED:
        return None
    theta = [r.label for r in rows] + [rows[0].label]
    r = [r.score for r in rows] + [rows[0].score]
    fig = go.Figure(go.Scatterpolar(r=r, theta=theta, fill="toself", line={"color": TEAL}, fillcolor="rgba(15,124,140,0.25)"))
    return _layout(fig, p.meta.lang, 380, polar={"radialaxis": {"range": [0, 4], "dtick": 1}, "angularaxis": {"tickfont": {"size": 11}}},
                   margin={"l": 150, "r": 150, "t": 30, "b": 30})


def flows(p: Proposal) -> go.Figure | None:
    f = p.needs.flows
    if not f:
        return None
    needs = list(dict.fromkeys(x.need for x in f))
    modules = list(dict.fromkeys(x.module for x in f))
    labels = [_label(n) for n in needs] + [_label(m) for m in modules]
    fig = go.Figure(go.Sankey(
        arrangement="snap",
        node={"label": labels, "pad": 12, "thickness": 14, "color": [NAVY] * len(needs) + [TEAL] * len(modules)},
        link={"source": [needs.index(x.need) for x in f], "target": [len(needs) + modules.index(x.module) for x in f],
              "value": [x.value for x in f], "color": "rgba(15,124,140,0.25)"},
    ))
    return _layout(fig, p.meta.lang, max(300, 44 * max(len(needs), len(modules))))


def gantt(p: Proposal) -> go.Figure | None:
    items = p.roadmap.items
    if not items:
        return None
    _ = translator("proposal", p.meta.lang)
    names = [_label(i.module.text, 34) for i in items]
    fig = go.Figure()
    parts = (("design", "#9fb3cc", _("Design")), ("build", NAVY, _("Build")), ("pilot", TEAL, _("Pilot")))
    for key, colour, name in parts:
        base = [i.start_month + (0 if key == "design" else i.design if key == "build" else i.design + i.build) for i in items]
        fig.add_trace(go.Bar(y=names, x=[getattr(i, key) for i in items], base=base, orientation="h", marker_color=colour, name=name))
    fig.add_vline(x=p.roadmap.horizon_months, line_dash="dot", line_color="#9b2c2c")
    last = max([p.roadmap.horizon_months, *(i.start_month + i.design + i.build + i.pilot for i in items)])
    ticks = list(range(0, last + 2, 6))  # calendar months on the axis, not months from zero
    labels = [month_label(add_months(p.roadmap.start, m), p.meta.lang) for m in ticks]
    return _layout(fig, p.meta.lang, 90 + 40 * len(items), barmode="overlay", showlegend=True, bargap=0.3,
                   legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0}, margin={"l": 10, "r": 10, "t": 30, "b": 40},
                   yaxis={"autorange": "reversed"},
                   xaxis={"range": [0, last + 1], "tickvals": ticks, "ticktext": labels, "tickangle": -45, "gridcolor": "#e3e8ee"})


def _ranges(rows: list[tuple[str, float, float, float]], lang: str) -> go.Figure:
    _ = translator("proposal", lang)
    labels = [_label(r[0], 24) for r in rows]
    typical = [r[2] / 1e6 for r in rows]
    fig = go.Figure(go.Bar(
        x=labels, y=typical, marker_color=NAVY,
        error_y={"type": "data", "symmetric": False, "array": [(r[3] - r[2]) / 1e6 for r in rows],
                 "arrayminus": [(r[2] - r[1]) / 1e6 for r in rows], "color": TEAL, "thickness": 1.5},
    ))
    return _layout(fig, lang, 300, yaxis={"title": {"text": _("USD million")}, "gridcolor": "#e3e8ee"},
                   margin={"l": 60, "r": 10, "t": 10, "b": 90})


def cost_phase(p: Proposal) -> go.Figure | None:
    rows = [(r.label, r.range.min, r.range.typical, r.range.max) for r in p.costs.by_phase]
    return _ranges(rows, p.meta.lang) if len(rows) > 1 else None  # one bar says nothing the table does not


def cost_domain(p: Proposal) -> go.Figure | None:
    rows = [(r.label, r.range.min, r.range.typical, r.range.max) for r in p.costs.by_domain]
    return _ranges(rows, p.meta.lang) if len(rows) > 1 else None


def tiers(p: Proposal) -> go.Figure | None:
    rows = [(t.label, t.capex.min, t.capex.typical, t.capex.max) for t in p.packages.tiers]
    return _ranges(rows, p.meta.lang) if rows else None


def financing_mix(p: Proposal) -> go.Figure | None:
    mix = p.financing.mix
    if not mix:
        return None
    fig = go.Figure(go.Bar(y=[m.label for m in mix], x=[int(m.value) for m in mix], orientation="h", marker_color=TEAL))
    return _layout(fig, p.meta.lang, 60 + 30 * len(mix), yaxis={"autorange": "reversed"}, xaxis={"dtick": 1, "gridcolor": "#e3e8ee"})


FIGURES: dict[str, Callable[[Proposal], go.Figure | None]] = {
    "readiness": readiness, "flows": flows, "gantt": gantt, "cost_phase": cost_phase, "cost_domain": cost_domain,
    "tiers": tiers, "financing_mix": financing_mix,
}


# The working paper's only: in the partner edition a table beside them gives the same figures in less space (the
# three packages, the cost by domain) or the chapter does not show them (the channels by kind). Not drawn for it.
TEAM_ONLY = frozenset({"tiers", "cost_domain", "financing_mix"})


def figures(p: Proposal) -> dict[str, go.Figure]:
    out = {}
    for name, make in FIGURES.items():
        if name in TEAM_ONLY and not p.meta.working:
            continue
        fig = make(p)
        if fig is not None:
            out[name] = fig
    return out


# ---------------------------------------------------------------- export


def find_browser() -> str | None:
    import os

    return os.environ.get("BROWSER_PATH") or shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


class KaleidoExporter:
    """SVG export through one persistent Kaleido server, serialised by a lock; ``None`` when no browser works."""

    _lock = threading.Lock()  # the Kaleido sync server is one per process and not thread-safe

    def __init__(self) -> None:
        self.started = False
        self.unavailable: str | None = None

    def _start(self) -> bool:
        if self.started:
            return True
        if self.unavailable:
            return False
        browser = find_browser()
        if browser is None:
            self.unavailable = "no Chromium/Chrome browser found (install Debian's chromium or set BROWSER_PATH)"
            log.warning("charts disabled: %s; the proposal shows tables instead", self.unavailable)
            return False
        try:
            import kaleido

            kaleido.start_sync_server(n=TABS, mathjax=False, silence_warnings=True)
            # the server launches Chrome and loads plotly.js only on the first export (~2.3 s): do it now, so that
            # a prewarm started while the catalog loads really leaves Chrome ready for the proposal's charts
            kaleido.calc_fig_sync(go.Figure(), opts={"format": "svg", "width": 100, "height": 100})
        except Exception as exc:  # kaleido raises various errors when Chrome cannot start
            self.unavailable = f"Kaleido could not start {browser}: {exc}"
            log.warning("charts disabled: %s; the proposal shows tables instead", self.unavailable)
            return False
        self.started = True
        return True

    def available(self) -> bool:
        """Whether charts can be expected: a browser exists and the server has not failed (it starts on first use)."""
        if self.unavailable:
            return False
        if find_browser() is None:
            with self._lock:
                return self._start()  # records and logs why, once
        return True

    def start(self) -> bool:
        """Start Chrome now and wait for it; whether charts are available."""
        with self._lock:
            return self._start()

    def prewarm(self) -> None:
        """Start Chrome in the background now (e.g. while the catalog loads), so that the first export is fast."""

        def start() -> None:
            with self._lock:
                self._start()

        threading.Thread(target=start, name="kcity-charts-prewarm", daemon=True).start()

    def many(self, figs: dict[str, go.Figure]) -> dict[str, bytes | None]:
        """Export several figures at once over the server's tabs (faster than one by one)."""
        with self._lock:
            if not self._start():
                return dict.fromkeys(figs)
            import kaleido

            with tempfile.TemporaryDirectory(prefix="kcity-charts-") as tmp:
                jobs = [{"fig": fig, "path": Path(tmp) / f"{name}.svg",
                         "opts": {"format": "svg", "width": int(fig.layout.width or WIDTH), "height": int(fig.layout.height or 400)}}
                        for name, fig in figs.items()]
                try:
                    kaleido.write_fig_from_object_sync(jobs)
                except Exception as exc:
                    log.warning("chart export failed (%s); the proposal shows tables instead", exc)
                    return dict.fromkeys(figs)
                return {name: p.read_bytes() if (p := Path(tmp) / f"{name}.svg").exists() else None for name in figs}

    def __call__(self, fig: go.Figure, width: int, height: int) -> bytes | None:
        with self._lock:
            if not self._start():
                return None
            import kaleido

            try:
                svg: bytes = kaleido.calc_fig_sync(fig, opts={"format": "svg", "width": width, "height": height})
                return svg
            except Exception as exc:
                log.warning("chart export failed (%s); the proposal shows the table instead", exc)
                return None

    def close(self) -> None:
        with self._lock:
            if self.started:
                import kaleido

                kaleido.stop_sync_server(silence_warnings=True)
                self.started = False


def no_charts(fig: go.Figure, width: int, height: int) -> None:
    """An exporter for tests and for machines without a browser: tables only."""
    return None


def render_charts(p: Proposal, exporter: ChartExporter | None) -> tuple[dict[str, str | None], float]:
    """Chart name → ``data:image/svg+xml`` URL (or None), and the seconds spent exporting."""
    started = time.perf_counter()
    figs = figures(p)
    many = getattr(exporter, "many", None)
    if many is not None:
        svgs = many(figs)
    else:
        svgs = {name: exporter(fig, int(fig.layout.width or WIDTH), int(fig.layout.height or 400)) if exporter else None
                for name, fig in figs.items()}
    out = {name: "data:image/svg+xml;base64," + base64.b64encode(svg).decode() if svg else None for name, svg in svgs.items()}
    return out, time.perf_counter() - started


CHART_SCHEME = "kcity-chart"
UNAVAILABLE_SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" width="760" height="60"><text x="380" y="35" text-anchor="middle" '
                   b'font-size="14" fill="#5b6675">chart unavailable: see the table</text></svg>')


class ChartJob:
    """Charts exported in a background thread while WeasyPrint parses and styles the document.

    The HTML refers to each chart as ``kcity-chart:<name>``; the renderer's URL fetcher calls :meth:`svg`, which
    waits for the export. A cold start (Chrome launch) also happens in the background thread; if it fails, each
    chart shows a one-line notice and the tables carry the data. Only an exporter with ``available()`` and ``many()`` (the Kaleido one) runs in the
    background; any other exporter runs at once and its charts are inlined as ``data:`` URLs.
    """

    def __init__(self, p: Proposal, exporter: ChartExporter | None):
        self.started = time.perf_counter()
        self.seconds = 0.0
        figs = figures(p)
        self._sizes = {name: (int(fig.layout.width or WIDTH), int(fig.layout.height or 400)) for name, fig in figs.items()}
        self._svgs: dict[str, bytes | None] = {}
        self._done = threading.Event()
        if isinstance(exporter, BatchExporter) and exporter.available():
            self.urls: dict[str, str | None] = {name: f"{CHART_SCHEME}:{name}" for name in figs}
            threading.Thread(target=self._run, args=(exporter, figs), name="kcity-charts", daemon=True).start()
        else:
            urls, self.seconds = render_charts(p, exporter)
            self.urls = urls
            self._done.set()

    def _run(self, exporter: BatchExporter, figs: dict[str, go.Figure]) -> None:
        try:
            self._svgs = exporter.many(figs)
        except Exception as exc:  # never leave the renderer waiting
            log.warning("chart export failed (%s)", exc)
        finally:
            self.seconds = time.perf_counter() - self.started
            self._done.set()

    def placeholder(self, name: str) -> bytes:
        """An empty SVG of the chart's size, for the layout while the export runs (the renderer draws the real one)."""
        width, height = self._sizes.get(name, (WIDTH, 400))
        return f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}"/>'.encode()

    def svg(self, name: str, timeout: float = 60.0) -> bytes:
        """The chart's SVG, waiting for the export; a small notice when it failed."""
        self._done.wait(timeout)
        return self._svgs.get(name) or UNAVAILABLE_SVG

    def drawn(self) -> dict[str, bool]:
        """Which charts were actually drawn (after the render)."""
        self._done.wait(60.0)
        return {name: bool(url and (not url.startswith(CHART_SCHEME) or self._svgs.get(name))) for name, url in self.urls.items()}


_shared: KaleidoExporter | None = None
_shared_lock = threading.Lock()


def shared_exporter() -> KaleidoExporter:
    """The process's one exporter (Kaleido's server is a process-wide singleton anyway)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = KaleidoExporter()
        return _shared
