"""A real browser (Playwright + Debian chromium): a new consultant's actions to a first PDF, every step in English and
Korean with a language switch on each, input kept when a step is left unsaved, and a second Generate stores no copy.

Screenshots go under ``$KCITY_TEST_ARTIFACTS/wizard/`` like the walk-through's.
"""

from __future__ import annotations

import re
import subprocess

import pytest

from tests.e2e.test_browser import ARTIFACTS, _heading, _settle, _shot, playwright_api
from tests.e2e.test_browser import page as page
from tests.e2e.test_browser import server as server

pytestmark = [pytest.mark.browser, pytest.mark.slow]
MAX_ACTIONS = 25
NEXT = re.compile(r"^(Next|Save and continue) →$")


class Actions:
    """Counts what a consultant does: a click, a field filled, a key pressed, an option typed and picked."""

    def __init__(self, page) -> None:
        self.page, self.count, self.log = page, 0, []

    def _did(self, what: str) -> None:
        self.count += 1
        self.log.append(what)

    def click(self, locator, what: str) -> None:
        locator.click()
        self._did(f"click {what}")

    def fill(self, locator, text: str, what: str) -> None:
        locator.fill(text)
        self._did(f"type {what}")

    def choose(self, combobox, typed: str, option, what: str) -> None:
        self.click(combobox, what)
        self.page.keyboard.type(typed)
        self._did(f"type {typed!r}")
        self.click(option, f"option of {what}")


def _no_exception(page) -> None:
    errors = page.get_by_test_id("stException")
    assert errors.count() == 0, errors.first.inner_text()


def test_a_new_consultant_reaches_a_first_pdf_for_a_new_city_in_at_most_25_actions(server, page):
    expect = playwright_api.expect
    act = Actions(page)
    page.goto(server)
    _heading(page, "Engagements")
    act.fill(page.get_by_label("Title", exact=True), "Cebu City smart city", "the title")
    act.click(page.get_by_role("button", name="Create and enter the partner"), "Create")
    _heading(page, "Partner")
    act.choose(page.get_by_role("combobox", name="Country").first, "Philip", page.get_by_role("option", name="Philippines (PHL)"),
               "the country")
    expect(page.get_by_text("Indicators of Philippines", exact=True)).to_be_visible()
    act.fill(page.get_by_label("City", exact=True), "Cebu City", "the city")
    act.fill(page.get_by_label("Population of the city"), "964169", "the population")
    act.fill(page.get_by_label("Area (km²)"), "315", "the area")
    for heading in ("Needs", "Readiness and constraints", "Recommendations", "Package", "Roadmap and costs", "Proposal"):
        _settle(page)
        act.click(page.get_by_role("button", name=NEXT), f"Next to {heading}")
        _heading(page, heading)
        _no_exception(page)
    act.click(page.get_by_role("button", name="Generate the proposal"), "Generate")
    download = page.get_by_role("button", name=re.compile("^Download the proposal"))
    expect(download).to_be_visible(timeout=180_000)
    with page.expect_download(timeout=60_000) as info:
        act.click(download, "Download")
    pdf = ARTIFACTS / "cebu-first-proposal.pdf"
    info.value.save_as(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Cebu City" in text
    print(f"actions to a first PDF: {act.count}: " + "; ".join(act.log))
    assert act.count <= MAX_ACTIONS, act.log
    _shot(page, "20-cebu-proposal")

    # A second Generate with nothing changed offers v1 again and stores no copy
    page.get_by_role("button", name="Generate the proposal").click()
    expect(page.get_by_text("Nothing changed since v1")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("No earlier proposal for this engagement.")).to_be_visible()
    expect(page.get_by_role("img").first).to_be_visible()  # the first pages, before the download
    _shot(page, "21-cebu-generate-again")


def _inputs(page, pickers: bool = True) -> list:
    """What every input of the step holds (the sidebar aside): a tick, a chosen radio, a slider position, a text, and
    (``pickers``) the label a selectbox shows, which is in the UI language."""
    inputs = "input, textarea, [role=slider]" if pickers else "input:not([role=combobox]), textarea, [role=slider]"
    return page.get_by_role("main").locator(inputs).evaluate_all(
        "els => els.map(e => e.getAttribute('role') === 'slider' ? 'slider ' + e.getAttribute('aria-valuenow')"
        " : e.type === 'checkbox' || e.type === 'radio' ? e.checked : e.value)")


def _switch(page, language: str) -> None:
    page.get_by_role("radiogroup", name="Language / 언어").get_by_text(language, exact=True).click()
    _settle(page)


STEPS = [("partner", "Partner", "파트너"), ("needs", "Needs", "니즈"), ("readiness", "Readiness and constraints", "준비도와 제약 조건"),
         ("recommendations", "Recommendations", "추천"), ("package", "Package", "패키지"), ("roadmap", "Roadmap and costs", "로드맵과 비용"),
         ("proposal", "Proposal", "제안서"), ("catalog", "Catalog", "카탈로그")]


def test_every_step_survives_english_korean_english_and_keeps_input_left_unsaved(server, page):
    expect = playwright_api.expect
    page.goto(server)
    _heading(page, "Engagements")
    page.get_by_role("button", name="Open").first.click()
    _heading(page, "Needs")
    engagement = re.search(r"engagement=(\w+)", page.url).group(1)
    for slug, english, korean in STEPS:
        page.goto(f"{server}/{slug}?engagement={engagement}&step={slug}")
        _heading(page, english)
        _settle(page)
        _shot(page, f"30-{slug}-en")
        edited = None
        if slug == "readiness":  # unsaved input: a hazard chip and notes
            page.get_by_label("Notes").fill("Met the mayor on 12 May")
            page.get_by_label("Notes").blur()
            _settle(page)
            edited = page.get_by_label("Notes")
        before, before_codes = _inputs(page), _inputs(page, pickers=False)
        _switch(page, "한국어")
        _heading(page, korean)
        _settle(page)  # the heading comes first: read the inputs once the whole run has drawn them
        _no_exception(page)
        assert _inputs(page, pickers=False) == before_codes, f"{slug} in Korean"  # ticks, radios, sliders, text
        _shot(page, f"31-{slug}-ko")
        _switch(page, "English")
        _heading(page, english)
        _settle(page)
        _no_exception(page)
        after = _inputs(page)
        assert after == before, slug
        if edited is not None:
            expect(edited).to_have_value("Met the mayor on 12 May")
            page.get_by_role("link", name="Recommendations").click()  # leave by the sidebar without saving
            _heading(page, "Recommendations")
            expect(page.get_by_text("Not saved yet: Readiness and constraints")).to_be_visible()
            page.get_by_role("link", name="Readiness and constraints").click()
            _heading(page, "Readiness and constraints")
            expect(page.get_by_label("Notes")).to_have_value("Met the mayor on 12 May")
            expect(page.get_by_text("Changes not saved yet on this step")).to_be_visible()
