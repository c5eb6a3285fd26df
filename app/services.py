"""The functions both front ends call: catalog, engagements, recommendations (and, later, proposals).

Pages and CLI commands call these and never reach into adapters or core on their own.
"""

from __future__ import annotations

import json
from pathlib import Path

from app.adapters.catalog_files import load_catalog as _load_catalog
from app.adapters.engagement_files import dump_engagement, load_engagement, write_engagement
from app.core import models
from app.core.engagement import Engagement, parse_engagement
from app.core.engine import recommend
from app.core.models import Catalog
from app.core.prefill import estimate_readiness, new_engagement, suggest_needs
from app.core.recommendation import Recommendation
from app.core.stats import CatalogStats, catalog_stats, content_findings

__all__ = [
    "CatalogStats", "Engagement", "Recommendation", "catalog_stats", "content_findings", "dump_engagement",
    "estimate_readiness", "load_catalog", "load_engagement", "new_engagement", "parse_engagement", "recommend",
    "schema_documents", "suggest_needs", "write_engagement", "write_schema",
]

SCHEMA_MODELS: dict[str, type] = {
    "module": models.Module,
    "package": models.Package,
    "domain": models.Domain,
    "need": models.Need,
    "financing_channel": models.FinancingChannel,
    "source": models.Source,
    "indicator": models.IndicatorMeta,
    "engagement": Engagement,
}


def load_catalog(root: Path) -> Catalog:
    """The validated catalog under ``root``; raises ``CatalogError`` with every problem."""
    return _load_catalog(Path(root))


def schema_documents() -> dict[str, str]:
    """File name → JSON Schema text for each catalog file kind, generated from the models."""
    return {
        f"{name}.schema.json": json.dumps(model.model_json_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        for name, model in SCHEMA_MODELS.items()
    }


def write_schema(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schema_documents().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
