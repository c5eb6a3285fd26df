"""Every bundled example reads in Vietnamese, Indonesian and Spanish as it would in English: no catalog text left in
English (the "(EN)" mark), no number written the English way and no ISO date in the text a partner reads.

The HTML the PDF is made from is scanned (its text, without markup, style sheets and printed URLs), which is what
WeasyPrint lays out; rendering 80 PDFs would only add minutes."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from app import services
from app.adapters import render
from tests.conftest import ROOT

EXAMPLES = sorted(p for p in (ROOT / "catalog" / "examples").glob("*.yaml") if p.stem != "expectations")
LANGS = ("vi", "id", "es")
ENGLISH_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3}){2,}(?!\d)|(?<![\d.,])\d{1,3},\d{3}\.\d")  # 15,000,000 or 1,234.5
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def partner_text(page: str) -> str:
    page = re.sub(r"<style.*?</style>", " ", page, flags=re.S)
    page = re.sub(r'<span class="url">.*?</span>', " ", page, flags=re.S)  # a URL is printed as it is
    page = re.sub(r'\s(?:href|src|id)="[^"]*"', " ", page)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


@pytest.fixture(scope="module")
def texts(bundled_catalog) -> dict[tuple[str, str], str]:
    out = {}
    for path in EXAMPLES:
        engagement = services.load_engagement(path, bundled_catalog)
        rec = services.recommend(bundled_catalog, engagement)
        for lang in LANGS:
            proposal = services.build_proposal(bundled_catalog, engagement, rec, lang, dt.date(2026, 12, 4))
            out[(path.stem, lang)] = partner_text(render.render_html(proposal, {}))
    return out


def test_no_catalog_text_is_left_in_english(texts):
    assert {key: text.count("(EN)") for key, text in texts.items() if "(EN)" in text} == {}


def test_numbers_and_dates_are_written_the_readers_way(texts):
    english = {key: ENGLISH_THOUSANDS.findall(text)[:3] for key, text in texts.items() if ENGLISH_THOUSANDS.search(text)}
    iso = {key: ISO_DATE.findall(text)[:3] for key, text in texts.items() if ISO_DATE.search(text)}
    assert english == {} and iso == {}


def test_the_scan_would_see_what_it_looks_for():
    assert ENGLISH_THOUSANDS.search("USD 15,000,000") and ENGLISH_THOUSANDS.search("1,234.5 km")
    assert not ENGLISH_THOUSANDS.search("0,807 chỉ số") and not ENGLISH_THOUSANDS.search("15.000.000 US$")
    assert ISO_DATE.search("desde 2027-01-01") and "2024" in partner_text('<span class="url">https://x/2024-01-01</span> 2024')


@pytest.mark.parametrize(("lang", "national"), [("vi", "chỉ số quốc gia"), ("ko", "국가 지표"), ("es", "indicador nacional")])
def test_a_need_suggested_by_national_data_says_why_in_the_partners_language(bundled_catalog, lang, national):
    engagement = services.new_engagement(bundled_catalog, "VNM", "Da Nang", 1_230_000, 1285.4)
    proposal = services.build_proposal(bundled_catalog, engagement, None, lang, dt.date(2026, 12, 4))
    text = partner_text(render.render_html(proposal, {}))
    squeezed = re.sub(r"[\s\u2060]+", "", text.lower())  # Korean words are kept whole with word joiners
    assert national.replace(" ", "") in squeezed and "National indicator" not in text
