"""``kcity render-worker``: render the proposals a team's wizard queues in the database, on this machine.

The wizard queues proposals when it runs with ``KCITY_RENDER_QUEUE=database``; any number of workers, on any machines
that reach the database and have the same catalog, take them one at a time. The first SIGTERM or Ctrl-C lets the
worker finish the proposal in hand and exit; a second one gives the proposal back to the queue and exits at once.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import threading
from pathlib import Path
from typing import Annotated, Any

import typer


def render_worker(
    database_url: Annotated[str | None, typer.Option("--database-url", help="The team's database (default: KCITY_DATABASE_URL).",
                                                     show_default=False)] = None,
    catalog: Annotated[Path | None, typer.Option("--catalog", help="Catalog folder: the same catalog as the wizard's (default: "
                                                 "KCITY_CATALOG_DIR or the bundled catalog/).", show_default=False)] = None,
    name: Annotated[str | None, typer.Option("--name", help="How the queue and the logs name this worker (default: host:pid).",
                                             show_default=False)] = None,
    once: Annotated[bool, typer.Option("--once", help="Render one proposal (waiting for it), then exit.")] = False,
    charts: Annotated[bool, typer.Option("--charts/--no-charts", help="Draw charts with a headless Chromium, or tables only.")] = True,
    poll: Annotated[float, typer.Option("--poll", help="Seconds between looks at an empty queue.", min=0.05)] = 0.5,
    lease: Annotated[float, typer.Option("--lease", help="Seconds without a progress report after which another worker may "
                                         "take this worker's proposal.", min=5.0)] = 120.0,
) -> None:
    """Render proposals queued in the database (wizard with KCITY_RENDER_QUEUE=database) until SIGTERM or Ctrl-C."""
    from app import services, services_queue
    from app.settings import Settings

    settings = Settings.from_env()
    repo = services.open_repository(database_url or settings.database_url)
    queue = services_queue.render_queue(repo, lease_s=lease, poll_s=poll)
    stopping = threading.Event()

    def on_signal(signum: int, _frame: Any) -> None:
        if stopping.is_set():
            raise KeyboardInterrupt  # the second time: give the proposal in hand back and exit now
        stopping.set()
        typer.echo(f"render worker: {signal.Signals(signum).name}: stopping after the proposal in hand (again to give it back now)", err=True)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    with contextlib.suppress(KeyboardInterrupt):  # asked twice between proposals: nothing to give back
        services_queue.serve_render_jobs(queue, catalog or settings.catalog_dir, settings.cache_dir,
                                         name=name or f"{socket.gethostname()}:{os.getpid()}", once=once, charts=charts,
                                         stop=stopping.is_set, say=typer.echo, idle_s=poll)
    typer.echo("render worker stopped")
