"""Read and write engagement files (YAML or JSON), reporting problems with the file name."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from app.core.engagement import Engagement, parse_engagement
from app.core.models import Catalog
from app.errors import EngagementError, Problem


def read_engagement_data(path: Path) -> Any:
    """The raw content of an engagement file, or ``EngagementError`` naming the file and line."""
    where = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise EngagementError([Problem(where, "", "file not found")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise EngagementError([Problem(where, "", f"cannot read the file: {exc}")]) from None
    try:
        return json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except json.JSONDecodeError as exc:
        raise EngagementError([Problem(where, f"line {exc.lineno}", f"invalid JSON: {exc.msg}")]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = f"line {mark.line + 1}" if mark else ""
        raise EngagementError([Problem(where, line, f"invalid YAML: {exc.problem}")]) from None
    except yaml.YAMLError as exc:
        raise EngagementError([Problem(where, "", f"invalid YAML: {exc}")]) from None


def load_engagement(path: Path, catalog: Catalog) -> Engagement:
    return parse_engagement(read_engagement_data(path), catalog, where=str(path))


def dump_engagement(engagement: Engagement, fmt: str = "yaml") -> str:
    data = engagement.model_dump(mode="json", exclude_defaults=False)
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110)


def write_engagement(engagement: Engagement, path: Path) -> None:
    path.write_text(dump_engagement(engagement, "json" if path.suffix.lower() == ".json" else "yaml"), encoding="utf-8")
