"""The bundled catalog: complete, sourced, bilingual and internally consistent (issue 3's content rules)."""

from __future__ import annotations

from collections import Counter

from app.core.catalog_checks import dependency_cycles
from app.core.models import word_count
from app.services import catalog_stats, content_findings


def test_bundled_catalog_meets_the_size_targets(bundled_catalog):
    stats = catalog_stats(bundled_catalog)
    assert stats.modules >= 60
    assert stats.domains_with_modules >= 12
    assert stats.packages >= 8
    assert stats.needs >= 45
    assert stats.domains >= 10
    assert stats.financing >= 12
    assert stats.countries >= 190


def test_every_domain_has_at_least_three_modules(bundled_catalog):
    per_domain = Counter(m.domain for m in bundled_catalog.modules.values())
    assert {d.code: per_domain[d.code] for d in bundled_catalog.taxonomy.domains if per_domain[d.code] < 3} == {}


def test_every_need_is_answered_by_at_least_two_modules(bundled_catalog):
    per_need = Counter(link.need for m in bundled_catalog.modules.values() for link in m.needs)
    assert [n.code for n in bundled_catalog.taxonomy.needs if per_need[n.code] < 2] == []


def test_every_module_cites_a_source_and_is_complete_in_english_and_korean(bundled_catalog):
    thin = []
    for m in bundled_catalog.modules.values():
        if not m.all_source_ids():
            thin.append(f"{m.id}: no source")
        for lang in ("en", "ko"):
            if word_count(m.description.get(lang)) < 60:
                thin.append(f"{m.id}: short {lang} description")
            if not m.summary.has(lang) or not m.name.has(lang):
                thin.append(f"{m.id}: {lang} name or summary missing")
    assert thin == []
    assert content_findings(bundled_catalog) == []


def test_every_cost_is_sourced_or_an_explained_low_confidence_estimate(bundled_catalog):
    for m in bundled_catalog.modules.values():
        cost = m.cost
        assert cost.source_ids or (cost.basis == "estimate" and cost.confidence == "low" and cost.note), m.id


def test_every_impact_figure_and_reference_cites_a_known_source(bundled_catalog):
    known = set(bundled_catalog.sources)
    for m in bundled_catalog.modules.values():
        for kpi in m.kpis:
            if kpi.typical_effect is not None:
                assert kpi.source_ids and set(kpi.source_ids) <= known, m.id
        for ref in m.references:
            assert set(ref.source_ids) <= known, m.id
    for channel in bundled_catalog.financing.values():
        assert channel.source_ids and set(channel.source_ids) <= known, channel.id


def test_no_dependency_cycles_and_packages_name_real_modules(bundled_catalog):
    assert dependency_cycles(bundled_catalog.modules) == []
    for pkg in bundled_catalog.packages.values():
        assert set(pkg.core_modules) | set(pkg.optional_modules) <= set(bundled_catalog.modules), pkg.id


def test_every_need_maps_to_u4ssc_and_iso_37120(bundled_catalog):
    assert [n.code for n in bundled_catalog.taxonomy.needs if not n.frameworks.u4ssc or not n.frameworks.iso37120] == []


def test_country_indicators_carry_currency_and_a_dated_exchange_rate(bundled_catalog):
    vnm = bundled_catalog.countries["VNM"]
    assert vnm.currency == "VND" and vnm.indicators["population"].year >= 2024
    assert bundled_catalog.rates["VND"].per_usd > 20_000
    un_members = [c for c in bundled_catalog.countries.values() if c.un_member]
    assert len(un_members) == 193
    without_rate = sorted(c.iso3 for c in un_members if c.currency not in bundled_catalog.rates)
    assert without_rate == ["PRK"]  # the World Bank publishes no rate for the North Korean won


def test_every_module_and_source_carries_a_review_date(bundled_catalog):
    unreviewed = [m for m in bundled_catalog.modules if bundled_catalog.modules[m].reviewed is None]
    unreviewed += [s for s in bundled_catalog.sources if bundled_catalog.sources[s].reviewed is None]
    assert unreviewed == [], "run `python scripts/stamp_reviews.py` (entries new since the first stamp) or `kcity catalog review`"
