"""Field-level differences between two versions of an engagement, for the audit log.

A difference names the dotted field (``scope.quantities.its-atms``, ``needs[2].severity``), the value before and
the value after (``None`` for a field that did not exist). Lists of equal length are compared item by item; a list
that grew or shrank is one difference with both lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Change:
    field: str
    before: Any
    after: Any

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "before": self.before, "after": self.after}


def diff(before: Any, after: Any, path: str = "") -> list[Change]:
    """Every leaf that differs between ``before`` and ``after`` (JSON-like values), in a stable order; a missing
    object (``None``) compares as an empty one, so a first save lists each field it sets."""
    if before is None and isinstance(after, dict):
        before = {}
    if after is None and isinstance(before, dict):
        after = {}
    if isinstance(before, dict) and isinstance(after, dict):
        changes: list[Change] = []
        for key in sorted({*before, *after}, key=str):
            where = f"{path}.{key}" if path else str(key)
            changes += diff(before.get(key), after.get(key), where)
        return changes
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        return [c for i, (b, a) in enumerate(zip(before, after, strict=True)) for c in diff(b, a, f"{path}[{i}]")]
    if before == after:
        return []
    return [Change(path or "(all)", before, after)]
