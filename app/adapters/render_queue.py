"""Proposals queued in the team's database for render workers on any machine (``kcity render-worker``).

The wizard (with ``KCITY_RENDER_QUEUE=database``) writes a ``render_jobs`` row holding everything the render needs —
the engagement as JSON, language, edition, draft mark, date, the catalog's version and digest — and waits for it. A
worker *claims* the oldest queued job in one transaction: on PostgreSQL ``SELECT … FOR UPDATE SKIP LOCKED`` (two
workers never wait for, nor take, the same row), and everywhere a conditional ``UPDATE … WHERE state = 'queued'``
whose row count says whether this worker won (on SQLite, which has no row locks, that is what makes the claim atomic).

The worker holds the job until ``lease_until`` and extends the lease with every progress report. A worker that dies
stops extending it: once the lease has run out, the next claim (or the waiting wizard) puts the job back in the queue,
or fails it with a message after ``max_attempts`` tries. A worker whose lease was taken away cannot report or finish
the job any more (every write checks that the row is still its own). Results travel back as the PDF bytes or an
error message (plain text, never a pickled exception or a traceback), and the waiting side deletes the row once it
has read it; rows nobody came back for are purged by the workers a day later.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import delete, select, update
from sqlalchemy.engine import CursorResult, Engine
from sqlalchemy.orm import Session

from app.adapters.storage import transaction
from app.adapters.tables import RenderJobRow, _now
from app.errors import CatalogMismatch, RenderError, RenderQueueError

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
LEASE_S = 120.0  # a worker that has not reported for this long is taken to be dead
MAX_ATTEMPTS = 3  # a job whose workers died this many times fails instead of killing a fourth
WAIT_S = 120.0  # how long the wizard waits for some worker to take its job
POLL_S = 0.2
KEEP = dt.timedelta(days=1)  # finished jobs nobody came back for

# error kinds: what the waiting side raises for them
ERRORS: dict[str, type[RenderError]] = {"catalog": CatalogMismatch, "lease": RenderQueueError, "timeout": RenderQueueError}

Progress = Callable[[str, str], None]


@dataclass(frozen=True)
class ClaimedJob:
    """What a worker needs to render a job it has claimed."""

    id: int
    snapshot: dict[str, Any]
    language: str
    edition: str
    draft: bool
    charts: bool
    today: dt.date
    catalog_version: str
    catalog_digest: str
    attempts: int
    engagement_id: str | None


@dataclass(frozen=True)
class JobStatus:
    """Where a job is: its state, the stage and detail its worker last reported, and its result once finished."""

    id: int
    state: str
    stage: str
    detail: str
    worker: str | None
    attempts: int
    lease_until: dt.datetime | None
    error: str | None = None
    error_kind: str | None = None
    pdf: bytes | None = None


class LeaseLost(Exception):
    """This worker's lease on a job ran out and the job was given to another worker (or failed): stop rendering it."""


def _claimed(row: RenderJobRow) -> ClaimedJob:
    return ClaimedJob(row.id, row.snapshot, row.language, row.edition, row.draft, row.charts, row.today, row.catalog_version,
                      row.catalog_digest, row.attempts, row.engagement_id)


_STATUS_COLUMNS = (RenderJobRow.id, RenderJobRow.state, RenderJobRow.stage, RenderJobRow.detail, RenderJobRow.worker,
                   RenderJobRow.attempts, RenderJobRow.lease_until, RenderJobRow.error, RenderJobRow.error_kind)


class RenderQueue:
    """The ``render_jobs`` table of one database; each method is one transaction (safe to share between threads).

    ``clock`` gives the current time (naive UTC) and is a parameter so that tests can let a lease run out."""

    def __init__(self, engine: Engine, *, lease_s: float = LEASE_S, max_attempts: int = MAX_ATTEMPTS, wait_s: float = WAIT_S,
                 poll_s: float = POLL_S, clock: Callable[[], dt.datetime] = _now) -> None:
        self.engine, self.lease, self.max_attempts = engine, dt.timedelta(seconds=lease_s), max_attempts
        self.wait_s, self.poll_s, self.clock = wait_s, poll_s, clock

    @property
    def where(self) -> str:
        """The database, as messages name it (without its password)."""
        return self.engine.url.render_as_string(hide_password=True)

    def session(self) -> AbstractContextManager[Session]:
        return transaction(self.engine, f"the render queue in {self.where}")

    # ------------------------------------------------------------ the side that asks for proposals

    def enqueue(self, snapshot: dict[str, Any], language: str, edition: str, draft: bool, today: dt.date, catalog_version: str,
                catalog_digest: str, *, charts: bool = True, engagement_id: str | None = None, by: str = "") -> int:
        """Queue one render; its job id."""
        row = RenderJobRow(state=QUEUED, engagement_id=engagement_id, requested_by=by, snapshot=snapshot, language=language,
                           edition=edition, draft=draft, charts=charts, today=today, catalog_version=catalog_version,
                           catalog_digest=catalog_digest, attempts=0, stage="queued", detail="queued: waiting for a render worker",
                           created=self.clock())
        with self.session() as s:
            s.add(row)
            s.flush()
            return row.id

    def status(self, job_id: int) -> JobStatus:
        with self.session() as s:
            found = s.execute(select(*_STATUS_COLUMNS).where(RenderJobRow.id == job_id)).first()
        if found is None:
            raise RenderQueueError(f"render job {job_id} is no longer in the queue of {self.where}")
        return JobStatus(*found)

    def take(self, job_id: int) -> JobStatus:
        """A finished job's result (with its PDF), deleting its row; a job still queued or running is left alone."""
        with self.session() as s:
            row = s.get(RenderJobRow, job_id)
            if row is None:
                raise RenderQueueError(f"render job {job_id} is no longer in the queue of {self.where}")
            result = JobStatus(row.id, row.state, row.stage, row.detail, row.worker, row.attempts, row.lease_until, row.error,
                               row.error_kind, bytes(row.pdf) if row.pdf is not None else None)
            if row.state in (DONE, FAILED):
                s.delete(row)
            return result

    def cancel(self, job_id: int) -> bool:
        """Withdraw a job no worker has taken yet (True), or leave one that a worker already has (False)."""
        with self.session() as s:
            done = self._rows(s.execute(delete(RenderJobRow).where(RenderJobRow.id == job_id, RenderJobRow.state == QUEUED)))
        return done == 1

    def wait(self, job_id: int, progress: Progress | None = None) -> bytes:
        """The PDF of job ``job_id`` once a worker has rendered it; ``progress(stage, detail)`` hears each stage the worker
        reports (in this thread). Raises the job's error as a :class:`RenderError` (:class:`CatalogMismatch` when the
        worker has another catalog), or :class:`RenderQueueError` when no worker took the job within ``wait_s``."""
        heard: tuple[str, str] | None = None
        since = time.monotonic()  # when the job was last seen entering the queue
        while True:
            status = self.status(job_id)
            if (status.stage, status.detail) != heard:
                heard = (status.stage, status.detail)
                if progress is not None:
                    progress(status.stage, status.detail)
                if status.state == QUEUED and status.attempts:  # put back after its worker died: wait afresh
                    since = time.monotonic()
            if status.state in (DONE, FAILED):
                return self._result(self.take(job_id))
            if status.state == RUNNING and status.lease_until is not None and status.lease_until < self.clock():
                self.reap()  # its worker stopped answering: queue it again (or fail it) without waiting for another worker
            elif status.state == QUEUED and time.monotonic() - since >= self.wait_s:
                if self.cancel(job_id):
                    raise RenderQueueError(f"no render worker took the proposal within {self.wait_s:.0f} s (render queue of {self.where}): "
                                           "start one with `kcity render-worker` on a machine that reaches this database")
                continue  # a worker took it just now
            time.sleep(self.poll_s)

    @staticmethod
    def _result(status: JobStatus) -> bytes:
        if status.state == DONE and status.pdf is not None:
            return status.pdf
        raise ERRORS.get(status.error_kind or "", RenderError)(status.error or f"render job {status.id} failed without a message")

    # ------------------------------------------------------------ the workers' side

    def claim(self, worker: str) -> ClaimedJob | None:
        """Take the oldest queued job for ``worker`` (after re-queueing jobs whose lease ran out), or None."""
        self.reap()
        with self.session() as s:
            return self.claim_in(s, worker)

    def claim_in(self, s: Session, worker: str) -> ClaimedJob | None:
        """:meth:`claim` in the caller's transaction: on PostgreSQL the row stays locked until it ends."""
        now = self.clock()
        for _ in range(20):  # on SQLite another worker may win the row between the SELECT and the UPDATE: take the next
            job_id = s.scalar(select(RenderJobRow.id).where(RenderJobRow.state == QUEUED).order_by(RenderJobRow.id).limit(1)
                              .with_for_update(skip_locked=True))
            if job_id is None:
                return None
            won = s.execute(update(RenderJobRow).where(RenderJobRow.id == job_id, RenderJobRow.state == QUEUED).values(
                state=RUNNING, worker=worker, lease_until=now + self.lease, attempts=RenderJobRow.attempts + 1, stage="queued",
                detail=f"queued: taken by render worker {worker}").execution_options(synchronize_session=False))
            if self._rows(won) == 1:
                row = s.get(RenderJobRow, job_id, populate_existing=True)
                assert row is not None
                return _claimed(row)
        return None

    def report(self, job_id: int, worker: str, stage: str, detail: str) -> None:
        """Record the stage ``worker`` reached and extend its lease; :class:`LeaseLost` if the job is no longer its own."""
        self._own(job_id, worker, stage=stage, detail=detail, lease_until=self.clock() + self.lease)

    def finish(self, job_id: int, worker: str, pdf: bytes) -> None:
        self._own(job_id, worker, state=DONE, pdf=pdf, stage="done", detail=f"done: {len(pdf) // 1024} KB by {worker}",
                  lease_until=None, finished=self.clock())

    def fail(self, job_id: int, worker: str, message: str, kind: str = "render") -> None:
        self._own(job_id, worker, state=FAILED, error=message, error_kind=kind, stage="failed", detail=f"failed: {message}",
                  lease_until=None, finished=self.clock())

    def release(self, job_id: int, worker: str) -> None:
        """Give a job back to the queue untried (a worker stopping before it started rendering it)."""
        self._own(job_id, worker, state=QUEUED, worker=None, lease_until=None, attempts=RenderJobRow.attempts - 1,
                  stage="queued", detail=f"queued: render worker {worker} stopped and gave the job back")

    def _own(self, job_id: int, holder: str, **values: Any) -> None:
        with self.session() as s:
            changed = s.execute(update(RenderJobRow).where(RenderJobRow.id == job_id, RenderJobRow.worker == holder,
                                                           RenderJobRow.state == RUNNING).values(**values)
                                .execution_options(synchronize_session=False))
            if self._rows(changed) != 1:
                raise LeaseLost(f"render job {job_id} is no longer held by {holder}: its lease ran out")

    def reap(self) -> int:
        """Jobs whose worker's lease ran out: queued again, or failed after ``max_attempts``; how many."""
        now = self.clock()
        with self.session() as s:
            expired = list(s.scalars(select(RenderJobRow).where(RenderJobRow.state == RUNNING, RenderJobRow.lease_until < now)
                                     .with_for_update(skip_locked=True)))
            for row in expired:
                stopped = f"render worker {row.worker} stopped answering (its lease ran out)"
                if row.attempts >= self.max_attempts:
                    row.state, row.error_kind, row.finished, row.stage = FAILED, "lease", now, "failed"
                    row.error = (f"{stopped}; the proposal was tried {row.attempts} times and every worker that took it stopped: "
                                 "not tried again (see the render workers' logs)")
                    row.detail = f"failed: {row.error}"
                else:
                    row.state, row.stage = QUEUED, "queued"
                    row.detail = f"queued again: {stopped} (attempt {row.attempts} of {self.max_attempts})"
                row.worker, row.lease_until = None, None
            return len(expired)

    def purge(self, older_than: dt.timedelta = KEEP) -> int:
        """Delete finished jobs nobody came back for; how many."""
        with self.session() as s:
            return self._rows(s.execute(delete(RenderJobRow).where(RenderJobRow.state.in_((DONE, FAILED)),
                                                                   RenderJobRow.finished < self.clock() - older_than)))

    @staticmethod
    def _rows(result: Any) -> int:
        # a DML statement returns a CursorResult (which has rowcount); Session.execute is typed as returning a plain Result
        return int(cast("CursorResult[Any]", result).rowcount)
