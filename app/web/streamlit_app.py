"""Wizard entry point: page config, the catalog, the session's wizard state, the URL, navigation, then the page.

The URL carries the open engagement and step (``?engagement=<id>&step=<page>``): a reload (a new session) or a
shared link opens the same engagement at the same step.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

if __package__ in (None, ""):  # `streamlit run app/web/streamlit_app.py` runs this file as a script
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.errors import CatalogError, KcityError
from app.i18n import UI_LANGUAGES
from app.web import cached, signin, ui
from app.web import state as wizard_state

PAGES = Path(__file__).parent

st.set_page_config(page_title="K-Smart City Configurator", page_icon="🏙️", layout="wide")

try:
    catalog = cached.catalog()
    cached.repository()
    cached.chart_server()
except CatalogError as exc:
    st.error(f"The solution catalog in `{cached.settings().catalog_dir}` has {len(exc.problems)} problem(s). "
             "Fix them (or run `kcity catalog validate`) and reload.")
    st.code("\n".join(exc.lines()), language=None)
    st.stop()
except KcityError as exc:
    st.error(f"The engagement store cannot be opened: {exc}")
    st.stop()

state = wizard_state.get()
state.keep_drafts()  # before any page runs: a step left unsaved keeps its input for the next visit
ui.keep_choices(state.lang)  # and a choice made in one UI language is kept in the next
if "ui-lang" not in st.session_state:  # a reload keeps the language through the URL (?lang=ko)
    wanted_lang = st.query_params.get("lang") or state.lang or cached.settings().default_language
    st.session_state["ui-lang"] = wanted_lang if wanted_lang in UI_LANGUAGES else "en"
st.sidebar.radio("Language / 언어", UI_LANGUAGES, key="ui-lang", format_func=ui.LANGUAGE_NAMES.get, horizontal=True)
state.lang = st.session_state["ui-lang"] if st.session_state["ui-lang"] in UI_LANGUAGES else "en"
_ = ui.t()

actor = signin.actor()  # asks who is there when the server has accounts (stops the page until someone signs in)

wanted = st.query_params.get("engagement")
if wanted and wanted != state.engagement_id:
    ui.open_engagement(wanted)


def _page(step: ui.Step, default: bool = False) -> st.Page:
    return st.Page(PAGES / step.path, title=_(step.title), icon=step.icon, url_path=step.slug, default=default)


pages = {step.slug: _page(step, default=step.slug == "engagements") for step in ui.STEPS}
pages["catalog"] = _page(ui.CATALOG_STEP)
for team_step in ui.TEAM_STEPS:
    pages[team_step.slug] = _page(team_step)
team_pages = [pages[s.slug] for s in ui.TEAM_STEPS]
if actor is not None and actor.role == "admin":
    pages["accounts"] = _page(ui.ACCOUNTS_STEP)
    team_pages.append(pages["accounts"])
page = st.navigation({
    _("Engagement"): [pages[s.slug] for s in ui.STEPS[:1]],
    _("Wizard"): [pages[s.slug] for s in ui.STEPS[1:]],
    _("Review"): team_pages,
    _("Reference"): [pages["catalog"]],
})

current = page.url_path or "engagements"  # the default page has an empty url path
step_param = st.query_params.get("step")
if step_param in pages and step_param != current:
    st.switch_page(pages[step_param], query_params=dict(st.query_params))

if state.engagement_id:
    st.query_params["engagement"] = state.engagement_id
    st.sidebar.text(f"{_('Open engagement')}: {state.title}")  # plain text: a URL in a title is not made a link
    if unsaved := [ui.BY_SLUG[s] for s in state.unsaved_steps() if s in ui.BY_SLUG and s != current]:
        st.sidebar.caption(":material/edit_note: " + _("Not saved yet: {steps}").format(steps=", ".join(_(s.title) for s in unsaved)))
elif "engagement" in st.query_params:
    del st.query_params["engagement"]
st.query_params["step"] = current
if state.lang != "en":
    st.query_params["lang"] = state.lang
elif "lang" in st.query_params:
    del st.query_params["lang"]
page.run()
