"""The catalog as flat tables: which columns each kind of entry has, and how an entry becomes a row and back.

Pure: no workbook or file I/O (the openpyxl side is :mod:`app.adapters.catalog_workbook`). Columns follow the models'
field order. A nested model field becomes dotted columns (``cost.capex.min``, ``name.ko``); a list of codes is one cell
of comma-separated codes (``synergies``); any other list or mapping (KPIs, references, signals) is one cell of JSON,
because it has no natural flat shape. A module's need links get their own table (``module_needs``, one row per link)
so that the need codes can carry a drop-down list in Excel.

Values keep the types the YAML files hold, so that comparing a row with its file tells exactly what was edited:
:func:`same` treats ``1`` and ``1.0``, a date and its ISO text, and an empty cell and an absent key as equal.
"""

from __future__ import annotations

import datetime as dt
import json
import types
import typing
from dataclasses import dataclass
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from app.core.models import FinancingChannel, Module, Need, Package, Source

Shape = Literal["text", "number", "bool", "date", "code", "codes", "json"]


@dataclass(frozen=True)
class Column:
    """One column: its dotted field path, how its cell is written, and the allowed codes when the model fixes them."""

    path: str
    shape: Shape
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Kind:
    """One kind of catalog entry as a table: its sheet, key field, model and file layout."""

    sheet: str
    key: str
    model: type[BaseModel]
    folder: str | None = None  # one file per entry under this folder, else every entry in ``file``
    file: str | None = None
    split: tuple[str, ...] = ()  # fields kept out of the main table (module needs: their own table)


KINDS: tuple[Kind, ...] = (
    Kind("modules", "id", Module, folder="modules", split=("needs",)),
    Kind("needs", "code", Need, file="taxonomy/needs.yaml"),
    Kind("packages", "id", Package, folder="packages"),
    Kind("financing", "id", FinancingChannel, folder="financing"),
    Kind("sources", "id", Source, file="sources.yaml"),
)
LINKS_SHEET = "module_needs"
LINK_COLUMNS = (Column("module", "code"), Column("need", "code"), Column("relevance", "number", ("1", "2", "3")))


def _unwrap(annotation: Any) -> Any:
    """``X | None`` → ``X``; ``Annotated[X, ...]`` → ``X``."""
    while True:
        origin = get_origin(annotation)
        if origin is typing.Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def _is_code(annotation: Any) -> bool:
    """A literal, or a string constrained by a pattern (ids, need codes, source ids): it never holds a comma."""
    if get_origin(_unwrap(annotation)) is Literal:
        return True
    if get_origin(annotation) is typing.Annotated:
        return any("pattern" in repr(meta) for meta in get_args(annotation)[1:])
    return False


def _leaf(annotation: Any) -> tuple[Shape, tuple[str, ...]]:
    inner = _unwrap(annotation)
    if get_origin(inner) is Literal:
        return "code", tuple(str(a) for a in get_args(inner))
    if get_origin(inner) is list:
        item = get_args(inner)[0]
        if _is_code(item):
            lit = _unwrap(item)
            return "codes", tuple(str(a) for a in get_args(lit)) if get_origin(lit) is Literal else ()
        return "json", ()
    if get_origin(inner) is dict:
        return "json", ()
    if inner is bool:
        return "bool", ()
    if inner in (int, float):
        return "number", ()
    if inner is dt.date:
        return "date", ()
    return "text", ()


def columns(model: type[BaseModel], skip: tuple[str, ...] = (), prefix: str = "") -> list[Column]:
    """The columns of ``model`` in field order, nested models flattened to dotted paths."""
    out: list[Column] = []
    for name, field in model.model_fields.items():
        if name in skip:
            continue
        inner = _unwrap(field.annotation)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            out += columns(inner, (), f"{prefix}{name}.")
        else:
            shape, choices = _leaf(field.annotation)
            out.append(Column(prefix + name, shape, choices))
    return out


def kind_columns(kind: Kind) -> list[Column]:
    return columns(kind.model, kind.split)


# ---------------------------------------------------------------- entry → row


def lookup(data: Any, path: str) -> Any:
    """The value at a dotted ``path`` of nested mappings, or ``None``."""
    for part in path.split("."):
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def cell(column: Column, value: Any) -> Any:
    """What a cell shows for a value from a YAML file (``None`` for an empty cell)."""
    if value is None or value == [] or value == {}:
        return None
    if column.shape == "codes" and isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ", ".join(value)
    if column.shape in ("codes", "json") or isinstance(value, (list, dict)):
        return json.dumps(_plain(value), ensure_ascii=False)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def row(kind: Kind, entry: dict[str, Any]) -> list[Any]:
    return [cell(c, lookup(entry, c.path)) for c in kind_columns(kind)]


def link_rows(entry: dict[str, Any]) -> list[list[Any]]:
    """The need links of one module as rows of the ``module_needs`` table."""
    links = entry.get("needs") or []
    return [[entry.get("id"), link.get("need"), link.get("relevance")] if isinstance(link, dict) else [entry.get("id"), None, None]
            for link in links]


# ---------------------------------------------------------------- row → entry


class CellError(ValueError):
    """A cell that cannot be read as its column's shape."""


def parse(column: Column, value: Any) -> Any:
    """The YAML value for a cell, or ``None`` for an empty one; :class:`CellError` when it cannot be read."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        value = value.date() if column.shape == "date" or value.time() == dt.time() else value.isoformat()
    if column.shape == "codes" and isinstance(value, str) and not value.lstrip().startswith("["):
        return [part.strip() for part in value.split(",") if part.strip()]
    if column.shape in ("codes", "json"):
        if not isinstance(value, str):
            raise CellError("expected JSON text, e.g. [] or [{...}]")
        try:
            return json.loads(value)
        except json.JSONDecodeError as exc:
            raise CellError(f"not valid JSON ({exc.msg} at character {exc.pos + 1})") from None
    if column.shape in ("text", "code") and isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(int(value)) if float(value).is_integer() else str(value)
    if column.shape == "number" and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def put(data: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    for part in parts[:-1]:
        data = data.setdefault(part, {})
    data[parts[-1]] = value


def entry(kind: Kind, cells: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The entry a row describes (keys in model order, empty cells left out) and the columns it could not read."""
    data: dict[str, Any] = {}
    bad: dict[str, str] = {}
    for column in kind_columns(kind):
        try:
            value = parse(column, cells.get(column.path))
        except CellError as exc:
            bad[column.path] = str(exc)
            continue
        if value is not None:
            put(data, column.path, value)
    return data, bad


# ---------------------------------------------------------------- comparing


def normal(value: Any) -> Any:
    """A comparable form: empties are ``None``, whole floats are ints, dates are ISO text, mappings are plain dicts."""
    if value is None or value == "" or value == [] or value == {}:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dt.date):
        return value.isoformat()[:10]
    if isinstance(value, dict):
        items = {str(k): normal(v) for k, v in value.items()}
        return {k: v for k, v in items.items() if v is not None} or None
    if isinstance(value, list):
        return [normal(v) for v in value]
    return value


def same(a: Any, b: Any) -> bool:
    return bool(normal(a) == normal(b))


def changed_fields(old: dict[str, Any], new: dict[str, Any], prefix: str = "") -> list[str]:
    """The dotted paths whose values differ between two entries (nested mappings compared field by field)."""
    out: list[str] = []
    for key in list(dict.fromkeys([*old, *new])):
        a, b = old.get(key), new.get(key)
        if isinstance(a, dict) and isinstance(b, dict):
            out += changed_fields(a, b, f"{prefix}{key}.")
        elif not same(a, b):
            out.append(f"{prefix}{key}")
    return out
