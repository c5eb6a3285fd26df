"""``python -m app.web.serve [streamlit options]``: start the wizard with what its first page needs already loaded.

``streamlit run`` imports the app's modules (Streamlit's widgets, SQLAlchemy, Plotly…) and parses the catalog on
the first visit, and starts the chart exporter's browser while that visit renders, so the first page took several
seconds. This launcher does that work first — imports, the validated catalog into its on-disk cache, the chart
browser — and only then starts Streamlit's server in the same process, so the first visit finds everything warm.
Options are passed to ``streamlit run`` unchanged (``make run`` gives the address and port).
"""

from __future__ import annotations

import contextlib
import logging
import sys
import time
from pathlib import Path

ENTRY = Path(__file__).with_name("streamlit_app.py")
log = logging.getLogger("kcity.serve")


def warm() -> float:
    """Import and load what the first page uses; the seconds it took. Problems are left for the page to show."""
    started = time.perf_counter()
    from app import services
    from app.errors import KcityError
    from app.settings import Settings
    from app.web import cached, figures, state, ui  # noqa: F401  (imported for their side effect: sys.modules)

    settings = Settings.from_env()
    with contextlib.suppress(KcityError):  # the page reports the catalog's problems where the consultant sees them
        services.load_catalog(settings.catalog_dir, settings.cache_dir)
    if settings.render_queue == "database":  # render workers on other machines (kcity render-worker) take the proposals
        return time.perf_counter() - started
    pool = services.shared_render_pool(settings.catalog_dir, settings.cache_dir, settings.render_workers)
    if pool is not None:  # proposals render in worker processes, each with its chart browser: start them now
        pool.start()
    else:
        from app.adapters import charts

        charts.shared_exporter().start()
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> None:
    seconds = warm()
    print(f"kcity: warmed up in {seconds:.1f} s; starting the wizard", file=sys.stderr, flush=True)
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(ENTRY), *(sys.argv[1:] if argv is None else argv)]
    cli.main()


if __name__ == "__main__":
    main()
