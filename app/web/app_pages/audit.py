"""Audit log: who created, changed (field by field), approved, sent, archived or deleted what, and when — of the open
engagement, or of everything for reviewers and administrators; exported to CSV or Excel."""

from __future__ import annotations

import streamlit as st

from app import services_team
from app.errors import KcityError
from app.web import cached, ui

_ = ui.t()
state = ui.header("audit")
repo = cached.repository()
who = state.actor

SCOPES = {"open": _("The open engagement"), "all": _("Everything")}
scopes = [k for k in SCOPES if k != "open" or state.engagement_id]
scope = st.radio(_("Show"), scopes, format_func=SCOPES.get, horizontal=True, key="audit-scope")
try:
    entries = services_team.audit_log(repo, state.engagement_id if scope == "open" else None, limit=5000, actor=who)
except KcityError as exc:
    st.error(str(exc))
    st.stop()

ACTIONS = {"create": _("created"), "change": _("changed"), "rename": _("renamed"), "archive": _("archived"), "restore": _("restored"),
           "delete": _("deleted"), "proposal": _("proposal generated"), "submit": _("submitted for review"), "approve": _("approved"),
           "return": _("returned to draft"), "send": _("sent"), "comment": _("commented"), "share": _("shared"), "account": _("account")}
rows = services_team.audit_rows(entries)
columns = [_("When (UTC)"), _("Who"), _("Action"), _("Engagement"), _("Summary"), _("Field"), _("Before"), _("After")]
if not rows:
    st.info(_("Nothing recorded yet."))
else:
    shown = [[r[0], r[1], ACTIONS.get(r[2], r[2]), *r[3:]] for r in rows]
    st.dataframe([dict(zip(columns, r, strict=True)) for r in shown], hide_index=True, width="stretch")
    a, b, _rest = st.columns([1, 1, 3])
    a.download_button(_("Export CSV"), data=services_team.audit_csv(entries), file_name="kcity-audit.csv", mime="text/csv",
                      on_click="ignore", key="audit-csv", icon=":material/download:")
    b.download_button(_("Export Excel"), data=services_team.audit_xlsx(entries), file_name="kcity-audit.xlsx",
                      mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore", key="audit-xlsx",
                      icon=":material/download:")
