"""Proposals rendered by workers on other machines, through the team's database (``KCITY_RENDER_QUEUE=database``).

The wizard's side: :func:`renderer` chooses where the server renders (its own process pool, or the database queue),
:func:`render_queued` queues one proposal — with the same permission check as generating one locally: the actor
must be allowed to change the engagement — and waits for it, relaying the worker's progress to the page.

The worker's side (``kcity render-worker``): :func:`serve_render_jobs` claims jobs one at a time and renders each
with the same in-process code as the local pool's workers (:func:`app.adapters.render_pool.render_with`), after
checking that its catalog is the one the job was asked for with (its SHA-256 digest); otherwise the job fails with
that message instead of rendering a different proposal.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.errors import CatalogError, EngagementError, KcityError, RenderError, StorageError
from app.services_team import authorize, catalog_digest

if TYPE_CHECKING:
    from app.adapters.render_pool import RenderPool
    from app.adapters.render_queue import ClaimedJob, RenderQueue
    from app.adapters.storage import Repository
    from app.core.access import Actor
    from app.core.engagement import Engagement
    from app.core.models import Catalog
    from app.settings import Settings

log = logging.getLogger(__name__)

RENDER_QUEUES = ("local", "database")
IDLE_S = 0.5  # how long a worker sleeps when the queue is empty
PURGE_EVERY_S = 600.0
RETRY_S = 5.0  # after the database failed


# ------------------------------------------------------------ the wizard's side


def renderer(settings: Settings, repo: Repository) -> RenderPool | RenderQueue | None:
    """Where this server renders proposals: the render queue in ``repo``'s database (``KCITY_RENDER_QUEUE=database``),
    else its own render processes (``KCITY_RENDER_WORKERS``; None: in the calling process)."""
    if settings.render_queue == "database":
        return render_queue(repo)
    if settings.render_queue != "local":
        raise RenderError(f"KCITY_RENDER_QUEUE={settings.render_queue!r}: use local (this server's own render processes) or "
                          "database (render workers on any machine, `kcity render-worker`)")
    from app.services import shared_render_pool

    return shared_render_pool(settings.catalog_dir, settings.cache_dir, settings.render_workers)


def render_queue(repo: Repository, **options: float) -> RenderQueue:
    """The render queue in ``repo``'s database (``options``: ``lease_s``, ``max_attempts``, ``wait_s``, ``poll_s``)."""
    from app.adapters.render_queue import RenderQueue

    return RenderQueue(repo.engine, **options)  # type: ignore[arg-type]  # the options are floats or ints


def _check(lang: str, edition: str) -> None:
    from app.core.proposal import EDITIONS
    from app.i18n import PROPOSAL_LANGUAGES

    if lang not in PROPOSAL_LANGUAGES:
        raise RenderError(f"unsupported proposal language {lang!r}; use one of {', '.join(PROPOSAL_LANGUAGES)}")
    if edition not in EDITIONS:
        raise RenderError(f"unknown edition {edition!r}; use one of {', '.join(EDITIONS)}")


def enqueue_proposal(queue: RenderQueue, repo: Repository, engagement_id: str, catalog: Catalog, engagement: Engagement,
                     lang: str = "en", draft: bool = False, edition: str = "partner", today: dt.date | None = None,
                     charts: bool = True, *, actor: Actor | None = None) -> int:
    """Queue the proposal of a stored engagement for the render workers; its job id. ``actor`` must be allowed to
    change the engagement, as for generating it in the wizard's own processes (``AccessDenied``)."""
    by = authorize(repo, actor, "edit", repo.get(engagement_id))
    _check(lang, edition)
    return queue.enqueue(engagement.model_dump(mode="json"), lang, edition, draft, today or dt.date.today(), catalog.version,
                         catalog_digest(catalog), charts=charts, engagement_id=engagement_id, by=by)


def render_queued(queue: RenderQueue, repo: Repository, engagement_id: str, catalog: Catalog, engagement: Engagement,
                  lang: str = "en", draft: bool = False, progress: Callable[[str, str], None] | None = None, edition: str = "partner",
                  today: dt.date | None = None, charts: bool = True, *, actor: Actor | None = None) -> bytes:
    """Queue the proposal and wait for a render worker to make it; ``progress(stage, detail)`` hears the worker's stages
    in this thread ("queued" first, while no worker has it). A job the caller stops waiting for is withdrawn if no worker
    has taken it yet."""
    job_id = enqueue_proposal(queue, repo, engagement_id, catalog, engagement, lang, draft, edition, today, charts, actor=actor)
    try:
        return queue.wait(job_id, progress)
    except BaseException:  # the page was left (Streamlit stops its script), the process is stopping, or the job failed
        try:
            queue.cancel(job_id)
        except StorageError:
            log.warning("could not withdraw render job %s", job_id)
        raise


# ------------------------------------------------------------ the worker's side


@dataclass(frozen=True)
class Outcome:
    """What a worker did with one job: rendered, failed (the job failed with ``message``), refused (another catalog),
    released (given back when stopping) or lost (its lease ran out and another worker has it)."""

    job_id: int
    what: str
    message: str
    seconds: float

    def __str__(self) -> str:
        return f"job {self.job_id}: {self.what} in {self.seconds:.1f} s" + (f": {self.message}" if self.message else "")


def serve_render_jobs(queue: RenderQueue, catalog_dir: Path, cache_dir: Path | None, *, name: str, once: bool = False,
                      charts: bool = True, stop: Callable[[], bool] = lambda: False,
                      say: Callable[[str], None] = lambda _line: None, idle_s: float = IDLE_S) -> list[Outcome]:
    """Render queued proposals until ``stop()`` (checked between jobs) or, with ``once``, after one job; what was done.
    The catalog is loaded first (``CatalogError`` stops the worker before it takes any job); with ``charts`` the chart
    browser starts at once, so that the first job does not wait for it."""
    from app.services import load_catalog, prewarm_charts

    if charts:
        prewarm_charts()
    catalog = load_catalog(catalog_dir, cache_dir)
    say(f"render worker {name}: catalog {catalog.version} (digest {catalog_digest(catalog)[:12]}), taking proposals from {queue.where}")
    done: list[Outcome] = []
    purged = 0.0
    while not stop():
        try:
            if time.monotonic() - purged > PURGE_EVERY_S:
                queue.purge()
                purged = time.monotonic()
            job = queue.claim(name)
        except StorageError as exc:  # the database restarts or the network drops: keep trying, say so
            say(f"render worker {name}: {exc}; trying again in {RETRY_S:.0f} s")
            time.sleep(RETRY_S)
            continue
        if job is None:
            time.sleep(idle_s)
            continue
        outcome = render_claimed(queue, job, catalog_dir, cache_dir, name=name, charts=charts)
        say(str(outcome))
        done.append(outcome)
        if once or outcome.what == "released":
            break
    return done


def render_claimed(queue: RenderQueue, job: ClaimedJob, catalog_dir: Path, cache_dir: Path | None, *, name: str,
                   charts: bool = True) -> Outcome:
    """Render one claimed job and record its PDF or its error message in the queue."""
    from app.adapters.render_pool import RenderJob, render_with
    from app.adapters.render_queue import LeaseLost
    from app.core.engagement import parse_engagement
    from app.services import load_catalog

    started = time.perf_counter()

    def outcome(what: str, message: str = "") -> Outcome:
        return Outcome(job.id, what, message, time.perf_counter() - started)

    def fail(message: str, kind: str = "render") -> Outcome:
        try:
            queue.fail(job.id, name, message, kind)
        except LeaseLost as exc:
            return outcome("lost", str(exc))
        return outcome("refused" if kind == "catalog" else "failed", message)

    try:
        catalog = load_catalog(catalog_dir, cache_dir)  # from the cache: picks up a catalog edited since the last job
        digest = catalog_digest(catalog)
        if digest != job.catalog_digest:
            return fail(f"render worker {name} has catalog version {catalog.version} (digest {digest[:12]}), but the proposal was asked "
                        f"for with version {job.catalog_version} (digest {job.catalog_digest[:12]}): give the render workers the "
                        "wizard's catalog (KCITY_CATALOG_DIR) and generate again", "catalog")
        engagement = parse_engagement(job.snapshot, catalog, where=f"render job {job.id}")
    except CatalogError as exc:
        return fail(f"render worker {name} cannot read its catalog: " + "; ".join(exc.lines()), "catalog")
    except EngagementError as exc:
        return fail(f"render worker {name}: " + "; ".join(exc.lines()))
    render_job = RenderJob(catalog_dir=str(catalog_dir), catalog_version=catalog.version, cache_dir=str(cache_dir) if cache_dir else None,
                           engagement=engagement, lang=job.language, draft=job.draft, edition=job.edition, today=job.today,
                           charts=job.charts and charts)
    try:
        pdf, error = render_with(catalog, render_job, lambda stage, detail: queue.report(job.id, name, stage, detail))
        if error is not None:
            return fail(f"render worker {name}: {error}")
        assert pdf is not None
        queue.finish(job.id, name, pdf)
    except LeaseLost as exc:
        return outcome("lost", str(exc))
    except KeyboardInterrupt:  # asked twice to stop: give the job back rather than finish it
        try:
            queue.release(job.id, name)
        except (LeaseLost, KcityError):
            return outcome("lost", "stopped; the job will be queued again when its lease runs out")
        return outcome("released", "given back to the queue")
    except Exception as exc:  # a bug: the traceback goes to this worker's log, the person waiting gets a message
        log.exception("render job %s failed", job.id)
        return fail(f"render worker {name} failed unexpectedly: {type(exc).__name__}: {exc} (the worker's log has the details)")
    return outcome("rendered", f"{len(pdf) // 1024} KB, {job.language}, {job.edition}{', draft' if job.draft else ''}")
