"""The team server on SQLite and on PostgreSQL: each role against each service function, the review steps, the frozen
sent copies (immutable even to plain SQL), the audit log, sign-in, and identical proposals stored once."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import text

from app import services, services_team
from app.adapters import team_store
from app.adapters.storage import Repository
from app.core.access import Actor
from app.errors import AccessDenied, ReviewError, StorageError
from tests.conftest import ROOT

KIM, PARK, LEE, ROOT_ = Actor("kim", "consultant"), Actor("park", "consultant"), Actor("lee", "reviewer"), Actor("root", "admin")
CONSOLE = Actor("ops", "admin", console=True)
ROLES = {"kim (owner)": KIM, "park (other consultant)": PARK, "lee (reviewer)": LEE, "root (admin)": ROOT_}
EXAMPLE = ROOT / "catalog" / "examples" / "hue-smart-pin.yaml"
PDF = b"%PDF-1.7 a proposal"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def team_repo(request, tmp_path_factory) -> Repository:
    """One database per backend for the module, with the four accounts (hashing passwords costs ~50 ms each)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('team') / 'kcity.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres_server").new_database()
    repo = Repository.from_url(url)
    for actor in ROLES.values():
        services_team.add_user(repo, actor.name, actor.role, f"{actor.name}-password", f"{actor.name}@example.org", actor=CONSOLE)
    return repo


@pytest.fixture(scope="module")
def example(bundled_catalog):
    return services.load_engagement(EXAMPLE, bundled_catalog)


def engagement_in(repo: Repository, state: str, example) -> tuple[str, int]:
    """An engagement owned by kim with one proposal version, brought to ``state`` directly in storage."""
    record = repo.create(title="Hue", owner="kim", data=example.model_dump(mode="json"), by="kim")
    proposal = repo.add_proposal(record.id, PDF + record.id.encode(), "en", "v", "h", by="kim")
    if state in ("in_review", "approved", "sent"):
        team_store.review_step(repo, record.id, "submit", by="kim")
    if state in ("approved", "sent"):
        team_store.review_step(repo, record.id, "approve", by="lee", proposal_id=proposal.id)
    if state == "sent":
        team_store.freeze(repo, record.id, proposal.id, {}, "v", "d", by="kim")
    return record.id, proposal.id


Call = Callable[[Repository, Any, str, int, Actor | None], object]

# service function → (the review state it needs, the call, who may make it)
MATRIX: dict[str, tuple[str, Call, set[str]]] = {
    "create_engagement": ("draft", lambda r, c, e, p, a: services.create_engagement(r, title="x", actor=a), {"kim", "park", "root"}),
    "get_engagement": ("draft", lambda r, c, e, p, a: services.get_engagement(r, e, actor=a), {"kim", "lee", "root"}),
    "save_engagement": ("draft", lambda r, c, e, p, a: services.save_engagement(r, c, e, r.get(e).data or {}, r.get(e).version, actor=a),
                        {"kim", "root"}),
    "rename_engagement": ("draft", lambda r, c, e, p, a: services.rename_engagement(r, e, "new", actor=a), {"kim", "root"}),
    "archive_engagement": ("draft", lambda r, c, e, p, a: services.archive_engagement(r, e, actor=a), {"kim", "root"}),
    "duplicate_engagement": ("draft", lambda r, c, e, p, a: services.duplicate_engagement(r, e, actor=a), {"kim", "root"}),
    "delete_engagement": ("draft", lambda r, c, e, p, a: services.delete_engagement(r, e, actor=a), {"kim", "root"}),
    "store_proposal": ("draft", lambda r, c, e, p, a: services.store_proposal(r, e, PDF, "ko", c, services.engagement_of(r.get(e), c), actor=a),
                       {"kim", "root"}),
    "proposal_versions": ("draft", lambda r, c, e, p, a: services.proposal_versions(r, e, actor=a), {"kim", "lee", "root"}),
    "proposal_pdf": ("draft", lambda r, c, e, p, a: services.proposal_pdf(r, p, actor=a), {"kim", "lee", "root"}),
    "add_user": ("draft", lambda r, c, e, p, a: services_team.add_user(r, f"new-{e}", "consultant", None, actor=a), {"root"}),
    "change_user": ("draft", lambda r, c, e, p, a: services_team.change_user(r, "park", role="consultant", actor=a), {"root"}),
    "list_users": ("draft", lambda r, c, e, p, a: services_team.list_users(r, actor=a), {"root"}),
    "share_engagement": ("draft", lambda r, c, e, p, a: services_team.share_engagement(r, e, ["lee"], actor=a), {"kim", "root"}),
    "add_comment": ("draft", lambda r, c, e, p, a: services_team.add_comment(r, e, "needs", "why flood?", actor=a), {"kim", "lee", "root"}),
    "list_comments": ("draft", lambda r, c, e, p, a: services_team.list_comments(r, e, actor=a), {"kim", "lee", "root"}),
    "submit_for_review": ("draft", lambda r, c, e, p, a: services_team.submit_for_review(r, e, actor=a), {"kim", "root"}),
    "approve": ("in_review", lambda r, c, e, p, a: services_team.approve(r, e, p, actor=a), {"lee", "root"}),
    "return_to_draft": ("in_review", lambda r, c, e, p, a: services_team.return_to_draft(r, e, "redo costs", actor=a), {"kim", "lee", "root"}),
    "mark_sent": ("approved", lambda r, c, e, p, a: services_team.mark_sent(r, c, e, p, actor=a), {"kim", "root"}),
    "sent_copies": ("sent", lambda r, c, e, p, a: services_team.sent_copies(r, e, actor=a), {"kim", "lee", "root"}),
    "sent_copy": ("sent", lambda r, c, e, p, a: services_team.sent_copy(r, team_store.sent_copies(r, e)[0].id, actor=a), {"kim", "lee", "root"}),
    "verify_pdf": ("sent", lambda r, c, e, p, a: services_team.verify_pdf(r, e, PDF, actor=a), {"kim", "lee", "root"}),
    "audit_log (everything)": ("draft", lambda r, c, e, p, a: services_team.audit_log(r, actor=a), {"lee", "root"}),
    "audit_log (one engagement)": ("draft", lambda r, c, e, p, a: services_team.audit_log(r, e, actor=a), {"kim", "lee", "root"}),
}


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("function", list(MATRIX))
def test_each_role_may_call_each_service_function_only_as_its_rights_say(team_repo, bundled_catalog, example, function, role):
    state, call, allowed = MATRIX[function]
    actor = ROLES[role]
    engagement_id, proposal_id = engagement_in(team_repo, state, example)
    if actor.name in allowed:
        call(team_repo, bundled_catalog, engagement_id, proposal_id, actor)
    else:
        with pytest.raises(AccessDenied):
            call(team_repo, bundled_catalog, engagement_id, proposal_id, actor)


@pytest.mark.parametrize("function", list(MATRIX))
def test_without_a_signed_in_actor_every_service_function_is_refused_once_accounts_exist(team_repo, bundled_catalog, example, function):
    state, call, _allowed = MATRIX[function]
    engagement_id, proposal_id = engagement_in(team_repo, state, example)
    with pytest.raises(AccessDenied):
        call(team_repo, bundled_catalog, engagement_id, proposal_id, None)


@pytest.mark.parametrize("function", list(MATRIX))
def test_without_accounts_the_local_user_may_call_every_service_function(database_url, bundled_catalog, example, function):
    repo = Repository.from_url(database_url)
    state, call, _allowed = MATRIX[function]
    engagement_id, proposal_id = engagement_in(repo, state, example)
    if function in ("change_user", "share_engagement"):  # allowed, but there is no account to change or share with yet
        with pytest.raises(StorageError, match="no account named"):
            call(repo, bundled_catalog, engagement_id, proposal_id, None)
        return
    call(repo, bundled_catalog, engagement_id, proposal_id, None)


def test_a_consultant_lists_only_the_engagements_they_may_open(team_repo, example):
    engagement_id, _ = engagement_in(team_repo, "draft", example)
    seen = {name: engagement_id in {r.id for r in services.list_engagements(team_repo, actor=a)} for name, a in ROLES.items()}
    assert seen == {"kim (owner)": True, "park (other consultant)": False, "lee (reviewer)": True, "root (admin)": True}
    services_team.share_engagement(team_repo, engagement_id, ["park"], actor=KIM)
    assert engagement_id in {r.id for r in services.list_engagements(team_repo, actor=PARK)}
    services.rename_engagement(team_repo, engagement_id, "edited by park", actor=PARK)


def test_a_disabled_account_is_refused_even_while_signed_in(team_repo, example):
    services_team.add_user(team_repo, "temp", "consultant", "temp-password", actor=CONSOLE)
    temp = services_team.sign_in(team_repo, "temp", "temp-password")
    services.create_engagement(team_repo, title="ok", actor=temp)
    services_team.change_user(team_repo, "temp", active=False, actor=ROOT_)
    with pytest.raises(AccessDenied):
        services.create_engagement(team_repo, title="refused", actor=temp)
    with pytest.raises(AccessDenied):
        services_team.sign_in(team_repo, "temp", "temp-password")


def test_sign_in_checks_the_argon2_hash_and_says_the_same_for_a_wrong_name_or_password(team_repo):
    assert services_team.sign_in(team_repo, "lee", "lee-password") == LEE
    stored = team_store.get_account(team_repo, "lee")
    assert stored is not None and stored.password_hash is not None and stored.password_hash.startswith("$argon2id$")
    assert "lee-password" not in stored.password_hash
    messages = set()
    for name, password in (("lee", "wrong-password"), ("nobody", "lee-password")):
        with pytest.raises(AccessDenied) as info:
            services_team.sign_in(team_repo, name, password)
        messages.add(str(info.value))
    assert len(messages) == 1


def test_an_identity_from_the_provider_maps_to_the_account_with_its_email(team_repo):
    assert services_team.identity_actor(team_repo, "LEE@example.org", "Lee Ji-eun") == LEE
    with pytest.raises(AccessDenied):
        services_team.identity_actor(team_repo, "stranger@example.org", "Stranger")


def test_the_review_goes_draft_review_approved_sent_and_records_who_and_when(team_repo, bundled_catalog, example):
    engagement_id, proposal_id = engagement_in(team_repo, "draft", example)
    with pytest.raises(ReviewError):
        services_team.approve(team_repo, engagement_id, proposal_id, actor=LEE)  # not submitted yet
    assert services_team.submit_for_review(team_repo, engagement_id, actor=KIM).review_state == "in_review"
    with pytest.raises(ReviewError):
        services_team.mark_sent(team_repo, bundled_catalog, engagement_id, proposal_id, actor=KIM)  # nobody approved it
    approved = services_team.approve(team_repo, engagement_id, proposal_id, actor=LEE)
    assert (approved.review_state, approved.approved_by, approved.approved_proposal_id) == ("approved", "lee", proposal_id)
    assert approved.approved_at is not None
    copy = services_team.mark_sent(team_repo, bundled_catalog, engagement_id, proposal_id, "to the People's Committee", actor=KIM)
    assert services.get_engagement(team_repo, engagement_id, actor=KIM).review_state == "sent"
    assert (copy.approved_by, copy.sent_by, copy.catalog_version) == ("lee", "kim", bundled_catalog.version)
    assert copy.catalog_digest == services_team.catalog_digest(bundled_catalog) and len(copy.catalog_digest) == 64
    actions = [e.action for e in services_team.audit_log(team_repo, engagement_id, actor=LEE)]
    assert actions[:3] == ["send", "approve", "submit"]


def test_only_the_approved_version_can_be_marked_sent(team_repo, bundled_catalog, example):
    engagement_id, approved_id = engagement_in(team_repo, "approved", example)
    later = team_repo.add_proposal(engagement_id, b"%PDF-1.7 a later one", "ko", "v", "h2", by="kim")
    with pytest.raises(ReviewError):
        services_team.mark_sent(team_repo, bundled_catalog, engagement_id, later.id, actor=KIM)
    services_team.mark_sent(team_repo, bundled_catalog, engagement_id, approved_id, actor=KIM)


def test_returning_to_draft_needs_a_reason_and_forgets_the_approval(team_repo, example):
    engagement_id, _ = engagement_in(team_repo, "approved", example)
    with pytest.raises(ReviewError):
        services_team.return_to_draft(team_repo, engagement_id, "  ", actor=LEE)
    back = services_team.return_to_draft(team_repo, engagement_id, "costs are from 2019", actor=LEE)
    assert (back.review_state, back.state_reason, back.approved_by, back.approved_proposal_id) == ("draft", "costs are from 2019", None, None)


def test_comments_are_kept_per_step_with_their_author(team_repo, example):
    engagement_id, _ = engagement_in(team_repo, "in_review", example)
    services_team.add_comment(team_repo, engagement_id, "needs", "Is flooding really severe?", actor=LEE)
    services_team.add_comment(team_repo, engagement_id, "roadmap", "Phase 2 too short.", actor=LEE)
    services_team.add_comment(team_repo, engagement_id, "needs", "Yes: 2020 floods, see annex.", actor=KIM)
    listed = [(c.step, c.author, c.body) for c in services_team.list_comments(team_repo, engagement_id, actor=ROOT_)]
    assert listed == [("needs", "lee", "Is flooding really severe?"), ("roadmap", "lee", "Phase 2 too short."),
                      ("needs", "kim", "Yes: 2020 floods, see annex.")]


def test_a_sent_copy_cannot_be_changed_or_deleted_even_with_plain_sql(team_repo, example):
    engagement_id, _ = engagement_in(team_repo, "sent", example)
    copy = team_store.sent_copies(team_repo, engagement_id)[0]
    for statement in ("UPDATE sent_copies SET pdf_sha256 = 'forged' WHERE id = :id", "DELETE FROM sent_copies WHERE id = :id",
                      "UPDATE audit_log SET actor = 'nobody' WHERE engagement_id = :eid", "DELETE FROM audit_log WHERE engagement_id = :eid"):
        with pytest.raises(Exception, match="immutable"), team_repo.engine.begin() as conn:
            conn.execute(text(statement), {"id": copy.id, "eid": engagement_id})
    kept = team_store.sent_copy(team_repo, copy.id)
    assert kept.pdf_sha256 == hashlib.sha256(kept.pdf).hexdigest() == copy.pdf_sha256
    with pytest.raises(StorageError):  # and its engagement cannot be deleted from under it
        services.delete_engagement(team_repo, engagement_id, actor=ROOT_)


def test_an_uploaded_pdf_is_verified_against_the_frozen_copy_by_its_hash(team_repo, example):
    engagement_id, _ = engagement_in(team_repo, "sent", example)
    sent = services_team.sent_copy(team_repo, team_store.sent_copies(team_repo, engagement_id)[0].id, actor=LEE)
    same = services_team.verify_pdf(team_repo, engagement_id, sent.pdf, actor=LEE)
    assert same.match is not None and same.match.id == sent.id
    forged = services_team.verify_pdf(team_repo, engagement_id, sent.pdf + b"\n% edited", actor=LEE)
    assert forged.match is None and forged.sha256 == hashlib.sha256(sent.pdf + b"\n% edited").hexdigest()


def test_the_audit_log_says_who_changed_which_field_and_exports_it(team_repo, bundled_catalog, example):
    record = services.create_engagement(team_repo, title="Hue", engagement=example, actor=KIM)
    data = dict(record.data or {})
    data["city"] = "Huế"
    services.save_engagement(team_repo, bundled_catalog, record.id, data, record.version, actor=KIM)
    services.archive_engagement(team_repo, record.id, actor=KIM)
    entries = services_team.audit_log(team_repo, record.id, actor=ROOT_)
    assert [(e.actor, e.action) for e in entries] == [("kim", "archive"), ("kim", "change"), ("kim", "create")]
    assert {"field": "city", "before": example.city, "after": "Huế"} in entries[1].changes
    csv_text = services_team.audit_csv(entries)
    assert csv_text.splitlines()[0].startswith("when (UTC),who,action") and "Huế" in csv_text
    services.delete_engagement(team_repo, record.id, actor=KIM)
    assert services_team.audit_log(team_repo, record.id, actor=ROOT_)[0].action == "delete"  # the history outlives it


def test_identical_inputs_are_stored_once_as_a_proposal_version(team_repo, bundled_catalog, example):
    engagement_id, _ = engagement_in(team_repo, "draft", example)
    engagement = services.engagement_of(team_repo.get(engagement_id), bundled_catalog)
    assert engagement is not None
    first = services.store_proposal(team_repo, engagement_id, b"%PDF-1", "vi", bundled_catalog, engagement, actor=KIM)
    again = services.store_proposal(team_repo, engagement_id, b"%PDF-2", "vi", bundled_catalog, engagement, actor=KIM)
    working = services.store_proposal(team_repo, engagement_id, b"%PDF-3", "vi", bundled_catalog, engagement, edition="working", actor=KIM)
    assert again.id == first.id and working.id != first.id
    assert services.proposal_pdf(team_repo, first.id, actor=KIM) == b"%PDF-1"
