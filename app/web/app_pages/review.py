"""Review and sending: the engagement's review state and the step it allows (submit, approve a proposal version,
return to draft with a reason, mark the approved version sent), the frozen copies of what the partner received with a
check of an uploaded PDF against them, and comments per wizard step."""

from __future__ import annotations

from functools import partial

import streamlit as st

from app import services, services_team
from app.errors import KcityError
from app.web import cached, ui

_ = ui.t()
state = ui.header("review")
repo = cached.repository()
catalog = cached.catalog()
record = state.record
assert record is not None and state.engagement_id is not None
eid, who = state.engagement_id, state.actor


def step_done(action: str, *args: object) -> None:
    """Run one review step; its error is shown, its success reloads the engagement with a message."""
    try:
        getattr(services_team, action)(repo, eid, *args, actor=who)
    except KcityError as exc:
        state.messages.append(("error", str(exc)))
    else:
        now = services.get_engagement(repo, eid, actor=who).review_state
        state.messages.append(("success", _("Done: the engagement is now {state}.").format(state=ui.vocab(now))))
        ui.reload_engagement(state)
    st.rerun()


versions = services.proposal_versions(repo, eid, actor=who)
number = services.version_numbers(versions)
STATE_ICONS = {"draft": ":material/edit_note:", "in_review": ":material/hourglass_top:", "approved": ":material/verified:", "sent": ":material/send:"}

# ------------------------------------------------------------ state and the step it allows

st.subheader(_("State"))
st.markdown(f"{STATE_ICONS.get(record.review_state, '')} **{ui.vocab(record.review_state)}**")
if record.review_state in ("approved", "sent") and record.approved_by and record.approved_at:
    approved_number = number.get(record.approved_proposal_id or -1, "?")
    st.success(_("Proposal v{n} approved by {name} on {when} UTC.").format(n=approved_number, name=record.approved_by,
                                                                            when=f"{record.approved_at:%Y-%m-%d %H:%M}"), icon=":material/verified:")
if record.review_state == "draft" and record.state_reason:
    st.warning(_("Returned to draft: {reason}").format(reason=record.state_reason), icon=":material/undo:")

if record.review_state == "draft" and services_team.may(repo, who, "submit", record):
    if not versions:
        st.info(_("Generate a proposal first (Proposal): a reviewer approves one proposal version."))
    elif st.button(_("Submit for review"), type="primary", key="submit-review", icon=":material/send:"):
        step_done("submit_for_review")

if record.review_state == "in_review" and versions and services_team.may(repo, who, "approve", record):
    with st.form("approve"):
        chosen = st.selectbox(_("Proposal version to approve"), [v.id for v in versions], key="approve-version",
                              format_func=lambda pid: next(f"v{number[v.id]} · {ui.LANGUAGE_NAMES.get(v.language, v.language)} · "
                                                           f"{v.created:%Y-%m-%d %H:%M} UTC" for v in versions if v.id == pid))
        if st.form_submit_button(_("Approve this version"), type="primary"):
            step_done("approve", chosen)

if record.review_state == "approved" and services_team.may(repo, who, "send", record):
    with st.form("send"):
        st.caption(_("Marking it sent keeps the approved PDF, the engagement and the catalog version for good: exactly what the partner receives."))
        note = st.text_input(_("Sent to (optional note)"), key="send-note", max_chars=1000)
        if st.form_submit_button(_("Mark the approved version as sent"), type="primary"):
            try:
                services_team.mark_sent(repo, catalog, eid, record.approved_proposal_id or 0, note, actor=who)
            except KcityError as exc:
                state.messages.append(("error", str(exc)))
            else:
                state.messages.append(("success", _("Marked as sent; the copy is frozen below.")))
                ui.reload_engagement(state)
            st.rerun()

if record.review_state != "draft" and services_team.may(repo, who, "return", record):
    with st.expander(_("Return to draft"), icon=":material/undo:"), st.form("return"):
        reason = st.text_input(_("Why it goes back to draft"), key="return-reason", max_chars=500)
        if st.form_submit_button(_("Return to draft")):
            step_done("return_to_draft", reason)

# ------------------------------------------------------------ what the partner received

st.subheader(_("Sent copies"))
copies = services_team.sent_copies(repo, eid, actor=who)
if not copies:
    st.caption(_("Nothing sent yet."))
for copy in copies:
    with st.container(border=True):
        sent_line = _("Sent on {when} UTC by {name}").format(when=f"{copy.sent_at:%Y-%m-%d %H:%M}", name=ui.md(copy.sent_by or _("(local user)")))
        st.markdown(f":material/lock: **{sent_line}**")
        st.text("\n".join([
            f"{_('Approved by')}: {copy.approved_by or _('(local user)')} · {copy.approved_at:%Y-%m-%d %H:%M} UTC",
            f"{_('Proposal')}: v{number.get(copy.proposal_id, '?')} · {ui.LANGUAGE_NAMES.get(copy.language, copy.language)} · "
            f"{copy.edition} · " + (f"{copy.size // 1024:,} KB" if copy.size >= 1024 else f"{copy.size} B"),
            f"{_('Catalog')}: {copy.catalog_version} · SHA-256 {copy.catalog_digest[:16]}…",
            f"SHA-256 (PDF): {copy.pdf_sha256}",
            *([f"{_('Note')}: {copy.note}"] if copy.note else []),
        ]))
        st.download_button(_("Download the sent PDF"), data=partial(lambda cid: services_team.sent_copy(repo, cid, actor=who).pdf, copy.id),
                           file_name=f"sent-{services.slug(state.title) or 'proposal'}-{copy.sent_at:%Y%m%d}.pdf", mime="application/pdf",
                           on_click="ignore", key=f"sent-{copy.id}", icon=":material/download:")
        with st.expander(_("Engagement as sent")):
            st.json(copy.snapshot, expanded=False)

if copies:
    st.subheader(_("Check a PDF against what was sent"))
    upload = st.file_uploader(_("A proposal PDF someone has"), type=["pdf"], key="verify-upload")
    if upload is not None:
        result = services_team.verify_pdf(repo, eid, upload.getvalue(), actor=who)
        if result.match is not None:
            st.success(_("Identical to the copy sent on {when} UTC (SHA-256 {sha}).").format(
                when=f"{result.match.sent_at:%Y-%m-%d %H:%M}", sha=result.sha256), icon=":material/verified:")
        else:
            st.error(_("This file is not a copy that was sent: its SHA-256 {sha} matches none of them.").format(sha=result.sha256),
                     icon=":material/gpp_bad:")

# ------------------------------------------------------------ comments

st.subheader(_("Comments"))
STEP_NAMES = {s.slug: _(s.title) for s in ui.STEPS[1:]}
comments = services_team.list_comments(repo, eid, actor=who)
if not comments:
    st.caption(_("No comments yet."))
for c in comments:
    with st.chat_message("user", avatar=":material/person:"):
        st.markdown(f"**{ui.md(c.author or _('(local user)'))}** · {STEP_NAMES.get(c.step, c.step)} · {c.created:%Y-%m-%d %H:%M} UTC")
        st.text(c.body)
if services_team.may(repo, who, "comment", record):
    with st.form("comment", clear_on_submit=True):
        step = st.selectbox(_("About the step"), [*STEP_NAMES.keys()], format_func=lambda slug: STEP_NAMES.get(slug, slug), key="comment-step")
        body = st.text_area(_("Comment"), key="comment-body", max_chars=4000)
        if st.form_submit_button(_("Add the comment")):
            try:
                services_team.add_comment(repo, eid, step or "proposal", body, actor=who)
            except KcityError as exc:
                state.messages.append(("error", str(exc)))
            st.rerun()

ui.footer("review")
