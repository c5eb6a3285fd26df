"""The partner edition of every bundled example says nothing a partner government should not read.

Rendered to HTML (the same templates as the PDF, without the layout step) and read as text: no scoring arithmetic,
no hashes, no raw codes, no internal notes, no paragraph said twice, no Korean particle written both ways. The
working paper keeps the method for the team.
"""

from __future__ import annotations

import collections
import html
import re
from pathlib import Path

import pytest
import yaml

from app import services
from app.adapters import render
from app.core.vocab import APPLICANT_TYPES, EXISTING_SYSTEMS, PREREQUISITE_CODES, PROJECT_TYPES, READINESS_DIMENSIONS
from tests.conftest import ROOT

EXAMPLES = sorted(p for p in (ROOT / "catalog" / "examples").glob("*.yaml") if p.name != "expectations.yaml")
ARITHMETIC = re.compile(r"\(\d×\d\)|\(×\d|×0\.\d|\bFit \d")
TAG = re.compile(r"<[^>]+>")
PARAGRAPH = re.compile(r"<p[^>]*>(.*?)</p>", re.S)


def rendered(catalog, path: Path, lang: str, edition: str = "partner") -> tuple[str, str, object]:
    engagement = services.parse_engagement(yaml.safe_load(path.read_text(encoding="utf-8")), catalog, str(path))
    rec = services.recommend(catalog, engagement)
    proposal = services.build_proposal(catalog, engagement, rec, lang, edition=edition)
    page = render.render_html(proposal, {})
    text = html.unescape(TAG.sub(" ", page)).replace("\u2060", "")
    return page, re.sub(r"\s+", " ", text), rec


def internal_tokens(text: str, catalog, rec) -> list[str]:
    found = [m.group(0) for m in ARITHMETIC.finditer(text)]
    found += [h for h in (rec.catalog_version, rec.input_hash) if h in text]
    codes = {*APPLICANT_TYPES, *PROJECT_TYPES, *PREREQUISITE_CODES, *EXISTING_SYSTEMS, *READINESS_DIMENSIONS, *catalog.needs}
    found += [c for c in codes if re.search(rf"(?<![\w/.-]){re.escape(c)}(?![\w/-])", text) and ("_" in c or "." in c)]
    found += [s for s in ("Example (public case)", "Real: ", "Assumed: ", "은(는)", "이(가)", "을(를)", "과(와)") if s in text]
    return sorted(set(found))


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_the_partner_edition_carries_no_internal_token_and_says_each_paragraph_once(bundled_catalog, path):
    page, text, rec = rendered(bundled_catalog, path, "en")
    assert internal_tokens(text, bundled_catalog, rec) == []
    paragraphs = [re.sub(r"\s+", " ", html.unescape(TAG.sub("", p))).strip() for p in PARAGRAPH.findall(page)]
    repeated = [p for p, n in collections.Counter(p for p in paragraphs if len(p) > 80).items() if n > 1]
    assert repeated == []


@pytest.mark.parametrize("stem", ["haiphong-traffic-management", "tam-ky-operations-centre"])
def test_the_korean_partner_edition_writes_each_particle_once(bundled_catalog, stem):
    _page, text, rec = rendered(bundled_catalog, ROOT / "catalog" / "examples" / f"{stem}.yaml", "ko")
    assert internal_tokens(text, bundled_catalog, rec) == []


def test_the_working_paper_keeps_the_method_the_scores_and_the_notes(bundled_catalog):
    path = ROOT / "catalog" / "examples" / "haiphong-traffic-management.yaml"
    _page, text, rec = rendered(bundled_catalog, path, "en", edition="working")
    assert rec.input_hash in text and ARITHMETIC.search(text) and "Real: " in text


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_each_goal_is_measured_by_the_modules_made_for_its_need_and_phases_come_in_order(bundled_catalog, path):
    from app.core.roadmap import PHASE_ORDER

    engagement = services.parse_engagement(yaml.safe_load(path.read_text(encoding="utf-8")), bundled_catalog, str(path))
    rec = services.recommend(bundled_catalog, engagement)
    proposal = services.build_proposal(bundled_catalog, engagement, rec, "en")
    names = {m.name.en: m for m in bundled_catalog.modules.values()}
    needs = {n.name.en: code for code, n in bundled_catalog.needs.items()}
    for goal in proposal.vision.goals:
        for kpi in goal.kpis:
            assert names[kpi.module.text].relevance(needs[goal.need.text]) == 3, (goal.need.text, kpi.module.text)
    measured = [k.name.text for g in proposal.vision.goals for k in g.kpis]
    assert len(measured) == len(set(measured)), "an indicator measures only one goal"
    served = [c for c, n in sorted(engagement.needs.items(), key=lambda kv: (-kv[1].severity, kv[0]))
              if any(bundled_catalog.modules[m].relevance(c) == 3 for m in rec.tier("recommended").module_ids)]
    assert [needs[g.need.text] for g in proposal.vision.goals] == served[:5], "every need the package answers has a goal"
    order = [PHASE_ORDER.index(i.phase) for i in rec.roadmap.items]
    assert order == sorted(order)
    assert next(iter(rec.roadmap.phases)) == "planning"
    numbered = [p for p in rec.roadmap.phases if p.startswith("phase_")]
    assert numbered == [f"phase_{i}" for i in range(1, len(numbered) + 1)]


def test_the_partners_own_language_edition_uses_the_local_names(bundled_catalog):
    path = ROOT / "catalog" / "examples" / "haiphong-traffic-management.yaml"
    _page, vi, _rec = rendered(bundled_catalog, path, "vi")
    _page, en, _rec = rendered(bundled_catalog, path, "en")
    assert "Hải Phòng" in vi and "Ủy ban nhân dân thành phố Hải Phòng" in vi and "Haiphong People's Committee" not in vi
    assert "Haiphong People's Committee" in en and "Hải Phòng" not in en


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_the_financing_plan_adds_up_per_phase(bundled_catalog, path):
    engagement = services.parse_engagement(yaml.safe_load(path.read_text(encoding="utf-8")), bundled_catalog, str(path))
    rec = services.recommend(bundled_catalog, engagement)
    plan = services.build_proposal(bundled_catalog, engagement, rec, "en").financing.plan
    assert len(plan) == len(rec.costs.by_phase)
    for row in plan:
        assert 0 <= row.grant_usd <= row.cost_usd
        assert row.gap_usd == pytest.approx(row.cost_usd - row.grant_usd)
        assert (row.grant is None) == (row.grant_usd == 0)


def test_an_unassessed_law_is_reported_from_the_national_dataset_with_its_source_not_as_unknown(bundled_catalog):
    path = ROOT / "catalog" / "examples" / "haiphong-traffic-management.yaml"
    engagement = services.parse_engagement(yaml.safe_load(path.read_text(encoding="utf-8")), bundled_catalog, str(path))
    assert engagement.readiness.data_protection_law is None  # the consultant did not assess it
    dp = bundled_catalog.countries["VNM"].data_protection
    _page, text, _rec = rendered(bundled_catalog, path, "en")
    assert f"UNCTAD Global Cyberlaw Tracker ({dp.year}) records national data-protection legislation" in text
    assert dp.laws[0].split()[0] in text and "has not been assessed yet" not in text
    assert "The legal basis for processing personal data has not been assessed yet" not in text


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_a_roadmap_without_a_pilot_phase_never_refers_to_the_pilot(bundled_catalog, path):
    _page, text, rec = rendered(bundled_catalog, path, "en")
    if any(i.phase == "pilot" for i in rec.roadmap.items):
        return
    for phrase in ("from the pilot", "the pilot's results", "eligible for the pilot", "residents in the pilot"):
        assert phrase not in text, phrase


def test_numbers_in_the_spanish_edition_are_written_the_spanish_way(bundled_catalog):
    path = ROOT / "catalog" / "examples" / "haiphong-traffic-management.yaml"
    engagement = services.parse_engagement(yaml.safe_load(path.read_text(encoding="utf-8")), bundled_catalog, str(path))
    _page, es, _rec = rendered(bundled_catalog, path, "es")
    spanish = f"{engagement.population:,}".replace(",", ".")  # 2.030.000, never 2,030,000
    assert spanish in es and f"{engagement.population:,}" not in es
