"""A team server in the wizard (AppTest): sign in, comment on a step, approve a proposal version, mark it sent and see
the frozen copy; the audit log page lists what happened."""

from __future__ import annotations

import hashlib

import pytest

from app import services, services_team
from app.core.access import Actor
from app.errors import AccessDenied
from tests.conftest import ROOT
from tests.e2e.conftest import click, new_app, run, texts, title, widget

CONSOLE = Actor("ops", "admin", console=True)
PDF = b"%PDF-1.7\n% the proposal the partner receives\n"


@pytest.fixture
def team(repo, bundled_catalog):
    """Accounts kim (consultant) and lee (reviewer); kim's engagement with one proposal version, submitted for review."""
    services_team.add_user(repo, "kim", "consultant", "kim-password", actor=CONSOLE)
    services_team.add_user(repo, "lee", "reviewer", "lee-password", actor=CONSOLE)
    kim = Actor("kim", "consultant")
    engagement = services.load_engagement(ROOT / "catalog" / "examples" / "hue-smart-pin.yaml", bundled_catalog)
    record = services.create_engagement(repo, title="Hue smart PIN", engagement=engagement, actor=kim)
    proposal = services.store_proposal(repo, record.id, PDF, "en", bundled_catalog, engagement, actor=kim)
    services_team.submit_for_review(repo, record.id, actor=kim)
    return record.id, proposal.id


def sign_in(at, name: str, password: str):
    widget(at, "text_input", "Name").input(name)
    widget(at, "text_input", "Password").input(password)
    return click(at, "Sign in")


def test_without_accounts_nobody_is_asked_to_sign_in(data_dir):
    at = run(new_app())
    assert "Engagements" in title(at) and not any(b.label == "Sign in" for b in at.button)


def test_with_accounts_the_wizard_asks_to_sign_in_and_refuses_a_wrong_password(data_dir, team):
    at = run(new_app())
    assert "Sign in" in title(at)
    sign_in(at, "lee", "not-her-password")
    assert "Unknown name or wrong password." in texts(at, "error") and "Sign in" in title(at)


def test_a_reviewer_signs_in_comments_approves_and_the_consultant_sends_the_frozen_copy(data_dir, repo, team):
    engagement_id, proposal_id = team
    at = run(new_app(engagement=engagement_id, step="review"))
    sign_in(at, "lee", "lee-password")
    assert "Review and sending" in title(at) and any("Signed in as lee" in c for c in texts(at, "caption"))
    assert "In review" in " ".join(texts(at, "markdown"))

    widget(at, "selectbox", "About the step").select("needs")
    widget(at, "text_area", "Comment").input("Is flooding really the first need?")
    click(at, "Add the comment")
    assert "Is flooding really the first need?" in texts(at, "text")
    assert any("lee" in m and "Needs" in m for m in texts(at, "markdown"))
    at.query_params["step"] = "needs"
    needs = run(at)
    assert any(e.label == "Review comments on this step (1)" for e in needs.expander)  # shown on the step it is about
    assert "Is flooding really the first need?" in texts(needs, "text")
    needs.query_params["step"] = "review"
    run(needs)

    widget(at, "selectbox", "Proposal version to approve").select(proposal_id)
    click(at, "Approve this version")
    assert any("approved by lee" in s for s in texts(at, "success"))
    assert not any(b.label.startswith("Mark the approved version") for b in at.button)  # a reviewer does not send

    click(at, "Sign out")
    sign_in(at, "kim", "kim-password")
    at.switch_page("app_pages/review.py")
    run(at)
    widget(at, "text_input", "Sent to (optional note)").input("Hue People's Committee")
    click(at, "Mark the approved version as sent")
    shown = "\n".join(texts(at, "text"))
    assert f"SHA-256 (PDF): {hashlib.sha256(PDF).hexdigest()}" in shown and "Approved by: lee" in shown
    assert "Hue People's Committee" in shown
    frozen = services_team.sent_copies(repo, engagement_id, actor=Actor("kim", "consultant"))
    assert [c.pdf_sha256 for c in frozen] == [hashlib.sha256(PDF).hexdigest()]
    at.query_params["step"] = "engagements"
    assert "Proposal generated · Sent" in texts(run(at), "text")  # the list says where each engagement stands


def test_the_audit_log_page_lists_who_did_what(data_dir, repo, team):
    engagement_id, _ = team
    at = run(new_app(engagement=engagement_id, step="audit"))
    sign_in(at, "lee", "lee-password")
    assert "Audit log" in title(at)
    table = at.dataframe[0].value
    assert set(table["Who"]) == {"kim"} and set(table["Action"]) == {"created", "proposal generated", "submitted for review"}
    widget(at, "radio", "Show").set_value("all")
    everything = run(at).dataframe[0].value
    assert set(everything["Who"]) == {"kim", "ops (command line)"} and "account" in set(everything["Action"])


AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "test-secret", "client_id": "kcity",
        "client_secret": "x", "server_metadata_url": "https://login.example.org/.well-known/openid-configuration"}


def test_with_an_identity_provider_a_signed_in_person_is_matched_to_their_account_by_email(data_dir, repo, team):
    services_team.add_user(repo, "Lee Ji-eun", "reviewer", None, "lee.jieun@ministry.example", actor=CONSOLE)
    at = new_app()
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": "Lee.JiEun@ministry.example", "name": "Lee Ji-eun"}
    run(at)
    assert "Engagements" in title(at) and at.session_state["wizard"].actor == Actor("Lee Ji-eun", "reviewer")
    assert any(c.startswith("Signed in as Lee Ji") for c in texts(at, "caption"))


def test_with_an_identity_provider_someone_without_an_account_is_refused(data_dir, repo, team):
    at = new_app()
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": "stranger@example.org", "name": "Stranger"}
    run(at)
    assert any("has no account here" in e for e in texts(at, "error"))
    assert not at.dataframe and "Engagements" not in [str(t.value) for t in at.title]


def test_with_an_identity_provider_the_sign_in_page_offers_its_button(data_dir, team):
    at = new_app()
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": False}
    run(at)
    assert any(b.label == "Sign in with your organisation's account" for b in at.button)


def test_an_administrator_adds_and_disables_accounts_in_the_wizard_and_others_do_not_see_the_page(data_dir, repo, team):
    services_team.add_user(repo, "park", "admin", "park-password", actor=CONSOLE)
    at = run(new_app())
    sign_in_to(at, "park", "park-password")
    at.switch_page("app_pages/accounts.py")
    at.query_params["step"] = "accounts"
    run(at)
    assert "Accounts" in title(at) and set(at.dataframe[0].value["Name"]) == {"kim", "lee", "park"}
    widget(at, "text_input", "Name").input("choi")
    widget(at, "selectbox", "Role").select("reviewer")
    widget(at, "text_input", "Password (empty: single sign-on only)").input("choi-password")
    click(at, "Add the account")
    assert services_team.sign_in(repo, "choi", "choi-password") == Actor("choi", "reviewer")
    widget(at, "selectbox", "Account").select("choi")
    run(at)
    widget(at, "checkbox", "Active (may sign in)").uncheck()
    click(at, "Save the account")
    with pytest.raises(AccessDenied):
        services_team.sign_in(repo, "choi", "choi-password")
    assert {a.name for a in services_team.list_users(repo, actor=CONSOLE) if not a.active} == {"choi"}

    consultant = run(new_app())
    sign_in_to(consultant, "kim", "kim-password")
    consultant.query_params["step"] = "accounts"
    run(consultant)
    assert "Accounts" not in title(consultant)


def sign_in_to(at, name: str, password: str):
    widget(at, "text_input", "Name").input(name)
    widget(at, "text_input", "Password").input(password)
    return click(at, "Sign in")
