"""A real browser on a team server (Playwright + Debian chromium): a reviewer signs in, comments and approves; the
consultant marks the approved proposal sent and checks two files against the frozen copy — the one sent, and an
edited one. Screenshots of each screen go to ``$KCITY_TEST_ARTIFACTS/team/`` (default: the system temp folder)."""

from __future__ import annotations

import hashlib
import os

import pytest

from tests.conftest import ROOT
from tests.e2e.test_browser import ARTIFACTS, CHROMIUM, _fontconfig, _settle, running_wizard

pytestmark = [pytest.mark.browser, pytest.mark.slow]
playwright_api = pytest.importorskip("playwright.sync_api")
SHOTS = ARTIFACTS.parent / "team"
PDF = b"%PDF-1.7\n% Hue smart PIN: the proposal the partner receives\n%%EOF\n"


def seed(data_dir):
    """Accounts kim (consultant) and lee (reviewer), and kim's engagement with a proposal version, in review."""
    from app import services, services_team
    from app.core.access import Actor
    from app.settings import Settings

    settings = Settings.from_env({**os.environ, "KCITY_DATA_DIR": str(data_dir)})
    repo = services.open_repository(settings.database_url)
    catalog = services.load_catalog(settings.catalog_dir, settings.cache_dir)
    console, kim = Actor("ops", "admin", console=True), Actor("kim", "consultant")
    services_team.add_user(repo, "kim", "consultant", "kim-password", actor=console)
    services_team.add_user(repo, "lee", "reviewer", "lee-password", actor=console)
    engagement = services.load_engagement(ROOT / "catalog" / "examples" / "hue-smart-pin.yaml", catalog)
    record = services.create_engagement(repo, title="Hue smart PIN", engagement=engagement, actor=kim)
    services.store_proposal(repo, record.id, PDF, "en", catalog, engagement, actor=kim)
    services_team.submit_for_review(repo, record.id, actor=kim)
    return record.id


@pytest.fixture(scope="module")
def team_server(tmp_path_factory):
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian chromium is not installed (make setup installs it)")
    data_dir = tmp_path_factory.mktemp("team-data")
    engagement_id = seed(data_dir)
    env = {**os.environ, "KCITY_DATA_DIR": str(data_dir), "KCITY_RENDER_WORKERS": "0"}
    with running_wizard(env, ["-m", "streamlit", "run", str(ROOT / "app" / "web" / "streamlit_app.py")]) as url:
        yield url, engagement_id


def shot(page, name: str) -> None:
    _settle(page)
    page.wait_for_timeout(500)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def sign_in(page, name: str, password: str) -> None:
    expect = playwright_api.expect
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible(timeout=30_000)
    page.get_by_role("textbox", name="Name").fill(name)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Review and sending")).to_be_visible(timeout=30_000)
    _settle(page)


def test_a_reviewer_approves_and_the_sent_copy_verifies_an_uploaded_pdf(team_server, tmp_path):
    url, engagement_id = team_server
    SHOTS.mkdir(parents=True, exist_ok=True)
    expect = playwright_api.expect
    sent, edited = tmp_path / "sent.pdf", tmp_path / "edited.pdf"
    sent.write_bytes(PDF)
    edited.write_bytes(PDF.replace(b"Hue", b"Hoi An"))
    env = {**os.environ, "FONTCONFIG_FILE": str(_fontconfig(tmp_path))}
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], env=env)
        page = browser.new_context(viewport={"width": 1280, "height": 1100}, locale="en-US").new_page()
        page.set_default_timeout(30_000)
        page.goto(f"{url}/review?engagement={engagement_id}&step=review")
        expect(page.get_by_role("heading", name="Sign in")).to_be_visible(timeout=30_000)  # a first run on a busy machine
        shot(page, "signin")
        sign_in(page, "lee", "lee-password")
        expect(page.get_by_text("Signed in as lee (Reviewer)")).to_be_visible(timeout=30_000)

        page.get_by_role("textbox", name="Comment").fill("Is flooding really the first need? The 2020 floods are in the annex, please cite them.")
        page.get_by_role("button", name="Add the comment").click()
        expect(page.get_by_text("Is flooding really the first need?")).to_be_visible(timeout=30_000)
        shot(page, "review-comment")

        page.get_by_role("button", name="Approve this version").click()
        expect(page.get_by_text("approved by lee")).to_be_visible(timeout=30_000)
        shot(page, "approved")

        page.get_by_role("button", name="Sign out").click()
        sign_in(page, "kim", "kim-password")
        page.get_by_role("textbox", name="Sent to (optional note)").fill("Hue People's Committee, by e-mail")
        page.get_by_role("button", name="Mark the approved version as sent").click()
        expect(page.get_by_text(f"SHA-256 (PDF): {hashlib.sha256(PDF).hexdigest()}", exact=False)).to_be_visible(timeout=30_000)

        uploader = page.locator('[data-testid="stFileUploader"] input[type=file]')
        uploader.set_input_files(str(edited))
        expect(page.get_by_text("This file is not a copy that was sent")).to_be_visible(timeout=30_000)
        uploader.set_input_files(str(sent))
        expect(page.get_by_text("Identical to the copy sent on")).to_be_visible(timeout=30_000)
        page.set_viewport_size({"width": 1280, "height": 1700})  # Streamlit scrolls inside the page: show it all
        shot(page, "frozen-copy-verified")
        browser.close()
