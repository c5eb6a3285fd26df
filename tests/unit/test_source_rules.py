"""Source hygiene: each rule on its own, on small inputs (the loader test covers them together on a fixture catalog)."""

from __future__ import annotations

import pytest

from app.core.models import Source
from app.core.source_rules import archived_url, denied_host, listing_page, same_document, source_problems, source_warnings


def _src(ident: str, url: str, *alternates: str, date: str | None = "2024") -> tuple[str, Source]:
    return f"sources.yaml: {ident}", Source(id=ident, title="A title", publisher="A publisher", url=url,
                                            alternate_urls=list(alternates), date=date)


@pytest.mark.parametrize("url", [
    "https://grokipedia.com/page/iso_37120",
    "https://ru.scribd.com/document/95003819/x",
    "https://123dok.co/article/x.z1",
    "https://vdocuments.us/big-data.html",
    "https://pdfslide.us/documents/x.html",
    "https://docslib.org/doc/5999119/x",
    "https://cafe.daum.net/_c21_/bbs_read?datanum=1",
    "https://web.archive.org/web/20200101000000/https://www.scribd.com/document/1",
    "https://encyclopedia.datana.cloud/content/wikipedia_en_all_mini_2024-04/A/Gaziantep",
    "https://wikipedia.jakami.de/content/wikipedia_de_all_mini_2023-10/A/Lima_Metropolitana",
    "https://simple.linkfang.org/wiki/Milan",
    "https://review.clateway.com/wiki/Puerto_Princesa",
])
def test_ai_encyclopedias_and_document_sharing_copies_are_denied(url):
    assert denied_host(url) is not None


@pytest.mark.parametrize("url", [
    "https://v.daum.net/v/20231006172527239",  # Daum News republishes press articles; only its discussion boards are copies
    "https://www.korea.kr/news/policyNewsView.do?newsId=148928744",
    "https://web.archive.org/web/2019/https://www.asean2018.sg/Newsroom/Press-Releases",
])
def test_publisher_pages_and_their_archives_are_allowed(url):
    assert denied_host(url) is None
    assert not listing_page(url)


@pytest.mark.parametrize("url", [
    "https://praguemorning.cz/tag/prague-smart-city/",
    "https://timesca.com/tag/who",
    "https://hellot.net/news/tag_list_all.html?tag=%EB%B0%A9%EB%B2%94",
    "https://example.org/category/news",
    "https://askwikinow.com/view_html.php?lang=en&q=Tashkent",
    "https://search.zdnet.co.kr/?area=4&kwd=smart",
    "https://example.org/search?query=smart+city",
])
def test_tag_category_and_search_result_pages_are_listings(url):
    assert listing_page(url)


@pytest.mark.parametrize("url", [
    "https://datacatalog.worldbank.org/search/dataset/0037712/World-Development-Indicators",  # a dataset page
    "https://eiec.kdi.re.kr/policy/materialView.do?num=263349&search_txt=&topic=",  # an empty search field on an article
    "https://www.acrc.go.kr/en/board.do?command=searchDetailPrint&boardNum=69406",
])
def test_articles_whose_address_mentions_search_are_not_listings(url):
    assert not listing_page(url)


def test_archived_url_reads_the_original_inside_a_wayback_address():
    assert archived_url("https://web.archive.org/web/20190306032412/https://www.asean2018.sg/a") == "https://www.asean2018.sg/a"
    assert archived_url("https://example.org/web/2019/https://x.org") is None


def test_two_spellings_of_one_address_are_the_same_document():
    assert same_document("http://www.example.org/one/") == same_document("https://example.org/one")
    assert same_document("https://example.org/one?id=1") != same_document("https://example.org/one?id=2")


def test_a_url_used_by_two_sources_is_reported_on_the_second():
    problems = source_problems([_src("A", "https://example.org/a"), _src("B", "https://example.org/b", "https://example.org/a/")])
    assert [(p.where, p.field) for p in problems] == [("sources.yaml: B", "alternate_urls.0")]
    assert "'A'" in problems[0].message


def test_a_source_repeating_its_own_url_as_an_alternate_is_not_a_duplicate_of_another_source():
    assert source_problems([_src("A", "https://example.org/a", "https://example.org/a")]) == []


def test_a_clean_source_has_no_problem_and_an_undated_one_only_a_warning():
    sources = [_src("A", "https://example.org/a"), _src("B", "https://example.org/b", date=None)]
    assert source_problems(sources) == []
    assert [(p.where, p.field) for p in source_warnings(sources)] == [("sources.yaml: B", "date")]


def test_publisher_and_title_are_required():
    with pytest.raises(ValueError):
        Source(id="A", title="", publisher="P", url="https://example.org/a")
    with pytest.raises(ValueError):
        Source(id="A", title="T", publisher=" ", url="https://example.org/a")
