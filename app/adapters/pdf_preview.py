"""Pictures of a PDF's first pages (PNG), drawn by poppler's ``pdftoppm`` (Debian's poppler-utils, a project package)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from app.errors import RenderError


def first_pages_png(pdf: bytes, pages: int = 2, width: int = 600) -> list[bytes]:
    """The first ``pages`` pages of ``pdf`` as PNG images ``width`` pixels wide, in page order."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        raise RenderError("pdftoppm (poppler-utils) is not installed: the preview needs it")
    with tempfile.TemporaryDirectory(prefix="kcity-preview-") as folder:
        source = Path(folder) / "proposal.pdf"
        source.write_bytes(pdf)
        done = subprocess.run([tool, "-png", "-f", "1", "-l", str(pages), "-scale-to-x", str(width), "-scale-to-y", "-1",
                               str(source), str(Path(folder) / "page")], capture_output=True, timeout=60, check=False)
        if done.returncode != 0:
            raise RenderError(f"the preview could not be drawn: {done.stderr.decode(errors='replace').strip()[:200]}")
        return [p.read_bytes() for p in sorted(Path(folder).glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))]
