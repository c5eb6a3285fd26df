"""Import a catalog workbook: rows → the entries the YAML files would hold → the same checks as ``kcity catalog validate``
→ YAML files edited in place, only when the whole catalog is valid.

The candidate catalog is written to a temporary copy and read by :func:`app.adapters.catalog_files.read_catalog`, so the
import applies exactly the loader's rules and cross-reference checks; each problem is then located in the workbook as
``catalog.xlsx: modules!C12 (cost.capex.min): message``. Nothing under the catalog folder changes until
:func:`apply_import`, which refuses when a file changed since the plan was made.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.adapters import catalog_yaml
from app.adapters.catalog_files import read_catalog
from app.adapters.catalog_workbook import SheetRows, entries, read_workbook
from app.core import catalog_table as table
from app.core.models import Catalog
from app.errors import CatalogError, Problem


@dataclass(frozen=True)
class FileChange:
    """One catalog file the import writes: added or edited, and which entries and fields changed."""

    path: str
    added: bool
    details: tuple[str, ...]

    def __str__(self) -> str:
        return f"{'added' if self.added else 'changed'} {self.path}" + "".join(f"\n    {d}" for d in self.details)


@dataclass
class ImportPlan:
    """What an import would write; :func:`apply_import` writes it."""

    root: Path
    texts: dict[str, str] = field(default_factory=dict)  # relative path → new content
    digests: dict[str, str | None] = field(default_factory=dict)  # relative path → sha256 of the file read (None: new)
    changes: list[FileChange] = field(default_factory=list)
    catalog: Catalog | None = None  # the catalog as the import would leave it
    warnings: list[Problem] = field(default_factory=list)  # not blocking: e.g. texts missing in a declared-complete language


@dataclass
class _Place:
    sheet: str
    row: int
    letters: dict[str, str]
    link_rows: list[int] = field(default_factory=list)


def _digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def _ordered(kind: table.Kind, data: dict[str, Any]) -> dict[str, Any]:
    return {name: data[name] for name in kind.model.model_fields if name in data}


def _links(sheet: SheetRows, name: str, modules: set[str], problems: list[Problem]) -> dict[str, list[tuple[int, dict[str, Any]]]]:
    out: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for number, cells in sheet.rows:
        module = table.parse(table.LINK_COLUMNS[0], cells.get("module"))
        values = {c.path: table.parse(c, cells.get(c.path)) for c in table.LINK_COLUMNS[1:]}
        if module not in modules:
            letter = sheet.letters.get("module", "A")
            problems.append(Problem(name, f"{table.LINKS_SHEET}!{letter}{number} (module)", f"unknown module {module!r} (not on the modules sheet)"))
            continue
        out.setdefault(str(module), []).append((number, {k: v for k, v in values.items() if v is not None}))
    return out


def _rows(kind: table.Kind, sheet: SheetRows, name: str, problems: list[Problem]) -> dict[str, tuple[dict[str, Any], _Place]]:
    out: dict[str, tuple[dict[str, Any], _Place]] = {}
    for number, cells in sheet.rows:
        data, bad = table.entry(kind, cells)
        for path, message in bad.items():
            problems.append(Problem(name, f"{kind.sheet}!{sheet.letters.get(path, '?')}{number} ({path})", message))
        key = data.get(kind.key)
        letter = sheet.letters.get(kind.key, "A")
        if not isinstance(key, str) or not key:
            problems.append(Problem(name, f"{kind.sheet}!{letter}{number} ({kind.key})", f"a row needs its {kind.key}"))
        elif key in out:
            problems.append(Problem(name, f"{kind.sheet}!{letter}{number} ({kind.key})", f"{kind.key} {key!r} is on row {out[key][1].row} too"))
        else:
            out[key] = (data, _Place(kind.sheet, number, sheet.letters))
    return out


def _column_for(field_path: str, letters: dict[str, str]) -> str | None:
    if field_path in letters:
        return field_path
    nested = [p for p in letters if p.startswith(field_path + ".")]
    if nested:
        return nested[0]
    inside = [p for p in letters if field_path.startswith(p + ".")]
    return max(inside, key=len) if inside else None


def _locate(problem: Problem, places: dict[str, _Place], name: str) -> Problem:
    match = re.match(r"^(.*?: entry \d+)", problem.where)
    place = places.get(match.group(1) if match else problem.where)
    if place is None:
        return problem
    parts = problem.field.split(".")
    if place.link_rows and parts[0] == "needs" and len(parts) > 1 and parts[1].isdigit() and int(parts[1]) < len(place.link_rows):
        rest = parts[2] if len(parts) > 2 else "need"
        return Problem(name, f"{table.LINKS_SHEET}!{'B' if rest == 'need' else 'C'}{place.link_rows[int(parts[1])]} ({problem.field})",
                       problem.message)
    column = _column_for(problem.field, place.letters) if problem.field else None
    cell = f"{place.sheet}!{place.letters[column]}{place.row}" if column else f"{place.sheet}!{place.row}:{place.row}"
    return Problem(name, f"{cell} ({problem.field})" if problem.field else cell, problem.message)


def plan_import(root: Path, data: bytes, name: str = "catalog.xlsx") -> ImportPlan:
    """What importing the workbook ``data`` into the catalog at ``root`` would write; :class:`CatalogError` with every
    problem (located by sheet, row and column) when the resulting catalog would not be valid."""
    root = Path(root)
    sheets = {k.sheet: table.kind_columns(k) for k in table.KINDS} | {table.LINKS_SHEET: list(table.LINK_COLUMNS)}
    read, problems = read_workbook(data, name, sheets)
    if problems:
        raise CatalogError(problems)
    plan = ImportPlan(root)
    places: dict[str, _Place] = {}
    by_kind = {k.sheet: _rows(k, read[k.sheet], name, problems) for k in table.KINDS}
    links = _links(read[table.LINKS_SHEET], name, set(by_kind["modules"]), problems)
    for module_id, (module, place) in by_kind["modules"].items():
        module["needs"] = [link for _, link in links.get(module_id, [])]
        place.link_rows = [number for number, _ in links.get(module_id, [])]
    for kind in table.KINDS:
        rows = by_kind[kind.sheet]
        old = {str(e.get(kind.key)): e for e in entries(root, kind)}
        for missing in [k for k in old if k not in rows]:
            problems.append(Problem(name, kind.sheet, f"no row for {kind.key} {missing!r}: the import does not delete entries; "
                                    "remove its YAML in git, or put the row back"))
        news = {k: _ordered(kind, v) for k, (v, _) in rows.items()}
        _plan_kind(plan, kind, old, news, rows, places)
    if problems:
        raise CatalogError(problems)
    plan.catalog, found = _check(root, plan)
    if found:
        raise CatalogError([_locate(p, places, name) for p in found])
    return plan


def _plan_kind(plan: ImportPlan, kind: table.Kind, old: dict[str, dict[str, Any]], news: dict[str, dict[str, Any]],
               rows: dict[str, tuple[dict[str, Any], _Place]], places: dict[str, _Place]) -> None:
    root = plan.root
    if kind.folder is not None:
        for key, new in news.items():
            rel = f"{kind.folder}/{key}.yaml"
            places[f"{root.name}/{rel}"] = rows[key][1]
            path = root / rel
            if key in old and path.exists():
                fields = table.changed_fields(old[key], new)
                if fields:
                    plan.texts[rel] = catalog_yaml.edit_document(path.read_text(encoding="utf-8"), new)
                    plan.digests[rel] = _digest(path)
                    plan.changes.append(FileChange(rel, False, (f"{key}: {', '.join(fields)}",)))
            else:
                plan.texts[rel] = catalog_yaml.new_document(new)
                plan.digests[rel] = _digest(path)
                plan.changes.append(FileChange(rel, True, (f"{key}: new {kind.sheet.rstrip('s')}",)))
        return
    rel = str(kind.file)
    order = [*old, *[k for k in news if k not in old]]
    for i, key in enumerate(order, start=1):
        if key in rows:
            places[f"{root.name}/{rel}: entry {i}"] = rows[key][1]
    edited = {k: v for k, v in news.items() if k in old and table.changed_fields(old[k], v)}
    added = [v for k, v in news.items() if k not in old]
    if edited or added:
        path = root / rel
        plan.texts[rel] = catalog_yaml.edit_list(path.read_text(encoding="utf-8"), kind.key, edited, added)
        plan.digests[rel] = _digest(path)
        details = [f"{k}: {', '.join(table.changed_fields(old[k], v))}" for k, v in edited.items()]
        details += [f"{v.get(kind.key)}: new entry" for v in added]
        plan.changes.append(FileChange(rel, False, tuple(details)))


def _check(root: Path, plan: ImportPlan) -> tuple[Catalog | None, list[Problem]]:
    """The loader's problems with the catalog as the plan would leave it (read from a temporary copy)."""
    with tempfile.TemporaryDirectory(prefix="kcity-import-") as tmp:
        copy = Path(tmp) / root.name
        shutil.copytree(root, copy, ignore=shutil.ignore_patterns("schema", "examples"))
        for rel, text in plan.texts.items():
            (copy / rel).write_text(text, encoding="utf-8")
        return read_catalog(copy)


def apply_import(plan: ImportPlan) -> list[Path]:
    """Write the planned files; :class:`CatalogError` (and nothing written) when one changed since the plan was made."""
    stale = [rel for rel, digest in plan.digests.items() if _digest(plan.root / rel) != digest]
    if stale:
        raise CatalogError([Problem(f"{plan.root.name}/{rel}", "", "changed since the workbook was checked; import it again")
                            for rel in stale])
    written = []
    for rel, text in plan.texts.items():
        path = plan.root / rel
        tmp = path.with_name(f".{path.name}.kcity-import")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
        written.append(path)
    return written
