"""The catalog as flat rows: columns from the models, cells and back, and what counts as unchanged."""

from __future__ import annotations

import datetime as dt

import pytest

from app.core import catalog_table as table
from app.core.models import Module, Source


def _column(model, path: str) -> table.Column:
    return next(c for c in table.columns(model) if c.path == path)


def test_nested_fields_become_dotted_columns_with_their_shape_and_allowed_codes():
    assert _column(Module, "cost.capex.min").shape == "number"
    assert _column(Module, "name.ko").shape == "text"
    assert _column(Module, "synergies").shape == "codes"
    assert _column(Module, "kpis").shape == "json"
    assert _column(Module, "reviewed.on").shape == "date"
    assert _column(Module, "cost.confidence").choices == ("high", "medium", "low")
    assert "needs" not in {c.path for c in table.kind_columns(table.KINDS[0])}  # module needs: their own sheet


def test_a_row_reads_back_into_the_entry_it_was_made_from():
    entry = {"id": "x", "synergies": ["a", "b"], "cost": {"capex": {"min": 1, "typical": 2.5, "max": 3}},
             "kpis": [{"name": {"en": "A", "ko": "가"}, "unit": "%", "direction": "up"}], "reviewed": {"on": dt.date(2026, 1, 2), "by": "Kim"}}
    kind = table.KINDS[0]
    cells = dict(zip([c.path for c in table.kind_columns(kind)], table.row(kind, entry), strict=True))
    assert cells["synergies"] == "a, b" and cells["reviewed.on"] == "2026-01-02"
    back, bad = table.entry(kind, cells)
    assert bad == {} and table.changed_fields(entry, back) == []


@pytest.mark.parametrize(("column", "cell", "value"), [
    (_column(Source, "date"), 2024, "2024"),  # a year typed into a text column stays text
    (_column(Module, "cost.capex.min"), 5.0, 5),
    (_column(Module, "synergies"), " a ,b, ", ["a", "b"]),
    (_column(Module, "synergies"), "", None),
    (_column(Module, "reviewed.on"), dt.datetime(2026, 3, 4), dt.date(2026, 3, 4)),
])
def test_cells_are_read_as_the_yaml_would_hold_them(column, cell, value):
    assert table.parse(column, cell) == value


def test_bad_json_in_a_cell_says_where_it_breaks():
    with pytest.raises(table.CellError, match="not valid JSON"):
        table.parse(_column(Module, "kpis"), "[{")


def test_empty_values_whole_floats_and_iso_dates_count_as_unchanged():
    assert table.same({"a": [], "b": None, "c": 2.0, "d": dt.date(2026, 1, 2)}, {"c": 2, "d": "2026-01-02"})
    assert not table.same({"c": 2}, {"c": 3})
