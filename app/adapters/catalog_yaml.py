"""Edit catalog YAML files in place (ruamel.yaml round trip): comments, key order and quoting of untouched values stay.

Only what changed is rewritten. An entry of a list file (``sources.yaml``, ``taxonomy/needs.yaml``) is edited as its own
block of lines, so the other entries keep every byte; a one-entry file (``modules/x.yaml``) is re-emitted with the
indentation and line width that reproduce it unchanged (found by trying the few styles the catalog uses).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, FoldedScalarString, LiteralScalarString, SingleQuotedScalarString

from app.adapters.catalog_files import CatalogLoader
from app.core.catalog_table import normal, same

_STYLES = [(2, 4, 2, w) for w in (120, 118, 4096, 80, 78)] + [(2, 2, 0, w) for w in (120, 4096, 80)]
FOLD_WIDTH = 110
_WIDEST = (2, 4, 2, 4096)
_QUOTED = (DoubleQuotedScalarString, SingleQuotedScalarString, FoldedScalarString, LiteralScalarString)


def _yaml(style: tuple[int, int, int, int]) -> YAML:
    mapping, sequence, offset, width = style
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = width
    y.indent(mapping=mapping, sequence=sequence, offset=offset)
    return y


def _dump(y: YAML, data: Any) -> str:
    out = io.StringIO()
    y.dump(data, out)
    return out.getvalue()


def _style_of(text: str) -> tuple[int, int, int, int]:
    """The first style whose round trip gives ``text`` back byte for byte; when none does (a long URL that ruamel
    would move to its own line), the widest, which re-wraps nothing."""
    for style in _STYLES:
        y = _yaml(style)
        try:
            if _dump(y, y.load(text)) == text:
                return style
        except YAMLError:
            break
    return _WIDEST


def folded(text: str, width: int = FOLD_WIDTH) -> str:
    """Long single-line text as a folded block (``>-``) broken at spaces before ``width`` characters, as the catalog
    writes descriptions; other text as it is."""
    if len(text) <= width or "\n" in text or "  " in text or text != text.strip():
        return text
    out = FoldedScalarString(text)
    out.fold_pos = _fold_positions(text, width)
    result: str = out
    return result


def _fold_positions(text: str, width: int) -> list[int]:
    positions, line_start, last_space = [], 0, -1
    for i, char in enumerate(text):
        if char == " ":
            if i - line_start > width and last_space > line_start:
                positions.append(last_space)
                line_start = last_space + 1
            last_space = i
    if len(text) - line_start > width and last_space > line_start:
        positions.append(last_space)
    return positions


def _restyled(old: Any, new: Any) -> Any:
    """``new`` written the way ``old`` was: quoted if it was quoted, folded if it was folded, a date if it was a date."""
    if isinstance(new, str) and isinstance(old, FoldedScalarString):
        return folded(new)
    if isinstance(new, str) and isinstance(old, LiteralScalarString):
        return LiteralScalarString(new)
    if isinstance(new, str) and isinstance(old, _QUOTED):
        return type(old)(new)
    if isinstance(old, dt.date) and isinstance(new, str):
        try:
            return dt.date.fromisoformat(new)
        except ValueError:
            return new
    if isinstance(old, str) and isinstance(new, dt.date):
        return type(old)(new.isoformat()) if isinstance(old, _QUOTED) else new.isoformat()
    return new


def _flow_like(old: Any, new: Any) -> Any:
    """A new list or mapping written in flow style (``[a, b]``) when the value it replaces was."""
    if isinstance(new, dict):
        out: Any = CommentedMap(new)
    elif isinstance(new, list):
        out = CommentedSeq(new)
    else:
        return new
    if isinstance(old, (CommentedMap, CommentedSeq)) and old.fa.flow_style():
        out.fa.set_flow_style()
    return out


def update(target: CommentedMap, new: dict[str, Any]) -> None:
    """Make ``target`` hold ``new``: changed values replaced in place, absent keys removed, new keys in ``new``'s order."""
    for key in [k for k in target if k not in new and normal(target[k]) is not None]:  # an explicit ``[]`` stays
        del target[key]
    order = list(new)
    for key, value in new.items():
        old = target.get(key)
        if key in target and same(old, value):
            continue
        if isinstance(old, CommentedMap) and isinstance(value, dict):
            update(old, value)
        elif (isinstance(old, CommentedSeq) and isinstance(value, list) and len(old) == len(value)
              and all(isinstance(o, CommentedMap) and isinstance(v, dict) for o, v in zip(old, value, strict=True))):
            for o, v in zip(old, value, strict=True):
                update(o, v)
        elif key in target:
            target[key] = _restyled(old, value) if not isinstance(value, (dict, list)) else _flow_like(old, value)
        else:
            before = [k for k in order[: order.index(key)] if k in target]
            position = list(target).index(before[-1]) + 1 if before else 0
            target.insert(position, key, value)


_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]*):(?: |$)")


def _chunks(text: str) -> list[tuple[str | None, str]] | None:
    """The top-level keys of a mapping's YAML, each with its lines (comments and blank lines stay with the key before
    them; ``None`` for lines before the first key); ``None`` when a line at column 0 is not a plain key."""
    out: list[tuple[str | None, list[str]]] = [(None, [])]
    for line in text.splitlines(keepends=True):
        if line.strip() and not line.startswith((" ", "\t", "#", "- ")) and line.rstrip() != "-":  # "- ": a list at column 0
            match = _KEY.match(line)
            if match is None:
                return None
            out.append((match.group(1), []))
        out[-1][1].append(line)
    return [(key, "".join(lines)) for key, lines in out]


def _rewritten(chunk: str, key: str, value: Any) -> str:
    y = _yaml(_style_of(chunk))
    data = y.load(chunk)
    update(data, {key: value})
    return _dump(y, data)


def edit_document(text: str, new: dict[str, Any]) -> str:
    """``text`` (one entry) updated to ``new``; unchanged text when nothing differs.

    Each top-level key is its own block of lines: a key whose value did not change keeps its bytes, a changed one is
    re-emitted by ruamel (comments inside it kept), a new one is inserted where ``new`` orders it."""
    old = yaml.load(text, Loader=CatalogLoader)
    if same(old, new):
        return text
    chunks = _chunks(text)
    if chunks is None or not isinstance(old, dict):
        y = _yaml(_style_of(text))
        data = y.load(text)
        update(data, new)
        return _dump(y, data)
    out: dict[str | None, str] = {}
    for key, chunk in chunks:
        if key is None:
            out[key] = chunk
        elif key in new:
            out[key] = chunk if same(old.get(key), new[key]) else _rewritten(chunk, key, new[key])
        elif normal(old.get(key)) is None:
            out[key] = chunk  # an explicit empty value (``provides: []``) stays
    order = list(new)
    for key in [k for k in new if k not in out]:
        before = [k for k in order[: order.index(key)] if k in out]
        keys = list(out)
        position = keys.index(before[-1]) + 1 if before else 1
        item = new_document({key: new[key]})
        out = dict([*((k, out[k]) for k in keys[:position]), (key, item), *((k, out[k]) for k in keys[position:])])
    result = "".join(out.values())
    return result if result.endswith("\n") or not result else result + "\n"


def _folding(value: Any) -> Any:
    if isinstance(value, str):
        return folded(value)
    if isinstance(value, dict):
        return {k: _folding(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_folding(v) for v in value]
    return value


def new_document(data: dict[str, Any]) -> str:
    """A new entry's YAML: block style, long texts folded (``>-``) so that no line ends in a space."""
    return _dump(_yaml(_WIDEST), _folding(data))


def _blocks(lines: list[str]) -> Iterator[tuple[int, int]]:
    """The line span of each top-level ``- `` entry, without the blank lines and comments after it."""
    starts = [i for i, line in enumerate(lines) if line.startswith("- ") or line.rstrip("\n") == "-"]
    for n, start in enumerate(starts):
        stop = next((j for j in range(start + 1, starts[n + 1] if n + 1 < len(starts) else len(lines))
                     if lines[j].strip() and not lines[j].startswith((" ", "\t"))), starts[n + 1] if n + 1 < len(starts) else len(lines))
        while stop > start + 1 and not lines[stop - 1].strip():
            stop -= 1
        yield start, stop


def _entry_text(mapping_text: str) -> str:
    """A mapping's YAML turned into one list entry (``- `` on its first line, two spaces on the others)."""
    lines = mapping_text.splitlines(keepends=True)
    return "".join(("- " if i == 0 else "  " if line.strip() else "") + line for i, line in enumerate(lines))


def _mapping_text(block: str) -> str:
    lines = block.splitlines(keepends=True)
    return "".join(line[2:] if line.startswith(("- ", "  ")) else line.lstrip(" -") for line in lines)


def edit_list(text: str, key: str, changes: dict[str, dict[str, Any]], added: list[dict[str, Any]]) -> str:
    """A list file with the entries keyed in ``changes`` replaced by their new values and ``added`` appended.

    Each changed entry is re-emitted on its own; the other lines are kept as they are."""
    lines = text.splitlines(keepends=True)
    entries = yaml.load(text, Loader=CatalogLoader) or []
    blocks = list(_blocks(lines))
    if len(blocks) != len(entries):  # not one ``- `` line per entry: edit the whole document instead
        y = _yaml(_style_of(text))
        data = y.load(text)
        for item in data:
            if isinstance(item, CommentedMap) and item.get(key) in changes:
                update(item, changes[item[key]])
        data.extend(added)
        return _dump(y, data)
    out: list[str] = []
    last = 0
    for (start, stop), item in zip(blocks, entries, strict=True):
        ident = item.get(key) if isinstance(item, dict) else None
        if ident in changes:
            mapping = _mapping_text("".join(lines[start:stop]))
            out += lines[last:start]
            out.append(_entry_text(edit_document(mapping, changes[ident])))
            last = stop
    out += lines[last:]
    result = "".join(out)
    if added:
        if result and not result.endswith("\n"):
            result += "\n"
        result += "".join(_entry_text(new_document(item)) for item in added)
    return result
