"""Screenshots of every wizard step in English and Korean, for a new engagement (Cebu City, Philippines).

Usage: ``.venv/bin/python scripts/screenshot_wizard.py [OUT_DIR]`` (default ``/work/h4-shots`` when it exists or can be
made, else ``./wizard-shots``). A tool for looking at the screens, not a test.

The wizard runs as ``make run`` starts it (``python -m app.web.serve``) on a free local port with the bundled catalog
and a temporary SQLite file (never the user's ``data/``), driven by Playwright on Debian's chromium with the
project's fonts (as ``tests/e2e/test_browser.py`` does). Each step is filled in English, shot, switched to Korean,
shot, and switched back: ``01-engagement-en.png``, ``01-engagement-ko.png`` … ``09-catalog-ko.png``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.fonts import fontconfig as _fontconfig  # noqa: E402  (standard library only: no test fixtures)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
NEXT = re.compile(r"^(Next|Save and continue) →$")
HEADINGS = {"Engagements": "사업 목록", "Partner": "파트너", "Needs": "니즈", "Readiness and constraints": "준비도와 제약 조건",
            "Recommendations": "추천", "Package": "패키지", "Roadmap and costs": "로드맵과 비용", "Proposal": "제안서",
            "Catalog": "카탈로그"}


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def wizard(scratch: Path) -> Iterator[str]:
    """The wizard served on a free port with its own data and cache folders; yields its URL."""
    port = _free_port()
    env = {**os.environ, "KCITY_DATA_DIR": str(scratch / "data"), "KCITY_CACHE_DIR": str(scratch / "cache"),
           "KCITY_USER": "screenshots", "KCITY_RENDER_WORKERS": "1"}
    for name in ("KCITY_DATABASE_URL", "KCITY_CATALOG_DIR", "KCITY_TEMPLATES_DIR"):
        env.pop(name, None)  # the bundled catalog and templates, a fresh SQLite file
    log = open(scratch / "server.log", "wb")  # noqa: SIM115 (closed below)
    proc = subprocess.Popen([sys.executable, "-m", "app.web.serve", "--server.headless", "true", "--server.address", "127.0.0.1",
                             "--server.port", str(port), "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).status == 200:
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise SystemExit("the wizard did not start:\n" + (scratch / "server.log").read_text(errors="replace")) from None
                time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


class Walk:
    def __init__(self, page, out: Path) -> None:
        from playwright.sync_api import expect

        self.page, self.out, self.expect = page, out, expect
        self.shots: list[Path] = []

    def settle(self) -> None:
        """Wait until Streamlit has finished the current run (its status widget and the previous run's stale elements are gone)."""
        self.page.wait_for_timeout(400)
        self.page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
                                    " && !document.querySelector('[data-stale=\"true\"]')", timeout=120_000)

    def heading(self, text: str) -> None:
        self.expect(self.page.get_by_role("heading", name=text).first).to_be_visible(timeout=60_000)

    def language(self, name: str, heading: str) -> None:
        self.settle()
        self.page.get_by_role("radiogroup", name="Language / 언어").get_by_text(name, exact=True).click()
        self.heading(heading)
        self.settle()

    def shoot(self, name: str, english: str, then: str = "en") -> None:
        """``name-en.png``, then the same screen in Korean ``name-ko.png``; back to English unless ``then`` is "ko"."""
        for lang in ("en", "ko"):
            if lang == "ko":
                self.language("한국어", HEADINGS[english])
            self.settle()
            self.page.wait_for_timeout(800)  # let canvases (data grids, charts) paint
            errors = self.page.get_by_test_id("stException")
            if errors.count():
                print(f"{name}-{lang}: exception on screen: {errors.first.inner_text()[:300]}", file=sys.stderr)
            path = self.out / f"{name}-{lang}.png"
            self.full_page(path)
            self.shots.append(path)
            print(path)
        if then == "en":
            self.language("English", english)

    def full_page(self, path: Path) -> None:
        """The whole step: Streamlit scrolls inside its main section, not the document, so Playwright's ``full_page``
        would keep only the first screen; the window is made as tall as the section for the shot."""
        height = self.page.evaluate("() => Math.max(...[...document.querySelectorAll('[data-testid=stMain], section')]"
                                    ".map(e => e.scrollHeight), document.body.scrollHeight)")
        self.page.set_viewport_size({"width": 1440, "height": min(int(height) + 40, 20_000)})
        self.page.wait_for_timeout(800)  # charts and grids redraw at the new size
        self.page.screenshot(path=str(path), full_page=True)
        self.page.set_viewport_size({"width": 1440, "height": 1000})

    def next(self, heading: str) -> None:
        self.settle()
        self.page.get_by_role("button", name=NEXT).click()
        self.heading(heading)


def walk(url: str, out: Path, fonts: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    env = {**os.environ, "FONTCONFIG_FILE": str(fonts)}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], env=env)
        context = browser.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True, locale="en-US")
        context.set_default_timeout(60_000)
        page = context.new_page()
        w = Walk(page, out)
        page.goto(url)
        w.heading("Engagements")
        w.shoot("01-engagement", "Engagements")
        page.get_by_label("Title", exact=True).fill("Cebu City smart city 2027")
        page.get_by_role("button", name="Create and enter the partner").click()
        w.heading("Partner")

        page.get_by_role("combobox", name="Country").first.click()
        page.keyboard.type("Philip")
        page.get_by_role("option", name="Philippines (PHL)").click()
        w.expect(page.get_by_text("Indicators of Philippines", exact=True)).to_be_visible()
        page.get_by_label("City", exact=True).fill("Cebu City")
        page.get_by_label("Population of the city").fill("964169")
        page.get_by_label("Area (km²)").fill("315")
        page.get_by_label("Applicant organisation").fill("Cebu City Government")
        w.settle()
        page.get_by_role("button", name="Save partner and suggest needs").click()
        w.expect(page.get_by_text("Saved (version 2).")).to_be_visible()
        w.shoot("02-partner", "Partner")

        w.next("Needs")
        for domain, need in (("Mobility and transport", "Traffic congestion"), ("Public safety and disaster management", "Urban and river flooding")):
            box = page.get_by_role("checkbox", name=re.compile(re.escape(need)))
            if not box.is_visible():
                page.get_by_text(re.compile(rf"^{re.escape(domain)} · \d+/\d+$")).click()
                w.settle()
            if not box.is_checked():
                box.check(force=True)  # Streamlit draws its own box over the input
                w.settle()
        page.get_by_role("button", name="Save needs").click()
        w.settle()
        w.shoot("03-needs", "Needs")

        w.next("Readiness and constraints")
        page.get_by_label("Budget (capital expenditure)").fill("8000000")
        page.get_by_label("Budget (capital expenditure)").press("Enter")
        w.settle()
        page.get_by_role("button", name="Save readiness and constraints").click()
        w.settle()
        w.shoot("04-readiness", "Readiness and constraints")

        w.next("Recommendations")
        page.locator(".js-plotly-plot").first.wait_for()
        w.shoot("05-recommendations", "Recommendations")

        w.next("Package")
        w.shoot("06-package", "Package")
        page.get_by_role("combobox", name="Module", exact=True).click()  # preview adding smart parking
        page.keyboard.type("Smart parking")
        page.get_by_role("option", name="Smart parking").first.click()
        w.expect(page.get_by_role("button", name="Apply this change")).to_be_visible()
        w.shoot("06b-package-preview", "Package")

        w.next("Roadmap and costs")
        w.shoot("07-roadmap", "Roadmap and costs")

        w.next("Proposal")
        w.settle()
        page.get_by_role("button", name="Generate the proposal").click()
        download = page.get_by_role("button", name=re.compile("^Download the proposal"))
        failure = page.get_by_test_id("stAlertContentError").or_(page.get_by_test_id("stException"))
        w.expect(download.or_(failure).first).to_be_visible(timeout=240_000)
        w.shoot("08-proposal", "Proposal")

        page.get_by_role("link", name="Catalog").click()
        w.heading("Catalog")
        w.shoot("09-catalog", "Catalog")
        context.close()
        browser.close()
        return w.shots


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else Path("/work/h4-shots")
    out.mkdir(parents=True, exist_ok=True)
    if not Path(CHROMIUM).exists():
        print("Debian chromium is not installed (make setup installs it)", file=sys.stderr)
        return 1
    scratch = Path(tempfile.mkdtemp(prefix="kcity-shots-"))
    try:
        with wizard(scratch) as url:
            shots = walk(url, out, _fontconfig(scratch))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"{len(shots)} screenshots in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
