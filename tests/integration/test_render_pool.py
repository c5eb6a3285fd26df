"""Proposals rendered in worker processes: same document, progress in order, errors and dead workers reported."""

from __future__ import annotations

import datetime as dt
import io
import os
import signal
import threading

import pypdf
import pytest

from app import services
from app.adapters.render_pool import RenderJob, wait_all
from app.errors import RenderError
from tests.conftest import ROOT

EXAMPLES = ROOT / "catalog" / "examples"
TODAY = dt.date(2026, 12, 4)


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def _engagement(catalog, slug: str):
    return services.load_engagement(EXAMPLES / f"{slug}.yaml", catalog)


@pytest.fixture(scope="module")
def pool():
    with services.open_render_pool(ROOT / "catalog", workers=2, charts=False) as p:
        p.start()
        yield p


def test_a_proposal_rendered_in_a_worker_says_what_the_same_render_in_process_says(pool, bundled_catalog):
    from app.adapters import charts

    engagement = _engagement(bundled_catalog, "tam-ky-operations-centre")
    pooled = services.render_proposal(bundled_catalog, engagement, "vi", today=TODAY, pool=pool)
    here = services.render_proposal(bundled_catalog, engagement, "vi", today=TODAY, chart_exporter=charts.no_charts)
    assert _text(pooled) == _text(here)


def test_progress_reaches_the_calling_thread_stage_by_stage_in_order(pool, bundled_catalog):
    heard: list[tuple[str, str]] = []
    caller = threading.get_ident()
    threads: set[int] = set()

    def progress(stage: str, detail: str) -> None:
        heard.append((stage, detail))
        threads.add(threading.get_ident())

    services.render_proposal(bundled_catalog, _engagement(bundled_catalog, "hue-smart-pin"), today=TODAY, progress=progress,
                             pool=pool)
    stages = list(dict.fromkeys(s for s, _ in heard))
    assert stages == list(services.RENDER_STAGES)
    assert threads == {caller}


def test_sessions_rendering_at_the_same_time_each_get_their_own_document(pool, bundled_catalog):
    slugs = ["hue-smart-pin", "milan-smart-waste", "tashkent-smart-bus-brt", "verona-c-its-traffic"]
    jobs = [RenderJob(catalog_dir=pool.catalog_dir, catalog_version=bundled_catalog.version, cache_dir=pool.cache_dir,
                      engagement=_engagement(bundled_catalog, s), lang="en", draft=False, edition="partner", today=TODAY,
                      charts=False) for s in slugs]
    results = wait_all(pool, jobs)
    assert len(results) == 4
    for job, (_seconds, pdf) in zip(jobs, results, strict=True):
        cover = _text(pdf).split("\n", 12)
        assert any(job.engagement.city in line for line in cover), job.engagement.city


def test_an_error_raised_in_a_worker_comes_back_as_a_render_error_with_its_message(pool, bundled_catalog):
    job = RenderJob(catalog_dir=str(ROOT / "no-such-catalog"), catalog_version="x", cache_dir=None,
                    engagement=_engagement(bundled_catalog, "hue-smart-pin"), lang="en", draft=False, edition="partner",
                    today=TODAY, charts=False)
    with pytest.raises(RenderError, match="catalog folder not found"):
        pool.render(job)


def test_a_killed_worker_fails_only_its_job_with_a_message_and_the_next_job_renders(bundled_catalog):
    engagement = _engagement(bundled_catalog, "haiphong-traffic-management")
    with services.open_render_pool(ROOT / "catalog", workers=1, charts=False) as pool:
        (pid,) = pool.start()
        heard = threading.Event()

        def kill_when_laying_out(stage: str, _detail: str) -> None:
            if stage == "layout" and not heard.is_set():
                heard.set()
                os.kill(pid, signal.SIGKILL)

        with pytest.raises(RenderError, match="stopped unexpectedly"):
            services.render_proposal(bundled_catalog, engagement, today=TODAY, progress=kill_when_laying_out, pool=pool)
        pdf = services.render_proposal(bundled_catalog, engagement, today=TODAY, pool=pool)
        assert pdf.startswith(b"%PDF")
