"""Proposal: language and draft mark, generate with progress, download, earlier versions, and restore from a PDF.

The PDF is rendered only when "Generate" is pressed, stored at once as a proposal version, and downloaded from
storage (never rendered again on a rerun).
"""

from __future__ import annotations

import time
from functools import partial

import streamlit as st

from app import services
from app.errors import KcityError
from app.i18n import PROPOSAL_LANGUAGES
from app.web import cached, ui

_ = ui.t()
catalog = cached.catalog()
repo = cached.repository()


def file_name(city: str, lang: str, number: int) -> str:
    """proposal-hai-phong-vi-v3.pdf: the city in ASCII, the language and the version's number within the engagement."""
    return f"proposal-{services.slug(city) or 'city'}-{lang}-v{number}.pdf"


@st.cache_data(show_spinner=False, max_entries=32)
def preview(database_url: str, proposal_id: int) -> list[bytes]:
    """The first two pages of a stored version as PNG (a stored version never changes: cached by its store and id)."""
    return services.proposal_preview(cached.repository(), proposal_id)


state = ui.header("proposal")
eng = state.engagement
assert eng is not None and state.engagement_id is not None

a, b = st.columns([2, 1], vertical_alignment="bottom")
st.session_state.setdefault("proposal-lang", state.lang if state.lang in PROPOSAL_LANGUAGES else "en")
language = a.selectbox(_("Proposal language"), PROPOSAL_LANGUAGES, format_func=lambda code: ui.LANGUAGE_NAMES.get(code, code), key="proposal-lang")
draft = b.checkbox(_("Mark as draft (watermark)"), key="proposal-draft")
EDITIONS = {"partner": _("Partner edition (to send)"), "working": _("Working paper (team only: method, scores, notes)")}
edition = st.radio(_("Edition"), list(EDITIONS), format_func=lambda e: EDITIONS.get(e, e), horizontal=True,
                   key=ui.choice_key("proposal-edition"))

STAGES = {"queued": _("Waiting for a render worker"),
          "recommend": _("Choosing the package"), "build": _("Writing the chapters"), "charts": _("Drawing the charts"),
          "html": _("Setting the text"), "layout": _("Laying out the pages"), "write": _("Writing the PDF"),
          "done": _("Done")}
log = cached.render_log()
past = sorted(seconds for _edition, _draft, seconds in log.values())
estimate = round(past[len(past) // 2]) if past else None  # the median of this server's renders

if st.button(_("Generate the proposal"), type="primary", key="generate"):
    made_as = {pid: (e, d) for pid, (e, d, _s) in log.items()}
    twin = services.same_proposal(services.proposal_versions(repo, state.engagement_id, actor=state.actor), catalog, eng, language, made_as,
                                  (edition or "partner", bool(draft)))
    if twin is not None:  # identical inputs, catalog, language, edition and mark: offer that version, store no copy
        state.proposal_id = twin.id
        st.session_state["proposal-twin"] = twin.id
    else:
        st.session_state.pop("proposal-twin", None)
        bar = st.progress(0.0, text=STAGES["recommend"])
        started = time.perf_counter()

        def progress(stage: str, _detail: str = "") -> None:
            step = services.RENDER_STAGES.index(stage) if stage in services.RENDER_STAGES else 0
            elapsed = time.perf_counter() - started
            words = STAGES.get(stage, _("Working"))
            if estimate:
                words += " · " + _("{elapsed} s of about {estimate} s (the median of earlier proposals)").format(
                    elapsed=round(elapsed), estimate=estimate)
            bar.progress(step / (len(services.RENDER_STAGES) - 1), text=words)

        try:
            pdf = services.generate_proposal(repo, state.engagement_id, catalog, eng, lang=language, draft=draft, progress=progress,
                                             edition=edition or "partner", renderer=cached.renderer(), actor=state.actor)
            saved = services.store_proposal(repo, state.engagement_id, pdf, language, catalog, eng, edition=edition or "partner",
                                           draft=bool(draft), actor=state.actor)
        except KcityError as exc:
            bar.empty()
            st.error(_("The proposal could not be generated: {error}").format(error=exc))
        else:
            seconds = time.perf_counter() - started
            log[saved.id] = (edition or "partner", bool(draft), seconds)
            state.proposal_id = saved.id
            bar.progress(1.0, text=_("Proposal ready ({size} KB, {seconds:.1f} s)").format(size=len(pdf) // 1024, seconds=seconds))
elif estimate:
    st.caption(_("Generating takes about {seconds} seconds (the median of earlier proposals).").format(seconds=estimate))

versions = services.proposal_versions(repo, state.engagement_id, actor=state.actor)
number = services.version_numbers(versions)
if state.proposal_id is not None and any(v.id == state.proposal_id for v in versions):
    latest = next(v for v in versions if v.id == state.proposal_id)
    if st.session_state.get("proposal-twin") == latest.id:
        st.info(_("Nothing changed since v{n} (same inputs, language and edition): v{n} is offered instead of a copy.").format(
            n=number[latest.id]), icon=":material/content_copy:")
    try:
        pictures = preview(cached.settings().database_url, latest.id)
    except KcityError as exc:
        st.caption(_("No preview: {error}").format(error=exc))
    else:
        st.caption(_("The first pages of v{n}, as they will print:").format(n=number[latest.id]))
        for column, picture in zip(st.columns(len(pictures) or 1), pictures, strict=False):
            column.image(picture, width="stretch")
    st.download_button(f"{_('Download the proposal')} ({ui.LANGUAGE_NAMES.get(latest.language, latest.language)}, v{number[latest.id]})",
                       data=partial(services.proposal_pdf, repo, latest.id, actor=state.actor),
                       file_name=file_name(eng.city, latest.language, number[latest.id]),
                       mime="application/pdf", on_click="ignore", type="primary", key="download-latest", icon=":material/download:")

earlier = [v for v in versions if v.id != state.proposal_id]  # the one just generated is offered above
st.subheader(_("Earlier versions"))
if not earlier:
    st.caption(_("No earlier proposal for this engagement."))
for v in earlier:
    c1, c2, c3, c4 = st.columns([2, 1, 2, 1], vertical_alignment="center")
    c1.text(f"{v.created:%Y-%m-%d %H:%M} UTC")
    c2.text(ui.LANGUAGE_NAMES.get(v.language, v.language))
    c3.text(f"v{number[v.id]} · {v.size // 1024} KB"
            + (f" · {_('made from the current inputs')}" if v.inputs_hash == eng.input_hash() else f" · {_('made from earlier inputs')}"))
    c4.download_button(_("Download"), data=partial(services.proposal_pdf, repo, v.id, actor=state.actor),
                       file_name=file_name(eng.city, v.language, number[v.id]),
                       mime="application/pdf", on_click="ignore", key=f"download-{v.id}")

st.divider()
ui.restore_from_pdf()
ui.footer("proposal")
