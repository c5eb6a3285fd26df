"""Rebuild catalog/countries/ and catalog/rates/ from the raw country data in ../shared/data/countries.

Run once when the shared data changes: ``.venv/bin/python scripts/build_country_data.py [SHARED_DIR]``. Nothing is
estimated: values are copied with their year; the currency comes from ISO 4217 (datasets/country-codes), the
exchange rate is the latest WDI PA.NUS.FCRF value (local currency units per US$, period average).

``rates/price_indices.csv`` holds, for each currency the catalog prices costs in, the annual GDP-deflator change of
its country (WDI NY.GDP.DEFL.KD.ZG), from which the engine escalates a price from its price year. The deflator, not
the consumer price index: it covers the whole economy (equipment, construction and services, not households'
purchases), and the July 2026 vintage has 2025 for both Korea and the United States (US CPI stops at 2024).

``countries/country_facts.yaml`` gets, per country, its national exposure to natural hazards (INFORM Risk 2023
components; WorldRiskIndex 2022 for sea-level rise only) and the status of its data-protection law (UNCTAD Global
Cyberlaw Tracker 2026); see ``catalog/countries/SOURCES.md`` for the sources, the level bands and the caveats.
"""

from __future__ import annotations

import csv
import json
import statistics
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
# ISO 4217 codes that the country-codes file leaves blank (Kosovo uses the euro, Türkiye the lira, Palestine
# mainly the Israeli new shekel).
MISSING_CURRENCY = {"XKX": "EUR", "TUR": "TRY", "PSE": "ILS"}
FACTS = ROOT / "catalog" / "countries" / "country_facts.yaml"

# INFORM Risk 2023 (EC JRC, CC BY 4.0), sheet "INFORM Risk 2023 (a-z)": hazard components on 0-10, higher = more
# exposed. Tsunami and Epidemic have no hazard of our vocabulary; landslide, heat and wildfire have no dataset here.
INFORM_CSV = "inform_risk_2023_v065_a-z.csv"
INFORM_SOURCE, INFORM_YEAR = "inform-risk-2023", 2023  # year = the edition; its hazard data are mostly 2020-2022
INFORM_HAZARDS = {"flood": "Flood", "earthquake": "Earthquake", "cyclone": "Tropical Cyclone", "drought": "Drought"}
# The workbook classifies only the risk index, its dimensions and categories (colour rules of the (a-z) sheet), not
# single hazard components. Each component is therefore classed with INFORM's five risk classes on the same 0-10
# scale (column RISK CLASS: Very Low < 2.0 <= Low < 3.5 <= Medium < 5.0 <= High < 6.5 <= Very High).
INFORM_BANDS = ((2.0, "very_low"), (3.5, "low"), (5.0, "medium"), (6.5, "high"))

# WorldRiskIndex 2022 (Bündnis Entwicklung Hilft / IFHV): its licence is NOT verified, so it is used only where
# INFORM has no component: sea-level rise (EI_07, exposure score 0-100, 0.01 = no exposure; exposure data of 2020).
WRI_CSV = "worldriskindex_2022_fulldata.csv"
WRI_SOURCE, WRI_YEAR = "worldriskindex-2022", 2022
WRI_HAZARDS = {"sea_level_rise": ("EI_07", "Sea level rise")}
# The workbook's fixed thresholds (sheet "Quintile (für über Tabellen)") exist for the index and its dimensions
# only, not for single hazards: EI_07 is classed by the quintiles of its own 2022 scores over all countries
# (statistics.quantiles, method "inclusive", rounded to 2 decimals); a score at or below a break takes the lower class.
QUINTILE_LEVELS = ("very_low", "low", "medium", "high", "very_high")

# UNCTAD Global Cyberlaw Tracker (2026 update): status of privacy and data-protection legislation.
UNCTAD_CSV, UNCTAD_LINKS = "unctad_cyberlaw_tracker_data.csv", "unctad_cyberlaw_document_links.json"
UNCTAD_SOURCE, UNCTAD_YEAR, UNCTAD_AREA = "unctad-cyberlaw-tracker-2026", 2026, "Privacy and Data Protection"
UNCTAD_STATUS = {"Legislation": "legislation", "Draft Legislation": "draft", "No Legislation": "none", "No Data": "no_data"}


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _score(raw: str) -> float | None:
    raw = raw.strip()
    return None if raw in ("", "x") else float(raw)  # "x" = no data in INFORM


def inform_level(score: float) -> str:
    """INFORM's risk class of a 0-10 score."""
    return next((level for bound, level in INFORM_BANDS if score < bound), "very_high")


def quintile_breaks(scores: list[float]) -> list[float]:
    return [round(b, 2) for b in statistics.quantiles(sorted(scores), n=5, method="inclusive")]


def quintile_level(score: float, breaks: list[float]) -> str:
    return QUINTILE_LEVELS[sum(1 for b in breaks if score > b)]


def _law_titles(pairs: Any) -> list[str]:
    """The titles of the tracker's ``[url, title]`` pairs, whitespace-normalised, without empty ones or repeats."""
    titles: list[str] = []
    for pair in pairs or []:
        if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[1], str)):
            continue  # "No Data" entries are a bare ["No Data", ""]
        title = " ".join(pair[1].replace("<br>", " ").split())
        if title and title not in titles:
            titles.append(title)
    return titles


def build_country_facts(raw: Path, known: set[str]) -> dict[str, dict[str, Any]]:
    """ISO3 -> {hazards: {hazard: exposure}, data_protection: {...}} for the countries in ``known``."""
    facts: dict[str, dict[str, Any]] = {}
    skipped: set[str] = set()

    def entry(iso3: str) -> dict[str, Any] | None:
        if iso3 not in known:
            skipped.add(iso3)
            return None
        return facts.setdefault(iso3, {})

    for row in _rows(raw / INFORM_CSV):
        for hazard, column in INFORM_HAZARDS.items():
            score = _score(row[column])
            if score is None or (target := entry(row["ISO3"])) is None:
                continue
            target.setdefault("hazards", {})[hazard] = {
                "score": score, "scale_max": 10.0, "level": inform_level(score), "index": f"INFORM Risk 2023: {column}",
                "year": INFORM_YEAR, "source_id": INFORM_SOURCE}

    wri = _rows(raw / WRI_CSV)
    for hazard, (column, label) in WRI_HAZARDS.items():
        scores = {row["Code"]: _score(row[column]) for row in wri}
        breaks = quintile_breaks([v for v in scores.values() if v is not None])
        print(f"WorldRiskIndex {column} quintile breaks: {breaks}")
        for iso3, score in scores.items():
            if score is None or (target := entry(iso3)) is None:
                continue
            target.setdefault("hazards", {})[hazard] = {
                "score": score, "scale_max": 100.0, "level": quintile_level(score, breaks),
                "index": f"WorldRiskIndex 2022: {label} exposure ({column})", "year": WRI_YEAR, "source_id": WRI_SOURCE}

    m49 = {int(r["M49"]): r["ISO3166-1-Alpha-3"] for r in _rows(raw / "country-codes.csv") if r["M49"].strip()}
    links = json.loads((raw / UNCTAD_LINKS).read_text(encoding="utf-8"))
    for row in _rows(raw / UNCTAD_CSV):
        status = UNCTAD_STATUS.get(row[UNCTAD_AREA].strip())
        if status is None:
            raise SystemExit(f"{UNCTAD_CSV}: {row['country']}: unknown status {row[UNCTAD_AREA]!r}")
        target = entry(m49[int(row["code"])])
        if target is None:
            continue
        target["data_protection"] = {"status": status, "laws": _law_titles(links.get(row["code"], {}).get(UNCTAD_AREA)),
                                     "year": UNCTAD_YEAR, "source_id": UNCTAD_SOURCE}
    if skipped:
        print(f"not in country_indicators.csv, left out of the facts: {', '.join(sorted(skipped))}")
    return facts


def facts_yaml(facts: dict[str, dict[str, Any]]) -> str:
    head = ("# Generated by scripts/build_country_data.py from shared/data/countries/raw (INFORM Risk 2023, WorldRiskIndex\n"
            "# 2022, UNCTAD Global Cyberlaw Tracker 2026): do not edit by hand. Sources, levels and caveats: SOURCES.md.\n")
    return head + yaml.safe_dump(facts, sort_keys=True, allow_unicode=True, default_flow_style=False, width=120)


# Currencies in which catalog costs are priced → the country whose GDP deflator escalates them.
PRICE_INDEX_COUNTRIES = {"KRW": "KOR", "USD": "USA"}
PRICE_INDEX_FROM = 2000


def build_price_indices(raw: Path) -> list[list[str]]:
    """Rows of ``rates/price_indices.csv``: currency, country, series, year, change_pct, source_id."""
    out = []
    for rec in _rows(raw / "wdi_NY.GDP.DEFL.KD.ZG.csv"):
        for cur, iso3 in PRICE_INDEX_COUNTRIES.items():
            if rec["Country Code"] == iso3 and int(rec["Year"]) >= PRICE_INDEX_FROM and rec["Value"]:
                out.append([cur, iso3, "gdp_deflator", rec["Year"], f"{float(rec['Value']):.4f}", "wb-wdi-deflator"])
    return sorted(out, key=lambda r: (r[0], int(r[3])))


def main(shared: Path) -> None:
    countries = shared / "data" / "countries"
    codes = {r["ISO3166-1-Alpha-3"]: r for r in _rows(countries / "raw" / "country-codes.csv")}
    rows = _rows(countries / "country_indicators.csv")
    currency = {}
    for row in rows:
        code = codes.get(row["iso3"], {}).get("ISO4217-currency_alphabetic_code", "")
        currency[row["iso3"]] = code.split(",")[0].strip() if code else MISSING_CURRENCY.get(row["iso3"], "")
    out = ROOT / "catalog" / "countries" / "country_indicators.csv"
    fields = list(rows[0].keys())
    fields.insert(fields.index("ldc"), "currency")
    with open(out, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "currency": currency[row["iso3"]]})

    latest: dict[str, tuple[int, float]] = {}
    for rec in _rows(countries / "raw" / "wdi_PA.NUS.FCRF.csv"):
        cur = currency.get(rec["Country Code"])
        if not cur:
            continue
        year, value = int(rec["Year"]), float(rec["Value"])
        if cur not in latest or year > latest[cur][0]:
            latest[cur] = (year, value)
    latest["USD"] = (max(y for y, _ in latest.values()), 1.0)
    rates = ROOT / "catalog" / "rates" / "exchange_rates.csv"
    with open(rates, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["currency", "per_usd", "year", "source_id"])
        for cur in sorted(latest):
            year, value = latest[cur]
            writer.writerow([cur, f"{value:.6g}", year, "wb-wdi-fx"])
    print(f"{len(rows)} countries -> {out.relative_to(ROOT)}; {len(latest)} currencies -> {rates.relative_to(ROOT)}")

    indices = ROOT / "catalog" / "rates" / "price_indices.csv"
    with open(indices, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["currency", "country", "series", "year", "change_pct", "source_id"])
        writer.writerows(build_price_indices(countries / "raw"))
    print(f"GDP deflators of {', '.join(PRICE_INDEX_COUNTRIES.values())} -> {indices.relative_to(ROOT)}")

    facts = build_country_facts(countries / "raw", {row["iso3"] for row in rows})
    FACTS.write_text(facts_yaml(facts), encoding="utf-8", newline="\n")
    print(f"{len(facts)} countries with hazard or data-protection facts -> {FACTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared")
