"""The functions both front ends call: catalog, engagements, recommendations (and, later, proposals).

Pages and CLI commands call these and never reach into adapters or core on their own.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from app.adapters import catalog_cache
from app.adapters.engagement_files import dump_engagement, load_engagement, write_engagement
from app.adapters.excel import table_xlsx
from app.core import catalog_search, models, package_change, packaging, reviews
from app.core.access import Actor, allowed
from app.core.catalog_checks import dependency_closure as _closure
from app.core.costing import convert
from app.core.engagement import Engagement, parse_engagement
from app.core.engine import recommend
from app.core.models import Catalog
from app.core.prefill import estimate_readiness, new_engagement, suggest_needs
from app.core.proposal import Proposal
from app.core.recommendation import Reason, Recommendation
from app.core.reviews import ReviewDue
from app.core.stats import CatalogStats, LanguageCoverage, catalog_stats, content_findings
from app.errors import EngagementError, Problem, RenderError
from app.services_team import authorize, membership
from app.settings import Settings

if TYPE_CHECKING:  # storage pulls SQLAlchemy (~0.4 s): imported only by the functions that store
    from app.adapters.catalog_import import ImportPlan
    from app.adapters.render_pool import RenderPool
    from app.adapters.render_queue import RenderQueue
    from app.adapters.storage import EngagementRecord, ProposalRecord, Repository

__all__ = [
    "CatalogStats", "Engagement", "Proposal", "Recommendation", "build_proposal", "catalog_stats", "content_findings",
    "dump_engagement", "engagement_from_pdf", "estimate_readiness", "load_catalog", "load_engagement", "new_engagement",
    "parse_engagement", "prewarm_charts", "recommend", "render_proposal", "schema_documents", "suggest_needs", "write_engagement", "write_schema",
]

SCHEMA_MODELS: dict[str, type[BaseModel]] = {
    "module": models.Module,
    "package": models.Package,
    "domain": models.Domain,
    "need": models.Need,
    "financing_channel": models.FinancingChannel,
    "source": models.Source,
    "indicator": models.IndicatorMeta,
    "engagement": Engagement,
}


def load_catalog(root: Path, cache_dir: Path | None = None) -> Catalog:
    """The validated catalog under ``root``; raises ``CatalogError`` with every problem.

    With ``cache_dir`` (``Settings.cache_dir``), a catalog already validated with exactly these files is read back
    from there in a few milliseconds instead of being parsed again."""
    return catalog_cache.load_catalog(Path(root), cache_dir)


def schema_documents() -> dict[str, str]:
    """File name → JSON Schema text for each catalog file kind, generated from the models."""
    return {
        f"{name}.schema.json": json.dumps(model.model_json_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        for name, model in SCHEMA_MODELS.items()
    }


def write_schema(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schema_documents().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


# ---------------------------------------------------------------- engagements and proposal versions in storage


def open_repository(database_url: str) -> Repository:
    """The engagement store at ``database_url`` (a SQLite file by default); creates its tables if missing."""
    from app.adapters.storage import Repository

    return Repository.from_url(database_url)


def create_engagement(repo: Repository, title: str = "", owner: str = "", engagement: Engagement | None = None, *,
                      actor: Actor | None = None) -> EngagementRecord:
    """A new stored engagement, empty (partner still to enter) or from an engagement (a restored proposal); a signed-in
    actor owns it."""
    by = authorize(repo, actor, "create")
    data = engagement.model_dump(mode="json") if engagement is not None else None
    return repo.create(title=title, owner=actor.name if actor is not None else owner, data=data, status="in_progress" if data else "new", by=by)


def list_engagements(repo: Repository, include_archived: bool = False, *, actor: Actor | None = None) -> list[EngagementRecord]:
    """The engagements ``actor`` may open (all of them for the local user, reviewers and admins)."""
    authorize(repo, actor, "list")
    records = repo.list(include_archived=include_archived)
    return records if actor is None else [r for r in records if allowed(actor, "read", membership(r))]


def get_engagement(repo: Repository, engagement_id: str, *, actor: Actor | None = None) -> EngagementRecord:
    record = repo.get(engagement_id)
    authorize(repo, actor, "read", record)
    return record


def engagement_of(record: EngagementRecord, catalog: Catalog) -> Engagement | None:
    """The stored engagement validated against the catalog, or ``None`` while its partner is not entered."""
    return parse_engagement(record.data, catalog, where=record.title or record.id) if record.data else None


def save_engagement(repo: Repository, catalog: Catalog, engagement_id: str, data: dict[str, Any],
                    expected_version: int, *, actor: Actor | None = None) -> tuple[EngagementRecord, Engagement]:
    """Validate ``data`` (``EngagementError`` per field) and store it as the next version (``StaleWriteError`` if stale)."""
    by = authorize(repo, actor, "edit", repo.get(engagement_id))
    engagement = parse_engagement(data, catalog)
    record = repo.save(engagement_id, engagement.model_dump(mode="json"), expected_version, by=by)
    return record, engagement


def rename_engagement(repo: Repository, engagement_id: str, title: str, *, actor: Actor | None = None) -> EngagementRecord:
    by = authorize(repo, actor, "edit", repo.get(engagement_id))
    return repo.rename(engagement_id, title.strip()[:200], by=by)


def archive_engagement(repo: Repository, engagement_id: str, archived: bool = True, *, actor: Actor | None = None) -> EngagementRecord:
    by = authorize(repo, actor, "edit", repo.get(engagement_id))
    return repo.set_archived(engagement_id, archived, by=by)


def duplicate_engagement(repo: Repository, engagement_id: str, owner: str = "", *, actor: Actor | None = None) -> EngagementRecord:
    """A copy of an engagement; a signed-in actor needs to be able to open it and to create engagements, and owns the copy."""
    authorize(repo, actor, "read", repo.get(engagement_id))
    by = authorize(repo, actor, "create")
    return repo.duplicate(engagement_id, owner=actor.name if actor is not None else owner, by=by)


def delete_engagement(repo: Repository, engagement_id: str, *, actor: Actor | None = None) -> None:
    by = authorize(repo, actor, "delete", repo.get(engagement_id))
    repo.delete(engagement_id, by=by)


def store_proposal(repo: Repository, engagement_id: str, pdf: bytes, language: str, catalog: Catalog, engagement: Engagement, *,
                   edition: str = "partner", draft: bool = False, actor: Actor | None = None) -> ProposalRecord:
    """Keep a generated proposal as a version of its engagement, with the catalog version and input hash; the version
    already made from the same inputs, catalog, language, edition and draft mark is returned instead of a second copy."""
    by = authorize(repo, actor, "edit", repo.get(engagement_id))
    return repo.add_proposal(engagement_id, pdf, language, catalog.version, engagement.input_hash(), edition, draft, by=by)


def proposal_versions(repo: Repository, engagement_id: str, *, actor: Actor | None = None) -> list[ProposalRecord]:
    authorize(repo, actor, "read", repo.get(engagement_id))
    return repo.proposals(engagement_id)


def version_numbers(versions: list[ProposalRecord]) -> dict[int, int]:
    """Each stored proposal's number within its engagement, v1 the oldest (the database id is global)."""
    return {v.id: i for i, v in enumerate(sorted(versions, key=lambda v: (v.created, v.id)), start=1)}


def proposal_pdf(repo: Repository, proposal_id: int, *, actor: Actor | None = None) -> bytes:
    authorize(repo, actor, "read", repo.get(repo.proposal_engagement(proposal_id)))
    return repo.proposal_pdf(proposal_id)


def proposal_preview(repo: Repository, proposal_id: int, pages: int = 2) -> list[bytes]:
    """PNG pictures of a stored proposal's first pages, to look at before downloading it."""
    from app.adapters.pdf_preview import first_pages_png

    return first_pages_png(repo.proposal_pdf(proposal_id), pages)


def same_proposal(versions: list[ProposalRecord], catalog: Catalog, engagement: Engagement, language: str,
                  made_as: dict[int, Any], wanted: Any) -> ProposalRecord | None:
    """A stored version made from the same inputs, catalog and language, and (``made_as``: how each known version was
    made, e.g. its edition and draft mark) in the same way: generating again would store a copy of it."""
    digest = engagement.input_hash()
    return next((v for v in versions if v.inputs_hash == digest and v.language == language
                 and v.catalog_version == catalog.version and v.id in made_as and made_as[v.id] == wanted), None)


def convert_money(amount: float, from_currency: str, to_currency: str, catalog: Catalog) -> float:
    """``amount`` converted with the catalog's dated exchange rates."""
    return convert(amount, from_currency, to_currency, catalog)


def country_name(catalog: Catalog, iso3: str, lang: str) -> str:
    """A country's name in ``lang`` as the proposal writes it (CLDR through Babel)."""
    from app.core.names import country_name as name

    return name(catalog, iso3, lang)


def search_modules(catalog: Catalog, query: str, lang: str, modules: list[str] | None = None) -> list[catalog_search.Match]:
    """Modules matching what a consultant typed (fuzzy, names, needs and summaries in ``lang`` and English), best first."""
    return catalog_search.search(catalog, query, lang, modules)


def typical_unit_cost_usd(catalog: Catalog, module_id: str) -> float:
    """A module's typical capital cost per scale unit in US dollars, in its price year (no escalation)."""
    cost = catalog.modules[module_id].cost
    return convert(cost.capex.typical, cost.currency, "USD", catalog)


def quantity_words(quantity: float, unit: str, lang: str) -> str:
    """A module's quantity as the proposal says it, in ``lang``: "3,000 sensors", "whole system", "50 % of the whole system"."""
    from app.adapters.render import quantity as words
    from app.i18n import translator

    return words(quantity, unit, lang, translator("proposal", lang))


def catalog_workbook(root: Path) -> bytes:
    """The catalog under ``root`` as an Excel workbook for its owners: one sheet per kind, drop-down lists for codes."""
    from app.adapters.catalog_workbook import export_workbook

    return export_workbook(Path(root))


def plan_catalog_import(root: Path, data: bytes, name: str = "catalog.xlsx") -> ImportPlan:
    """What importing a catalog workbook would change (nothing is written); ``CatalogError`` with every problem, located
    as ``catalog.xlsx: modules!C12 (cost.capex.min): message``, when the resulting catalog would be invalid."""
    from app.adapters.catalog_import import plan_import

    plan = plan_import(Path(root), data, name)
    if plan.changes and plan.catalog is not None:  # texts the import adds without a translation the catalog promises
        before = {str(p) for p in translation_gaps(load_catalog(Path(root)), Path(root))}
        plan.warnings = [p for p in translation_gaps(plan.catalog, Path(root)) if str(p) not in before]
    return plan


def apply_catalog_import(plan: ImportPlan) -> list[Path]:
    """Write a checked import into the catalog folder (``CatalogError`` if a file changed since it was checked)."""
    from app.adapters.catalog_import import apply_import

    return apply_import(plan)


def review_entries(root: Path, ids: list[str], on: dt.date, by: str) -> list[str]:
    """Stamp ``reviewed: {on, by}`` on the given modules and sources in their YAML files (nothing else changes); the ids
    stamped. ``CatalogError`` names any id that is neither, and then nothing is written."""
    from app.adapters.catalog_reviews import stamp

    return stamp(Path(root), dict.fromkeys(ids, on), by)


def catalog_warnings(catalog: Catalog) -> list[Problem]:
    """Findings that do not block the catalog (a source without a publication date), as ``file: field: message``."""
    from app.core.source_rules import source_warnings

    return source_warnings((f"sources.yaml: {s.id}", s) for s in catalog.sources.values())


def reviews_due(catalog: Catalog, today: dt.date) -> list[ReviewDue]:
    """Modules and sources last reviewed more than a year before ``today``, or never."""
    return reviews.reviews_due(catalog, today)


def can_manage_catalog(settings: Settings, user: str | None = None, *, actor: Actor | None = None, repo: Repository | None = None) -> bool:
    """Whether ``actor`` may import a workbook into the catalog folder: admins (and, without accounts, the local user),
    unless the deployment sets ``KCITY_CATALOG_EDITABLE=no``. Given ``repo``, the local user is refused once accounts exist."""
    del user  # kept for callers of the single-user version
    if not settings.catalog_editable:
        return False
    if actor is not None:
        return allowed(actor, "manage_catalog")
    from app.services_team import has_accounts

    return repo is None or not has_accounts(repo)


def workbook(title: str, columns: list[str], rows: list[list[Any]]) -> bytes:
    """An Excel workbook (one sheet) of a table shown on screen, for export."""
    return table_xlsx(title, columns, rows)


def dependency_closure(module_id: str, catalog: Catalog) -> set[str]:
    """The module and every module it depends on, transitively."""
    return _closure(module_id, catalog.modules)


def package_clash(catalog: Catalog, module_id: str, package: list[str]) -> Reason | None:
    """Why a module cannot be added to a package (a conflict or an alternative already in it), or None."""
    return packaging.clash(catalog, module_id, package)


def with_module(engagement: Engagement, module_id: str) -> dict[str, Any]:
    """Engagement data with ``module_id`` required by the consultant (and no longer excluded)."""
    data = engagement.model_dump(mode="json")
    data["required_modules"] = sorted({*engagement.required_modules, module_id})
    data["excluded_modules"] = [m for m in engagement.excluded_modules if m != module_id]
    return data


def unpinned(engagement: Engagement, module_id: str) -> dict[str, Any]:
    """Engagement data with ``module_id`` no longer required by hand (the optimiser may still keep it)."""
    data = engagement.model_dump(mode="json")
    data["required_modules"] = [m for m in engagement.required_modules if m != module_id]
    return data


def with_quantity(engagement: Engagement, module_id: str, quantity: float | None) -> dict[str, Any]:
    """Engagement data with the first project's quantity of ``module_id`` typed by the consultant (None: the catalog's)."""
    data = engagement.model_dump(mode="json")
    quantities = {k: v for k, v in engagement.scope.quantities.items() if k != module_id}
    if quantity is not None:
        quantities[module_id] = quantity
    data["scope"] = {**data.get("scope", {}), "quantities": quantities}
    return data


def with_unit_cost(engagement: Engagement, module_id: str, amount: float | None, currency: str = "USD",
                   reason: str = "") -> dict[str, Any]:
    """Engagement data with the consultant's capital cost per unit of ``module_id`` and its reason (None: the
    catalog's again). The data is validated when previewed or saved (a positive amount, a reason, a known currency)."""
    data = engagement.model_dump(mode="json")
    unit_costs = {k: v for k, v in data.get("scope", {}).get("unit_costs", {}).items() if k != module_id}
    if amount is not None:
        unit_costs[module_id] = {"amount": amount, "currency": currency, "reason": reason.strip()}
    data["scope"] = {**data.get("scope", {}), "unit_costs": unit_costs}
    return data


PACKAGE_EDITS = ("add", "leave_out", "unpin", "quantity")


def package_edit(catalog: Catalog, engagement: Engagement, action: str, module_id: str,
                 quantity: float | None = None) -> tuple[dict[str, Any], list[str]]:
    """The engagement data one of ``PACKAGE_EDITS`` would save, and the pinned modules it would unpin (leaving out a
    module unpins those that need it)."""
    if action == "add":
        return with_module(engagement, module_id), []
    if action == "leave_out":
        return without_module(engagement, catalog, module_id)
    if action == "unpin":
        return unpinned(engagement, module_id), []
    if action == "quantity":
        return with_quantity(engagement, module_id, quantity), []
    raise ValueError(f"unknown package edit {action!r}; use one of {', '.join(PACKAGE_EDITS)}")


def preview_change(catalog: Catalog, engagement: Engagement, data: dict[str, Any],
                   before: Recommendation | None = None) -> package_change.PackageChange:
    """What applying ``data`` (an edit of ``engagement``) would do to the Recommended package, without saving it.
    Raises ``EngagementError`` when the edit does not validate and ``InfeasibleSelection`` when no package can hold it."""
    edited = parse_engagement(data, catalog)
    return package_change.compare(catalog, edited, before or recommend(catalog, engagement), recommend(catalog, edited))


def without_module(engagement: Engagement, catalog: Catalog, module_id: str) -> tuple[dict[str, Any], list[str]]:
    """Engagement data with ``module_id`` excluded; the required modules that need it stop being required (returned)."""
    dependents = packaging.requiring(catalog, module_id, engagement.required_modules)
    data = engagement.model_dump(mode="json")
    data["required_modules"] = [m for m in engagement.required_modules if m != module_id and m not in dependents]
    data["excluded_modules"] = sorted({*engagement.excluded_modules, module_id})
    return data, dependents


# ---------------------------------------------------------------- proposals (PDF)


def build_proposal(catalog: Catalog, engagement: Engagement, recommendation: Recommendation | None = None, lang: str = "en",
                   today: dt.date | None = None, edition: str = "partner") -> Proposal:
    """The proposal's typed contents in ``lang`` (en, ko, vi, id, es), from the engagement and its recommendation;
    ``edition`` is ``partner`` (for the partner government) or ``working`` (the team's copy with the method)."""
    from app.core.proposal import EDITIONS
    from app.core.proposal_build import build
    from app.i18n import PROPOSAL_LANGUAGES, translator

    if lang not in PROPOSAL_LANGUAGES:
        raise RenderError(f"unsupported proposal language {lang!r}; use one of {', '.join(PROPOSAL_LANGUAGES)}")
    if edition not in EDITIONS:
        raise RenderError(f"unknown edition {edition!r}; use one of {', '.join(EDITIONS)}")
    from app.core.proposal_build import CatalogTranslations
    from app.i18n import messages, reviewed

    rec = recommendation or recommend(catalog, engagement)
    content = CatalogTranslations(texts=messages("catalog", lang), reviewed=reviewed("catalog", lang))
    return build(catalog, engagement, rec, lang, today or dt.date.today(), translator("proposal", lang),
                 edition="working" if edition == "working" else "partner", content=content)


RENDER_STAGES = ("recommend", "build", "charts", "html", "layout", "write", "done")  # in order, for a progress bar


def render_proposal(catalog: Catalog, engagement: Engagement, lang: str = "en", draft: bool = False,
                    progress: Callable[[str, str], None] | None = None, chart_exporter: Any = None,
                    today: dt.date | None = None, edition: str = "partner", pool: RenderPool | None = None) -> bytes:
    """The proposal PDF. ``progress(stage, detail)`` hears each of ``RENDER_STAGES`` as it starts, with a detail in
    English for logs; ``chart_exporter``: None → the process's shared Kaleido exporter; ``charts.no_charts`` → tables
    only; ``edition``: ``partner`` (default) or ``working``; ``pool``: render in one of its worker processes."""
    from app.adapters import charts, render
    from app.i18n import PROPOSAL_LANGUAGES

    if pool is not None:
        return render_proposal_in(pool, catalog, engagement, lang, draft, progress, today, edition)
    if lang not in PROPOSAL_LANGUAGES:
        raise RenderError(f"unsupported proposal language {lang!r}; use one of {', '.join(PROPOSAL_LANGUAGES)}")
    say = progress or (lambda _stage, _detail: None)
    say("recommend", "recommend: scoring modules and choosing packages")
    rec = recommend(catalog, engagement)
    say("build", f"build: proposal contents in {lang}")
    proposal = build_proposal(catalog, engagement, rec, lang, today, edition)
    say("charts", "charts: exporting figures (alongside the layout)")
    job = charts.ChartJob(proposal, chart_exporter or charts.shared_exporter())
    if not any(job.urls.values()):
        say("charts", "charts: none available (no browser); tables only")
    say("html", "render: HTML")
    html = render.render_html(proposal, job.urls, draft=draft)
    result = render.write_pdf(html, proposal, progress=lambda s: say("layout" if s == "layout" else "write", f"render: {s}"),
                              charts=job)
    say("done", f"done: {len(result.pdf) // 1024} KB")
    return result.pdf


def generate_proposal(repo: Repository, engagement_id: str, catalog: Catalog, engagement: Engagement, lang: str = "en",
                      draft: bool = False, progress: Callable[[str, str], None] | None = None, edition: str = "partner",
                      renderer: RenderPool | RenderQueue | None = None, today: dt.date | None = None, *,
                      actor: Actor | None = None) -> bytes:
    """The proposal PDF of a stored engagement, rendered where this server renders (``renderer``, from
    :func:`app.services_queue.renderer`): by render workers through the database queue, in the server's render
    processes, or (None) in this process. ``actor`` must be allowed to change the engagement (generating stores a
    version); ``progress(stage, detail)`` hears the stages in the calling thread either way."""
    from app.adapters.render_queue import RenderQueue

    if isinstance(renderer, RenderQueue):
        from app.services_queue import render_queued

        return render_queued(renderer, repo, engagement_id, catalog, engagement, lang, draft, progress, edition, today, actor=actor)
    authorize(repo, actor, "edit", repo.get(engagement_id))
    return render_proposal(catalog, engagement, lang, draft, progress, today=today, edition=edition, pool=renderer)


def open_render_pool(catalog_dir: Path, cache_dir: Path | None = None, workers: int | None = None,
                     charts: bool = True) -> RenderPool:
    """A pool of render worker processes (one per core by default) for a server with several users; ``start()`` it
    to have every worker's imports, catalog and chart browser ready before the first request."""
    from app.adapters.render_pool import RenderPool

    return RenderPool(catalog_dir, cache_dir, workers, charts)


def shared_render_pool(catalog_dir: Path, cache_dir: Path | None, workers: int) -> RenderPool | None:
    """The server process's one render pool, or None with ``workers`` 0 (render in the calling process)."""
    if workers <= 0:
        return None
    from app.adapters.render_pool import shared_pool

    return shared_pool(catalog_dir, cache_dir, workers)


def render_proposal_in(pool: RenderPool, catalog: Catalog, engagement: Engagement, lang: str = "en", draft: bool = False,
                       progress: Callable[[str, str], None] | None = None, today: dt.date | None = None,
                       edition: str = "partner") -> bytes:
    """:func:`render_proposal` in one of ``pool``'s worker processes (``catalog`` is the pool's folder's catalog:
    a worker holding an older version of it reloads it); progress is reported in the calling thread."""
    from app.adapters.render_pool import RenderJob
    from app.core.proposal import EDITIONS
    from app.i18n import PROPOSAL_LANGUAGES

    if lang not in PROPOSAL_LANGUAGES:
        raise RenderError(f"unsupported proposal language {lang!r}; use one of {', '.join(PROPOSAL_LANGUAGES)}")
    if edition not in EDITIONS:
        raise RenderError(f"unknown edition {edition!r}; use one of {', '.join(EDITIONS)}")
    job = RenderJob(catalog_dir=pool.catalog_dir, catalog_version=catalog.version, cache_dir=pool.cache_dir,
                    engagement=engagement, lang=lang, draft=draft, edition=edition, today=today, charts=pool.charts)
    return pool.render(job, progress)


def language_coverage(catalog: Catalog) -> list[LanguageCoverage]:
    """Per proposal language other than English: the catalog texts it can print in that language, and how many were
    reviewed by a native speaker (``catalog.po`` for the languages the YAML files do not carry)."""
    from app.core.stats import language_coverage as coverage
    from app.i18n import PROPOSAL_LANGUAGES, messages, reviewed

    return [coverage(catalog, lang, messages("catalog", lang), reviewed("catalog", lang)) for lang in PROPOSAL_LANGUAGES if lang != "en"]


def translation_gaps(catalog: Catalog, root: Path) -> list[Problem]:
    """A problem for every catalog text (or unit) missing in a language that ``root/languages.yaml`` declares complete:
    Korean in the catalog files, the other languages in their ``catalog.po``. Raises ``CatalogError`` for a bad file."""
    from app.adapters.catalog_files import LANGUAGES_YAML, read_languages
    from app.core.stats import missing_texts, units
    from app.i18n import messages

    problems = []
    for lang in read_languages(root).complete:
        where = f"{root.name}/{LANGUAGES_YAML}" if lang == "ko" else f"templates/locales/{lang}/LC_MESSAGES/catalog.po"
        for english in missing_texts(catalog, lang, messages("catalog", lang), units(catalog)):
            short = english if len(english) <= 70 else english[:67] + "…"
            problems.append(Problem(where, lang, f"declared complete, but no {lang} text for “{short}”"))
    return problems


def slug(text: str) -> str:
    """A file-name-safe, lowercase ASCII version of ``text`` ("Hải Phòng" → "hai-phong")."""
    import re
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def prewarm_charts() -> None:
    """Start the shared chart server in the background (call early: at CLI start or when the web app boots)."""
    from app.adapters import charts

    charts.shared_exporter().prewarm()


def engagement_from_pdf(pdf_bytes: bytes, catalog: Catalog) -> Engagement:
    """The engagement attached to a proposal PDF, validated against the catalog (``EngagementError`` otherwise)."""
    import io

    import pypdf

    from app.adapters.render import ATTACHMENT_NAME

    if not pdf_bytes.startswith(b"%PDF-"):
        raise EngagementError([Problem("PDF", "", "not a PDF file")])
    try:
        attachments = pypdf.PdfReader(io.BytesIO(pdf_bytes)).attachments
    except Exception as exc:  # pypdf raises many kinds on a damaged or foreign file
        raise EngagementError([Problem("PDF", "", f"cannot read the PDF: {exc}")]) from None
    if ATTACHMENT_NAME not in attachments:
        raise EngagementError([Problem("PDF", "", f"no {ATTACHMENT_NAME} attached: was this PDF made by `kcity proposal`?")])
    try:
        data = json.loads(attachments[ATTACHMENT_NAME][0])
    except (ValueError, UnicodeDecodeError) as exc:
        raise EngagementError([Problem("PDF", ATTACHMENT_NAME, f"invalid JSON: {exc}")]) from None
    return parse_engagement(data, catalog, where=f"PDF {ATTACHMENT_NAME}")
