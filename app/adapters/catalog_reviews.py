"""Stamp review dates into the catalog files: ``reviewed: {on: …, by: …}`` on modules (``modules/<id>.yaml``) and
sources (``sources.yaml``), written through the ruamel round trip so that nothing else in the files changes. A module's
older ``last_reviewed`` date is replaced by the stamp."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from app.adapters import catalog_yaml
from app.adapters.catalog_files import CatalogLoader
from app.core.models import Module
from app.errors import CatalogError, Problem


def _stamped(entry: dict[str, Any], on: dt.date, by: str) -> dict[str, Any]:
    new = {k: v for k, v in entry.items() if k != "last_reviewed"}
    new["reviewed"] = {"on": on, "by": by}
    return new


def stamp(root: Path, dates: Mapping[str, dt.date], by: str, only_missing: bool = False) -> list[str]:
    """Set the review of each module or source id in ``dates`` to that date and ``by``; the ids whose files changed.

    With ``only_missing``, entries that carry a ``reviewed`` stamp already are left alone. An id that is neither a
    module nor a source is a :class:`CatalogError`, and then nothing is written."""
    root = Path(root)
    sources_path = root / "sources.yaml"
    sources = {e["id"]: e for e in yaml.load(sources_path.read_text(encoding="utf-8"), Loader=CatalogLoader) or []
               if isinstance(e, dict) and "id" in e}
    unknown = [i for i in dates if i not in sources and not (root / "modules" / f"{i}.yaml").is_file()]
    if unknown:
        raise CatalogError([Problem(i, "", "no module or source with this id") for i in unknown])
    texts: dict[Path, str] = {}
    stamped: list[str] = []
    source_changes: dict[str, dict[str, Any]] = {}
    for ident, on in dates.items():
        path = root / "modules" / f"{ident}.yaml"
        if ident not in sources or path.is_file():
            text = path.read_text(encoding="utf-8")
            entry = yaml.load(text, Loader=CatalogLoader)
            if only_missing and entry.get("reviewed"):
                continue
            new = _stamped(entry, on, by)
            texts[path] = catalog_yaml.edit_document(text, {k: new[k] for k in Module.model_fields if k in new})
        else:
            if only_missing and sources[ident].get("reviewed"):
                continue
            source_changes[ident] = _stamped(sources[ident], on, by)
        stamped.append(ident)
    if source_changes:
        texts[sources_path] = catalog_yaml.edit_list(sources_path.read_text(encoding="utf-8"), "id", source_changes, [])
    for path, text in texts.items():
        tmp = path.with_name(f".{path.name}.kcity-review")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    return stamped
