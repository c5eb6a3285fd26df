"""Source hygiene: what makes a cited source acceptable (pure).

A source must be the publisher's own page or an archive of it (a Wayback URL): not an AI-written encyclopedia, not a
document-sharing site's copy, not a site that republishes Wikipedia articles, and not a tag, category or search-result
page whose content changes. Two sources may not share a URL (one document, one source). A source without a publication
date is accepted with a warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from app.core.models import Source
from app.errors import Problem

# Hosts (and their subdomains) that never hold the publisher's own page, with what they are.
DENIED_HOSTS: dict[str, str] = {
    "grokipedia.com": "an AI-generated encyclopedia",
    "123dok.co": "a document-sharing copy",
    "123dok.com": "a document-sharing copy",
    "scribd.com": "a document-sharing copy",
    "vdocuments.us": "a document-sharing copy",
    "vdocuments.mx": "a document-sharing copy",
    "vdocuments.net": "a document-sharing copy",
    "vdocuments.site": "a document-sharing copy",
    "pdfslide.us": "a document-sharing copy",
    "pdfslide.net": "a document-sharing copy",
    "docslib.org": "a document-sharing copy",
    "docplayer.net": "a document-sharing copy",
    "fdokumen.com": "a document-sharing copy",
    "studyres.com": "a document-sharing copy",
    "cafe.daum.net": "a copy posted on a discussion board",
    # Sites that republish Wikipedia articles (cite Wikipedia itself, ideally a revision link).
    "encyclopedia.datana.cloud": "a copy of Wikipedia",
    "wikipedia.jakami.de": "a copy of Wikipedia",
    "linkfang.org": "a copy of Wikipedia",
    "askwikinow.com": "a copy of Wikipedia",
    "wiki.studentb.eu": "a copy of Wikipedia",
    "review.clateway.com": "a copy of Wikipedia",
    "frwiki.wiki": "a copy of Wikipedia",
    "getwiki.net": "a copy of Wikipedia",
}
ARCHIVE_HOSTS = ("web.archive.org",)
LISTING_SEGMENTS = frozenset({"tag", "tags", "category", "categories"})
LISTING_FILE = re.compile(r"^(tag|tags|search)[_-]?(list|result|results)", re.IGNORECASE)
SEARCH_PARAMS = frozenset({"q", "query", "keyword", "keywords", "kwd", "search", "search_txt", "searchword", "tag", "s"})
_URL = re.compile(r"^(?P<scheme>[a-z][a-z0-9+.-]*)://(?P<netloc>[^/?#]*)(?P<path>[^?#]*)(?:\?(?P<query>[^#]*))?",
                  re.IGNORECASE)


class _Parts(NamedTuple):
    hostname: str
    path: str
    query: str


def urlsplit(url: str) -> _Parts:
    """Host (lower case, without user or port), path and query of an address; string work only (the core does no I/O)."""
    found = _URL.match(url)
    if not found:
        return _Parts("", "", "")
    host = found.group("netloc").rsplit("@", 1)[-1].split(":")[0].lower()
    return _Parts(host, found.group("path"), found.group("query") or "")


def parse_qsl(query: str) -> list[tuple[str, str]]:
    """The ``key=value`` pairs of a query string, blank values kept."""
    return [(pair.partition("=")[0], pair.partition("=")[2]) for pair in query.split("&") if pair]


WAYBACK = re.compile(r"^/web/[0-9a-z_*]+/(?P<url>https?://?.+)$", re.IGNORECASE)


def archived_url(url: str) -> str | None:
    """The original address inside a Wayback URL, or None when ``url`` is not one."""
    parts = urlsplit(url)
    if (parts.hostname or "").lower() not in ARCHIVE_HOSTS:
        return None
    found = WAYBACK.match(parts.path + (f"?{parts.query}" if parts.query else ""))
    return re.sub(r"^(https?):/(?!/)", r"\1://", found.group("url")) if found else None


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def denied_host(url: str) -> str | None:
    """What the URL's site is when it is on the deny list (checked inside archive URLs too), else None."""
    host = _host(archived_url(url) or url)
    for denied, what in DENIED_HOSTS.items():
        if host == denied or host.endswith("." + denied):
            return what
    return None


def listing_page(url: str) -> bool:
    """True for a tag, category or search-result page (its content changes; cite the article itself)."""
    parts = urlsplit(archived_url(url) or url)
    segments = [s for s in parts.path.lower().split("/") if s]
    if LISTING_SEGMENTS & set(segments) or (segments and LISTING_FILE.match(segments[-1])):
        return True
    if (parts.hostname or "").lower().startswith("search.") or (segments and segments[-1] == "search"):
        return True
    return any(key.lower() in SEARCH_PARAMS and value.strip() for key, value in parse_qsl(parts.query))


def same_document(url: str) -> str:
    """A key under which two spellings of one address compare equal (scheme, ``www.``, case of host, final slash)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    return f"{host}{path}" + (f"?{parts.query}" if parts.query else "")


def source_problems(sources: Iterable[tuple[str, Source]]) -> list[Problem]:
    """Every source that cites a denied site, a listing page, or a URL another source already uses."""
    problems: list[Problem] = []
    first_use: dict[str, str] = {}
    for where, src in sources:
        for fld, url in [("url", src.url), *((f"alternate_urls.{i}", u) for i, u in enumerate(src.alternate_urls))]:
            what = denied_host(url)
            if what:
                problems.append(Problem(where, fld, f"{_host(archived_url(url) or url)} is {what}: cite the publisher's own page or a Wayback "
                                                    "archive of it"))
            elif listing_page(url):
                problems.append(Problem(where, fld, "a tag, category or search-result page changes over time: cite the "
                                                    "article itself"))
            key = same_document(url)
            if key in first_use and first_use[key] != src.id:
                problems.append(Problem(where, fld, f"{url} is also cited by source {first_use[key]!r}: one document, "
                                                    "one source (merge them and update the references)"))
            first_use.setdefault(key, src.id)
    return problems


def source_warnings(sources: Iterable[tuple[str, Source]]) -> list[Problem]:
    """Findings that do not block the catalog: a source without a publication date."""
    return [Problem(where, "date", "no publication date (add it when the page gives one)")
            for where, src in sources if not src.date]
