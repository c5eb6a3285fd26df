"""Cross-file checks of a parsed catalog: references, duplicates and dependency cycles.

Pure: it receives parsed entities with the place each came from and returns every ``Problem`` found.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from pydantic import BaseModel

from app.core import source_rules
from app.core.models import Country, Domain, ExchangeRate, FinancingChannel, IndicatorMeta, Module, Need, Package, PriceIndex, Source
from app.errors import Problem

T = TypeVar("T")


@dataclass
class Located:
    """Parsed catalog entities, each with the place (file, or file plus item) it came from."""

    modules: list[tuple[str, Module]] = field(default_factory=list)
    packages: list[tuple[str, Package]] = field(default_factory=list)
    domains: list[tuple[str, Domain]] = field(default_factory=list)
    needs: list[tuple[str, Need]] = field(default_factory=list)
    financing: list[tuple[str, FinancingChannel]] = field(default_factory=list)
    sources: list[tuple[str, Source]] = field(default_factory=list)
    indicators: list[tuple[str, IndicatorMeta]] = field(default_factory=list)
    countries: list[tuple[str, Country]] = field(default_factory=list)
    rates: list[tuple[str, ExchangeRate]] = field(default_factory=list)
    price_indices: list[tuple[str, PriceIndex]] = field(default_factory=list)
    facts_where: dict[str, str] = field(default_factory=dict)  # ISO3 -> where its hazards and data_protection came from
    invalid_ids: set[str] = field(default_factory=set)  # files that failed to parse; references to them are not reported


def _index(items: Iterable[tuple[str, T]], key: str, kind: str, problems: list[Problem]) -> dict[str, T]:
    seen: dict[str, str] = {}
    out: dict[str, T] = {}
    for where, item in items:
        ident: str = getattr(item, key)
        if ident in seen:
            first_file, _, first_entry = seen[ident].partition(": ")
            first = first_entry if first_entry and where.startswith(first_file + ": ") else seen[ident]
            problems.append(Problem(where, key, f"duplicate {kind} {ident!r} (first defined in {first})"))
            continue
        seen[ident] = where
        out[ident] = item
    return out


def _unknown(where: str, fld: str, refs: Iterable[str], known: Mapping[str, object], kind: str,
             invalid: Iterable[str] = ()) -> list[Problem]:
    skip = set(invalid)
    return [Problem(where, fld, f"unknown {kind} {ref!r}") for ref in refs if ref not in known and ref not in skip]


def dependency_cycles(modules: Mapping[str, Module]) -> list[list[str]]:
    """Each cycle in ``depends_on`` once, as the ids along it, starting from its smallest id."""
    cycles: set[tuple[str, ...]] = set()
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for dep in modules[node].depends_on:
            if dep not in modules:
                continue
            if state.get(dep) == 1:
                cycle = stack[stack.index(dep):]
                start = cycle.index(min(cycle))
                cycles.add(tuple(cycle[start:] + cycle[:start]))
            elif dep not in state:
                visit(dep)
        stack.pop()
        state[node] = 2

    for node in sorted(modules):
        if node not in state:
            visit(node)
    return [list(c) for c in sorted(cycles)]


def dependency_closure(module_id: str, modules: Mapping[str, Module]) -> set[str]:
    """The module and everything it needs, transitively."""
    seen: set[str] = set()
    todo = [module_id]
    while todo:
        current = todo.pop()
        if current in seen or current not in modules:
            continue
        seen.add(current)
        todo.extend(modules[current].depends_on)
    return seen


CITATION = re.compile(r"\[([A-Za-z0-9][A-Za-z0-9_.-]*)\]")


def _texts(value: object, path: str = "") -> Iterator[tuple[str, str]]:
    """Every string inside a model, with its dotted field path."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _texts(getattr(value, name), f"{path}.{name}" if path else name)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _texts(item, f"{path}.{i}")
    elif isinstance(value, str):
        yield path, value


def citation_problems(where: str, item: BaseModel, sources: Mapping[str, object]) -> list[Problem]:
    """A citation written in catalog text (``[S12]``) that names no source: the proposal would print it literally."""
    return [Problem(where, fld, f"cites unknown source {ref!r} in its text")
            for fld, text in _texts(item) for ref in CITATION.findall(text) if ref not in sources]


def check(located: Located) -> list[Problem]:
    """Every cross-reference problem in the catalog, in file order."""
    problems: list[Problem] = []
    modules = _index(located.modules, "id", "module", problems)
    _index(located.packages, "id", "package", problems)
    domains = _index(located.domains, "code", "domain", problems)
    needs = _index(located.needs, "code", "need", problems)
    financing = _index(located.financing, "id", "financing channel", problems)
    sources = _index(located.sources, "id", "source", problems)
    indicators = _index(located.indicators, "code", "indicator", problems)
    _index(located.countries, "iso3", "country", problems)
    _index(located.rates, "currency", "exchange rate", problems)
    prefixes: dict[str, str] = {}
    for where, dom in located.domains:
        if dom.prefix in prefixes and prefixes[dom.prefix] != dom.code:
            problems.append(Problem(where, "prefix", f"prefix {dom.prefix!r} is also used by domain {prefixes[dom.prefix]!r}"))
        prefixes.setdefault(dom.prefix, dom.code)

    for where, need in located.needs:
        if need.domain not in domains:
            problems.append(Problem(where, "domain", f"unknown domain {need.domain!r}"))
        elif need.code.split(".")[0] != domains[need.domain].prefix:
            problems.append(Problem(where, "code", f"codes of domain {need.domain!r} must start with {domains[need.domain].prefix + '.'!r}"))
        for i, signal in enumerate(need.signals):
            if signal.indicator not in indicators:
                problems.append(Problem(where, f"signals.{i}.indicator", f"unknown indicator {signal.indicator!r}"))

    rated = {r.currency for _, r in located.rates}  # costs convert through US dollars: USD needs its row of 1
    if located.rates and "USD" not in rated:
        problems.append(Problem(located.rates[0][0].split(": ")[0], "", "no USD row (USD,1,…): every cost converts through US dollars"))
    for where, mod in located.modules:
        if mod.domain not in domains:
            problems.append(Problem(where, "domain", f"unknown domain {mod.domain!r}"))
        for i, link in enumerate(mod.needs):
            if link.need not in needs:
                problems.append(Problem(where, f"needs.{i}.need", f"unknown need {link.need!r}"))
        for fld in ("depends_on", "synergies", "conflicts", "alternatives"):
            problems += _unknown(where, fld, getattr(mod, fld), modules, "module", located.invalid_ids)
        problems += _unknown(where, "financing", mod.financing, financing, "financing channel", located.invalid_ids)
        problems += _unknown(where, "source_ids", mod.source_ids, sources, "source")
        problems += _unknown(where, "cost.source_ids", mod.cost.source_ids, sources, "source")
        if mod.cost.priced_in != "INT" and located.countries and mod.cost.priced_in not in {c.iso3 for _, c in located.countries}:
            problems.append(Problem(where, "cost.priced_in", f"unknown country {mod.cost.priced_in!r} (an ISO alpha-3 code, or INT)"))
        if mod.cost.currency not in rated | {"USD"}:
            problems.append(Problem(where, "cost.currency", f"no exchange rate for {mod.cost.currency!r} in rates/exchange_rates.csv"))
        for i, kpi in enumerate(mod.kpis):
            problems += _unknown(where, f"kpis.{i}.source_ids", kpi.source_ids, sources, "source")
        for i, ref in enumerate(mod.references):
            problems += _unknown(where, f"references.{i}.source_ids", ref.source_ids, sources, "source")

    for cycle in dependency_cycles(modules):
        where = next(w for w, m in located.modules if m.id == cycle[0])
        problems.append(Problem(where, "depends_on", "dependency cycle " + " → ".join([*cycle, cycle[0]])))

    for where, mod in located.modules:
        needed = dependency_closure(mod.id, modules) - {mod.id}
        clash = sorted(needed & set(mod.conflicts))
        if clash:
            problems.append(Problem(where, "conflicts", f"conflicts with what it depends on: {', '.join(clash)}"))

    for where, pkg in located.packages:
        problems += _unknown(where, "core_modules", pkg.core_modules, modules, "module", located.invalid_ids)
        problems += _unknown(where, "optional_modules", pkg.optional_modules, modules, "module", located.invalid_ids)
        problems += _unknown(where, "source_ids", pkg.source_ids, sources, "source")
        core = [m for m in pkg.core_modules if m in modules]
        for a in core:
            for b in core:
                if a < b and (b in modules[a].conflicts or a in modules[b].conflicts):
                    problems.append(Problem(where, "core_modules", f"core modules {a} and {b} conflict"))

    for where, chan in located.financing:
        problems += _unknown(where, "source_ids", chan.source_ids, sources, "source")
    for where, meta in located.indicators:
        problems += _unknown(where, "source_id", [meta.source_id], sources, "source")
    for where, rate in located.rates:
        problems += _unknown(where, "source_id", [rate.source_id], sources, "source")
    for where, index in located.price_indices:
        problems += _unknown(where, "source_id", [index.source_id], sources, "source")
    for where, country in located.countries:
        at = located.facts_where.get(country.iso3, where)
        for hazard, exposure in country.hazards.items():
            problems += _unknown(at, f"hazards.{hazard}.source_id", [exposure.source_id], sources, "source")
        if country.data_protection is not None:
            problems += _unknown(at, "data_protection.source_id", [country.data_protection.source_id], sources, "source")
    for group in (located.modules, located.packages, located.financing, located.needs, located.domains):
        for where, item in group:
            problems += citation_problems(where, item, sources)
    problems += source_rules.source_problems(located.sources)
    return problems
