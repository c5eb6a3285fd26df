"""Who is using the wizard: nobody to ask in the embedded single-user mode (no accounts); otherwise a sign-in form
(name and password, argon2-checked by the service layer) or, when ``.streamlit/secrets.toml`` has an ``[auth]``
section, single sign-on through the identity provider (``st.login``, OIDC), matched to an account by e-mail.

:func:`actor` returns the signed-in actor (or None in single-user mode) and stops the page while nobody is signed in.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from app import services_team
from app.core.access import Actor
from app.errors import KcityError
from app.web import cached, ui
from app.web import state as wizard_state


def oidc_configured() -> bool:
    """Whether an identity provider is configured (an ``[auth]`` section in the secrets)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all: Streamlit raises its own error type
        return False


def _identity() -> tuple[str | None, str | None] | None:
    """(e-mail, name) of the person the identity provider signed in, or None."""
    user: Any = st.user
    if not getattr(user, "is_logged_in", False):
        return None
    return user.get("email"), user.get("name")


def actor() -> Actor | None:
    """The signed-in actor; None in single-user mode. Shows the sign-in form and stops the page when needed."""
    state = wizard_state.get()
    repo = cached.repository()
    if not services_team.has_accounts(repo):
        state.actor = None
        return None
    if state.actor is None and oidc_configured() and (identity := _identity()) is not None:
        try:
            state.actor = services_team.identity_actor(repo, *identity)
        except KcityError as exc:
            st.error(str(exc))
            if st.button(ui.t()("Sign out"), key="oidc-logout"):
                st.logout()
            st.stop()
    if state.actor is None:
        _form(repo)
        st.stop()
    assert state.actor is not None
    _sidebar(state.actor)
    return state.actor


def _form(repo: Any) -> None:
    _ = ui.t()
    st.title(f":material/login: {_('Sign in')}", anchor=False)
    st.caption(_("This wizard is shared by a team: sign in with the account an administrator gave you."))
    if oidc_configured() and st.button(_("Sign in with your organisation's account"), type="primary", key="oidc-login"):
        st.login()
    with st.form("sign-in"):
        name = st.text_input(_("Name"), key="sign-in-name", max_chars=120)
        password = st.text_input(_("Password"), type="password", key="sign-in-password")
        if st.form_submit_button(_("Sign in"), type="primary" if not oidc_configured() else "secondary"):
            try:
                wizard_state.get().actor = services_team.sign_in(repo, name, password)
            except KcityError:
                st.error(_("Unknown name or wrong password."))
            else:
                st.rerun()


ROLE_NAMES = {"consultant": "Consultant", "reviewer": "Reviewer", "admin": "Administrator"}


def _sidebar(who: Actor) -> None:
    _ = ui.t()
    st.sidebar.caption(_("Signed in as {name} ({role})").format(name=ui.md(who.name), role=_(ROLE_NAMES[who.role])))
    if st.sidebar.button(_("Sign out"), key="sign-out", icon=":material/logout:"):
        state = wizard_state.get()
        state.actor = None
        state.close()
        if oidc_configured() and _identity() is not None:
            st.logout()
        st.rerun()
