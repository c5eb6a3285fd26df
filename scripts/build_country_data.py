"""Rebuild catalog/countries/ and catalog/rates/ from the raw country data in ../shared/data/countries.

Run once when the shared data changes: ``python scripts/build_country_data.py [SHARED_DIR]``. Nothing is
estimated: values are copied with their year; the currency comes from ISO 4217 (datasets/country-codes), the
exchange rate is the latest WDI PA.NUS.FCRF value (local currency units per US$, period average).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# ISO 4217 codes that the country-codes file leaves blank (Kosovo uses the euro, Türkiye the lira, Palestine
# mainly the Israeli new shekel).
MISSING_CURRENCY = {"XKX": "EUR", "TUR": "TRY", "PSE": "ILS"}


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


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


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared")
