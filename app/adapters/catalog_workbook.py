"""The catalog as an Excel workbook (openpyxl): one sheet per kind of entry, read back into the dicts the YAML holds.

Sheets: ``modules``, ``module_needs`` (one row per need a module answers), ``needs``, ``packages``, ``financing``,
``sources``, and a hidden ``lists`` sheet holding the codes that the drop-down lists (data validation) offer. Row 1 names
each column by its dotted field (see :mod:`app.core.catalog_table`); every value is the one in the YAML files, and text
that a spreadsheet would take for a formula (``=…``, ``+…``, ``-…``, ``@…``) is stored as text.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from app.adapters.catalog_files import CatalogLoader
from app.core import catalog_table as table
from app.errors import Problem

LISTS_SHEET = "lists"
WIDTH = 40
HEADER_FILL = PatternFill("solid", start_color="DDE4EE")
PARTNER_LANGUAGES = ("vi", "id", "es")


def _load(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=CatalogLoader)


def entries(root: Path, kind: table.Kind) -> list[dict[str, Any]]:
    """The entries of one kind as the YAML files hold them (files that do not parse to a mapping are left out)."""
    paths = sorted((root / kind.folder).glob("*.y*ml")) if kind.folder is not None else []
    found = [_load(p) for p in paths] if kind.folder is not None else _load(root / str(kind.file)) or []
    return [e for e in found if isinstance(e, dict)]


def _codes(root: Path, all_entries: dict[str, list[dict[str, Any]]]) -> dict[str, list[str]]:
    """The drop-down lists: fixed vocabularies from the models, and the codes the catalog itself defines."""
    domains = _load(root / "taxonomy/domains.yaml") or []
    rates = (root / "rates/exchange_rates.csv").read_text(encoding="utf-8").splitlines()[1:] if (root / "rates/exchange_rates.csv").exists() else []
    return {
        "domain": [str(d.get("code")) for d in domains if isinstance(d, dict)],
        "need": [str(n.get("code")) for n in all_entries["needs"]],
        "module": [str(m.get("id")) for m in all_entries["modules"]],
        "currency": sorted({line.split(",")[0] for line in rates if line}),
        "source": [str(s.get("id")) for s in all_entries["sources"]],
    }


def _list_of(column: table.Column) -> str | None:
    """Which catalog-defined list a column takes its value from, if any."""
    leaf = column.path.rsplit(".", 1)[-1]
    if leaf in ("domain", "need", "module", "currency"):
        return leaf
    return None


def _write_cell(sheet: Worksheet, row: int, col: int, value: Any) -> None:
    c = sheet.cell(row=row, column=col, value=value)
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@")):
        c.data_type = "s"  # text, not a formula


def _shown(text: str) -> int:
    """How many character widths a text takes: Korean and other wide characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _width(header: str, values: list[Any], key: bool = False) -> float:
    """Wide enough for the header and for most values, every one in the key column (long texts stop at ``WIDTH``)."""
    lengths = sorted(_shown(str(v)) for v in values if v is not None and str(v) != "")
    common = (lengths[-1] if key else lengths[max(0, int(len(lengths) * 0.9) - 1)]) if lengths else 0  # one long text does not decide
    return min(WIDTH, max(12, len(header) + 2, common + 2))


def _note(column: table.Column) -> str | None:
    """A header comment where the column's content is not obvious from its name."""
    lang = column.path.rsplit(".", 1)[-1]
    if lang in PARTNER_LANGUAGES and column.path.count("."):
        return (f"Usually blank: the {lang} text comes from templates/locales/{lang}/LC_MESSAGES/catalog.po (machine-assisted). "
                "A text typed here replaces it and counts as reviewed.")
    if column.choices or _list_of(column):
        return "Choose from the drop-down list (the codes are on the hidden 'lists' sheet)."
    if column.path.endswith("source_ids"):
        return "Source ids from the sources sheet, separated by commas."
    return None


def _fill(sheet: Worksheet, columns: list[table.Column], rows: list[list[Any]]) -> None:
    for i, column in enumerate(columns, start=1):
        head = sheet.cell(row=1, column=i, value=column.path)
        head.font = Font(bold=True)
        head.fill = HEADER_FILL
        note = _note(column)
        if note:
            head.comment = Comment(note, "kcity catalog export", width=300, height=90)
        sheet.column_dimensions[get_column_letter(i)].width = _width(column.path, [values[i - 1] for values in rows], key=i == 1)
    for r, values in enumerate(rows, start=2):
        for i, value in enumerate(values, start=1):
            _write_cell(sheet, r, i, value)
    for cells in sheet.iter_rows(min_row=2):
        for c in cells:
            c.alignment = Alignment(vertical="top")
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(1, len(rows) + 1)}"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"


def _validations(sheet: Worksheet, columns: list[table.Column], lists: dict[str, tuple[int, int]]) -> None:
    """A drop-down list on every column with one code per cell (the ranges live on the hidden ``lists`` sheet)."""
    for i, column in enumerate(columns, start=1):
        key = _list_of(column) or (column.path if column.shape == "code" and column.choices else None)
        if key is None or key not in lists:
            continue
        col, length = lists[key]
        letter = get_column_letter(col)
        dv = DataValidation(type="list", formula1=f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${length + 1}", allow_blank=True,
                            showErrorMessage=True, errorTitle="Unknown code", error="Choose a value from the list.",
                            showInputMessage=True, promptTitle=column.path, prompt="Choose a code from the list.")
        dv.add(f"{get_column_letter(i)}2:{get_column_letter(i)}5000")
        sheet.add_data_validation(dv)


def export_workbook(root: Path) -> bytes:
    """The workbook of every module, need, package, financing channel and source under ``root``."""
    all_entries = {kind.sheet: entries(root, kind) for kind in table.KINDS}
    book = Workbook()
    first = book.active
    assert first is not None  # a new workbook has one sheet
    book.remove(first)
    lists_sheet = book.create_sheet(LISTS_SHEET)
    named = _codes(root, all_entries)
    for kind in table.KINDS:
        for column in table.kind_columns(kind):
            if column.shape == "code" and column.choices:
                named.setdefault(column.path, list(column.choices))
    named["relevance"] = ["1", "2", "3"]
    lists: dict[str, tuple[int, int]] = {}
    for col, (name, values) in enumerate(named.items(), start=1):
        lists_sheet.cell(row=1, column=col, value=name).font = Font(bold=True)
        for r, value in enumerate(values, start=2):
            _write_cell(lists_sheet, r, col, value)
        lists[name] = (col, len(values))
    lists_sheet.sheet_state = "hidden"
    for kind in table.KINDS:
        sheet = book.create_sheet(kind.sheet)
        columns = table.kind_columns(kind)
        _fill(sheet, columns, [table.row(kind, e) for e in all_entries[kind.sheet]])
        _validations(sheet, columns, lists)
        if kind.sheet == "modules":
            links = book.create_sheet(table.LINKS_SHEET)
            _fill(links, list(table.LINK_COLUMNS), [r for e in all_entries["modules"] for r in table.link_rows(e)])
            _validations(links, list(table.LINK_COLUMNS), lists)
    book.move_sheet(LISTS_SHEET, offset=len(book.sheetnames) - 1)
    book.active = 0
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- reading


@dataclass
class SheetRows:
    """The rows of one sheet: each row's number and its cells by column path, and where each column is."""

    letters: dict[str, str] = field(default_factory=dict)  # column path → letter
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


def read_workbook(data: bytes, name: str, sheets: dict[str, list[table.Column]]) -> tuple[dict[str, SheetRows], list[Problem]]:
    """The non-empty rows of each expected sheet, and a problem for a missing sheet or an unknown column."""
    problems: list[Problem] = []
    try:
        book = load_workbook(io.BytesIO(data), read_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        return {}, [Problem(name, "", f"not an Excel workbook (.xlsx): {exc}")]
    out: dict[str, SheetRows] = {}
    for sheet_name, columns in sheets.items():
        if sheet_name not in book.sheetnames:
            problems.append(Problem(name, sheet_name, "sheet is missing"))
            continue
        sheet = book[sheet_name]
        known = {c.path for c in columns}
        rows = sheet.iter_rows()
        header = [c.value for c in next(rows, ())]
        result = SheetRows()
        paths: list[str | None] = []
        for i, head in enumerate(header, start=1):
            path = str(head).strip() if head is not None else None
            if path and path not in known:
                problems.append(Problem(name, f"{sheet_name}!{get_column_letter(i)}1", f"unknown column {path!r}"))
                path = None
            paths.append(path)
            if path:
                result.letters[path] = get_column_letter(i)
        for number, row in enumerate(rows, start=2):
            values = []
            for i, c in enumerate(row):
                if c.data_type == "f" and i < len(paths) and paths[i]:
                    problems.append(Problem(name, f"{sheet_name}!{get_column_letter(i + 1)}{number} ({paths[i]})",
                                            "a formula; type the value itself"))
                values.append(None if c.data_type == "f" else c.value)
            cells = {p: v for p, v in zip(paths, values, strict=False) if p is not None}
            if any(v is not None and str(v).strip() for v in cells.values()):
                result.rows.append((number, cells))
        out[sheet_name] = result
    book.close()
    return out, problems
