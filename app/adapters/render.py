"""Proposal → HTML (Jinja2) → PDF (WeasyPrint), safely.

* Jinja2: autoescape on, ``StrictUndefined``, the i18n extension bound to the ``proposal`` gettext catalog of the
  language, and Babel filters for numbers, money and dates in that language's locale.
* WeasyPrint: :class:`AssetFetcher` serves files under ``templates/assets`` and ``data:`` URLs, and refuses
  everything else (no network, no other file), so text typed by a user can never make the renderer fetch.
* The PDF carries metadata (title, author, subject, keywords, language), tags, the engagement JSON as an
  attachment (relationship "Source"; PDF/A-3b markers on request, not validated), and optionally a DRAFT watermark.
* WeasyPrint's log records of level WARNING and above are captured and returned with the PDF.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import mimetypes
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

import jinja2
from babel import Locale
from babel.dates import format_date
from babel.numbers import format_compact_decimal, format_currency, format_decimal, format_percent
from markupsafe import Markup, escape

from app.adapters.charts import CHART_SCHEME, UNAVAILABLE_SVG
from app.adapters.gc_tuning import fewer_collections
from app.core.costing import significant
from app.core.explain import measured
from app.core.korean import attach_particles, keep_words
from app.core.proposal import Proposal
from app.core.proposal_text import UNIT_WORDS, WHOLE_UNITS
from app.core.recommendation import MoneyRange
from app.errors import RenderError
from app.i18n import BABEL_LOCALES, translator
from app.settings import Settings

TEMPLATES = Settings.from_env().templates_dir  # the bundled templates/ unless KCITY_TEMPLATES_DIR says otherwise
ATTACHMENT_NAME = "engagement.json"
log = logging.getLogger(__name__)


# ---------------------------------------------------------------- formatting filters (Babel)


def _locale(lang: str) -> str:
    return BABEL_LOCALES.get(lang, "en_US")


@functools.cache
def _money_pattern(lang: str) -> str:
    """The locale's currency pattern without decimals (symbol before or after the number as the locale writes it)."""
    pattern = Locale.parse(_locale(lang)).currency_formats["standard"].pattern.split(";")[0]
    return re.sub(r"0[.,]0+", "0", pattern)


def money(value: float, currency: str = "USD", lang: str = "en") -> str:
    """Whole currency units rounded to the thousand, as the proposal says (these are indicative figures); an amount
    under a thousand to the hundred, so that a small operating cost does not read as zero."""
    rounded = round(value, -3) if abs(value) >= 1_000 else round(value, -2)
    return format_currency(rounded, currency, locale=_locale(lang), format=_money_pattern(lang), currency_digits=False)


def money_range(r: MoneyRange, lang: str = "en") -> str:
    return f"{money(r.min, r.currency, lang)} – {money(r.max, r.currency, lang)}"


def quantity(qty: float, unit: str, lang: str, gettext: Callable[[str], str]) -> str:
    """A module's quantity in words: "203 intersections", "whole system", "28 % of the whole system"."""
    if unit in WHOLE_UNITS:
        return gettext("whole system") if qty >= 1 else gettext("{share} of the whole system").format(share=percent(qty * 100, lang))
    singular, plural = UNIT_WORDS.get(unit, (unit.replace("_", " "), unit.replace("_", " ")))
    word = gettext(singular if qty == 1 else plural)
    if "{n}" in word:  # a translation that places the number itself: Korean names the thing, then number and counter
        return word.format(n=number(qty, lang, 1))  # ("교차로 203개소", "센서 945개")
    return f"{number(qty, lang, 1)}{'' if lang == 'ko' else ' '}{word}"  # a bare counter follows the number: 2대


KOREAN_CURRENCY_WORDS = {"USD": "달러", "KRW": "원"}


def money_about(value: float, currency: str = "USD", lang: str = "en", digits: int = 2) -> str:
    """An amount as a consultant writes it in prose: the currency code and two significant figures in words,
    e.g. "USD 15 million", "USD 1500만" (tables keep the exact amount)."""
    words = format_compact_decimal(significant(value, digits), format_type="long", locale=_locale(lang), fraction_digits=1)
    nbsp = "\u00a0"  # an amount never breaks across lines ("USD 220 / thousand")
    if lang == "ko" and currency in KOREAN_CURRENCY_WORDS:  # 710만 달러, 3억 원: how Korean writes amounts
        return f"{words} {KOREAN_CURRENCY_WORDS[currency]}".replace(" ", nbsp)
    return f"{currency} {words}".replace(" ", nbsp)


def money_range_about(r: MoneyRange, lang: str = "en") -> str:
    return f"{money_about(r.min, r.currency, lang)} – {money_about(r.max, r.currency, lang)}"


def number(value: float, lang: str = "en", digits: int = 0) -> str:
    if digits == 0 and abs(value - round(value)) < 1e-9:
        return format_decimal(round(value), locale=_locale(lang), format="#,##0")
    fmt = "#,##0." + "#" * max(digits, 1) if digits else "#,##0.##"
    return format_decimal(value, locale=_locale(lang), format=fmt)


def indicator(value: float, lang: str = "en") -> str:
    """An indicator value with sensible precision: large values grouped, small ones with 2–3 significant decimals."""
    return measured(value, lang)


def date(value: dt.date, lang: str = "en") -> str:
    return format_date(value, format="long", locale=_locale(lang))


def published(text: str, lang: str = "en") -> str:
    """A source's publication date as the catalog gives it (2024-01-29, 2024-01 or 2024) in the reader's way."""
    try:
        if len(text) == 10:
            return format_date(dt.date.fromisoformat(text), format="medium", locale=_locale(lang))
        if len(text) == 7:
            return month(dt.date.fromisoformat(text + "-01"), lang)
    except ValueError:
        pass
    return text


def month(value: dt.date, lang: str = "en") -> str:
    return format_date(value, format="MMM y" if lang != "ko" else "y.MM", locale=_locale(lang))


def percent(value: float, lang: str = "en") -> str:
    return format_percent(value / 100, locale=_locale(lang), format="#,##0%")


# languages whose catalog names are sentence-cased and read lower-case inside a sentence
LOWER_IN_PROSE = {"en", "es", "id", "vi"}


def in_prose(name: str, lang: str) -> str:
    """A sentence-cased catalog name as written inside a sentence ("traffic congestion", "e-government"); a first
    word with another capital or a digit (IoT, ITS, 3-D, AI) is an acronym or a proper name and stays as it is."""
    first = name.split(" ", 1)[0]
    if lang in LOWER_IN_PROSE and len(first) > 1 and first[0].isupper() and first[1:].replace("-", "").islower():
        return name[0].lower() + name[1:]
    return name


def listing(items: list[Any], lang: str = "en", prose: bool = False) -> Markup:
    """Names joined as the language writes a list in prose (Babel, CLDR): "A, B and C", "A, B y C", "A, B 및 C";
    English standing in for a missing translation keeps its (EN) mark. ``prose``: the names stand inside a
    sentence, so sentence-cased ones start lower-case."""
    from babel.lists import format_list

    parts = [str(escape(in_prose(i.text, lang) if prose else i.text)) + (' <span class="en-tag">(EN)</span>' if i.fallback else "")
             for i in items]
    return Markup(format_list(parts, locale=_locale(lang))) if parts else Markup("")


def refs(numbers: list[int]) -> Markup:
    """Citation numbers as a superscript ``[1, 4]`` (empty when there are none)."""
    if not numbers:
        return Markup("")
    return Markup('<sup class="cite">[{}]</sup>').format(", ".join(str(n) for n in numbers))


# ---------------------------------------------------------------- Jinja2


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept in the cache folder (keyed by each template's source checksum): a new process
    compiles them in 0.16 s otherwise. None when the folder cannot be written."""
    folder = Settings.from_env().cache_dir / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


@functools.cache
def environment(lang: str, templates: Path = TEMPLATES) -> jinja2.Environment:
    """One environment per language: autoescape, StrictUndefined, gettext and the locale's filters."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates / "proposal"),
        bytecode_cache=_bytecode_cache(),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    gettext = translator("proposal", lang, templates / "locales")
    env.install_gettext_callables(gettext=gettext, ngettext=lambda s, p, n: gettext(s if n == 1 else p), newstyle=True)  # type: ignore[attr-defined]  # added at runtime by jinja2.ext.i18n
    filters: dict[str, Callable[..., str]] = {
        "money": lambda v, cur="USD": money(v, cur, lang),
        "money_range": lambda r: money_range(r, lang),
        "about": lambda v, cur="USD": money_about(v, cur, lang),
        "about_range": lambda r: money_range_about(r, lang),
        "size": lambda r: (gettext("up to {amount}").format(amount=money_about(r.max, r.currency, lang)) if r.min <= 0
                           else money_range_about(r, lang)),
        "number": lambda v, digits=0: number(v, lang, digits),
        "indicator": lambda v: indicator(v, lang),
        "date": lambda d: date(d, lang),
        "month": lambda d: month(d, lang),
        "published": lambda text: published(text, lang),
        "percent": lambda v: percent(v, lang),
        "refs": refs,
        "listing": lambda items: listing(items, lang),
        "in_prose": lambda items: listing(items, lang, prose=True),
        "quantity": lambda qty, unit: quantity(qty, unit, lang, gettext),
    }
    env.filters.update(filters)
    return env


def render_html(proposal: Proposal, charts: dict[str, str | None], draft: bool = False, templates: Path = TEMPLATES) -> str:
    """The proposal as one HTML document; ``charts`` maps chart names to SVG data URLs (or None)."""
    try:
        template = environment(proposal.meta.lang, templates).get_template("proposal.html")
        html = template.render(p=proposal, charts=charts, draft=draft)
        # Korean messages write both particle forms ("은(는)"); the final sound of the word before picks one
        return keep_words(attach_particles(html)) if proposal.meta.lang == "ko" else html
    except jinja2.TemplateError as exc:
        raise RenderError(f"proposal template error: {exc}") from exc


# ---------------------------------------------------------------- WeasyPrint


# WeasyPrint is imported lazily, inside the functions that use it: it takes ~0.5 s to import.


@functools.lru_cache(maxsize=32)
def _asset_bytes(path: Path, mtime_ns: int) -> bytes:
    """An asset's bytes, read once per version of the file: the fonts are 6 MB that every render would read again."""
    return path.read_bytes()


class ChartSource(Protocol):
    """The charts exported alongside the render (``charts.ChartJob``)."""

    def placeholder(self, name: str) -> bytes: ...  # an empty SVG of the chart's size: at once, for the layout
    def svg(self, name: str) -> bytes: ...  # the chart itself: waits for the export, needed only to draw the pages


def asset_fetcher(assets: Path, blocked: list[str] | None = None,
                  charts: Callable[[str], bytes] | None = None) -> Callable[[str], object]:
    """A WeasyPrint URL fetcher that serves only files under ``assets``, ``data:`` URLs and (when ``charts`` is given)
    the ``kcity-chart:<name>`` SVGs (``charts`` gives their bytes). (It is a ``weasyprint.urls.URLFetcher``, which
    WeasyPrint calls with each URL.)"""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    root = assets.resolve()

    class AssetFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no type hints: URLFetcher is Any
        def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == CHART_SCHEME and charts is not None:
                return URLFetcherResponse(url, body=charts(url.split(":", 1)[1]), headers={"Content-Type": "image/svg+xml"})
            if scheme == "file":
                path = Path(unquote(urlsplit(url).path)).resolve()
                if path.is_relative_to(root) and path.is_file():
                    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, body=_asset_bytes(path, path.stat().st_mtime_ns), headers={"Content-Type": mime})
            if blocked is not None:
                blocked.append(url)
            raise ValueError(f"blocked URL outside the proposal assets: {url[:200]}")

    return AssetFetcher(allowed_protocols=["file", "data"], allow_redirects=False)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@dataclass
class Rendered:
    pdf: bytes
    warnings: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _draw_charts(rendered: Any, charts: ChartSource, fetcher: Callable[[str], object]) -> int:
    """Put each exported chart in place of the empty SVG of the same size that the layout used; how many.

    WeasyPrint reads an image when it builds the boxes, before the layout, but draws it only when it writes the
    PDF: so the pages are laid out with placeholders while Chrome exports the charts (a cold Chrome takes 2-3 s),
    and the real SVGs are swapped into the laid-out image boxes just before writing. This touches WeasyPrint's
    boxes (``Page._page_box``, ``ReplacedBox.replacement``), pinned at 70.x; the caller checks the count."""
    from xml.etree import ElementTree

    from weasyprint.images import SVGImage

    swapped = 0
    for page in rendered.pages:
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            src = element.get("src", "") if element is not None else ""
            old = getattr(box, "replacement", None)
            if src.startswith(f"{CHART_SCHEME}:") and isinstance(old, SVGImage):
                try:
                    tree = ElementTree.fromstring(charts.svg(src.split(":", 1)[1]))
                except ElementTree.ParseError:  # a damaged export: the notice, as when the export fails
                    log.warning("chart %s is not valid SVG; the proposal shows the notice instead", src)
                    tree = ElementTree.fromstring(UNAVAILABLE_SVG)
                box.replacement = SVGImage(tree, src, fetcher, old._context)
                swapped += 1
    return swapped


def write_pdf(html: str, proposal: Proposal, templates: Path = TEMPLATES,
              progress: Callable[[str], None] | None = None, archival: bool = False,
              charts: ChartSource | None = None) -> Rendered:
    """Lay out ``html`` and write a tagged PDF with metadata and the engagement attached (AFRelationship Source, as
    PDF/A-3 does). ``archival`` also writes the PDF/A-3b markers (+0.6 s; no validator runs offline to confirm).
    ``kcity-chart:`` images come from ``charts``: laid out at their size at once, drawn when their export is done.
    The collector runs less often meanwhile (see :mod:`app.adapters.gc_tuning`)."""
    assets = templates / "assets"
    blocked: list[str] = []
    fetcher = asset_fetcher(assets, blocked, charts.placeholder if charts else None)
    handler = _Collect()
    wlog = logging.getLogger("weasyprint")
    wlog.addHandler(handler)
    started = time.perf_counter()
    try:
        with fewer_collections():
            pdf = _layout_and_write(html, proposal, assets, fetcher, blocked, progress, archival, charts)
    except RenderError:
        raise
    except Exception as exc:  # WeasyPrint raises many kinds; each is a rendering failure for the user
        raise RenderError(f"could not lay out the proposal PDF: {exc}") from exc
    finally:
        wlog.removeHandler(handler)
    for message in handler.messages:
        log.warning("weasyprint: %s", message)
    return Rendered(pdf=pdf, warnings=handler.messages, blocked=blocked, seconds=time.perf_counter() - started)


def _layout_and_write(html: str, proposal: Proposal, assets: Path, fetcher: Any, blocked: list[str],
                      progress: Callable[[str], None] | None, archival: bool, charts: ChartSource | None) -> bytes:
    """WeasyPrint's part of :func:`write_pdf`: layout, charts put in place, the PDF written."""
    import weasyprint

    doc = weasyprint.HTML(string=html, base_url=(assets.resolve().as_uri() + "/"), url_fetcher=fetcher)
    if progress:
        progress("layout")
    rendered = doc.render()
    if charts is not None:
        expected = html.count(f'src="{CHART_SCHEME}:')
        if _draw_charts(rendered, charts, fetcher) != expected:  # WeasyPrint's boxes changed: lay out again
            log.warning("charts could not be put in place after the layout; laying out again with them")
            doc = weasyprint.HTML(string=html, base_url=(assets.resolve().as_uri() + "/"),
                                  url_fetcher=asset_fetcher(assets, blocked, charts.svg))
            rendered = doc.render()
    if progress:
        progress(f"write PDF ({len(rendered.pages)} pages)")
    attachment = weasyprint.Attachment(
        string=proposal.engagement_json, name=ATTACHMENT_NAME, url_fetcher=fetcher,
        description="Engagement that this proposal was generated from (re-open with `kcity open`)",
        relationship="Source")
    pdf: bytes = rendered.write_pdf(
        attachments=[attachment], pdf_tags=True, pdf_variant="pdf/a-3b" if archival else None, custom_metadata=True,
        pdf_identifier=proposal.meta.input_hash.encode(),
    )
    return pdf


def escape_text(text: str) -> str:
    """HTML-escaped text (exposed for tests)."""
    return str(escape(text))
