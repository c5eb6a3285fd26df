"""Engagements: the list of saved engagements, and new, open, duplicate, rename, archive, delete (confirmed)."""

from __future__ import annotations

import os
from collections.abc import Callable

import streamlit as st

from app import services
from app.errors import KcityError
from app.web import cached, ui

_ = ui.t()
state = ui.header("engagements")
repo = cached.repository()
catalog = cached.catalog()


def act(action: Callable[..., object], *args: object) -> bool:
    """Run one storage action; a storage error is shown, not raised."""
    try:
        action(repo, *args, actor=state.actor)
    except KcityError as exc:
        st.error(str(exc))
        return False
    return True


new_box = st.expander(_("New engagement"), expanded=state.record is None, icon=":material/add:")
with new_box, st.form("new-engagement", clear_on_submit=True, border=False):
    title = st.text_input(_("Title"), placeholder=_("e.g. Da Nang smart mobility 2027"), max_chars=200)
    if state.actor is None:  # signed in, the owner is whoever creates it
        owner = st.text_input(_("Owner"), value=os.environ.get("KCITY_USER", ""), max_chars=120)
    if st.form_submit_button(_("Create and enter the partner"), type="primary"):
        try:
            record = services.create_engagement(repo, title=title.strip(), owner=owner.strip() if state.actor is None else "", actor=state.actor)
        except KcityError as exc:
            st.error(str(exc))
        else:
            ui.open_engagement(record.id)
            ui.go("partner")

show_archived = st.toggle(_("Show archived engagements"), key="show-archived")
records = services.list_engagements(repo, include_archived=show_archived, actor=state.actor)
if not records:
    st.info(_("No engagements yet: create one above."))

if state.confirm_delete:
    doomed = next((r for r in records if r.id == state.confirm_delete), None)
    if doomed is None:
        state.confirm_delete = None
    else:
        st.warning(_("Delete “{title}” and all its proposal versions? This cannot be undone.").format(title=doomed.title or doomed.id))
        yes, no, _rest = st.columns([1, 1, 4])
        if yes.button(_("Delete for good"), type="primary", key="confirm-delete"):
            if act(services.delete_engagement, doomed.id) and state.engagement_id == doomed.id:
                state.close()
                st.query_params.pop("engagement", None)
            state.confirm_delete = None
            st.rerun()
        if no.button(_("Cancel"), key="cancel-delete"):
            state.confirm_delete = None
            st.rerun()

widths = [3, 2.2, 1.4, 1.5, 1.2, 1.1, 1.3]
if records:  # no header over an empty list
    head = st.columns(widths)
    for col, text in zip(head, (_("Engagement"), _("Partner"), _("Status"), _("Last saved"), _("Owner"), "", ""), strict=True):
        if text:
            col.markdown(f"**{text}**")
for r in records:
    cols = st.columns(widths, vertical_alignment="center")
    is_open = r.id == state.engagement_id
    cols[0].text(("▶ " if is_open else "") + (r.title or _("(untitled)")) + (f"  [{_('archived')}]" if r.archived else ""))
    partner = ", ".join(x for x in (r.city, ui.country_name(catalog, r.country) if r.country else None) if x)
    cols[1].text(partner or "—")
    cols[2].text(ui.vocab(r.status) + (f" · {ui.vocab(r.review_state)}" if r.review_state != "draft" else ""))
    cols[3].text(f"{r.updated:%Y-%m-%d %H:%M}")
    cols[4].text(r.owner or "—")
    opened = cols[5].button(_("Open"), key=f"open-{r.id}", type="primary" if is_open else "secondary", width="stretch")
    if opened and ui.open_engagement(r.id):
        ui.go("partner" if state.engagement is None else "needs")
    menu = cols[6].popover(_("Actions"), width="stretch")
    if menu.button(_("Duplicate"), key=f"dup-{r.id}", icon=":material/content_copy:", width="stretch") and act(
            services.duplicate_engagement, r.id):
        st.rerun()
    if menu.button(_("Rename"), key=f"ren-{r.id}", icon=":material/edit:", width="stretch"):
        state.renaming = r.id
        st.rerun()
    if menu.button(_("Restore") if r.archived else _("Archive"), key=f"arc-{r.id}", width="stretch",
                   icon=":material/unarchive:" if r.archived else ":material/archive:"):
        act(services.archive_engagement, r.id, not r.archived)
        st.rerun()
    if menu.button(_("Delete"), key=f"del-{r.id}", icon=":material/delete:", width="stretch"):
        state.confirm_delete = r.id
        st.rerun()
    if state.renaming == r.id:
        with st.form(f"rename-{r.id}"):
            st.session_state.setdefault(f"rename-title-{r.id}", r.title)
            new_title = st.text_input(_("New title"), key=f"rename-title-{r.id}", max_chars=200)
            if st.form_submit_button(_("Save title")) and act(services.rename_engagement, r.id, new_title):
                if is_open:
                    ui.reload_engagement(state)
                state.renaming = None
                st.rerun()

with st.expander(_("Restore an engagement from a proposal PDF"), icon=":material/upload_file:"):
    ui.restore_from_pdf()

ui.footer("engagements")
