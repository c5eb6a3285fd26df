"""Tables as Excel workbooks (openpyxl): one sheet, a bold frozen header, columns sized to their content, numbers kept
as numbers (so a reader can sort and sum them in Excel)."""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

MAX_WIDTH = 60
FORMULA_START = ("=", "+", "-", "@")  # a cell starting with these is read as a formula by spreadsheet software


def _cell(value: object) -> object:
    """Text that a spreadsheet would evaluate (``=HYPERLINK(...)`` typed into a catalog field) is kept as text."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def table_xlsx(title: str, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    """A workbook with one sheet named ``title`` holding ``columns`` and ``rows``."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has its first sheet
    sheet.title = title[:31]  # Excel's limit on sheet names
    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell(v) for v in row])
    sheet.freeze_panes = "A2"
    for i, name in enumerate(columns, start=1):
        longest = max([len(str(name)), *(len(str(r[i - 1])) for r in rows if r[i - 1] is not None)])
        sheet.column_dimensions[get_column_letter(i)].width = min(MAX_WIDTH, longest + 2)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
