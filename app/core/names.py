"""Names of places as the reader writes them, from one source: Unicode CLDR through Babel (the wizard and the PDF alike)."""

from __future__ import annotations

from babel import Locale

from app.core.models import Catalog
from app.i18n import BABEL_LOCALES


def country_name(catalog: Catalog, iso3: str, lang: str) -> str:
    """The country's name in ``lang`` (CLDR), else the catalog's English name, else the code."""
    country = catalog.countries.get(iso3)
    if country is None:
        return iso3
    try:
        return Locale.parse(BABEL_LOCALES.get(lang, "en_US")).territories.get(country.iso2.upper()) or country.name
    except (ValueError, LookupError):
        return country.name
