"""Ten consultants press Generate at the same time on one wizard server (loopback, Playwright + Debian chromium).

The server runs as ``make run`` does, with two render worker processes; ten sessions, each on its own engagement
(ten public examples), generate their proposal at once. Each must get its own document (its city on the cover, its
own stored version) and none an error. ``make bench`` prints the waits (median and worst) with the same code.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.e2e.test_browser import CHROMIUM, _free_port

pytestmark = [pytest.mark.browser, pytest.mark.slow]
playwright_api = pytest.importorskip("playwright.sync_api")

EXAMPLES = ["alatau-smart-town-masterplan", "asuncion-smart-traffic-signals", "hue-smart-pin", "jamaica-land-titling",
            "khon-kaen-ai-cctv", "kuala-lumpur-ai-parking", "laos-early-warning", "milan-smart-waste",
            "tashkent-smart-bus-brt", "verona-c-its-traffic"]


@dataclass
class Session:
    engagement_id: str
    city: str
    seconds: float = 0.0
    pdf: bytes = b""
    error: str = ""


def _env(data_dir: Path, database_url: str | None) -> dict[str, str]:
    """The environment of the server: its data folder and, for PostgreSQL, its database URL (else the SQLite file there)."""
    env = {**os.environ, "KCITY_DATA_DIR": str(data_dir)}
    env.pop("KCITY_DATABASE_URL", None)
    if database_url:
        env["KCITY_DATABASE_URL"] = database_url
    return env


def seed(data_dir: Path, slugs: list[str], database_url: str | None = None) -> list[Session]:
    """Store one engagement per example in the server's database (as if consultants had entered them)."""
    from app import services
    from app.settings import Settings

    settings = Settings.from_env(_env(data_dir, database_url))
    catalog = services.load_catalog(settings.catalog_dir, settings.cache_dir)
    repo = services.open_repository(settings.database_url)
    sessions = []
    for slug in slugs:
        engagement = services.load_engagement(ROOT / "catalog" / "examples" / f"{slug}.yaml", catalog)
        record = services.create_engagement(repo, title=slug, engagement=engagement)
        sessions.append(Session(engagement_id=record.id, city=engagement.city))
    return sessions


def start_server(data_dir: Path, workers: int, database_url: str | None = None) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {**_env(data_dir, database_url), "KCITY_RENDER_WORKERS": str(workers), "KCITY_USER": "load-test"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "app.web.serve", "--server.headless", "true", "--server.address", "127.0.0.1",
         "--server.port", str(port), "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).status == 200:
                return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("the wizard did not start: " + (proc.stdout.read().decode() if proc.stdout else ""))


def generate_at_once(url: str, sessions: list[Session], timeout_s: float = 300) -> None:
    """Open each session's proposal step in its own browser context, press Generate in all, wait for each download."""
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        pages = []
        for s in sessions:
            context = browser.new_context(accept_downloads=True, locale="en-US")
            context.set_default_timeout(60_000)
            page = context.new_page()
            page.goto(f"{url}/proposal?engagement={s.engagement_id}&step=proposal")
            playwright_api.expect(page.get_by_role("button", name="Generate the proposal")).to_be_visible()
            pages.append(page)
        clicked = []
        for page in pages:
            page.get_by_role("button", name="Generate the proposal").click()
            clicked.append(time.perf_counter())
        pending = dict(enumerate(sessions))
        deadline = time.perf_counter() + timeout_s
        while pending and time.perf_counter() < deadline:  # poll every page in turn: each wait is measured alike
            for i, s in list(pending.items()):
                page = pages[i]
                failure = page.get_by_test_id("stAlertContentError").or_(page.get_by_test_id("stException"))
                if failure.count():
                    s.error = failure.first.inner_text()
                elif page.get_by_role("button", name="Download the proposal").is_visible():
                    s.seconds = time.perf_counter() - clicked[i]
                else:
                    continue
                del pending[i]
            time.sleep(0.2)
        for s in pending.values():
            s.error = f"no proposal after {timeout_s:.0f} s"
        for s, page in zip(sessions, pages, strict=True):
            if not s.error:
                with page.expect_download() as info:
                    page.get_by_role("button", name="Download the proposal").click()
                s.pdf = Path(info.value.path()).read_bytes()
        browser.close()


def pdf_text(pdf: bytes, tmp: Path) -> str:
    path = tmp / "p.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-l", "3", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def loaded(request, tmp_path_factory):
    """The ten sessions' run, on the embedded SQLite file and on the test session's PostgreSQL server."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (make setup installs it)")
    data_dir = tmp_path_factory.mktemp("load-data")
    database_url = request.getfixturevalue("postgres_server").new_database() if request.param == "postgresql" else None
    sessions = seed(data_dir, EXAMPLES, database_url)
    proc, url = start_server(data_dir, workers=2, database_url=database_url)
    try:
        generate_at_once(url, sessions)
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
    return data_dir, sessions, database_url


def test_ten_sessions_generating_at_once_each_get_their_own_proposal(loaded, tmp_path):
    _data_dir, sessions, _url = loaded
    assert [s.error for s in sessions] == [""] * len(sessions)
    for s in sessions:
        assert s.pdf.startswith(b"%PDF")
        assert s.city in pdf_text(s.pdf, tmp_path), s.city  # its own city on the cover, not another session's


def test_each_session_stored_exactly_one_version_of_its_own_engagement(loaded):
    from app import services
    from app.settings import Settings

    data_dir, sessions, database_url = loaded
    repo = services.open_repository(Settings.from_env(_env(data_dir, database_url)).database_url)
    for s in sessions:
        versions = services.proposal_versions(repo, s.engagement_id)
        assert len(versions) == 1
        assert services.proposal_pdf(repo, versions[0].id) == s.pdf  # the file downloaded is the one stored for it
