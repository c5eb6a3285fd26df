"""The proposal model as a contract: sections, citations, languages, formatting and charts — without a PDF."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys

import pytest

from app import services
from app.adapters import charts, render
from app.core.models import LocalizedText
from app.core.proposal import Proposal, Text
from app.core.proposal_build import CHAPTERS, Sources
from app.core.recommendation import MoneyRange
from app.i18n import missing
from tests.conftest import ROOT
from tests.integration.test_proposal_pdf import example_engagement

TODAY = dt.date(2026, 11, 25)


@pytest.fixture(scope="module")
def case(bundled_catalog):
    engagement = example_engagement(bundled_catalog)
    return bundled_catalog, engagement, services.recommend(bundled_catalog, engagement)


@pytest.fixture(scope="module")
def proposal(case) -> Proposal:
    catalog, engagement, rec = case
    return services.build_proposal(catalog, engagement, rec, "en", TODAY)


def _refs(obj) -> list[int]:
    """Every citation number anywhere in the model, and those written inside text."""
    found: list[int] = []
    if isinstance(obj, dict):
        for key, value in obj.items():
            if key == "refs" or key.endswith("_refs"):
                found += value
            else:
                found += _refs(value)
    elif isinstance(obj, list):
        for value in obj:
            found += _refs(value)
    elif isinstance(obj, str):
        found += [int(n) for group in re.findall(r"\[(\d+(?:, \d+)*)\]", obj) for n in group.split(", ")]
    return found


def test_proposal_records_catalog_version_input_hash_language_and_date(proposal, case):
    catalog, engagement, _ = case
    assert proposal.meta.catalog_version == catalog.version
    assert proposal.meta.input_hash == engagement.input_hash()
    assert proposal.meta.lang == "en" and proposal.meta.date == TODAY


def test_chapters_follow_the_brief_outline(proposal):
    assert [c.anchor for c in proposal.chapters] == [a for a, _n, _t in CHAPTERS]
    assert [c.number for c in proposal.chapters if c.number] == [str(n) for n in range(1, 14)]


def test_every_citation_resolves_and_every_source_is_cited(proposal):
    data = proposal.model_dump(mode="json", exclude={"engagement_json"})
    data.pop("sources")
    cited = set(_refs(data))
    assert cited == set(range(1, len(proposal.sources) + 1))
    assert [s.number for s in proposal.sources] == list(range(1, len(proposal.sources) + 1))


def test_catalog_citations_in_text_are_renumbered(bundled_catalog):
    src = Sources(bundled_catalog)
    sid = next(iter(bundled_catalog.sources))
    assert src.rewrite(f"A fact [{sid}].") == "A fact [1]."
    assert src.rewrite("Not a source [XX-unknown-zz].") == "Not a source [XX-unknown-zz]."


def test_costs_and_modules_come_from_the_engine(proposal, case):
    _, _, rec = case
    assert proposal.costs.capex_with_contingency == rec.costs.capex_with_contingency
    assert proposal.costs.total_over_horizon == rec.costs.total_over_horizon
    assert [m.id for m in proposal.packages.modules] == [i.module_id for i in rec.roadmap.items]
    assert all(m.why.text for m in proposal.packages.modules)


def test_the_build_is_deterministic(case, proposal):
    catalog, engagement, rec = case
    assert services.build_proposal(catalog, engagement, rec, "en", TODAY) == proposal


def test_korean_proposal_uses_korean_catalog_text_and_frame_text(case):
    catalog, engagement, rec = case
    ko = services.build_proposal(catalog, engagement, rec, "ko", TODAY)
    assert ko.cover.title == "스마트시티 사전컨설팅 제안서" and ko.cover.title_alt == "Smart city pre-consulting proposal"
    first = ko.packages.modules[0]
    assert first.name.text == catalog.modules[first.id].name.ko and not first.name.fallback
    assert not ko.meta.fallback_used


def test_partner_languages_mark_english_fallback(case):
    from app.core.proposal_build import CatalogTranslations, build

    catalog, engagement, rec = case
    vi = build(catalog, engagement, rec, "vi", TODAY, content=CatalogTranslations())  # no catalog translation at all
    assert vi.meta.fallback_used
    first = vi.packages.modules[0]
    assert first.description.fallback == (not catalog.modules[first.id].description.has("vi"))


def test_unknown_language_is_a_render_error(case):
    from app.errors import RenderError

    catalog, engagement, rec = case
    with pytest.raises(RenderError):
        services.build_proposal(catalog, engagement, rec, "fr", TODAY)


def test_text_fallback_flag_only_for_languages_without_text():
    t = LocalizedText(en="Hello", ko="안녕")
    assert Text(text=t.get("vi"), fallback=not t.has("vi")).fallback


@pytest.mark.parametrize(("lang", "expected"), [("en", "$1,235,000"), ("ko", "US$1,235,000"), ("vi", "1.235.000 US$"),
                                                 ("es", "1.235.000 US$"), ("id", "US$1.235.000")])
def test_money_is_rounded_and_formatted_per_locale(lang, expected):
    assert render.money(1_234_567, "USD", lang).replace("\xa0", " ") == expected


def test_money_range_and_dates():
    r = MoneyRange(min=1000, typical=2000, max=3000, currency="USD")
    assert render.money_range(r, "en") == "$1,000 – $3,000"
    assert render.date(TODAY, "ko") == "2026년 11월 25일"
    assert render.indicator(0.7709, "en") == "0.771"


def test_templates_escape_user_text(case):
    catalog, engagement, _rec = case
    hostile = engagement.model_copy(update={"city": "<script>x</script>", "notes": "<img src=x>"})
    p = services.build_proposal(catalog, hostile, services.recommend(catalog, hostile), "en", TODAY)
    html = render.render_html(p, {})
    assert "<script>x</script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    assert "<img src=x>" not in html


def test_frame_text_is_translated_in_every_language_and_catalogs_are_current():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "proposal_messages.py"), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    sys.path.insert(0, str(ROOT / "scripts"))
    from proposal_messages import extract

    for lang in ("ko", "vi", "id", "es"):
        assert missing("proposal", lang, extract()) == [], lang


def test_message_check_ignores_the_header_and_the_year_but_not_the_messages(tmp_path):
    sys.path.insert(0, str(ROOT / "scripts"))
    import datetime as dt

    from proposal_messages import LANGS, extract, stale, update

    messages = extract()
    next_year = dt.datetime(dt.date.today().year + 1, 1, 1, tzinfo=dt.UTC)
    for lang in LANGS:
        path = tmp_path / lang / "LC_MESSAGES" / "proposal.po"
        path.parent.mkdir(parents=True)
        text = update(lang, messages, now=next_year).replace(b"Generated-By: Babel", b"Generated-By: Babel 99.0 was")
        path.write_bytes(text + f'\n# written {next_year:%Y}\n'.encode())
    assert stale(messages, tmp_path) == []
    assert [p.parts[-3] for p in stale([*messages, "A sentence added to a template"], tmp_path)] == list(LANGS)
    assert len(stale(messages[1:], tmp_path)) == len(LANGS)


def test_figures_carry_the_proposal_data(proposal):
    figs = charts.figures(proposal)
    assessed = sum(r.score is not None for r in proposal.diagnosis.readiness)
    left_out = set() if assessed >= charts.RADAR_MIN_ASSESSED else {"readiness"}
    left_out |= {"cost_phase"} if len(proposal.costs.by_phase) < 2 else set()  # a single bar says nothing
    left_out |= {"cost_domain"} if len(proposal.costs.by_domain) < 2 else set()
    left_out |= charts.TEAM_ONLY if not proposal.meta.working else set()  # tables say the same to the partner
    assert set(figs) == set(charts.FIGURES) - left_out
    if "readiness" in figs:
        assert list(figs["readiness"].data[0].r[:-1]) == [r.score for r in proposal.diagnosis.readiness]
    assert len(figs["gantt"].data[0].y) == len(proposal.roadmap.items)
    if "cost_phase" in figs:
        assert list(figs["cost_phase"].data[0].y) == [r.range.typical / 1e6 for r in proposal.costs.by_phase]


def test_the_partner_edition_draws_no_chart_that_a_table_beside_it_repeats(proposal):
    partner = proposal.model_copy(update={"meta": proposal.meta.model_copy(update={"edition": "partner"})})
    working = proposal.model_copy(update={"meta": proposal.meta.model_copy(update={"edition": "working"})})
    assert not charts.TEAM_ONLY & set(charts.figures(partner))
    assert {"tiers", "financing_mix"} <= set(charts.figures(working))


def test_a_readiness_radar_is_drawn_only_when_most_dimensions_were_assessed(proposal):
    rows = proposal.diagnosis.readiness
    few = proposal.model_copy(update={"diagnosis": proposal.diagnosis.model_copy(update={
        "readiness": [r.model_copy(update={"score": 2 if i < 2 else None}) for i, r in enumerate(rows)]})})
    many = proposal.model_copy(update={"diagnosis": proposal.diagnosis.model_copy(update={
        "readiness": [r.model_copy(update={"score": 2}) for r in rows]})})
    assert charts.readiness(few) is None and charts.readiness(many) is not None


def test_without_an_exporter_every_chart_is_none(proposal):
    out, _secs = charts.render_charts(proposal, charts.no_charts)
    assert out and not any(out.values())


def test_names_in_prose_are_listed_as_each_language_writes_a_list():
    from app.core.proposal import Text as T

    items = [T(text="Flooding"), T(text="Road safety"), T(text="Air <quality>", fallback=True)]
    english = str(render.listing(items, "en"))
    assert english.index("Flooding") < english.index("Road safety") < english.index("Air &lt;quality&gt;")  # escaped
    assert " and Air" in english and english.endswith('<span class="en-tag">(EN)</span>')  # the mark stays on its item
    assert " y " in str(render.listing(items[:2], "es")) and " and " not in str(render.listing(items[:2], "es"))
    assert render.listing([], "en") == ""


def test_catalog_translation_files_list_exactly_the_catalog_texts():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "catalog_messages.py"), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_a_partner_language_prints_catalog_translations_and_says_which_await_review(case):
    from app.core.proposal_build import CatalogTranslations, build

    catalog, engagement, rec = case
    module = catalog.modules[rec.tier("recommended").module_ids[0]]
    content = CatalogTranslations(texts={module.name.en: "Tên mô-đun", module.summary.en: "Tóm tắt"},
                                  reviewed=frozenset({module.summary.en}))
    proposal = build(catalog, engagement, rec, "vi", TODAY, content=content)
    card = next(c for c in proposal.packages.modules if c.id == module.id)
    assert (card.name.text, card.name.fallback, card.summary.text) == ("Tên mô-đun", False, "Tóm tắt")
    assert card.description.fallback  # not translated: English, marked
    unreviewed = build(catalog, engagement, rec, "vi", TODAY, content=CatalogTranslations(texts=dict(content.texts)))
    assert 0 < proposal.meta.machine_assisted < unreviewed.meta.machine_assisted  # a reviewed text is not counted
    assert build(catalog, engagement, rec, "vi", TODAY).meta.machine_assisted == 0


def test_language_coverage_counts_the_texts_a_language_can_print(bundled_catalog):
    from app.core.stats import language_coverage, localized_texts

    texts = {t.en for t in localized_texts(bundled_catalog)}
    one = next(iter(texts))
    assert language_coverage(bundled_catalog, "ko", {}, frozenset()).translated == len(texts)  # Korean is in the YAML
    vi = language_coverage(bundled_catalog, "vi", {one: "x"}, frozenset({one}))
    assert (vi.texts, vi.translated, vi.reviewed) == (len(texts), 1, 1)


def test_a_scoped_down_study_is_not_called_a_pilot_and_a_need_answered_in_part_is_not_called_unanswered(bundled_catalog):
    engagement = services.load_engagement(ROOT / "catalog" / "examples" / "issyk-kul-masterplan.yaml", bundled_catalog)
    # the 2022 budget at today's prices (the full plan fits it in 2022 money, the case's own year)
    engagement = engagement.model_copy(update={"start_date": dt.date(2027, 1, 1)})
    rec = services.recommend(bundled_catalog, engagement)
    summary = services.build_proposal(bundled_catalog, engagement, rec, "en", TODAY).summary
    lines = {line.module.text: line.study for line in summary.pilots}
    assert lines["Smart city master plan and feasibility study"] is True  # a planning study, scoped down
    assert lines["3-D city digital twin"] is False  # a deployment, piloted
    assert [t.text for t in summary.partly] == ["New town development"]  # the master plan answers it in part
    assert summary.unanswered == []


@pytest.mark.parametrize(("name", "lang", "expected"), [
    ("Traffic congestion", "en", "traffic congestion"), ("E-government services", "en", "e-government services"),
    ("IoT sensor network", "en", "IoT sensor network"), ("ITS / adaptive signals", "en", "ITS / adaptive signals"),
    ("3-D city digital twin", "en", "3-D city digital twin"), ("AI video analytics", "es", "AI video analytics"),
    ("Ùn tắc giao thông", "vi", "ùn tắc giao thông"), ("Traffic congestion", "ko", "Traffic congestion"),
])
def test_a_sentence_cased_name_reads_lower_case_inside_a_sentence_but_acronyms_stay(name, lang, expected):
    assert render.in_prose(name, lang) == expected


def test_sources_annex_gives_the_review_span_of_the_proposed_modules_and_cited_sources(case):
    from app.core.models import Review

    catalog, engagement, rec = case
    plain = services.build_proposal(catalog, engagement, rec, "en", TODAY)
    cited = {s.id for s in plain.sources}
    dates = {sid: dt.date(2026, 1, 1) + dt.timedelta(days=i) for i, sid in enumerate(sorted(cited))}
    sources = {k: s.model_copy(update={"reviewed": Review(on=dates[k], by="Kim")}) if k in dates else s.model_copy(update={"reviewed": None})
               for k, s in catalog.sources.items()}
    modules = {k: m.model_copy(update={"reviewed": Review(on=dt.date(2025, 6, 1), by="Lee")}) for k, m in catalog.modules.items()}
    reviewed = catalog.model_copy(update={"sources": sources, "modules": modules})
    proposal = services.build_proposal(reviewed, engagement, rec, "en", TODAY)
    assert proposal.catalog_reviewed == (dt.date(2025, 6, 1), max(dates.values()))
    unreviewed = catalog.model_copy(update={"sources": {k: s.model_copy(update={"reviewed": None}) for k, s in catalog.sources.items()},
                                            "modules": {k: m.model_copy(update={"reviewed": None}) for k, m in catalog.modules.items()}})
    assert services.build_proposal(unreviewed, engagement, rec, "en", TODAY).catalog_reviewed is None


def test_the_sources_annex_says_when_its_entries_were_reviewed_and_the_working_paper_names_the_catalog_version(case):
    import html

    from app.core.models import Review

    catalog, engagement, rec = case
    stamped = catalog.model_copy(update={
        "modules": {k: m.model_copy(update={"reviewed": Review(on=dt.date(2026, 11, 25), by="Kim")}) for k, m in catalog.modules.items()},
        "sources": {k: s.model_copy(update={"reviewed": Review(on=dt.date(2026, 11, 25), by="Kim")}) for k, s in catalog.sources.items()}})
    partner = html.unescape(render.render_html(services.build_proposal(stamped, engagement, rec, "en", TODAY), {}))
    assert "The proposed modules and the sources cited were last reviewed on November 25, 2026." in partner
    assert "Solution catalog version" not in partner
    working = html.unescape(render.render_html(services.build_proposal(stamped, engagement, rec, "en", TODAY, edition="working"), {}))
    assert f"Solution catalog version {rec.catalog_version}. The proposed modules" in working


def test_each_cost_row_says_what_its_price_covers(proposal, case):
    catalog, _, rec = case
    from app.core.proposal_money import SCOPE_WORDS

    scopes = {SCOPE_WORDS[catalog.modules[c.module_id].cost.scope] for c in rec.costs.modules}
    assert len(proposal.costs.rows) == len(rec.costs.modules)
    assert {row.scope for row in proposal.costs.rows} == scopes
    assert all(f"{row.basis}, {row.scope}, {row.confidence}" in render.render_html(proposal, {}) for row in proposal.costs.rows[:3])


def test_korean_domestic_prices_quoted_abroad_carry_the_delivery_caveat_once(case):
    catalog, engagement, rec = case
    assert engagement.country != "KOR"
    domestic = [c.module_id for c in rec.costs.modules if catalog.modules[c.module_id].cost.priced_in == "KOR"]
    built = services.build_proposal(catalog, engagement, rec, "en", TODAY)
    assert built.costs.korean_prices_abroad == bool(domestic)
    at_home = services.build_proposal(catalog, engagement.model_copy(update={"country": "KOR"}), rec, "en", TODAY)
    assert not at_home.costs.korean_prices_abroad
    sentence = "Korean domestic prices exclude overseas delivery"
    assert render.render_html(built, {}).count(sentence) == (1 if domestic else 0)
    assert sentence not in render.render_html(at_home, {})


@pytest.mark.parametrize(("today", "deadline"), [
    (dt.date(2026, 11, 25), dt.date(2027, 4, 30)),  # after this year's cut-off: next year's
    (dt.date(2027, 2, 1), dt.date(2027, 4, 30)),
    (dt.date(2027, 4, 30), dt.date(2027, 4, 30)),  # the last day still counts
    (dt.date(2027, 5, 1), dt.date(2028, 4, 30)),
])
def test_the_decision_asked_names_the_planning_channels_next_intake_cut_off(case, today, deadline):
    catalog, engagement, rec = case
    assert catalog.financing["kcity-planning"].intake_cutoff_month == 4  # "received by April … the current year"
    summary = services.build_proposal(catalog, engagement, rec, "en", today).summary
    assert summary.request_by == deadline
    html = render.render_html(services.build_proposal(catalog, engagement, rec, "en", today), {})
    decision = re.search(r"Decision asked:?</strong>:?(.*?)</p>", html, re.S)
    assert decision and f"by {render.date(deadline)} and considered in the {deadline.year} selection" in decision.group(1)


def test_without_an_intake_rule_the_decision_asked_names_no_date(case):
    catalog, engagement, rec = case
    planning = catalog.financing["kcity-planning"].model_copy(update={"intake_cutoff_month": None})
    catalog = catalog.model_copy(update={"financing": {**catalog.financing, "kcity-planning": planning}})
    proposal = services.build_proposal(catalog, engagement, rec, "en", TODAY)
    assert proposal.summary.request_by is None
    assert "so that the planning study can be requested.</p>" in render.render_html(proposal, {})


def test_a_risk_mitigation_names_a_later_phase_only_when_the_roadmap_has_one(bundled_catalog):
    for path in sorted((ROOT / "catalog" / "examples").glob("*.yaml")):
        if path.name == "expectations.yaml":
            continue
        engagement = services.load_engagement(path, bundled_catalog)
        rec = services.recommend(bundled_catalog, engagement)
        later = any(i.phase in ("phase_2", "phase_3") for i in rec.roadmap.items)
        proposal = services.build_proposal(bundled_catalog, engagement, rec, "en", TODAY)
        for row in proposal.risks.rows:
            assert later or "phase 2" not in row.mitigation, (path.stem, row.mitigation)


def test_the_summary_does_not_say_the_city_named_needs_the_consultant_entered(proposal):
    """The engagement's needs are the consultant's assessment (some assumed, some suggested by indicators): the summary
    lists the less severe ones as covered by the assessment, not as named by the city."""
    html = render.render_html(proposal, {})
    assert proposal.summary.others
    assert "The city also named" not in html and "The assessment also covers" in html


def test_a_planning_study_scheduled_before_the_k_city_cut_off_says_when_that_call_could_fund_it(case):
    catalog, engagement, rec = case
    early = services.build_proposal(catalog, engagement, rec, "en", TODAY)
    study = next(ph for ph in early.roadmap.phases if ph.code == "planning")
    assert study.start <= dt.date(2027, 4, 30)  # the study is scheduled before the April 2027 cut-off
    assert early.roadmap.planning_call_by == dt.date(2027, 4, 30)
    assert "If the K-City Network is to fund it, the proposal reaches KIND by" in render.render_html(early, {})
    later = engagement.model_copy(update={"start_date": dt.date(2027, 9, 1)})
    rec_later = services.recommend(catalog, later)
    late = services.build_proposal(catalog, later, rec_later, "en", TODAY)
    assert late.roadmap.planning_call_by is None
    assert "If the K-City Network is to fund it" not in render.render_html(late, {})
