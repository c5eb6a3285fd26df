"""Proposals rendered in worker processes, so that consultants generating at the same time do not share one GIL.

Rendering is CPU-bound Python (WeasyPrint's layout) plus a Chrome per process for the charts. On threads inside the
Streamlit process, four concurrent renders each waited about 4.5 times as long as one alone (measured 2026-12-02).
A :class:`RenderPool` keeps one worker process per core, each with its own catalog copy and its own chart browser
(started when the worker starts, so a user never waits for Chrome), and sends progress back through a queue.

Workers are started with ``spawn``: forking a process that runs Streamlit's threads and a Chrome driver is unsafe.
A job carries the catalog folder and its version; a worker whose copy is older (the catalog was edited) reloads it.
A worker that dies (out of memory, killed) fails only the job it had: the pool is rebuilt for the next one, and
the caller gets a :class:`RenderError`. Errors raised on purpose in a worker travel back as their message, never as
pickled exception objects.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import multiprocessing
import os
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.errors import KcityError, RenderError

log = logging.getLogger(__name__)

Progress = Callable[[str, str], None]
POLL_S = 0.1


@dataclass(frozen=True)
class RenderJob:
    """Everything a worker needs to render one proposal (picklable)."""

    catalog_dir: str
    catalog_version: str
    cache_dir: str | None
    engagement: Any  # an Engagement; typed loosely so that this module imports no core model at start-up
    lang: str
    draft: bool
    edition: str
    today: dt.date | None
    charts: bool = True  # False: tables instead of charts (no browser is started)


# ---------------------------------------------------------------- worker side (module globals live in the worker)

_catalogs: dict[str, Any] = {}


def _worker_start(catalog_dir: str, cache_dir: str | None, charts: bool) -> None:
    """Import, load the catalog and start the chart browser before the first job arrives."""
    from app import services

    with contextlib.suppress(KcityError):  # a broken catalog is reported by the job that needs it
        _catalogs[catalog_dir] = services.load_catalog(Path(catalog_dir), Path(cache_dir) if cache_dir else None)
    if charts:
        services.prewarm_charts()


def _catalog(job: RenderJob) -> Any:
    from app import services

    current = _catalogs.get(job.catalog_dir)
    if current is None or current.version != job.catalog_version:
        current = services.load_catalog(Path(job.catalog_dir), Path(job.cache_dir) if job.cache_dir else None)
        _catalogs[job.catalog_dir] = current
    return current


def _worker_render(job: RenderJob, progress: Any) -> tuple[bytes | None, str | None]:
    """The PDF, or the message of an error raised on purpose; progress goes to ``progress`` (a queue proxy)."""

    def say(stage: str, detail: str) -> None:
        if progress is not None:
            progress.put((stage, detail))

    try:
        catalog = _catalog(job)
    except KcityError as exc:
        return None, str(exc)
    return render_with(catalog, job, say)


def render_with(catalog: Any, job: RenderJob, say: Progress) -> tuple[bytes | None, str | None]:
    """Render ``job`` in this process with ``catalog`` (a worker's copy): the PDF, or the message of an error raised on
    purpose. Used by the pool's workers and by ``kcity render-worker`` (jobs queued in the database)."""
    from app import services
    from app.adapters import charts

    try:
        pdf = services.render_proposal(catalog, job.engagement, lang=job.lang, draft=job.draft, progress=say,
                                       today=job.today, edition=job.edition,
                                       chart_exporter=None if job.charts else charts.no_charts)
    except KcityError as exc:
        return None, str(exc)
    return pdf, None


def _ready(barrier: Any, charts_on: bool) -> int:
    """Wait until this worker's chart browser runs, then until every worker has got here (so that each worker
    takes exactly one of these calls); the worker's process id."""
    from app.adapters import charts

    if charts_on:
        charts.shared_exporter().start()
    barrier.wait(timeout=120)
    return os.getpid()


# ---------------------------------------------------------------- caller side


class RenderPool:
    """A pool of render worker processes (one per core by default); thread-safe, shared by a server's sessions."""

    def __init__(self, catalog_dir: Path, cache_dir: Path | None = None, workers: int | None = None,
                 charts: bool = True) -> None:
        self.catalog_dir, self.cache_dir, self.charts = str(catalog_dir), str(cache_dir) if cache_dir else None, charts
        self.workers = workers or os.cpu_count() or 1
        self._context = multiprocessing.get_context("spawn")
        self._lock = threading.Lock()
        self._manager: Any = None
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=self._context,
                                                 initializer=_worker_start,
                                                 initargs=(self.catalog_dir, self.cache_dir, self.charts))
            return self._pool

    def _queue(self) -> Any:
        with self._lock:
            if self._manager is None:
                self._manager = self._context.Manager()
            return self._manager.Queue()

    def start(self) -> list[int]:
        """Start every worker now (imports, catalog, chart browser) and wait until all are ready; their process ids."""
        pool = self._executor()
        with self._lock:
            if self._manager is None:
                self._manager = self._context.Manager()
            barrier = self._manager.Barrier(self.workers)
        futures = [pool.submit(_ready, barrier, self.charts) for _ in range(self.workers)]
        return sorted({f.result() for f in futures})

    def render(self, job: RenderJob, progress: Progress | None = None) -> bytes:
        """Render ``job`` in a worker; ``progress(stage, detail)`` is called in this thread as the worker reports."""
        channel = self._queue() if progress is not None else None
        try:
            future: Future[tuple[bytes | None, str | None]] = self._executor().submit(_worker_render, job, channel)
        except BrokenProcessPool:
            self._reset()
            future = self._executor().submit(_worker_render, job, channel)
        while True:
            self._relay(channel, progress)
            try:
                pdf, error = future.result(timeout=POLL_S)
                break
            except TimeoutError:
                continue
            except BrokenProcessPool as exc:
                self._reset()
                raise RenderError("the rendering process stopped unexpectedly; please generate again") from exc
        self._relay(channel, progress)
        if error is not None:
            raise RenderError(error)
        assert pdf is not None
        return pdf

    @staticmethod
    def _relay(channel: Any, progress: Progress | None) -> None:
        if channel is None or progress is None:
            return
        while True:
            try:
                stage, detail = channel.get_nowait()
            except queue.Empty:
                return
            progress(stage, detail)

    def _reset(self) -> None:
        with self._lock:
            broken, self._pool = self._pool, None
        if broken is not None:
            broken.shutdown(wait=False, cancel_futures=True)
        log.warning("a render worker died; the pool was restarted")

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
            manager, self._manager = self._manager, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        if manager is not None:
            manager.shutdown()

    def __enter__(self) -> RenderPool:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


_shared: RenderPool | None = None
_shared_lock = threading.Lock()


def shared_pool(catalog_dir: Path, cache_dir: Path | None, workers: int) -> RenderPool:
    """The process's one pool (a server's sessions share it; like the chart server, one per process)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = RenderPool(catalog_dir, cache_dir, workers)
        return _shared


def wait_all(pool: RenderPool, jobs: list[RenderJob]) -> list[tuple[float, bytes]]:
    """Render ``jobs`` at once from as many threads (as concurrent users would); each one's seconds and PDF."""
    results: list[tuple[float, bytes] | None] = [None] * len(jobs)

    def one(i: int) -> None:
        started = time.perf_counter()
        pdf = pool.render(jobs[i])
        results[i] = (time.perf_counter() - started, pdf)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return [r for r in results if r is not None]
