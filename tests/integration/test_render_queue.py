"""Proposals rendered by workers on other machines through the database (KCITY_RENDER_QUEUE=database), on SQLite and
PostgreSQL: a worker in another process renders what the wizard queued, two workers never take the same job, a dead
worker's job is queued again (or failed after its last attempt), and every failure comes back as a message."""

from __future__ import annotations

import datetime as dt
import io
import os
import signal
import subprocess
import sys
import threading

import pypdf
import pytest
from sqlalchemy import func, select

from app import services, services_queue, services_team
from app.adapters.render_queue import FAILED, QUEUED, LeaseLost, RenderQueue
from app.adapters.storage import Repository, make_engine
from app.adapters.tables import RenderJobRow
from app.core.access import Actor
from app.errors import AccessDenied, CatalogMismatch, RenderError, RenderQueueError
from app.settings import Settings
from tests.conftest import ROOT

TODAY = dt.date(2026, 12, 4)
T0 = dt.datetime(2026, 12, 4, 9, 0)
EXAMPLE = ROOT / "catalog" / "examples" / "hue-smart-pin.yaml"


@pytest.fixture(scope="module")
def example(bundled_catalog):
    return services.load_engagement(EXAMPLE, bundled_catalog)


@pytest.fixture
def repo(database_url) -> Repository:
    return services.open_repository(database_url)


def queued(queue: RenderQueue, catalog, example, **changes) -> int:
    """A job queued straight into the table (as a wizard would, without the permission check)."""
    values = {"snapshot": example.model_dump(mode="json"), "language": "en", "edition": "partner", "draft": False, "today": TODAY,
              "catalog_version": catalog.version, "catalog_digest": services_team.catalog_digest(catalog), "charts": False, **changes}
    return queue.enqueue(**values)


def jobs_in(repo: Repository) -> int:
    with repo.engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(RenderJobRow)) or 0)


def worker_process(url: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "app", "render-worker", "--database-url", url, "--no-charts", "--poll", "0.1", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)


def serve_once(queue: RenderQueue) -> list[services_queue.Outcome]:
    return services_queue.serve_render_jobs(queue, ROOT / "catalog", Settings.from_env().cache_dir, name="w1", once=True, charts=False)


def test_a_proposal_queued_by_the_wizard_is_rendered_by_a_worker_in_another_process_and_comes_back(repo, bundled_catalog, example):
    record = services.create_engagement(repo, "Hue", engagement=example)
    worker = worker_process(repo.engine.url.render_as_string(hide_password=False), "--once")
    heard: list[str] = []
    try:
        pdf = services.generate_proposal(repo, record.id, bundled_catalog, example, progress=lambda stage, _detail: heard.append(stage),
                                         renderer=services_queue.render_queue(repo, wait_s=90), today=TODAY)
        out, err = worker.communicate(timeout=60)
    finally:
        worker.kill()
    assert worker.returncode == 0, err
    assert "rendered" in out and "render worker stopped" in out
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert example.city in text
    stages = list(dict.fromkeys(heard))
    assert stages[0] == "queued" and stages[-1] == "done"
    order = ("queued", *services.RENDER_STAGES)
    assert stages == sorted(stages, key=order.index)  # whatever the polling saw, in the order the worker went through
    assert jobs_in(repo) == 0  # the result was taken: nothing left behind


def test_two_workers_never_take_the_same_job_on_postgresql(postgres_server, bundled_catalog, example):
    url = postgres_server.new_database()
    Repository.from_url(url)
    a, b = RenderQueue(make_engine(url)), RenderQueue(make_engine(url))  # two engines: two connections, as two machines
    ids = [queued(a, bundled_catalog, example) for _ in range(3)]
    with a.session() as s:
        first = a.claim_in(s, "a")  # still inside a's transaction: its row stays locked
        second = b.claim("b")  # skips the locked row instead of waiting for it or taking it
    third = b.claim("b")
    assert [first and first.id, second and second.id, third and third.id] == ids
    assert b.claim("b") is None and a.claim("a") is None
    assert [a.status(i).worker for i in ids] == ["a", "b", "b"]


def test_workers_racing_for_jobs_each_get_different_ones(database_url, bundled_catalog, example):
    Repository.from_url(database_url)
    queues = [RenderQueue(make_engine(database_url)) for _ in range(2)]
    ids = [queued(queues[0], bundled_catalog, example) for _ in range(12)]
    taken: dict[str, list[int]] = {"a": [], "b": []}
    start = threading.Barrier(2)

    def work(name: str, queue: RenderQueue) -> None:
        start.wait()
        while (job := queue.claim(name)) is not None:
            taken[name].append(job.id)

    threads = [threading.Thread(target=work, args=(name, q)) for name, q in zip(taken, queues, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(taken["a"] + taken["b"]) == ids  # every job once, none twice


def test_a_job_whose_worker_stopped_answering_is_queued_again_when_its_lease_runs_out(repo, bundled_catalog, example):
    now = [T0]
    queue = services_queue.render_queue(repo, lease_s=60)
    queue.clock = lambda: now[0]
    job = queued(queue, bundled_catalog, example)
    assert queue.claim("dead-worker") is not None
    queue.report(job, "dead-worker", "layout", "render: layout")  # extends the lease to 09:01
    now[0] = T0 + dt.timedelta(seconds=59)
    assert queue.claim("b") is None  # the lease still runs
    now[0] = T0 + dt.timedelta(seconds=61)
    again = queue.claim("b")
    assert again is not None and (again.id, again.attempts) == (job, 2)
    with pytest.raises(LeaseLost):  # the dead worker, back to life, can no longer finish it
        queue.finish(job, "dead-worker", b"%PDF-late")
    assert queue.status(job).worker == "b"


def test_a_job_whose_workers_keep_stopping_fails_after_its_last_attempt_with_a_message(repo, bundled_catalog, example):
    now = [T0]
    queue = services_queue.render_queue(repo, lease_s=60, max_attempts=2)
    queue.clock = lambda: now[0]
    job = queued(queue, bundled_catalog, example)
    for worker in ("w1", "w2"):
        assert queue.claim(worker) is not None
        now[0] += dt.timedelta(seconds=61)
    assert queue.claim("w3") is None
    assert queue.status(job).state == FAILED
    with pytest.raises(RenderQueueError, match=r"render worker w2 stopped answering .* tried 2 times"):
        queue.wait(job)
    assert jobs_in(repo) == 0


def test_a_job_given_back_by_a_stopping_worker_is_queued_again_untried(repo, bundled_catalog, example):
    queue = services_queue.render_queue(repo)
    job = queued(queue, bundled_catalog, example)
    assert queue.claim("w1") is not None
    queue.release(job, "w1")
    status = queue.status(job)
    assert (status.state, status.worker, status.attempts) == (QUEUED, None, 0)
    assert "w1 stopped and gave the job back" in status.detail


def test_a_worker_with_another_catalog_fails_the_job_with_its_message_instead_of_rendering(repo, bundled_catalog, example):
    queue = services_queue.render_queue(repo)
    job = queued(queue, bundled_catalog, example, catalog_version="0123456789ab", catalog_digest="f" * 64)
    [outcome] = serve_once(queue)
    assert outcome.what == "refused"
    with pytest.raises(CatalogMismatch, match=f"render worker w1 has catalog version {bundled_catalog.version} .* asked for with "
                                              "version 0123456789ab .*KCITY_CATALOG_DIR"):
        queue.wait(job)


def test_an_error_while_rendering_comes_back_as_a_render_error_with_its_message(repo, bundled_catalog, example):
    queue = services_queue.render_queue(repo)
    job = queued(queue, bundled_catalog, example, language="xx")
    [outcome] = serve_once(queue)
    assert outcome.what == "failed"
    with pytest.raises(RenderError, match="render worker w1: unsupported proposal language 'xx'") as caught:
        queue.wait(job)
    assert type(caught.value) is RenderError and "Traceback" not in str(caught.value)


def test_only_someone_who_may_change_the_engagement_can_queue_its_proposal(repo, bundled_catalog, example):
    console = Actor("ops", "admin", console=True)
    kim, lee = Actor("kim", "consultant"), Actor("lee", "reviewer")
    for actor in (kim, lee):
        services_team.add_user(repo, actor.name, actor.role, f"{actor.name}-password", actor=console)
    record = services.create_engagement(repo, "Hue", engagement=example, actor=kim)
    queue = services_queue.render_queue(repo)
    with pytest.raises(AccessDenied, match="lee \\(reviewer\\) may not change this engagement"):
        services.generate_proposal(repo, record.id, bundled_catalog, example, renderer=queue, actor=lee)
    with pytest.raises(AccessDenied, match="sign in first"):
        services.generate_proposal(repo, record.id, bundled_catalog, example, renderer=queue, actor=None)
    assert jobs_in(repo) == 0


def test_a_proposal_no_worker_takes_is_withdrawn_with_a_message(repo, bundled_catalog, example):
    record = services.create_engagement(repo, "Hue", engagement=example)
    with pytest.raises(RenderQueueError, match=r"no render worker took the proposal within 0 s .*kcity render-worker"):
        services.generate_proposal(repo, record.id, bundled_catalog, example, renderer=services_queue.render_queue(repo, wait_s=0))
    assert jobs_in(repo) == 0


def test_the_server_renders_through_the_database_only_when_configured(tmp_path):
    repo = services.open_repository(f"sqlite:///{tmp_path / 'kcity.sqlite3'}")

    def where(**env: str) -> object:
        return services_queue.renderer(Settings.from_env({"KCITY_RENDER_WORKERS": "0", **env}), repo)

    assert isinstance(where(KCITY_RENDER_QUEUE="database"), RenderQueue)
    assert where() is None  # the default: this server's own processes (none here: in the calling thread)
    with pytest.raises(RenderError, match=r"KCITY_RENDER_QUEUE='redis': use local .* or database"):
        where(KCITY_RENDER_QUEUE="redis")


def test_a_worker_stops_cleanly_on_sigterm(tmp_path):
    url = f"sqlite:///{tmp_path / 'kcity.sqlite3'}"
    worker = worker_process(url)
    try:
        assert worker.stdout is not None and "taking proposals from" in worker.stdout.readline()
        os.kill(worker.pid, signal.SIGTERM)
        out, err = worker.communicate(timeout=60)
    finally:
        worker.kill()
    assert worker.returncode == 0, err
    assert "SIGTERM: stopping after the proposal in hand" in err
    assert "render worker stopped" in out
