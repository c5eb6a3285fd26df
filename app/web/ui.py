"""Shared pieces of the wizard's screens: steps, step indicator, Back/Next, saving with the version check, errors.

Nothing here decides anything about cities or modules: it collects, calls :mod:`app.services` and displays.
User text is only ever shown through widgets that do not interpret HTML (and markdown is escaped).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

import streamlit as st

from app import services, services_team
from app.core.engagement import Engagement
from app.core.models import Catalog
from app.errors import EngagementError, KcityError, StaleWriteError
from app.i18n import translator
from app.web import cached
from app.web import state as wizard_state
from app.web.state import WizardState


@dataclass(frozen=True)
class Step:
    slug: str  # url path and file name stem
    title: str  # English (the msgid)
    icon: str
    needs: str  # "engagement" | "partner" | "needs" | "" : what must exist before the step can run
    file: str = ""

    @property
    def path(self) -> str:
        return f"app_pages/{self.file or self.slug}.py"


STEPS: tuple[Step, ...] = (
    Step("engagements", "Engagements", ":material/folder_open:", ""),
    Step("partner", "Partner", ":material/location_city:", "engagement"),
    Step("needs", "Needs", ":material/checklist:", "partner"),
    Step("readiness", "Readiness and constraints", ":material/speed:", "partner"),
    Step("recommendations", "Recommendations", ":material/star:", "needs"),
    Step("package", "Package", ":material/inventory_2:", "needs"),
    Step("roadmap", "Roadmap and costs", ":material/calendar_month:", "needs", file="roadmap_costs"),
    Step("proposal", "Proposal", ":material/description:", "needs"),
)
CATALOG_STEP = Step("catalog", "Catalog", ":material/menu_book:", "")
TEAM_STEPS: tuple[Step, ...] = (
    Step("review", "Review and sending", ":material/rate_review:", "engagement"),
    Step("audit", "Audit log", ":material/history:", ""),
)
ACCOUNTS_STEP = Step("accounts", "Accounts", ":material/group:", "")  # in the navigation for administrators only
BY_SLUG = {s.slug: s for s in (*STEPS, CATALOG_STEP, *TEAM_STEPS, ACCOUNTS_STEP)}

# Labels of vocabulary codes that the engine's explain module does not name (msgids of the "wizard" domain).
# Each language named in itself (the wizard's and the proposals' language pickers).
LANGUAGE_NAMES = {"en": "English", "ko": "한국어", "vi": "Tiếng Việt", "id": "Bahasa Indonesia", "es": "Español"}

VOCAB = {
    "greenfield_new_town": "Greenfield new town", "brownfield_retrofit": "Retrofit of an existing city",
    "district_regeneration": "District regeneration", "single_solution": "Single solution",
    "special_economic_zone": "Special economic zone",
    "central_gov": "Central government", "local_gov": "Local government", "public_body": "Public body",
    "intl_org": "International organisation", "sez_authority": "SEZ authority", "private": "Private company",
    "flood": "Flood", "landslide": "Landslide", "heat": "Heat wave", "drought": "Drought", "earthquake": "Earthquake",
    "cyclone": "Cyclone", "wildfire": "Wildfire", "sea_level_rise": "Sea-level rise",
    "new": "New", "in_progress": "In progress", "proposal": "Proposal generated",
    "draft": "Draft", "in_review": "In review", "approved": "Approved", "sent": "Sent",
    "pilot": "Pilot", "proven_domestic": "Proven in Korea", "proven_overseas": "Proven overseas",
    "high": "High confidence", "medium": "Medium confidence", "low": "Low confidence",
    "korean_domestic": "Korean domestic contracts", "overseas_contract": "Overseas contracts", "oda_grant": "ODA grant projects",
    "vendor_claim": "Vendor figures", "estimate": "Estimate",
    # the catalog's scale units (what a module's unit cost and quantity count)
    "bay": "parking bay", "bin": "bin", "building": "building", "bus": "bus", "camera": "camera", "charger": "charger",
    "city": "whole city", "facility": "facility", "household": "household", "intersection": "intersection", "km2": "km²",
    "km_network": "km of network", "km_road": "km of road", "luminaire": "luminaire", "lump_sum": "lump sum", "meter": "meter",
    "school": "school", "sensor": "sensor", "site": "site", "user": "user", "vehicle": "vehicle",
}


def lang() -> str:
    return wizard_state.get().lang


def t() -> Callable[[str], str]:
    """``_`` for the wizard in the session's UI language."""
    return translator("wizard", lang())


def sentence(text: str) -> str:
    """``text`` with its first letter in capitals and the rest as written ("A public CCTV network", not "cctv")."""
    return text[:1].upper() + text[1:]


def vocab(code: str) -> str:
    return t()(VOCAB[code]) if code in VOCAB else code.replace("_", " ")


def vocab_in(language: str) -> Callable[[str], str]:
    """``vocab`` bound to ``language`` (a widget's format_func may be called outside the page's run)."""
    _ = translator("wizard", language)
    return lambda code: _(VOCAB[code]) if code in VOCAB else code.replace("_", " ")


def country_name(catalog: Catalog, iso3: str, language: str | None = None) -> str:
    """The country's name in the UI language, from the same source as the proposal (CLDR through Babel)."""
    return services.country_name(catalog, iso3, language or lang())


_MD = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~$:=^])")


def money(amount: float, currency: str, language: str) -> str:
    """An amount in the UI language's way (Babel, CLDR): US$15,000,000, ₩400,000,000."""
    from babel.numbers import format_currency

    from app.i18n import BABEL_LOCALES

    return format_currency(amount, currency, locale=BABEL_LOCALES.get(language, "en_US"), format="¤#,##0", currency_digits=False)


def unit(english: str, language: str) -> str:
    """An indicator's unit (the catalog gives it in English) in ``language`` when translated, as the proposal says it."""
    from app.i18n import messages

    return messages("catalog", language).get(english, english) if language != "en" else english


def with_unit(value: str, unit_text: str) -> str:
    """A number with its unit: "78.08 % of population", "1.2 M people", "US$ 4,110" (current US$ reads as money)."""
    if unit_text.startswith("%"):
        return f"{value} {unit_text}"
    return f"{value} {unit_text}".strip()


def short_with_unit(value: str, english_unit: str, language: str) -> str:
    """A number with the short form of its unit, for a metric tile: "75.21 %", "US$4,171", "116.8 M" (people)."""
    if english_unit.startswith("%"):
        return f"{value} %"
    if "US$" in english_unit:
        return f"US${value}"
    if english_unit == "persons":  # the tile's label says what is counted; "116.8 M persons" does not fit a tile
        return value
    return with_unit(value, unit(english_unit, language))


def md(text: str | None) -> str:
    """User text escaped for markdown, so that it shows literally."""
    return _MD.sub(r"\\\1", text or "")


# ------------------------------------------------------------ choices shown in the UI language

_CHOICES = "choices-by-code"  # session key: widget key -> the codes chosen, whatever the language


def choice_key(key: str) -> str:
    """The key of a selectbox or multiselect whose options are shown translated.

    Streamlit keeps such a widget's choice as the label shown, which another language does not have: each language
    gets its own widget, seeded with the codes chosen in the last one (see :func:`keep_choices`)."""
    stash = st.session_state.setdefault(_CHOICES, {})
    widget_key = f"{key}~{lang()}"
    if widget_key not in st.session_state and key in stash:
        st.session_state[widget_key] = stash[key]
    stash.setdefault(key, st.session_state.get(widget_key))
    return widget_key


def set_choice(key: str, value: Any) -> None:
    st.session_state.setdefault(_CHOICES, {})[key] = value
    st.session_state[f"{key}~{lang()}"] = value


def clear_choice(key: str) -> None:
    st.session_state.setdefault(_CHOICES, {}).pop(key, None)
    st.session_state.pop(f"{key}~{lang()}", None)


def keep_choices(language: str) -> None:
    """Copy every translated choice's codes from its widget in ``language`` (the one last drawn) before the run."""
    stash = st.session_state.setdefault(_CHOICES, {})
    for key in stash:
        if f"{key}~{language}" in st.session_state:
            stash[key] = st.session_state[f"{key}~{language}"]
    wanted = st.session_state.get("ui-lang", language)
    if wanted != language:  # the widgets of the language left are drawn afresh, from the codes, when it comes back
        for stale in [k for k in st.session_state if isinstance(k, str) and "~" in k and k.split("~")[0] in stash]:
            del st.session_state[stale]


# ------------------------------------------------------------ page frame


def missing_for(step: Step, state: WizardState) -> str | None:
    """What must be done before ``step`` can run, in words, or ``None`` when it can run."""
    _ = t()
    if step.needs and state.record is None:
        return _("Open or create an engagement first (Engagements).")
    if step.needs in ("partner", "needs") and state.engagement is None:
        return _("Enter the partner city first (Partner): country, city, population and area.")
    if step.needs == "needs" and state.engagement is not None and not state.engagement.needs:
        return _("Select at least one need first (Needs).")
    return None


class EngagementStep(NamedTuple):
    state: WizardState
    catalog: Catalog
    engagement: Engagement
    lang: str


def engagement_step(slug: str) -> EngagementStep:
    """``header`` for a step that works on the open engagement: its state, the catalog, the engagement, the UI language."""
    state = header(slug)
    assert state.engagement is not None  # header stops the page while there is no valid engagement
    return EngagementStep(state, cached.catalog(), state.engagement, state.lang)


def header(slug: str) -> WizardState:
    """Title, step indicator, open engagement, messages and conflicts; stops the page when it cannot run yet."""
    _ = t()
    state = wizard_state.get()
    state.step = slug
    step = BY_SLUG[slug]
    st.title(f"{step.icon} {_(step.title)}", anchor=False)
    if step in STEPS:
        _step_indicator(step, state)
    if state.record is not None and slug not in ("engagements", "catalog", "audit", "accounts"):
        version = _("version {n}").format(n=state.version)
        st.caption(f"{_('Engagement')}: {md(state.title)} · {version} · {_('saved')} {state.record.updated:%Y-%m-%d %H:%M} UTC")
    if state.record is not None and step in STEPS[1:]:
        _step_comments(slug, state)
    for kind, text in state.messages:
        getattr(st, kind)(text)
    state.messages = []
    if state.conflict:
        st.error(state.conflict, icon=":material/warning:")
        if st.button(_("Reload the latest version"), key="reload-latest"):
            reload_engagement(state)
            st.rerun()
    if state.unsaved(slug):
        st.info(_("Changes not saved yet on this step (kept while you visit other steps): "
                  "“Save and continue” or the save button stores them."), icon=":material/edit_note:")
    missing = missing_for(step, state)
    if missing:
        st.info(missing, icon=":material/info:")
        footer(slug)
        st.stop()
    return state


def _step_comments(slug: str, state: WizardState) -> None:
    """The review comments about this step, if any (they are written on the Review and sending page)."""
    _ = t()
    try:
        found = [c for c in services_team.list_comments(cached.repository(), state.record.id if state.record else "", actor=state.actor)
                 if c.step == slug]
    except KcityError:
        return
    if found:
        with st.expander(_("Review comments on this step ({n})").format(n=len(found)), icon=":material/chat:"):
            for c in found:
                st.markdown(f"**{md(c.author or _('(local user)'))}** · {c.created:%Y-%m-%d %H:%M} UTC")
                st.text(c.body)


def _step_indicator(step: Step, state: WizardState) -> None:
    _ = t()
    index = STEPS.index(step)
    parts = []
    for i, s in enumerate(STEPS):
        name = _(s.title)
        if i == index:
            parts.append(f"**{i}. {name}**")
        elif missing_for(s, state) is None:
            parts.append(f"{i}. {name}")
        else:
            parts.append(f":gray[{i}. {name}]")
    st.progress(index / (len(STEPS) - 1), text=" → ".join(parts))


def footer(slug: str, save_step: Callable[[], bool] | None = None) -> None:
    """Back and Next buttons (Next says what is missing when the next step cannot run yet).

    On a step with input (``save_step`` given), Next is "Save and continue": it stores the step's changes, if any,
    and moves on only when they were saved (a rejected input stays on the step with its problems)."""
    _ = t()
    step = BY_SLUG[slug]
    if step not in STEPS:
        return
    index = STEPS.index(step)
    state = wizard_state.get()
    st.divider()
    left, _middle, right = st.columns([1, 3, 1])
    if index > 0 and left.button(f"← {_('Back')}", key="nav-back", width="stretch"):
        go(STEPS[index - 1].slug)
    if index < len(STEPS) - 1:
        nxt = STEPS[index + 1]
        if save_step is not None:
            blocked = missing_for(nxt, state) if not state.unsaved(slug) else None
            if right.button(f"{_('Save and continue')} →", key="nav-next", width="stretch", type="primary", disabled=blocked is not None,
                            help=blocked or _("Stores the changes on this step, then opens {step}").format(step=_(nxt.title))):
                if state.unsaved(slug) and not save_step():
                    st.rerun()
                missing = missing_for(nxt, state)
                if missing:
                    state.messages.append(("info", missing))
                    st.rerun()
                go(nxt.slug)
            return
        missing = missing_for(nxt, state)
        if right.button(f"{_('Next')} →", key="nav-next", width="stretch", type="primary", disabled=missing is not None,
                        help=missing):
            go(nxt.slug)


def as_callback(action: Callable[[], object]) -> Callable[[], None]:
    """``action`` as a button's on_click (which must return nothing)."""
    def callback() -> None:
        action()
    return callback


def go(slug: str) -> None:
    state = wizard_state.get()
    params = {"engagement": state.engagement_id, "step": slug} if state.engagement_id else {"step": slug}
    if state.lang != "en":
        params["lang"] = state.lang
    st.switch_page(BY_SLUG[slug].path, query_params=params)


# ------------------------------------------------------------ engagements and saving


def open_engagement(engagement_id: str) -> bool:
    state = wizard_state.get()
    try:
        record = services.get_engagement(cached.repository(), engagement_id, actor=state.actor)
    except KcityError as exc:
        state.messages.append(("error", str(exc)))
        return False
    state.open(record, cached.catalog())
    st.query_params["engagement"] = record.id
    return True


def reload_engagement(state: WizardState) -> None:
    if state.engagement_id:
        open_engagement(state.engagement_id)


def current_data(state: WizardState) -> dict[str, Any]:
    """The open engagement as JSON: the validated one, else what is stored (which may no longer validate), else empty."""
    if state.engagement is not None:
        return state.engagement.model_dump(mode="json")
    return dict(state.record.data) if state.record is not None and state.record.data else {}


def save(step: str, data: dict[str, Any]) -> Engagement | None:
    """Validate and store ``data`` as the open engagement's next version; problems and conflicts go to the state."""
    _ = t()
    state = wizard_state.get()
    assert state.engagement_id is not None
    try:
        record, engagement = services.save_engagement(cached.repository(), cached.catalog(), state.engagement_id, data, state.version,
                                                      actor=state.actor)
    except EngagementError as exc:
        state.problems[step] = exc.problems
        return None
    except StaleWriteError as exc:
        state.conflict = _(
            "Not saved: this engagement was saved elsewhere (version {current}) after you opened version {expected}. "
            "Your input is still in the form: reload the latest version, then apply your change again."
        ).format(current=exc.current, expected=exc.expected)
        return None
    except KcityError as exc:
        state.messages.append(("error", str(exc)))
        return None
    state.problems.pop(step, None)
    state.saved(record, engagement, step)
    state.messages.append(("success", _("Saved (version {n}).").format(n=record.version)))
    return engagement


def text_field(where: Any, label: str, key: str, limit: int, area: bool = False, **kwargs: Any) -> str:
    """A text input (or area) that takes any length and names its limit when the text is over it.

    A browser ``max_chars`` cuts a paste silently; here the text stays whole, and saving refuses it with the limit."""
    widget = where.text_area if area else where.text_input
    value = widget(label, key=key, **kwargs)
    with where:
        too_long(label, value, limit)
    return str(value or "")


def too_long(label: str, value: str | None, limit: int) -> None:
    """A message under a text field whose text is over its limit (the field accepts it, so nothing is cut silently)."""
    if value and len(value) > limit:
        st.error(t()("{field}: {n:,} characters; the limit is {limit:,}. Shorten it to save.").format(
            field=label, n=len(value), limit=limit), icon=":material/error:")


def problems(step: str, prefixes: tuple[str, ...] | None = None) -> None:
    """The problems of the last submit of ``step`` as ``field: message`` (only those under ``prefixes`` if given)."""
    found = wizard_state.get().problems.get(step, [])
    if prefixes is not None:
        found = [p for p in found if p.field.startswith(prefixes)]
    if found:
        st.error("\n".join(f"- {md(p.field) or '—'}: {md(p.message)}" for p in found))


def restore_from_pdf() -> None:
    """Upload a proposal PDF and restore the engagement embedded in it as a new engagement."""
    _ = t()
    st.subheader(_("Restore an engagement from a proposal PDF"))
    upload = st.file_uploader(_("Proposal PDF"), type=["pdf"], key="restore-upload")
    if upload is None or not st.button(_("Restore as a new engagement"), key="restore-button"):
        return
    try:
        engagement = services.engagement_from_pdf(upload.getvalue(), cached.catalog())
        record = services.create_engagement(cached.repository(), title=engagement.title or engagement.city, engagement=engagement,
                                            actor=wizard_state.get().actor)
    except KcityError as exc:
        st.error(_("This PDF cannot be restored: {error}").format(error=exc))
        return
    if open_engagement(record.id):
        wizard_state.get().messages.append(("success", _("Restored from the PDF as a new engagement.")))
        go("partner")
