"""The wizard keeps what the consultant typed: across UI languages, when a step is left unsaved, and over a limit."""

from __future__ import annotations

from typing import Any

import pytest

from app import services
from tests.e2e.conftest import click, new_app, run, texts, widget


@pytest.fixture
def engagement_id(repo, bundled_catalog) -> str:
    engagement = services.new_engagement(bundled_catalog, "VNM", "Da Nang", 1_230_000, 1285.4, budget_usd=25_000_000)
    return services.create_engagement(repo, title="Da Nang", engagement=engagement).id


def _switch_language(at, *langs: str) -> None:
    for lang in langs:
        at.radio(key="ui-lang").set_value(lang)
        run(at)  # run() fails on any exception shown on the page


def _values(at) -> dict[str, Any]:
    """Every keyed input widget's value on the page (the language radio aside)."""
    found: dict[str, Any] = {}
    for kind in ("text_input", "text_area", "number_input", "select_slider", "radio", "selectbox", "multiselect", "checkbox",
                 "date_input", "segmented_control", "toggle"):
        for w in getattr(at, kind):
            if w.key and w.key != "ui-lang":
                found[w.key] = w.value
    return found


def _visit(at, step: str, file: str | None = None) -> None:
    """Open ``step`` as the sidebar's link does (its page, the URL's step with it)."""
    at.query_params["step"] = step
    at.switch_page(f"app_pages/{file or step}.py")
    run(at)


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    """Values by key without the language a translated choice's widget key carries (``~ko``)."""
    return {k.split("~")[0]: v for k, v in values.items()}


def _change(at, kind: str, key_part: str, value: Any) -> str:
    w = next(w for w in getattr(at, kind) if w.key and key_part in w.key)
    if kind in ("text_input", "text_area"):
        w.input(value)
    else:
        w.set_value(value)
    run(at)
    return str(w.key)


EDITS: dict[str, list[tuple[str, str, Any]]] = {
    "partner": [("text_input", "w.city.", "Da Nang City"), ("selectbox", "w.project_type.", "district_regeneration"),
                ("selectbox", "w.applicant_type.", "central_gov"), ("number_input", "w.population.", 1_300_000)],
    "needs": [("checkbox", "w.need.mob.congestion.", True), ("select_slider", "w.severity.mob.congestion.", 5),
              ("text_input", "w.evidence.mob.congestion.", "4 h of jams a day (DOT 2025)")],
    "readiness": [("select_slider", "w.score.connectivity.", 3), ("select_slider", "w.score.leadership_funding.", 1),
                  ("multiselect", "w.hazards.", ["flood", "cyclone"]), ("radio", "w.law.", "no"),
                  ("multiselect", "w.in_place.", ["fibre_backbone"]), ("number_input", "w.budget.", 30_000_000.0),
                  ("text_area", "w.notes.", "Met the mayor"), ("multiselect", "w.excluded.", ["smart-parking"])],
    "recommendations": [],
    "package": [("radio", "try-action", "quantity")],
    "roadmap": [("segmented_control", "currency-choice", "KRW")],
    "proposal": [("selectbox", "proposal-lang", "vi"), ("radio", "proposal-edition", "working"), ("checkbox", "proposal-draft", True)],
    "catalog": [("text_input", "catalog-search", "flood warning"), ("multiselect", "catalog-domain", ["safety_disaster"]),
                ("multiselect", "catalog-maturity", ["pilot"])],
}


@pytest.mark.parametrize("step", list(EDITS))
def test_switching_the_language_on_a_step_changes_none_of_its_values(data_dir, engagement_id, step):
    at = run(new_app(engagement=engagement_id, step=step))
    for kind, key_part, value in EDITS[step]:
        _change(at, kind, key_part, value)
    before = _values(at)
    assert before or not EDITS[step], f"no input on {step}"
    for _kind, key_part, value in EDITS[step]:
        assert next(v for k, v in before.items() if key_part in k) == value, key_part
    _switch_language(at, "ko")
    assert _plain(_values(at)) == _plain(before)
    _switch_language(at, "en")
    assert _plain(_values(at)) == _plain(before)


def test_switching_the_language_then_saving_stores_exactly_what_was_typed(data_dir, repo, engagement_id):
    at = run(new_app(engagement=engagement_id, step="readiness"))
    for kind, key_part, value in EDITS["readiness"]:
        _change(at, kind, key_part, value)
    _switch_language(at, "ko", "en")
    click(at, "Save readiness and constraints")
    data = repo.get(engagement_id).data
    assert data["readiness"]["scores"]["connectivity"] == 3 and data["readiness"]["scores"]["leadership_funding"] == 1
    assert data["hazards"] == ["flood", "cyclone"] and data["readiness"]["data_protection_law"] is False
    assert data["budget"]["amount"] == 30_000_000 and data["notes"] == "Met the mayor"
    assert data["excluded_modules"] == ["smart-parking"] and data["readiness"]["in_place"] == ["fibre_backbone"]


def test_a_step_left_by_the_sidebar_keeps_its_unsaved_input_and_says_so(data_dir, repo, engagement_id):
    at = run(new_app(engagement=engagement_id, step="readiness"))
    version = repo.get(engagement_id).version
    budget = _change(at, "number_input", "w.budget.", 42_000_000.0)
    notes = _change(at, "text_area", "w.notes.", "Budget confirmed by the finance department")
    _visit(at, "recommendations")
    assert any("Not saved yet" in c and "Readiness" in c for c in texts(at, "caption"))
    _visit(at, "readiness")
    assert at.number_input(key=budget).value == 42_000_000.0
    assert at.text_area(key=notes).value == "Budget confirmed by the finance department"
    assert any("Changes not saved yet on this step" in i for i in texts(at, "info"))
    assert repo.get(engagement_id).version == version  # a draft, not a save


def test_a_draft_on_one_step_survives_a_save_on_another(data_dir, repo, engagement_id):
    at = run(new_app(engagement=engagement_id, step="readiness"))
    notes = _change(at, "text_area", "w.notes.", "Draft note")
    _visit(at, "needs")
    _change(at, "checkbox", "w.need.mob.congestion.", True)
    click(at, "Save needs")
    assert "mob.congestion" in repo.get(engagement_id).data["needs"]
    _visit(at, "readiness")
    new_key = f"{notes.rsplit('.', 1)[0]}.{repo.get(engagement_id).version}~en"
    assert new_key != notes and at.text_area(key=new_key).value == "Draft note"


def test_save_and_continue_stores_the_step_and_opens_the_next(data_dir, repo, engagement_id):
    at = run(new_app(engagement=engagement_id, step="needs"))
    version = repo.get(engagement_id).version
    _change(at, "checkbox", "w.need.mob.congestion.", True)
    _change(at, "select_slider", "w.severity.mob.congestion.", 4)
    click(at, "Save and continue →")
    assert "Readiness" in str(at.title[0].value)
    assert repo.get(engagement_id).data["needs"]["mob.congestion"]["severity"] == 4
    assert repo.get(engagement_id).version == version + 1
    click(at, "Save and continue →")  # nothing changed: no new version
    assert "Recommendations" in str(at.title[0].value)
    assert repo.get(engagement_id).version == version + 1


def test_evidence_on_an_unticked_need_is_not_dropped_silently(data_dir, repo, engagement_id):
    at = run(new_app(engagement=engagement_id, step="needs"))
    version = repo.get(engagement_id).version
    key = _change(at, "text_input", "w.evidence.mob.parking.", "400 illegal parkings a day")
    click(at, "Save and continue →")
    assert "Needs" in str(at.title[0].value), "the step stays open"
    assert any("evidence was typed but the need is not ticked" in e for e in texts(at, "error"))
    assert at.text_input(key=key).value == "400 illegal parkings a day"
    assert repo.get(engagement_id).version == version


def test_an_over_long_paste_is_kept_and_its_limit_named(data_dir, repo, engagement_id):
    at = run(new_app(engagement=engagement_id, step="readiness"))
    version = repo.get(engagement_id).version
    key = _change(at, "text_area", "w.notes.", "x" * 5000)
    assert any("5,000 characters; the limit is 4,000" in e for e in texts(at, "error"))
    assert len(at.text_area(key=key).value) == 5000
    click(at, "Save readiness and constraints")
    assert repo.get(engagement_id).version == version
    assert widget(at, "text_area", "Notes").value == "x" * 5000
