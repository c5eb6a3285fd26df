"""Read ``catalog/`` into a validated :class:`~app.core.models.Catalog`.

Every problem is collected in one pass and reported as ``catalog/modules/its-atms.yaml: cost.capex.typical:
Input should be greater than 0``; a YAML syntax error names the file and line. Nothing here raises anything but
:class:`~app.errors.CatalogError` for bad data.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, Field, ValidationError

from app.core import catalog_checks
from app.core.models import (
    Catalog,
    CatalogLanguages,
    Country,
    DataProtection,
    Domain,
    ExchangeRate,
    FinancingChannel,
    HazardExposure,
    IndicatorMeta,
    IndicatorValue,
    Module,
    Need,
    Package,
    PriceIndex,
    Source,
    Strict,
    Taxonomy,
)
from app.core.vocab import Hazard
from app.errors import CatalogError, Problem

M = TypeVar("M", bound=BaseModel)
_SafeBase: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's C parser when PyYAML has it


class CatalogLoader(_SafeBase):  # type: ignore[valid-type,misc]  # the base is chosen at import time
    """A safe loader with YAML 1.2 booleans: only ``true``/``false``. YAML 1.1 also reads ``on``, ``off``, ``yes`` and
    ``no`` as booleans, which would turn the key of ``reviewed: {on: 2026-01-05, by: …}`` into ``True``; ruamel.yaml,
    which writes the files, follows 1.2 as well."""


CatalogLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in _SafeBase.yaml_implicit_resolvers.items()
}
CatalogLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_YamlLoader = CatalogLoader

COUNTRIES_CSV = "countries/country_indicators.csv"
FACTS_YAML = "countries/country_facts.yaml"  # optional: without it, countries have no hazards or data_protection
INDICATORS_YAML = "countries/indicators.yaml"
RATES_CSV = "rates/exchange_rates.csv"
PRICE_INDICES_CSV = "rates/price_indices.csv"
LANGUAGES_YAML = "languages.yaml"  # optional: without it, no language is declared complete


class _Reader:
    """Collects problems while reading files under one catalog root."""

    def __init__(self, root: Path):
        self.root = root
        self.problems: list[Problem] = []
        self.digest = hashlib.sha256()
        self.invalid_ids: set[str] = set()  # ids of files that failed to parse: not reported again as unknown

    def where(self, path: Path) -> str:
        return f"{self.root.name}/{path.relative_to(self.root).as_posix()}"

    def text(self, path: Path) -> str | None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            self.problems.append(Problem(self.where(path), "", f"cannot read file: {exc.strerror or exc}"))
            return None
        self.digest.update(path.relative_to(self.root).as_posix().encode() + b"\0" + data + b"\0")
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            self.problems.append(Problem(self.where(path), "", f"not UTF-8 text (byte {exc.start})"))
            return None

    def yaml(self, path: Path) -> Any:
        text = self.text(path)
        if text is None:
            return None
        try:
            return yaml.load(text, Loader=_YamlLoader)  # a safe loader (CSafeLoader or SafeLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = f"line {mark.line + 1}" if mark else ""
            what = " ".join(x for x in (exc.context, exc.problem) if x)
            self.problems.append(Problem(self.where(path), line, f"invalid YAML: {what}"))
        except yaml.YAMLError as exc:
            self.problems.append(Problem(self.where(path), "", f"invalid YAML: {exc}"))
        return None

    def document(self, path: Path) -> Any:
        """The parsed YAML of ``path``, or ``None`` with a problem recorded (invalid YAML, or an empty file)."""
        before = len(self.problems)
        data = self.yaml(path)
        if data is None and len(self.problems) == before:
            self.problems.append(Problem(self.where(path), "", "file is empty"))
        return data

    def model(self, model: type[M], data: Any, where: str) -> M | None:
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                loc = ".".join(str(p) for p in err["loc"])
                self.problems.append(Problem(where, loc, err["msg"].removeprefix("Value error, ")))
            return None

    def one_per_file(self, folder: str, model: type[M], key: str) -> Iterator[tuple[str, M]]:
        base = self.root / folder
        if not base.is_dir():
            self.problems.append(Problem(f"{self.root.name}/{folder}", "", "folder is missing"))
            return
        for path in sorted(base.glob("*.y*ml")):
            where = self.where(path)
            data = self.document(path)
            if data is None:
                self.invalid_ids.add(path.stem)
                continue
            item = self.model(model, data, where)
            if item is None:
                self.invalid_ids.add(path.stem)
                continue
            if getattr(item, key) != path.stem:
                self.problems.append(Problem(where, key, f"{key} {getattr(item, key)!r} does not match the file name {path.stem!r}"))
            yield where, item

    def list_file(self, rel: str, model: type[M], key: str) -> Iterator[tuple[str, M]]:
        path = self.root / rel
        where = self.where(path) if path.exists() else f"{self.root.name}/{rel}"
        if not path.exists():
            self.problems.append(Problem(where, "", "file is missing"))
            return
        data = self.document(path)
        if data is None:
            return
        if not isinstance(data, list):
            self.problems.append(Problem(where, "", "expected a list of entries"))
            return
        for i, entry in enumerate(data, start=1):
            label = entry.get(key) if isinstance(entry, dict) and isinstance(entry.get(key), str) else None
            entry_where = f"{where}: entry {i}" + (f" ({label})" if label else "")
            item = self.model(model, entry, entry_where)
            if item is not None:
                yield entry_where, item

    def csv_rows(self, rel: str) -> Iterator[tuple[int, dict[str, str]]]:
        path = self.root / rel
        if not path.exists():
            self.problems.append(Problem(f"{self.root.name}/{rel}", "", "file is missing"))
            return
        text = self.text(path)
        if text is None:
            return
        yield from enumerate(csv.DictReader(text.splitlines()), start=2)


def _number(raw: str) -> float | None:
    raw = (raw or "").strip()
    return float(raw) if raw else None


class CountryFacts(Strict):
    """One entry of ``countries/country_facts.yaml`` (ISO3 -> facts), merged into that country's :class:`Country`."""

    hazards: dict[Hazard, HazardExposure] = Field(default_factory=dict)
    data_protection: DataProtection | None = None


def _facts(reader: _Reader) -> dict[str, tuple[str, CountryFacts]]:
    """The valid entries of the facts file by ISO3 code, each with its place; an absent file means no facts."""
    path = reader.root / FACTS_YAML
    if not path.exists():
        return {}
    where_file = reader.where(path)
    data = reader.document(path)
    if data is None:
        return {}
    if not isinstance(data, dict):
        reader.problems.append(Problem(where_file, "", "expected a mapping of ISO3 country codes to their facts"))
        return {}
    out: dict[str, tuple[str, CountryFacts]] = {}
    for key, entry in data.items():
        where = f"{where_file}: {key}"
        facts = reader.model(CountryFacts, entry, where)
        if facts is not None:
            out[str(key)] = (where, facts)
    return out


def _countries(reader: _Reader, metas: list[IndicatorMeta],
               facts: dict[str, tuple[str, CountryFacts]]) -> Iterator[tuple[str, Country]]:
    where_file = f"{reader.root.name}/{COUNTRIES_CSV}"
    unmatched = dict(facts)
    rows = 0
    for line, row in reader.csv_rows(COUNTRIES_CSV):
        rows += 1
        where = f"{where_file}: line {line} ({row.get('iso3', '?')})"
        found = unmatched.pop(row.get("iso3") or "", None)
        indicators: dict[str, Any] = {}
        bad = False
        for meta in metas:
            try:
                value, year = _number(row.get(meta.code, "")), _number(row.get(f"{meta.code}_year", ""))
            except ValueError:
                reader.problems.append(Problem(where, meta.code, "not a number"))
                bad = True
                continue
            if value is not None:
                if year is None:
                    reader.problems.append(Problem(where, f"{meta.code}_year", "a value needs its year"))
                    bad = True
                    continue
                indicators[meta.code] = IndicatorValue(value=value, year=int(year))
        data: dict[str, Any] = {
            "iso3": row.get("iso3"),
            "iso2": row.get("iso2") or "",
            "name": row.get("name"),
            "region": row.get("region") or None,
            "income_group": row.get("income_group") or None,
            "ldc": row.get("ldc") == "yes",
            "lldc": row.get("lldc") == "yes",
            "sids": row.get("sids") == "yes",
            "un_member": bool(row.get("egdi")),
            "currency": row.get("currency") or None,
            "indicators": indicators,
        }
        if found is not None:
            data |= {"hazards": found[1].hazards, "data_protection": found[1].data_protection}
        country = reader.model(Country, data, where)
        if country is not None and not bad:
            yield where, country
    if rows:  # without a country file there is nothing to match the facts against; its absence is reported already
        for iso3, (where, _) in unmatched.items():
            reader.problems.append(Problem(where, "", f"unknown country {iso3!r} (not in {COUNTRIES_CSV})"))


def _rates(reader: _Reader) -> Iterator[tuple[str, ExchangeRate]]:
    for line, row in reader.csv_rows(RATES_CSV):
        where = f"{reader.root.name}/{RATES_CSV}: line {line}"
        rate = reader.model(ExchangeRate, row, where)
        if rate is not None:
            yield where, rate


def _price_indices(reader: _Reader) -> Iterator[tuple[str, PriceIndex]]:
    """One index per currency from the rows of ``rates/price_indices.csv``; an absent file means no escalation."""
    if not (reader.root / PRICE_INDICES_CSV).exists():
        return
    where_file = f"{reader.root.name}/{PRICE_INDICES_CSV}"
    groups: dict[str, dict[str, Any]] = {}
    first_line: dict[str, int] = {}
    for line, row in reader.csv_rows(PRICE_INDICES_CSV):
        cur = row.get("currency") or ""
        try:
            year, change = int(row.get("year") or ""), float(row.get("change_pct") or "")
        except ValueError:
            reader.problems.append(Problem(f"{where_file}: line {line}", "year/change_pct", "not a number"))
            continue
        first_line.setdefault(cur, line)
        group = groups.setdefault(cur, {"currency": cur, "country": row.get("country"), "series": row.get("series"),
                                        "source_id": row.get("source_id"), "changes": {}})
        if any(group[k] != row.get(k) for k in ("country", "series", "source_id")):
            reader.problems.append(Problem(f"{where_file}: line {line}", "currency",
                                           f"{cur}: one country, series and source per currency"))
        elif year in group["changes"]:
            reader.problems.append(Problem(f"{where_file}: line {line}", "year", f"{cur} {year} is given twice"))
        group["changes"][year] = change
    for cur, data in groups.items():
        where = f"{where_file}: line {first_line[cur]}"
        years = sorted(data["changes"])
        if years and years != list(range(years[0], years[-1] + 1)):
            reader.problems.append(Problem(where, "year", f"{cur}: the years must follow each other without a gap"))
            continue
        index = reader.model(PriceIndex, data, where)
        if index is not None:
            yield where, index


def read_catalog(root: Path) -> tuple[Catalog | None, list[Problem]]:
    """Parse and check the catalog under ``root``; return it (or None) and every problem found."""
    root = Path(root)
    reader = _Reader(root)
    if not root.is_dir():
        return None, [Problem(str(root), "", "catalog folder not found")]
    located = catalog_checks.Located()
    located.sources = list(reader.list_file("sources.yaml", Source, "id"))
    located.domains = list(reader.list_file("taxonomy/domains.yaml", Domain, "code"))
    located.needs = list(reader.list_file("taxonomy/needs.yaml", Need, "code"))
    located.modules = list(reader.one_per_file("modules", Module, "id"))
    located.packages = list(reader.one_per_file("packages", Package, "id"))
    located.financing = list(reader.one_per_file("financing", FinancingChannel, "id"))
    located.indicators = list(reader.list_file(INDICATORS_YAML, IndicatorMeta, "code"))
    facts = _facts(reader)
    located.countries = list(_countries(reader, [m for _, m in located.indicators], facts))
    located.facts_where = {iso3: where for iso3, (where, _) in facts.items()}
    located.rates = list(_rates(reader))
    located.price_indices = list(_price_indices(reader))
    located.invalid_ids = reader.invalid_ids
    problems = reader.problems + catalog_checks.check(located)
    if problems:
        return None, problems
    catalog = Catalog(
        version=reader.digest.hexdigest()[:12],
        modules={m.id: m for _, m in located.modules},
        packages={p.id: p for _, p in located.packages},
        taxonomy=Taxonomy(domains=[d for _, d in located.domains], needs=[n for _, n in located.needs]),
        financing={f.id: f for _, f in located.financing},
        sources={s.id: s for _, s in located.sources},
        countries={c.iso3: c for _, c in located.countries},
        indicators={i.code: i for _, i in located.indicators},
        rates={r.currency: r for _, r in located.rates},
        price_indices={i.currency: i for _, i in located.price_indices},
    )
    return catalog, []


def load_catalog(root: Path) -> Catalog:
    """The validated catalog under ``root``, or :class:`CatalogError` listing every problem."""
    catalog, problems = read_catalog(root)
    if catalog is None:
        raise CatalogError(problems)
    return catalog


def read_languages(root: Path) -> CatalogLanguages:
    """The catalog's ``languages.yaml`` (an empty declaration when the file is absent), or :class:`CatalogError`."""
    path = root / LANGUAGES_YAML
    if not path.exists():
        return CatalogLanguages()
    reader = _Reader(root)
    data = reader.document(path)
    declared = reader.model(CatalogLanguages, data, reader.where(path)) if data is not None else None
    if declared is None:
        raise CatalogError(reader.problems)
    return declared


Loader = Callable[[Path], Catalog]
