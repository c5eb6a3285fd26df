"""The wizard end to end in AppTest: a new engagement walked through every step to a stored proposal,
reopened by URL, protected against stale saves, in English and Korean, with hostile text shown literally."""

from __future__ import annotations

import re

import pytest

from app import services
from app.core.costing import typical_capex_usd
from tests.e2e.conftest import click, create_engagement, fill_partner, new_app, run, texts, title, widget

HOSTILE = "<script>alert('x')</script> **bold** [link](javascript:alert(1)) :red[red]"


def test_walk_from_a_new_engagement_to_a_stored_proposal(data_dir, repo, bundled_catalog):
    at = new_app()
    eid = create_engagement(at)

    # Partner: an incomplete form says what to fix beside the fields and keeps what was typed
    widget(at, "selectbox", "Country").select("VNM")
    run(at)
    assert any("Viet" in str(v) for v in [widget(at, "selectbox", "Country").format_func("VNM")])
    widget(at, "text_input", "Applicant organisation").input("Da Nang People's Committee")
    click(at, "Save partner")
    errors = "\n".join(texts(at, "error"))
    assert "city" in errors and "population" in errors
    assert widget(at, "text_input", "Applicant organisation").value == "Da Nang People's Committee"
    assert repo.get(eid).data is None

    fill_partner(at)
    assert "Saved (version 2)." in texts(at, "success")
    stored = repo.get(eid)
    assert stored.city == "Da Nang" and stored.data["population"] == 1_230_000 and stored.data["needs"], "needs suggested from indicators"
    assert len(at.dataframe) == 1  # the country's indicators with year and source

    # Needs: suggested needs are ticked with their reason; add one more, with evidence
    click(at, "Save and continue →")
    assert "Needs" in title(at)
    ticked = [c for c in at.checkbox if c.value]
    assert len(ticked) == len(stored.data["needs"])
    extra = next(c for c in at.checkbox if not c.value and "congestion" in c.label.lower())
    extra.check()
    code = extra.key.removeprefix("w.need.").rsplit(".", 2)[0]
    at.select_slider(key=extra.key.replace("w.need.", "w.severity.")).set_value(5)
    at.text_input(key=extra.key.replace("w.need.", "w.evidence.")).input(HOSTILE)
    click(at, "Save needs")
    needs = repo.get(eid).data["needs"]
    assert needs[code]["severity"] == 5 and needs[code]["evidence"] == HOSTILE

    # Readiness and constraints: raise the budget and add a hazard
    click(at, "Save and continue →")
    assert "Readiness" in title(at)
    assert len([s for s in at.select_slider if s.key.startswith("w.score.")]) == 11
    widget(at, "number_input", "Budget (capital expenditure)").set_value(25_000_000.0)
    widget(at, "multiselect", "Hazards the city faces").select("flood")
    click(at, "Save readiness and constraints")
    data = repo.get(eid).data
    assert data["budget"]["amount"] == 25_000_000 and "flood" in data["hazards"]

    # Recommendations: three tiers side by side and the ranked table with why
    click(at, "Save and continue →")
    assert "Recommendations" in title(at)
    assert [s.value for s in at.subheader][:3] == ["Essential", "Recommended", "Comprehensive"]
    assert len(at.dataframe) == 1

    # Package: add a module that needs another; the prerequisite comes with its reason
    click(at, "Next →")
    assert "Package" in title(at)
    in_package = {b.key.removeprefix("change-") for b in at.button if b.key and b.key.startswith("change-")}
    engagement = services.engagement_of(repo.get(eid), bundled_catalog)
    cost = {m: typical_capex_usd(bundled_catalog.modules[m], engagement, bundled_catalog) for m in bundled_catalog.modules}
    candidate = min((m for m in ("its-atms", "brt-system", "safety-net-112-119", "waste-route-optimisation")
                     if m not in in_package and not set(bundled_catalog.modules[m].depends_on) & in_package),
                    key=lambda m: cost[m] + sum(cost[d] for d in bundled_catalog.modules[m].depends_on))
    dependency = bundled_catalog.modules[candidate].depends_on[0]
    widget(at, "selectbox", "Module").select(candidate)
    run(at)
    preview = "\n".join(texts(at, "markdown")).replace("\\", "")  # names are markdown-escaped on screen
    assert f"Enters: {bundled_catalog.modules[candidate].name.en}" in preview
    assert f"Enters: {bundled_catalog.modules[dependency].name.en} — " in preview and "needs it" in preview
    assert repo.get(eid).data["required_modules"] == []  # a preview saves nothing
    click(at, "Apply this change")
    assert any("Applied" in t for t in texts(at, "success"))
    assert candidate in repo.get(eid).data["required_modules"]
    next(b for b in at.button if b.key == f"change-{dependency}").click()  # the line's button prefills the preview
    run(at)
    preview = "\n".join(texts(at, "markdown")).replace("\\", "")  # names are markdown-escaped on screen
    assert f"Leaves: {bundled_catalog.modules[dependency].name.en}" in preview and "no longer pinned" in preview
    click(at, "Apply this change")
    data = repo.get(eid).data
    assert dependency in data["excluded_modules"] and candidate not in data["required_modules"]

    # Roadmap and costs
    click(at, "Next →")
    assert "Roadmap" in title(at)
    assert not texts(at, "error") and len(at.dataframe) >= 3
    usd_capex = next(m.value for m in at.metric if "Capital cost" in m.label)
    at.segmented_control(key="currency-choice").set_value("KRW")
    run(at)
    krw = next(m for m in at.metric if "Capital cost" in m.label)
    assert "(KRW)" in krw.label and float(krw.value.replace(",", "")) > 100 * float(usd_capex.replace(",", ""))

    # Proposal
    click(at, "Next →")
    assert "Proposal" in title(at)
    click(at, "Generate the proposal")
    versions = repo.proposals(eid)
    assert len(versions) == 1 and versions[0].language == "en" and versions[0].catalog_version == bundled_catalog.version
    pdf = repo.proposal_pdf(versions[0].id)
    assert pdf.startswith(b"%PDF")
    assert repo.get(eid).status == "proposal"
    assert at.download_button(key="download-latest")  # offered once: "Earlier versions" does not repeat the current one
    assert f"download-{versions[0].id}" not in [b.key for b in at.download_button]
    assert "No earlier proposal for this engagement." in texts(at, "caption")
    bar = [p for p in at.get("progress") if "Proposal ready" in str(p.proto.text)]  # the stage bar ends in plain words
    assert bar and bar[0].proto.value == 100

    # the stored PDF restores its engagement as a new one
    at.file_uploader(key="restore-upload").upload("proposal.pdf", pdf, "application/pdf")
    run(at)
    click(at, "Restore as a new engagement")
    assert "Partner" in title(at)
    restored = at.query_params["engagement"]
    assert restored != eid
    assert repo.get(restored).data["needs"] == repo.get(eid).data["needs"]


def test_a_link_with_the_engagement_and_step_reopens_the_same_data(data_dir, repo, bundled_catalog):
    engagement = services.new_engagement(bundled_catalog, "KHM", "Siem Reap", 250_000, 425.0)
    record = services.create_engagement(repo, title="Siem Reap", engagement=engagement)
    at = run(new_app(engagement=record.id, step="needs"))
    assert "Needs" in title(at)
    assert sum(c.value for c in at.checkbox) == len(engagement.needs)
    click(at, "← Back")
    assert widget(at, "text_input", "City").value == "Siem Reap"
    assert at.query_params["engagement"] == record.id and at.query_params["step"] == "partner"


def test_a_stale_save_shows_a_conflict_instead_of_overwriting(data_dir, repo, bundled_catalog):
    engagement = services.new_engagement(bundled_catalog, "VNM", "Hue", 650_000, 265.0)
    record = services.create_engagement(repo, title="Hue", engagement=engagement)
    at = run(new_app(engagement=record.id, step="partner"))
    # another tab saves first
    services.save_engagement(repo, bundled_catalog, record.id, {**engagement.model_dump(mode="json"), "city": "Huế"}, record.version)
    widget(at, "text_input", "City").input("Hue City")
    click(at, "Save partner")
    assert any("saved elsewhere" in e for e in texts(at, "error"))
    assert widget(at, "text_input", "City").value == "Hue City"  # nothing typed is lost
    assert repo.get(record.id).data["city"] == "Huế"
    click(at, "Reload the latest version")
    assert widget(at, "text_input", "City").value == "Huế"


@pytest.mark.parametrize("step", ["engagements", "catalog", "partner"])
def test_a_link_to_any_step_opens_it_once(data_dir, step):
    at = run(new_app(step=step))
    assert at.query_params["step"] == step


def test_steps_that_cannot_run_yet_say_what_is_missing(data_dir):
    at = run(new_app(step="recommendations"))
    assert "Recommendations" in title(at)
    assert any("Open or create an engagement" in i for i in texts(at, "info"))
    assert widget(at, "button", "Next").disabled


def test_engagement_list_duplicates_renames_archives_and_deletes_after_confirmation(data_dir, repo, bundled_catalog):
    engagement = services.new_engagement(bundled_catalog, "IDN", "Makassar", 1_500_000, 199.0)
    record = services.create_engagement(repo, title="Makassar", engagement=engagement)
    at = run(new_app())
    at.button(key=f"dup-{record.id}").click()
    run(at)
    copy = next(r for r in repo.list() if r.id != record.id)
    assert copy.title == "Makassar (copy)" and copy.data == record.data

    at.button(key=f"ren-{copy.id}").click()
    run(at)
    at.text_input(key=f"rename-title-{copy.id}").input(HOSTILE)
    click(at, "Save title")
    assert repo.get(copy.id).title == HOSTILE
    assert HOSTILE in texts(at, "text")  # shown literally, never as HTML or markdown

    at.button(key=f"arc-{copy.id}").click()
    run(at)
    assert [r.id for r in repo.list()] == [record.id]

    at.button(key=f"del-{record.id}").click()
    run(at)
    assert any("cannot be undone" in w for w in texts(at, "warning"))
    assert repo.get(record.id)  # not deleted before the confirmation
    click(at, "Delete for good")
    assert [r.id for r in repo.list(include_archived=True)] == [copy.id]


def test_every_label_switches_to_korean(data_dir, repo, bundled_catalog):
    engagement = services.new_engagement(bundled_catalog, "VNM", "Da Nang", 1_230_000, 1285.4)
    record = services.create_engagement(repo, title="다낭", engagement=engagement)
    at = run(new_app(engagement=record.id, step="readiness"))
    at.radio(key="ui-lang").set_value("ko")
    run(at)
    assert title(at).endswith("준비도와 제약 조건")
    assert widget(at, "button", "준비도와 제약 조건 저장")
    assert widget(at, "select_slider", "리더십과 재원")
    assert at.query_params["lang"] == "ko"
    again = run(new_app(engagement=record.id, step="needs", lang="ko"))  # a reload keeps the language
    assert title(again).endswith("니즈")


def test_every_wizard_message_has_a_korean_translation():
    import ast

    from app.i18n import missing
    from app.web.signin import ROLE_NAMES
    from app.web.ui import ACCOUNTS_STEP, CATALOG_STEP, STEPS, TEAM_STEPS, VOCAB
    from tests.conftest import ROOT

    ids = [s.title for s in (*STEPS, CATALOG_STEP, *TEAM_STEPS, ACCOUNTS_STEP)] + list(VOCAB.values()) + list(ROLE_NAMES.values())
    for path in (ROOT / "app" / "web").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_" and node.args
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                ids.append(node.args[0].value)
    assert missing("wizard", "ko", sorted(set(ids))) == []


def test_catalog_browser_finds_modules_by_approximate_words_and_opens_the_selected_row(data_dir, bundled_catalog):
    at = run(new_app(step="catalog"))
    widget(at, "text_input", "Search modules").input("Flood early warning")  # the name says "forecasting and early warning"
    run(at)
    assert at.dataframe[0].value["Module"].iloc[0] == bundled_catalog.modules["flood-early-warning"].name.en
    widget(at, "text_input", "Search modules").input("flod warnng")  # two typos
    run(at)
    assert bundled_catalog.modules["flood-early-warning"].name.en in list(at.dataframe[0].value["Module"])
    assert not any("Sources" in m for m in texts(at, "markdown"))  # nothing opens until a row is selected
    at.session_state["catalog-table"] = {"selection": {"rows": [0], "columns": []}}
    run(at)
    assert any("Sources" in m for m in texts(at, "markdown"))
    assert any("Capital cost" in m and "$" in m for m in texts(at, "markdown"))  # the flood system is priced in US dollars
    pilots = sum(m.maturity == "pilot" for m in bundled_catalog.modules.values())
    widget(at, "text_input", "Search modules").input("")
    widget(at, "multiselect", "Maturity").select("pilot")
    run(at)
    assert f"{pilots} of {len(bundled_catalog.modules)} modules" in texts(at, "caption")


def test_catalog_browser_says_when_nothing_matches(data_dir):
    at = run(new_app(step="catalog"))
    widget(at, "text_input", "Search modules").input("zzqx")
    run(at)
    assert not at.dataframe
    assert any("No module matches" in w for w in texts(at, "warning"))


def test_the_catalog_table_exports_to_an_excel_sheet_with_numbers_as_numbers(bundled_catalog):
    import io

    from openpyxl import load_workbook

    data = services.workbook("Modules", ["Module", "Typical unit cost (USD)"], [["=cmd()", 1200], ["Parking", 300]])
    sheet = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[1]] == ["Module", "Typical unit cost (USD)"]
    assert sheet["A2"].value == "'=cmd()" and sheet["A2"].data_type == "s"  # typed text never becomes a formula
    assert sheet["B3"].value == 300 and sheet["B3"].data_type == "n"


def test_a_module_found_in_the_catalog_joins_the_open_engagements_package(data_dir, repo, bundled_catalog):
    engagement = services.new_engagement(bundled_catalog, "VNM", "Da Nang", 1_230_000, 1285.4, budget_usd=25_000_000)
    record = services.create_engagement(repo, title="Da Nang", engagement=engagement)
    at = run(new_app(engagement=record.id, step="catalog"))
    widget(at, "text_input", "Search modules").input("smart parking")
    run(at)
    at.session_state["catalog-table"] = {"selection": {"rows": [0], "columns": []}}
    run(at)
    click(at, "Add to the package of Da Nang")
    saved = services.engagement_of(services.get_engagement(repo, record.id), bundled_catalog)
    assert saved is not None and "smart-parking" in saved.required_modules


def test_a_stored_engagement_the_catalog_no_longer_accepts_opens_with_its_problems(data_dir, repo, bundled_catalog):
    data = services.new_engagement(bundled_catalog, "VNM", "Can Tho", 1_250_000, 1439.0).model_dump(mode="json")
    data["needs"]["mob.teleportation"] = {"severity": 3}
    record = repo.create(title="Can Tho", data=data, status="in_progress")
    at = run(new_app(engagement=record.id, step="partner"))
    assert widget(at, "text_input", "City").value == "Can Tho"
    assert any("unknown need code" in e and "teleportation" in e for e in texts(at, "error"))
    nxt = at.button(key="nav-next")
    assert nxt.disabled and "Enter the partner city first" in nxt.help


def test_a_module_that_conflicts_with_the_package_is_refused_with_the_reason(tmp_path, data_dir, monkeypatch, bundled_catalog):
    import shutil

    import yaml

    from app.adapters.catalog_files import CatalogLoader
    from tests.conftest import ROOT

    engagement = services.new_engagement(bundled_catalog, "VNM", "Da Nang", 1_230_000, 1285.4, budget_usd=25_000_000)
    package = services.recommend(bundled_catalog, engagement).tier("recommended").module_ids
    selected = package[0]
    curated_together = {m for p in bundled_catalog.packages.values() if selected in p.core_modules for m in p.core_modules}
    rival = next(m for m in sorted(bundled_catalog.modules)
                 if m not in package and not bundled_catalog.modules[m].depends_on and m not in curated_together)
    folder = tmp_path / "catalog"
    shutil.copytree(ROOT / "catalog", folder)
    path = folder / "modules" / f"{rival}.yaml"
    module = yaml.load(path.read_text(encoding="utf-8"), Loader=CatalogLoader)  # YAML 1.2: `reviewed: {on: …}` keeps its key
    module["conflicts"] = [selected]
    path.write_text(yaml.safe_dump(module, sort_keys=False, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("KCITY_CATALOG_DIR", str(folder))
    record = services.create_engagement(repo_for_env(), title="Da Nang", engagement=engagement)

    at = run(new_app(engagement=record.id, step="package"))
    widget(at, "selectbox", "Module").select(rival)
    run(at)
    assert any("conflicts with" in e for e in texts(at, "error"))
    assert not any(b.label == "Apply this change" for b in at.button)
    assert services.get_engagement(repo_for_env(), record.id).data["required_modules"] == []


def repo_for_env():
    from app.settings import Settings

    return services.open_repository(Settings.from_env().database_url)


def test_a_rejected_readiness_form_says_what_to_fix_and_keeps_the_input(data_dir, repo, bundled_catalog):
    engagement = services.new_engagement(bundled_catalog, "PHL", "Iloilo", 460_000, 78.3)
    record = services.create_engagement(repo, title="Iloilo", engagement=engagement)
    at = run(new_app(engagement=record.id, step="readiness"))
    module = sorted(bundled_catalog.modules)[0]
    widget(at, "multiselect", "Modules required by the partner").select(module)
    widget(at, "multiselect", "Modules to exclude").select(module)
    widget(at, "number_input", "Budget (capital expenditure)").set_value(0.0)
    widget(at, "text_area", "Notes").input("Met the mayor on 12 May")
    click(at, "Save readiness and constraints")
    assert any("budget" in e and "greater than 0" in e for e in texts(at, "error"))
    assert widget(at, "text_area", "Notes").value == "Met the mayor on 12 May"
    widget(at, "number_input", "Budget (capital expenditure)").set_value(8_000_000.0)
    click(at, "Save readiness and constraints")
    assert any("both required and excluded" in e for e in texts(at, "error"))
    assert widget(at, "text_area", "Notes").value == "Met the mayor on 12 May"
    assert repo.get(record.id).version == record.version


def test_deleting_the_open_engagement_closes_it(data_dir, repo, bundled_catalog):
    engagement = services.new_engagement(bundled_catalog, "LAO", "Vientiane", 950_000, 3920.0)
    record = services.create_engagement(repo, title="Vientiane", engagement=engagement)
    at = run(new_app(engagement=record.id, step="engagements"))
    at.button(key=f"del-{record.id}").click()
    run(at)
    click(at, "Delete for good")
    assert repo.list(include_archived=True) == []
    assert "engagement" not in at.query_params
    assert widget(at, "button", "Next").disabled  # no engagement is open any more


def test_switching_the_ui_language_and_saving_keeps_what_was_saved(data_dir, repo, bundled_catalog):
    engagement = services.new_engagement(bundled_catalog, "VNM", "Da Nang", 1_230_000, 1285.4, suggested_needs=False)
    engagement = engagement.model_copy(update={"needs": services.parse_engagement(
        {**engagement.model_dump(mode="json"), "needs": {"mob.congestion": {"severity": 5}, "saf.flood": {"severity": 3}}},
        bundled_catalog).needs})
    record = services.create_engagement(repo, title="Da Nang", engagement=engagement)
    at = run(new_app(engagement=record.id, step="needs"))
    for lang in ("ko", "en"):
        at.radio(key="ui-lang").set_value(lang)
        run(at)
    click(at, "Save needs")
    saved = {code: need["severity"] for code, need in repo.get(record.id).data["needs"].items()}
    assert saved == {"mob.congestion": 5, "saf.flood": 3}
    at = run(new_app(engagement=record.id, step="readiness"))
    for lang in ("ko", "en"):
        at.radio(key="ui-lang").set_value(lang)
        run(at)
    click(at, "Save readiness and constraints")
    readiness = repo.get(record.id).data["readiness"]
    assert readiness["scores"] == engagement.readiness.model_dump(mode="json")["scores"]
    assert repo.get(record.id).data["hazards"] == list(engagement.hazards)


def test_recommendations_speak_plain_words_and_keep_the_arithmetic_in_its_expander(data_dir, repo, bundled_catalog):
    import re

    from tests.conftest import ROOT

    engagement = services.load_engagement(ROOT / "catalog" / "examples" / "haiphong-traffic-management.yaml", bundled_catalog)
    record = services.create_engagement(repo, title="Haiphong", engagement=engagement)
    at = run(new_app(engagement=record.id, step="recommendations"))
    scored = next(e for e in at.expander if str(e.label).startswith("How each module was scored"))
    inside = [str(c.value) for c in scored.caption]
    shown = " ".join([t for t in texts(at, "caption") if t not in inside] + texts(at, "markdown"))
    assert "Answers Traffic congestion" in shown
    assert not re.search(r"\(\d×\d\)|×\d\.\d\d|\+\d+ points", shown), "scoring arithmetic on screen"
    assert engagement.input_hash() not in shown and engagement.input_hash() in " ".join(inside)  # the record is in the expander


def test_roadmap_costs_state_the_rate_only_for_another_currency_and_a_single_price_year_once(data_dir, repo, bundled_catalog):
    from tests.conftest import ROOT

    engagement = services.load_engagement(ROOT / "catalog" / "examples" / "haiphong-traffic-management.yaml", bundled_catalog)
    record = services.create_engagement(repo, title="Haiphong", engagement=engagement)
    at = run(new_app(engagement=record.id, step="roadmap"))
    captions = " ".join(texts(at, "caption"))
    assert "Amounts in US dollars" in captions and "per US" not in captions  # no "1 USD per US$"
    assert not re.search(r"\b(\d{4})–\1\b", captions), captions  # "2021–2021"
    at.session_state["currency-choice"] = "KRW"
    run(at)
    captions = " ".join(texts(at, "caption"))
    assert re.search(r"Converted at [\d,.]+ KRW per US dollar \(World Bank, \d{4}\)", captions), captions
    assert "wb-wdi-fx" not in captions  # the publisher, not the source's id
