"""Counts and content-quality findings about a loaded catalog (for ``kcity catalog stats`` and tests)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from pydantic import BaseModel

from app.core.models import Catalog, LocalizedText, word_count

MIN_DESCRIPTION_WORDS = 60
MIN_MODULES_PER_DOMAIN = 3
MIN_MODULES_PER_NEED = 2


@dataclass(frozen=True)
class CatalogStats:
    version: str
    modules: int
    domains: int
    domains_with_modules: int
    packages: int
    needs: int
    financing: int
    countries: int
    sources: int
    currencies: int
    cost_confidence: dict[str, int]

    def confidence_shares(self) -> dict[str, float]:
        total = sum(self.cost_confidence.values()) or 1
        return {level: self.cost_confidence.get(level, 0) / total for level in ("high", "medium", "low")}


def catalog_stats(catalog: Catalog) -> CatalogStats:
    return CatalogStats(
        version=catalog.version,
        modules=len(catalog.modules),
        domains=len(catalog.taxonomy.domains),
        domains_with_modules=len({m.domain for m in catalog.modules.values()}),
        packages=len(catalog.packages),
        needs=len(catalog.taxonomy.needs),
        financing=len(catalog.financing),
        countries=len(catalog.countries),
        sources=len(catalog.sources),
        currencies=len(catalog.rates),
        cost_confidence=dict(Counter(m.cost.confidence for m in catalog.modules.values())),
    )


def content_findings(catalog: Catalog) -> list[str]:
    """Editorial gaps that are not schema errors: thin domains, unanswered needs, short descriptions."""
    findings: list[str] = []
    per_domain = Counter(m.domain for m in catalog.modules.values())
    for dom in catalog.taxonomy.domains:
        if per_domain[dom.code] < MIN_MODULES_PER_DOMAIN:
            findings.append(f"domain {dom.code}: {per_domain[dom.code]} modules (want >= {MIN_MODULES_PER_DOMAIN})")
    per_need = Counter(link.need for m in catalog.modules.values() for link in m.needs)
    for need in catalog.taxonomy.needs:
        if per_need[need.code] < MIN_MODULES_PER_NEED:
            findings.append(f"need {need.code}: answered by {per_need[need.code]} modules (want >= {MIN_MODULES_PER_NEED})")
    for mod in sorted(catalog.modules.values(), key=lambda m: m.id):
        for lang in ("en", "ko"):
            words = word_count(mod.description.get(lang))
            if words < MIN_DESCRIPTION_WORDS:
                findings.append(f"module {mod.id}: {lang} description has {words} words (want >= {MIN_DESCRIPTION_WORDS})")
        if not mod.all_source_ids():
            findings.append(f"module {mod.id}: cites no source")
    return findings


def localized_texts(obj: object) -> Iterator[LocalizedText]:
    """Every catalog text with language versions, depth first in catalog order."""
    if isinstance(obj, LocalizedText):
        yield obj
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from localized_texts(getattr(obj, name))
    elif isinstance(obj, dict):
        for value in obj.values():
            yield from localized_texts(value)
    elif isinstance(obj, list | tuple):
        for value in obj:
            yield from localized_texts(value)


@dataclass(frozen=True)
class LanguageCoverage:
    lang: str
    texts: int  # distinct catalog texts
    translated: int  # in the YAML files or the language's catalog translations
    reviewed: int  # of which reviewed by a native speaker (the YAML files' own texts count as reviewed)


def units(catalog: Catalog) -> list[str]:
    """The units of the modules' indicators and of their observed effects ("% of trips", "percentage points"), and of
    the country indicators ("% of GDP", "index 0-1"): plain English in the YAML files, translated for proposals."""
    found: dict[str, None] = {meta.unit: None for meta in catalog.indicators.values()}
    for module in catalog.modules.values():
        for kpi in module.kpis:
            found[kpi.unit] = None
            if kpi.typical_effect is not None:
                found[kpi.typical_effect.unit] = None
    return list(found)


def missing_texts(catalog: Catalog, lang: str, translations: Mapping[str, str], units: Iterable[str] = ()) -> list[str]:
    """The English of every catalog text (and indicator unit) that a ``lang`` proposal cannot print in ``lang``."""
    texts = {t.en: t for t in localized_texts(catalog)}
    missing = [en for en, t in texts.items() if not t.has(lang) and not translations.get(en)]
    return missing + [u for u in dict.fromkeys(units) if not translations.get(u) and u not in texts]


def language_coverage(catalog: Catalog, lang: str, translations: Mapping[str, str], reviewed: frozenset[str]) -> LanguageCoverage:
    """How many of the catalog's texts a ``lang`` proposal can print in ``lang``, and how many were reviewed."""
    texts = {t.en: t for t in localized_texts(catalog)}
    own = {en for en, t in texts.items() if t.has(lang)}
    translated = own | {en for en in texts if translations.get(en)}
    return LanguageCoverage(lang=lang, texts=len(texts), translated=len(translated),
                            reviewed=len(own | (reviewed & translated)))
