"""``kcity``: the pipeline without a browser — validate the catalog, recommend, render.

Commands stay thin: they parse arguments, call :mod:`app.services`, print. A ``KcityError`` becomes one line
per problem on stderr and exit code 1; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from app.errors import CatalogError, EngagementError, KcityError, Problem, ProblemsError, RenderError
from app.settings import Settings

if TYPE_CHECKING:
    from app.core.models import Catalog
    from app.services import CatalogStats

# Each command imports app.services (pydantic, OR-Tools, Babel…) when it runs, so `kcity --help` stays instant.

F = TypeVar("F", bound=Callable[..., Any])

# Plain Click help: rich's help renderer costs ~0.2 s of start-up for every command.
app = typer.Typer(help="K-Smart City Export Configurator: catalog, recommendations and proposals.", no_args_is_help=True, add_completion=False,
                  rich_markup_mode=None, pretty_exceptions_enable=False)
catalog_app = typer.Typer(help="Check and describe the solution catalog.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(catalog_app, name="catalog")

CatalogDir = Annotated[Path | None, typer.Argument(help="Catalog folder (default: the bundled catalog/).", show_default=False)]
CatalogOption = Annotated[Path | None, typer.Option("--catalog", help="Catalog folder (default: KCITY_CATALOG_DIR or the bundled "
                                                  "catalog/).", show_default=False)]


def _slug(text: str) -> str:
    from app import services

    return services.slug(text)


def _settings() -> Settings:
    return Settings.from_env()


def _catalog(directory: Path | None = None) -> Catalog:
    """The catalog in ``directory`` or the configured one, read from the cache when its files are unchanged."""
    from app import services

    settings = _settings()
    return services.load_catalog(directory or settings.catalog_dir, settings.cache_dir)


def _check_language(lang: str, allowed: tuple[str, ...]) -> str:
    if lang not in allowed:
        raise typer.BadParameter(f"{lang!r} is not a language of this command; use one of {', '.join(allowed)}", param_hint="--lang")
    return lang


def reports_errors(func: F) -> F:
    """Turn a ``KcityError`` into readable lines on stderr and exit code 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except KcityError as exc:
            for line in exc.lines() if isinstance(exc, ProblemsError) else [str(exc)]:
                typer.echo(line, err=True)
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]  # functools.wraps keeps the signature Typer reads; mypy cannot see it


def _stats_lines(stats: CatalogStats) -> list[str]:
    shares = stats.confidence_shares()
    return [
        f"catalog {stats.version}: OK",
        f"  modules            {stats.modules:>4}  (in {stats.domains_with_modules} domains)",
        f"  domains            {stats.domains:>4}",
        f"  needs              {stats.needs:>4}",
        f"  packages           {stats.packages:>4}",
        f"  financing channels {stats.financing:>4}",
        f"  countries          {stats.countries:>4}",
        f"  currencies         {stats.currencies:>4}",
        f"  sources            {stats.sources:>4}",
        "  cost confidence    " + ", ".join(f"{level} {shares[level]:.0%}" for level in ("high", "medium", "low")),
    ]


@catalog_app.command("validate")
@reports_errors
def catalog_validate(directory: CatalogDir = None) -> None:
    """Check every catalog file; print each problem as `file: field: message` (exit 1) or the counts."""
    from app import services

    catalog = _catalog(directory)
    gaps = services.translation_gaps(catalog, directory or _settings().catalog_dir)
    for problem in gaps:
        typer.echo(str(problem), err=True)
    if gaps:
        typer.echo(f"{len(gaps)} texts missing in languages the catalog declares complete", err=True)
        raise typer.Exit(1)
    for line in _stats_lines(services.catalog_stats(catalog)):
        typer.echo(line)
    warnings = services.catalog_warnings(catalog)
    for problem in warnings:
        typer.echo(f"warning: {problem}", err=True)
    typer.echo(f"  warnings           {len(warnings):>4}  (sources without a publication date)")


def _date(value: str | None, option: str) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", param_hint=option) from None


@catalog_app.command("stats")
@reports_errors
def catalog_stats(
    directory: CatalogDir = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Judge review ages on this date (YYYY-MM-DD; default today).",
                                              show_default=False)] = None,
) -> None:
    """Counts, the share of cost figures by confidence, editorial gaps (thin domains, short texts), and the modules and
    sources whose last review is more than a year old."""
    from app import services

    today = _date(as_of, "--as-of")
    catalog = _catalog(directory)
    for line in _stats_lines(services.catalog_stats(catalog)):
        typer.echo(line)
    for cov in services.language_coverage(catalog):
        typer.echo(f"  texts in {cov.lang}        {cov.translated / cov.texts:>4.0%}  ({cov.translated} of {cov.texts}: {cov.reviewed} "
                   f"written in the catalog files or reviewed, {cov.translated - cov.reviewed} machine-assisted)")
    findings = services.content_findings(catalog)
    typer.echo(f"  content findings   {len(findings):>4}")
    for finding in findings:
        typer.echo(f"    - {finding}")
    due = services.reviews_due(catalog, today)
    typer.echo(f"  reviews due        {len(due):>4}  (modules and sources reviewed more than a year before {today.isoformat()}, or never)")
    for item in due:
        typer.echo(f"    - {item}")


@catalog_app.command("review")
@reports_errors
def catalog_review(
    ids: Annotated[list[str], typer.Argument(help="Ids of the modules and sources reviewed.", show_default=False)],
    by: Annotated[str, typer.Option("--by", help="Who reviewed them.")],
    on: Annotated[str | None, typer.Option("--on", help="When (YYYY-MM-DD; default today).", show_default=False)] = None,
    directory: CatalogOption = None,
) -> None:
    """Record that modules and sources were checked against their sources: writes `reviewed: {on, by}` into their YAML,
    changing nothing else in the files."""
    from app import services

    if not by.strip():
        raise typer.BadParameter("name who reviewed", param_hint="--by")
    when = _date(on, "--on")
    root = directory or _settings().catalog_dir
    for ident in services.review_entries(root, ids, when, by.strip()):
        typer.echo(f"reviewed {ident}: {when.isoformat()} by {by.strip()}")


@catalog_app.command("schema")
def catalog_schema(
    out: Annotated[Path | None, typer.Option("--out", help="Folder for the JSON Schema files (default: catalog/schema).")] = None,
    check: Annotated[bool, typer.Option("--check", help="Exit 1 if the files on disk are stale instead of writing.")] = False,
) -> None:
    """Export JSON Schema for every catalog file kind from the models."""
    from app import services

    folder = out or _settings().catalog_dir / "schema"
    if check:
        stale = [name for name, text in services.schema_documents().items()
                 if not (folder / name).exists() or (folder / name).read_text(encoding="utf-8") != text]
        for name in stale:
            typer.echo(f"{folder / name}: stale; run `kcity catalog schema`", err=True)
        raise typer.Exit(1 if stale else 0)
    for path in services.write_schema(folder):
        typer.echo(f"wrote {path}")


@catalog_app.command("export")
@reports_errors
def catalog_export(
    workbook: Annotated[Path, typer.Argument(help="Excel file to write (.xlsx).")],
    directory: CatalogOption = None,
) -> None:
    """Write the catalog as an Excel workbook: one sheet per kind (modules, module_needs, needs, packages, financing,
    sources), drop-down lists for codes; edit it and bring it back with `kcity catalog import`."""
    from app import services

    root = directory or _settings().catalog_dir
    data = services.catalog_workbook(root)
    try:
        workbook.write_bytes(data)
    except OSError as exc:
        raise CatalogError([Problem(str(workbook), "", f"cannot write the workbook: {exc.strerror or exc}")]) from None
    typer.echo(f"wrote {workbook} ({len(data) // 1024} KB) from {root}")


@catalog_app.command("import")
@reports_errors
def catalog_import(
    workbook: Annotated[Path, typer.Argument(help="An Excel file made by `kcity catalog export` and edited.")],
    directory: CatalogOption = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check and show the changes without writing.")] = False,
) -> None:
    """Check a catalog workbook like `kcity catalog validate` (problems as `file: sheet!cell (field): message`, exit 1) and,
    when the whole catalog is valid, write the changed YAML files, keeping their comments and key order."""
    from app import services

    root = directory or _settings().catalog_dir
    try:
        data = workbook.read_bytes()
    except OSError as exc:
        raise CatalogError([Problem(str(workbook), "", f"cannot read the workbook: {exc.strerror or exc}")]) from None
    plan = services.plan_catalog_import(root, data, workbook.name)
    if not plan.changes:
        typer.echo("no changes: the workbook matches the catalog")
        return
    for change in plan.changes:
        typer.echo(str(change))
    for warning in plan.warnings:
        typer.echo(f"warning: {warning}", err=True)
    if plan.warnings:
        typer.echo(f"{len(plan.warnings)} new texts lack a translation the catalog promises: `kcity catalog validate` fails until "
                   "they are added (in the workbook's .vi/.id/.es columns or the catalog.po files)", err=True)
    if dry_run:
        typer.echo(f"{len(plan.changes)} files would change (dry run: nothing written)")
        return
    services.apply_catalog_import(plan)
    typer.echo(f"{len(plan.changes)} files written under {root}")


engagement_app = typer.Typer(help="Create engagement files.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(engagement_app, name="engagement")


@engagement_app.command("new")
@reports_errors
def engagement_new(
    country: Annotated[str, typer.Option("--country", help="ISO 3166 alpha-3 code, e.g. VNM.")],
    city: Annotated[str, typer.Option("--city", help="City name.")],
    population: Annotated[int, typer.Option("--population", min=1, help="City (or project area) population.")] = 500_000,
    area: Annotated[float, typer.Option("--area", min=0.01, help="Area in km².")] = 100.0,
    budget: Annotated[float, typer.Option("--budget", min=1, help="Budget envelope in US dollars.")] = 10_000_000,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File to write (.yaml or .json), `-` for stdout; "
                                                "default: <city>.yaml in the current folder.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the file if it exists.")] = False,
) -> None:
    """Write an engagement prefilled from the country's indicators (suggested needs, estimated readiness)."""
    from app import services

    catalog = _catalog()
    code = country.strip().upper()
    if code not in catalog.countries:
        raise EngagementError([Problem("--country", "", f"unknown country code {country!r} (ISO 3166 alpha-3, e.g. VNM)")])
    engagement = services.new_engagement(catalog, code, city, population, area, budget_usd=budget)
    if output == Path("-"):
        typer.echo(services.dump_engagement(engagement))
        return
    output = output or Path(f"{_slug(city) or 'engagement'}.yaml")
    if not output.resolve().parent.is_dir():
        raise EngagementError([Problem(str(output), "", f"the folder {output.resolve().parent} does not exist")])
    if output.exists() and not force:
        raise EngagementError([Problem(str(output), "", "already exists; choose another file with -o or pass --force")])
    services.write_engagement(engagement, output)
    typer.echo(f"wrote {output}: {len(engagement.needs)} suggested needs, readiness estimated from indicators — review both")


@app.command("recommend")
@reports_errors
def recommend(
    engagement_file: Annotated[Path, typer.Argument(help="Engagement file (.yaml or .json).")],
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    lang: Annotated[str, typer.Option("--lang", help="Language of the explanations (en or ko).")] = "en",
) -> None:
    """Score the modules, choose the packages under the budget, and print them with the reasons."""
    if fmt not in ("table", "json"):
        raise typer.BadParameter("use table or json", param_hint="--format")
    _check_language(lang, ("en", "ko"))
    from app import services
    from app.core import explain

    catalog = _catalog()
    engagement = services.load_engagement(engagement_file, catalog)
    rec = services.recommend(catalog, engagement)
    if fmt == "json":
        typer.echo(json.dumps(explain.recommendation_dict(rec, catalog, lang), indent=2, ensure_ascii=False))
        return
    for line in explain.recommendation_table(rec, catalog, engagement, lang):
        typer.echo(line)


@app.command("proposal")
@reports_errors
def proposal(
    engagement_file: Annotated[Path, typer.Argument(help="Engagement file (.yaml or .json).")],
    output: Annotated[Path, typer.Option("-o", "--output", help="PDF file to write.")] = Path("proposal.pdf"),
    lang: Annotated[str, typer.Option("--lang", help="Language: en, ko, vi, id or es.")] = "en",
    draft: Annotated[bool, typer.Option("--draft", help="Print a DRAFT watermark on every page.")] = False,
    working: Annotated[bool, typer.Option("--working-paper", help="The consulting team's edition: with the method, scores, "
                                          "why-nots, internal notes and reproducibility records (not for the partner).")] = False,
) -> None:
    """Render the pre-consulting proposal PDF for an engagement (the partner edition unless --working-paper)."""
    from app import services
    from app.i18n import PROPOSAL_LANGUAGES

    _check_language(lang, PROPOSAL_LANGUAGES)
    if not output.resolve().parent.is_dir():
        raise RenderError(f"{output}: the folder {output.resolve().parent} does not exist")
    services.prewarm_charts()  # Chrome starts while the catalog and the engagement load
    catalog = _catalog()
    engagement = services.load_engagement(engagement_file, catalog)
    pdf = services.render_proposal(catalog, engagement, lang=lang, draft=draft, progress=lambda _stage, detail: typer.echo(f"  {detail}"),
                                   edition="working" if working else "partner")
    try:
        output.write_bytes(pdf)
    except OSError as exc:
        raise RenderError(f"{output}: cannot write the PDF: {exc.strerror or exc}") from None
    typer.echo(f"wrote {output}")


@app.command("open")
@reports_errors
def open_proposal(
    pdf_file: Annotated[Path, typer.Argument(help="A proposal PDF made by `kcity proposal`.")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Engagement file to write (.yaml or .json); stdout if omitted.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the file if it exists.")] = False,
) -> None:
    """Restore the engagement attached to a proposal PDF."""
    if output is not None and output.exists() and not force:
        raise EngagementError([Problem(str(output), "", "already exists; choose another file with -o or pass --force")])
    from app import services

    catalog = _catalog()
    try:
        data = pdf_file.read_bytes()
    except OSError as exc:
        raise EngagementError([Problem(str(pdf_file), "", f"cannot read the file: {exc.strerror or exc}")]) from None
    engagement = services.engagement_from_pdf(data, catalog)
    if output is None:
        typer.echo(services.dump_engagement(engagement))
        return
    services.write_engagement(engagement, output)
    typer.echo(f"wrote {output}")


def _team_commands() -> None:
    """``kcity user add|list|set`` and ``kcity audit`` (in :mod:`app.cli_team`) and ``kcity render-worker`` (in
    :mod:`app.cli_worker`), each reporting errors as one line."""
    from app import cli_team, cli_worker

    app.add_typer(cli_team.user_app, name="user")
    cli_team.user_app.command("add")(reports_errors(cli_team.user_add))
    cli_team.user_app.command("list")(reports_errors(cli_team.user_list))
    cli_team.user_app.command("set")(reports_errors(cli_team.user_set))
    app.command("audit")(reports_errors(cli_team.audit))
    app.command("render-worker")(reports_errors(cli_worker.render_worker))


_team_commands()


def main(argv: list[str] | None = None) -> None:
    """Run ``kcity``: a usage error (unknown option, bad value, missing argument) is one line on stderr and exit 1."""
    # Typer 0.29 vendors Click as typer._click (pinned in uv.lock); its public names do not include UsageError.
    from typer import Abort
    from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError

    try:
        code = app(args=argv, prog_name="kcity", standalone_mode=False)
    except NoArgsIsHelpError as exc:  # `kcity catalog` alone: its help
        if exc.ctx is not None:
            typer.echo(exc.ctx.get_help())
        raise SystemExit(0) from None
    except UsageError as exc:
        where = f"{exc.ctx.command_path}: " if exc.ctx is not None else "kcity: "
        typer.echo(f"{where}{exc.format_message()} (see --help)", err=True)
        raise SystemExit(1) from None
    except ClickException as exc:
        typer.echo(f"kcity: {exc.format_message()}", err=True)
        raise SystemExit(1) from None
    except Abort:
        typer.echo("kcity: aborted", err=True)
        raise SystemExit(1) from None
    raise SystemExit(code if isinstance(code, int) else 0)
