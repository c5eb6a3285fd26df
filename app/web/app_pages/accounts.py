"""Accounts (administrators only): who may sign in and with which role; add an account, change a role, reset a
password, disable or enable. Accounts are never deleted: the audit log names them."""

from __future__ import annotations

import streamlit as st

from app import services_team
from app.core.access import ROLES
from app.errors import KcityError
from app.web import cached, signin, ui

_ = ui.t()
state = ui.header("accounts")
repo = cached.repository()
who = state.actor
ROLE_NAMES: dict[str, str] = {r: _(signin.ROLE_NAMES[r]) for r in ROLES}

try:
    accounts = services_team.list_users(repo, actor=who)
except KcityError as exc:
    st.error(str(exc))
    st.stop()


def done(action: str, **kwargs: object) -> None:
    """Run one account change; its error or its success is shown on the next run."""
    try:
        getattr(services_team, action)(repo, actor=who, **kwargs)
    except KcityError as exc:
        state.messages.append(("error", str(exc)))
    else:
        state.messages.append(("success", _("Saved.")))
    st.rerun()


st.dataframe([{_("Name"): a.name, _("Role"): ROLE_NAMES.get(a.role, a.role), _("E-mail"): a.email or "",
               _("Signs in with"): _("password") if a.password_hash else _("identity provider"),
               _("Active"): a.active} for a in accounts], hide_index=True, width="stretch")

with st.expander(_("Add an account"), icon=":material/person_add:"), st.form("add-account", clear_on_submit=True):
    name = st.text_input(_("Name"), key="account-name", max_chars=120)
    role = st.selectbox(_("Role"), list(ROLES), format_func=lambda r: ROLE_NAMES.get(r, r), key="account-role")
    email = st.text_input(_("E-mail (for single sign-on)"), key="account-email", max_chars=200)
    password = st.text_input(_("Password (empty: single sign-on only)"), type="password", key="account-password")
    if st.form_submit_button(_("Add the account"), type="primary"):
        done("add_user", name=name, role=role or "consultant", password=password or None, email=email.strip() or None)

if accounts:
    with st.expander(_("Change an account"), icon=":material/manage_accounts:"):
        chosen = st.selectbox(_("Account"), [a.name for a in accounts], key="change-name")  # outside the form: picks its values
        current = next(a for a in accounts if a.name == chosen)
        with st.form(f"change-account-{current.name}"):
            new_role = st.selectbox(_("Role"), list(ROLES), index=list(ROLES).index(current.role) if current.role in ROLES else 0,
                                    format_func=lambda r: ROLE_NAMES.get(r, r), key=f"change-role-{current.name}")
            new_password = st.text_input(_("New password (empty: unchanged)"), type="password", key=f"change-password-{current.name}")
            active = st.checkbox(_("Active (may sign in)"), value=current.active, key=f"change-active-{current.name}")
            if st.form_submit_button(_("Save the account")):
                done("change_user", name=current.name, role=new_role, password=new_password or None, active=active)
