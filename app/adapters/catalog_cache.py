"""The validated catalog kept on disk, keyed by the digest of every catalog file, so that a start is fast.

A cache entry is JSON written by the models themselves and read back through the same validation
(``Catalog.model_validate_json``), behind a SHA-256 of its payload: a damaged, truncated or foreign file is
rebuilt, never trusted. The key covers every file under the catalog folder (any edit invalidates it) and the code
that turns files into a catalog (models, checks, loader), so a release that changes them never reads an old entry.
Nothing is cached for an invalid catalog; a cache folder that cannot be written only makes loading slower.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from pydantic import ValidationError

from app.adapters import catalog_files
from app.core import catalog_checks, models
from app.core.models import Catalog

MAGIC = b"kcity-catalog-cache 1\n"
_CODE = (models.__file__, catalog_checks.__file__, catalog_files.__file__)


def catalog_key(root: Path) -> str:
    """SHA-256 over every file under ``root`` (path and bytes) and over the loader's own code."""
    digest = hashlib.sha256()
    for code in _CODE:
        digest.update(Path(code).read_bytes())
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _read(entry: Path) -> Catalog | None:
    try:
        blob = entry.read_bytes()
    except OSError:
        return None
    head, _, rest = blob.partition(b"\n")
    checksum, _, payload = rest.partition(b"\n")
    if head + b"\n" != MAGIC or hashlib.sha256(payload).hexdigest().encode() != checksum:
        return None
    try:
        return Catalog.model_validate_json(payload)
    except ValidationError:
        return None


def _write(entry: Path, catalog: Catalog) -> None:
    payload = catalog.model_dump_json().encode()
    blob = MAGIC + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(blob)
        os.replace(tmp, entry)
    except OSError:
        pass  # a read-only or full cache folder: the next start parses the files again


def load_catalog(root: Path, cache_dir: Path | None) -> Catalog:
    """The validated catalog under ``root``, from ``cache_dir`` when an entry for its exact files is there."""
    root = Path(root)
    if cache_dir is None or not root.is_dir():
        return catalog_files.load_catalog(root)
    try:
        key = catalog_key(root)
    except OSError:
        return catalog_files.load_catalog(root)  # the loader names the unreadable file
    entry = Path(cache_dir) / f"catalog-{key}.json"
    cached = _read(entry)
    if cached is not None:
        return cached
    catalog = catalog_files.load_catalog(root)
    _write(entry, catalog)
    return catalog
