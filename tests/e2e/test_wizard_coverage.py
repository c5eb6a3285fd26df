"""What the wizard shows about the package: severe needs left uncovered, costs that agree, numbers with units."""

from __future__ import annotations

from app import services
from app.core.explain import say, usd
from tests.e2e.conftest import new_app, run, texts


def _tight_engagement(repo, catalog):
    """Da Nang with two critical needs and a budget that cannot answer both."""
    engagement = services.new_engagement(catalog, "VNM", "Da Nang", 1_230_000, 1285.4, suggested_needs=False, budget_usd=1_000_000)
    data = {**engagement.model_dump(mode="json"), "needs": {"mob.congestion": {"severity": 5}, "saf.flood": {"severity": 5},
                                                             "env.air_quality": {"severity": 4}}}
    engagement = services.parse_engagement(data, catalog)
    return services.create_engagement(repo, title="Da Nang", engagement=engagement), engagement


def test_an_uncovered_severe_need_is_flagged_on_recommendations_and_package_with_the_cheapest_answer(data_dir, repo, bundled_catalog):
    record, engagement = _tight_engagement(repo, bundled_catalog)
    rec = services.recommend(bundled_catalog, engagement)
    assert rec.uncovered, "the case needs a severe need the budget leaves uncovered"
    expected = [say(gap, "en", bundled_catalog) for gap in rec.uncovered]
    for step in ("recommendations", "package"):
        at = run(new_app(engagement=record.id, step=step))
        warnings = texts(at, "warning")
        for text in expected:
            assert text in warnings, (step, text)
        assert any("cheapest way to cover each" in c for c in texts(at, "caption")), step


def test_package_lines_plus_contingency_make_the_meter_and_every_cost_says_which_it_is(data_dir, repo, bundled_catalog):
    from tests.conftest import ROOT

    engagement = services.load_engagement(ROOT / "catalog" / "examples" / "haiphong-traffic-management.yaml", bundled_catalog)
    record = services.create_engagement(repo, title="Haiphong", engagement=engagement)
    rec = services.recommend(bundled_catalog, engagement)
    tier = rec.tier("recommended")
    lines = sum(c.capex.typical for c in rec.costs.modules if c.module_id in tier.module_ids)
    at = run(new_app(engagement=record.id, step="package"))
    meter = next(str(p.proto.text) for p in at.get("progress") if "Budget used" in str(p.proto.text))
    assert usd(tier.capex.typical, "en") in meter and "incl. contingency" in meter
    total = next(t for t in texts(at, "markdown") if "the amount in the budget meter" in t)
    assert usd(lines, "en") in total and usd(tier.capex.typical, "en") in total and "15 % contingency" in total
    assert any("include the 15 % contingency" in c for c in texts(at, "caption"))  # the why-not reasons
    assert any("before the 15 % contingency" in c for c in texts(at, "caption"))  # the lines


def test_indicators_show_their_units(data_dir, repo, bundled_catalog):
    engagement = services.new_engagement(bundled_catalog, "VNM", "Da Nang", 1_230_000, 1285.4)
    record = services.create_engagement(repo, title="Da Nang", engagement=engagement)
    at = run(new_app(engagement=record.id, step="partner"))
    internet = next(m for m in at.metric if m.label.startswith("Internet users"))
    assert str(internet.value).endswith(" %") and "% of population" in str(internet.help)
    table = at.dataframe[0].value
    assert any(str(v).endswith(" persons") for v in table.iloc[:, 1])


def test_a_unit_cost_typed_on_package_is_previewed_with_its_reason_applied_and_shown_on_the_line(data_dir, repo, bundled_catalog):
    from tests.conftest import ROOT
    from tests.e2e.conftest import click

    engagement = services.load_engagement(ROOT / "catalog" / "examples" / "haiphong-traffic-management.yaml", bundled_catalog)
    record = services.create_engagement(repo, title="Haiphong", engagement=engagement)
    module_id = services.recommend(bundled_catalog, engagement).tier("recommended").module_ids[0]
    at = run(new_app(engagement=record.id, step="package"))
    at.radio(key="try-action~en").set_value("unit_cost")
    run(at)
    at.selectbox(key="try-module-unit_cost~en").set_value(module_id)
    run(at)
    amount = next(n for n in at.number_input if n.key.startswith(f"try-unit-amount-{module_id}-"))
    amount.set_value(1000.0)
    run(at)
    assert any("reason" in e and "at least 3 characters" in e for e in texts(at, "error")), texts(at, "error")  # no reason yet
    assert not any(b.key == "try-apply" for b in at.button)
    at.text_input(key=f"try-unit-reason-{module_id}").input("Hai Phong tender 2026")
    run(at)
    preview = "\n".join(texts(at, "markdown"))
    assert "Cost" in preview and "→" in preview
    click(at, "Apply this change")
    stored = repo.get(record.id).data["scope"]["unit_costs"]
    assert stored == {module_id: {"amount": 1000.0, "currency": "USD", "reason": "Hai Phong tender 2026"}}
    assert any("your unit cost" in t for t in texts(at, "text"))


def test_generate_shows_the_first_pages_and_a_second_generate_of_the_same_inputs_stores_no_copy(data_dir, repo, bundled_catalog):
    from tests.e2e.conftest import click

    engagement = services.new_engagement(bundled_catalog, "VNM", "Da Nang", 1_230_000, 1285.4, budget_usd=10_000_000)
    record = services.create_engagement(repo, title="Da Nang", engagement=engagement)
    at = run(new_app(engagement=record.id, step="proposal"))
    click(at, "Generate the proposal")
    assert len(repo.proposals(record.id)) == 1
    pictures = at.get("image")
    assert len(pictures) == 2, "pages 1 and 2 are shown before the download"
    assert any("The first pages of v1" in c for c in texts(at, "caption"))
    assert any("v1" in str(b.label) for b in at.download_button if b.key == "download-latest")
    click(at, "Generate the proposal")  # nothing changed: the same version is offered, no copy stored
    assert len(repo.proposals(record.id)) == 1
    assert any("Nothing changed since v1" in i for i in texts(at, "info"))
    at.radio(key="proposal-edition~en").set_value("working")
    run(at)
    assert any("median of earlier proposals" in c for c in texts(at, "caption"))  # the estimate from the first render
    click(at, "Generate the proposal")  # another edition is another document
    assert len(repo.proposals(record.id)) == 2
