"""Finding modules by what a consultant types: approximate words, any order, either language."""

from __future__ import annotations

import pytest

from app.core import catalog_search


@pytest.mark.parametrize(("query", "lang", "first"), [
    ("Flood early warning", "en", "flood-early-warning"),  # the name says "forecasting and early warning"
    ("warning flood", "en", "flood-early-warning"),  # any order
    ("flod warnng", "en", "flood-early-warning"),  # a typo in each word
    ("홍수", "ko", "flood-early-warning"),  # the reader's language
    ("park", "en", "smart-parking"),  # the start of a word
    ("procurement", "en", "e-procurement"),
])
def test_the_module_meant_comes_first(bundled_catalog, query, lang, first):
    assert catalog_search.search(bundled_catalog, query, lang)[0].module_id == first


def test_a_need_name_finds_the_modules_that_answer_it(bundled_catalog):
    found = {m.module_id for m in catalog_search.search(bundled_catalog, "traffic congestion", "en")}
    answering = {m.id for m in bundled_catalog.modules.values() if m.relevance("mob.congestion") >= 2}
    assert answering <= found


def test_every_word_must_match_so_more_words_narrow_the_list(bundled_catalog):
    assert len(catalog_search.search(bundled_catalog, "early warning", "en")) >= 2
    assert [m.module_id for m in catalog_search.search(bundled_catalog, "landslide early warning", "en")] == ["landslide-early-warning"]
    assert catalog_search.search(bundled_catalog, "zzqx", "en") == []


def test_an_empty_query_keeps_every_given_module_in_its_order(bundled_catalog):
    given = sorted(bundled_catalog.modules)[:5][::-1]
    assert [m.module_id for m in catalog_search.search(bundled_catalog, "  ", "en", given)] == given

