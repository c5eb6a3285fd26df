"""A real browser walks the wizard from a new engagement to a downloaded PDF (Playwright + Debian chromium).

Starts the wizard as ``make run`` does (``python -m app.web.serve``, which warms up and then runs Streamlit) on a
free local port with its own data folder, saves a screenshot of every step under
``$KCITY_TEST_ARTIFACTS/wizard/`` (default: the system temp folder, never the checkout) and checks the downloaded
PDF's text. Never runs ``playwright install``: the browser is Debian's ``/usr/bin/chromium``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.e2e.fonts import fontconfig as _fontconfig

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(os.environ.get("KCITY_TEST_ARTIFACTS") or Path(tempfile.gettempdir()) / "kcity-test-artifacts") / "wizard"
playwright_api = pytest.importorskip("playwright.sync_api")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (make setup installs it)")
    env = {**os.environ, "KCITY_DATA_DIR": str(tmp_path_factory.mktemp("browser-data")), "KCITY_USER": "browser-test",
           "KCITY_RENDER_WORKERS": "1"}  # proposals render in a worker process, as with `make run`
    with running_wizard(env, ["-m", "app.web.serve"]) as url:
        yield url


@contextlib.contextmanager
def running_wizard(env: dict[str, str], entry: list[str]) -> Iterator[str]:
    """The wizard started with ``python <entry…>`` on a free loopback port (never the user's database), its URL once
    it answers its health check, stopped afterwards."""
    env = {**env}
    env.pop("KCITY_DATABASE_URL", None)
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, *entry, "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).status == 200:
                break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("streamlit did not start: " + (proc.stdout.read().decode() if proc.stdout else ""))
    try:
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def page(server, tmp_path_factory):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "FONTCONFIG_FILE": str(_fontconfig(tmp_path_factory.mktemp("fonts")))}
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], env=env)
        context = browser.new_context(viewport={"width": 1440, "height": 1800}, accept_downloads=True, locale="en-US")
        context.set_default_timeout(30_000)
        yield context.new_page()
        context.close()
        browser.close()


def _heading(page, text: str) -> None:
    playwright_api.expect(page.get_by_role("heading", name=text).first).to_be_visible(timeout=30_000)


def _settle(page) -> None:
    """Wait until Streamlit has finished the current run: the status widget is gone and no element of the previous
    run is still shown (a busy machine can start the run after the first check, and stale elements stay until the
    run's end: read then, a page holds both the old and the new step's inputs)."""
    page.wait_for_timeout(300)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
                           " && !document.querySelector('[data-stale=\"true\"]')", timeout=60_000)
    page.wait_for_timeout(200)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
                           " && !document.querySelector('[data-stale=\"true\"]')", timeout=60_000)


def _shot(page, name: str) -> None:
    _settle(page)
    page.wait_for_timeout(600)  # let canvases (data grids, charts) paint
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _next(page, heading: str) -> None:
    """Next (or, on a step with input, Save and continue), then wait for the next step's heading."""
    import re

    _settle(page)  # a rerun still drawing the step can replace the button under the click
    page.get_by_role("button", name=re.compile(r"^(Next|Save and continue) →$")).click()
    _heading(page, heading)


def test_a_consultant_walks_from_a_new_engagement_to_a_downloaded_pdf(server, page):
    expect = playwright_api.expect
    page.goto(server)
    _heading(page, "Engagements")
    page.get_by_label("Title", exact=True).fill("Da Nang smart city 2027")
    _shot(page, "01-engagements")
    page.get_by_role("button", name="Create and enter the partner").click()
    _heading(page, "Partner")

    page.get_by_role("combobox", name="Country").first.click()
    page.keyboard.type("Viet")
    page.get_by_role("option", name="Vietnam (VNM)").click()
    expect(page.get_by_text("Indicators of Vietnam", exact=True)).to_be_visible()
    page.get_by_label("City", exact=True).fill("Da Nang")
    page.get_by_label("Population of the city").fill("1230000")
    page.get_by_label("Area (km²)").fill("1285.4")
    page.get_by_label("Applicant organisation").fill("Da Nang People's Committee")
    page.get_by_role("button", name="Save partner and suggest needs").click()
    expect(page.get_by_text("Saved (version 2).")).to_be_visible()
    _shot(page, "02-partner")

    _next(page, "Needs")
    expect(page.get_by_text("needs selected").first).to_be_visible()
    _shot(page, "03-needs")
    _next(page, "Readiness and constraints")
    expect(page.get_by_text("Saved (version")).to_have_count(0)  # nothing changed on Needs: nothing stored again
    _shot(page, "04-readiness")
    _next(page, "Recommendations")
    expect(page.get_by_text("Modules ranked by fit")).to_be_visible()
    page.locator(".js-plotly-plot").first.wait_for()
    _shot(page, "05-recommendations")
    _next(page, "Package")
    expect(page.get_by_text("Budget used")).to_be_visible()
    _shot(page, "06-package")
    page.get_by_role("combobox", name="Module", exact=True).click()  # preview adding smart parking before applying it
    page.keyboard.type("Smart parking")
    page.get_by_role("option", name="Smart parking").first.click()
    expect(page.get_by_role("button", name="Apply this change")).to_be_visible()
    expect(page.get_by_text("Enters: Smart parking")).to_be_visible()
    _shot(page, "06b-package-preview")
    _next(page, "Roadmap and costs")
    expect(page.get_by_text("Financing per phase")).to_be_visible()
    _shot(page, "07-roadmap")
    _next(page, "Proposal")

    page.get_by_role("button", name="Generate the proposal").click()
    download_button = page.get_by_role("button", name="Download the proposal")
    failure = page.get_by_test_id("stAlertContentError").or_(page.get_by_test_id("stException"))
    expect(download_button.or_(failure).first).to_be_visible(timeout=180_000)
    if failure.count():
        _shot(page, "08-proposal-failed")
        pytest.fail("generating the proposal failed: " + failure.first.inner_text())
    _shot(page, "08-proposal")
    with page.expect_download(timeout=60_000) as info:
        download_button.click()
    pdf = ARTIFACTS / "downloaded-proposal.pdf"
    info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Da Nang" in text

    # a reload is a new session: the URL brings back the same engagement and step
    page.reload()
    _heading(page, "Proposal")
    expect(page.get_by_text("Open engagement: Da Nang smart city 2027")).to_be_visible()

    # the downloaded PDF restores its engagement as a new one
    page.locator("input[type=file]").set_input_files(str(pdf))
    page.get_by_role("button", name="Restore as a new engagement").click()
    _heading(page, "Partner")
    expect(page.get_by_text("Restored from the PDF as a new engagement.")).to_be_visible()
    expect(page.get_by_label("City", exact=True)).to_have_value("Da Nang")
    _shot(page, "09-restored")

    page.get_by_role("link", name="Engagements").click()
    _heading(page, "Engagements")
    expect(page.get_by_text("Da Nang smart city 2027", exact=True)).to_be_visible()
    _shot(page, "10-engagement-list")
    page.get_by_role("button", name="Actions").first.click()
    expect(page.get_by_role("button", name="Duplicate").first).to_be_visible()
    _shot(page, "11-engagement-actions")
    page.keyboard.press("Escape")


def test_the_wizard_speaks_korean(server, page):
    page.goto(f"{server}/catalog?step=catalog&lang=ko")
    _heading(page, "카탈로그")
    page.get_by_role("heading", name="사업 목록").count()
    playwright_api.expect(page.get_by_text("솔루션 모듈")).to_be_visible()
    _shot(page, "12-catalog-ko")
    page.get_by_role("link", name="사업 목록").click()
    _heading(page, "사업 목록")
    page.get_by_role("button", name="열기").first.click()
    _heading(page, "니즈")
    page.get_by_role("button", name="저장하고 계속 →").click()
    _heading(page, "준비도와 제약 조건")
    page.get_by_role("button", name="저장하고 계속 →").click()
    _heading(page, "추천")
    page.locator(".js-plotly-plot").nth(1).wait_for()
    _shot(page, "13-recommendations-ko")


def test_the_catalog_finds_flood_early_warning_and_opens_the_clicked_row(server, page):
    page.goto(f"{server}/catalog?step=catalog")
    _heading(page, "Catalog")
    page.get_by_label("Search modules").fill("Flood early warning")
    page.get_by_label("Search modules").press("Enter")
    expect = playwright_api.expect
    expect(page.get_by_text("1 of 65 modules")).to_be_visible(timeout=20_000)
    # The workbook is built when asked for, not on every rerun. The button's file id belongs to the run that drew it:
    # click it once the search's rerun has finished, and again if a late rerun replaced it under the click.
    info = None
    for _attempt in range(3):
        _settle(page)
        try:
            with page.expect_download(timeout=20_000) as info:
                page.get_by_role("button", name="Export this list to Excel").click()
            break
        except playwright_api.TimeoutError:
            info = None
    assert info is not None, "the catalog export never downloaded"
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(info.value.path().read_bytes())).active
    assert sheet["A1"].value == "Module" and sheet["A2"].value == "Flood forecasting and early warning system"
    grid = page.get_by_test_id("stDataFrame")
    box = grid.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 18)  # the first row's selection cell, under the header row
    expect(page.get_by_role("heading", name="Flood forecasting and early warning system")).to_be_visible(timeout=20_000)
    _shot(page, "14-catalog-search")
