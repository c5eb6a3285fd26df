"""The pure rules of the team server: who may do what, the review state machine, and field-level differences."""

from __future__ import annotations

import pytest

from app.core.access import ACTIONS, ENGAGEMENT_ACTIONS, REVIEW_STATES, Actor, Membership, allowed, next_state
from app.core.audit import diff

KIM, LEE, PARK, ADMIN = Actor("kim", "consultant"), Actor("lee", "reviewer"), Actor("park", "consultant"), Actor("root", "admin")
KIMS = Membership(owner="kim")
SHARED = Membership(owner="kim", shared_with=frozenset({"park"}))


def test_a_consultant_edits_their_own_engagement_and_not_another_consultants():
    assert allowed(KIM, "edit", KIMS) and allowed(KIM, "read", KIMS)
    assert not allowed(PARK, "edit", KIMS) and not allowed(PARK, "read", KIMS) and not allowed(PARK, "comment", KIMS)


def test_sharing_lets_a_consultant_edit_but_not_delete_or_share_further():
    assert allowed(PARK, "edit", SHARED) and allowed(PARK, "submit", SHARED) and allowed(PARK, "send", SHARED)
    assert not allowed(PARK, "delete", SHARED) and not allowed(PARK, "share", SHARED)
    assert allowed(KIM, "delete", SHARED) and allowed(KIM, "share", SHARED)


def test_an_engagement_made_before_accounts_existed_is_shared_with_every_consultant():
    legacy = Membership(owner="")
    assert allowed(PARK, "edit", legacy) and allowed(KIM, "edit", legacy)


def test_a_reviewer_reads_comments_and_approves_but_never_edits():
    for action in ("read", "comment", "approve", "return", "read_audit"):
        assert allowed(LEE, action, KIMS if action in ENGAGEMENT_ACTIONS else None), action
    for action in ("edit", "delete", "submit", "send", "share"):
        assert not allowed(LEE, action, KIMS), action
    assert not allowed(LEE, "create") and not allowed(LEE, "manage_accounts") and not allowed(LEE, "manage_catalog")


def test_consultants_never_approve_and_nobody_approves_their_own_engagement():
    assert not allowed(KIM, "approve", KIMS) and not allowed(PARK, "approve", SHARED)
    own = Membership(owner="root")
    assert allowed(ADMIN, "approve", KIMS) and not allowed(ADMIN, "approve", own)
    assert not allowed(Actor("lee", "reviewer"), "approve", Membership(owner="lee"))


def test_only_admins_manage_accounts_and_the_catalog():
    for actor in (KIM, LEE, ADMIN):
        assert allowed(actor, "manage_accounts") is (actor is ADMIN)
        assert allowed(actor, "manage_catalog") is (actor is ADMIN)


def test_every_action_has_a_rule_and_engagement_actions_need_the_engagement():
    for action in ACTIONS:
        allowed(ADMIN, action, KIMS if action in ENGAGEMENT_ACTIONS else None)
    with pytest.raises(ValueError):
        allowed(ADMIN, "edit")
    with pytest.raises(ValueError):
        allowed(ADMIN, "launch", KIMS)
    with pytest.raises(ValueError):
        Actor("x", "superuser")  # type: ignore[arg-type]


@pytest.mark.parametrize(("state", "action", "target"), [
    ("draft", "submit", "in_review"), ("in_review", "approve", "approved"), ("approved", "send", "sent"),
    ("in_review", "return", "draft"), ("approved", "return", "draft"), ("sent", "return", "draft"),
])
def test_the_review_moves_that_are_allowed(state, action, target):
    assert next_state(state, action) == target


def test_every_other_review_move_is_refused():
    allowed_moves = {("draft", "submit"), ("in_review", "approve"), ("approved", "send"), ("in_review", "return"), ("approved", "return"),
                     ("sent", "return")}
    for state in REVIEW_STATES:
        for action in ("submit", "approve", "send", "return"):
            if (state, action) not in allowed_moves:
                assert next_state(state, action) is None, (state, action)


def test_a_diff_names_each_changed_leaf_with_its_dotted_path():
    before = {"city": "Hue", "scope": {"quantities": {"a": 1}}, "needs": [{"code": "x", "severity": 3}], "budget": 5}
    after = {"city": "Hue", "scope": {"quantities": {"a": 2, "b": 1}}, "needs": [{"code": "x", "severity": 4}]}
    changes = {c.field: (c.before, c.after) for c in diff(before, after)}
    assert changes == {"scope.quantities.a": (1, 2), "scope.quantities.b": (None, 1), "needs[0].severity": (3, 4), "budget": (5, None)}


def test_a_list_that_changes_length_is_one_change_and_a_first_save_lists_every_field():
    changes = diff({"needs": [1]}, {"needs": [1, 2]})
    assert [(c.field, c.before, c.after) for c in changes] == [("needs", [1], [1, 2])]
    assert {c.field for c in diff(None, {"city": "Hue", "country": "VNM"})} == {"city", "country"}
    assert diff({"a": 1}, {"a": 1}) == []
