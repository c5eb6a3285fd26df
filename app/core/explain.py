"""Reasons in words: each reason code of the engine rendered in English or Korean.

Vocabulary labels (readiness dimensions, enabling conditions, phases…) live here too so that the CLI, the
wizard and the proposal describe the engine's decisions with the same words.
"""

from __future__ import annotations

from typing import Any

from babel.numbers import format_currency

from app.core.costing import significant
from app.core.engagement import Engagement
from app.core.korean import attach_particles
from app.core.models import Catalog
from app.core.recommendation import Adjustment, ModuleScore, Reason, Recommendation

LABELS: dict[str, dict[str, str]] = {
    # readiness dimensions
    "leadership_funding": {"en": "leadership and funding", "ko": "리더십과 재원"},
    "interoperability_governance": {"en": "interoperability and governance", "ko": "상호운용성과 거버넌스"},
    "user_driven_design": {"en": "user-driven design", "ko": "사용자 중심 설계"},
    "capabilities_skills": {"en": "capabilities and skills", "ko": "역량과 기술"},
    "technology_infrastructure": {"en": "technology infrastructure", "ko": "기술 인프라"},
    "data_infrastructure": {"en": "data infrastructure and governance", "ko": "데이터 인프라와 거버넌스"},
    "legislation_regulation": {"en": "legislation and regulation", "ko": "법·제도"},
    "resilience_cybersecurity": {"en": "resilience and cybersecurity", "ko": "회복력과 사이버보안"},
    "digital_ecosystem": {"en": "digital ecosystem", "ko": "디지털 생태계"},
    "connectivity": {"en": "connectivity", "ko": "통신 연결성"},
    "power_reliability": {"en": "power reliability", "ko": "전력 안정성"},
    # enabling conditions
    "fibre_backbone": {"en": "a fibre backbone", "ko": "광통신 백본망"},
    "mobile_coverage": {"en": "mobile coverage", "ko": "이동통신 커버리지"},
    "reliable_power": {"en": "reliable power", "ko": "안정적 전력 공급"},
    "datacentre_or_cloud": {"en": "a data centre or cloud", "ko": "데이터센터 또는 클라우드"},
    "cctv_control_room": {"en": "a CCTV control room", "ko": "CCTV 관제센터"},
    "gis_basemap": {"en": "a GIS base map", "ko": "GIS 기본도"},
    "legal_basis_data": {"en": "a legal basis for data use", "ko": "데이터 활용의 법적 근거"},
    "police_fire_mou": {"en": "agreements with police and fire services", "ko": "경찰·소방 협약"},
    "utility_partner": {"en": "a utility partner", "ko": "유틸리티 파트너"},
    "operating_agency": {"en": "an operating agency", "ko": "운영 기관"},
    "om_budget": {"en": "an O&M budget", "ko": "운영·유지관리 예산"},
    "skilled_staff": {"en": "skilled staff", "ko": "전문 인력"},
    "iot_network": {"en": "an IoT network", "ko": "IoT 통신망"},
    "regulatory_sandbox": {"en": "a regulatory sandbox", "ko": "규제 샌드박스"},
    "land_and_developer": {"en": "land and a master developer", "ko": "부지와 사업시행자"},
    # applicant types and project types (financing rules and scores name them)
    "central_gov": {"en": "central government", "ko": "중앙정부"},
    "local_gov": {"en": "local government", "ko": "지방정부"},
    "public_body": {"en": "public body", "ko": "공공기관"},
    "intl_org": {"en": "international organisation", "ko": "국제기구"},
    "sez_authority": {"en": "special economic zone authority", "ko": "경제특구 관리기관"},
    "private": {"en": "private company", "ko": "민간기업"},
    "greenfield_new_town": {"en": "greenfield new town", "ko": "신도시 개발"},
    "brownfield_retrofit": {"en": "retrofit of an existing city", "ko": "기성 시가지 개선"},
    "district_regeneration": {"en": "district regeneration", "ko": "지구 재생"},
    "single_solution": {"en": "single solution", "ko": "단일 솔루션"},
    "special_economic_zone": {"en": "special economic zone", "ko": "경제특구"},
    # systems a city may already run
    "cctv_network": {"en": "a public CCTV network", "ko": "공공 CCTV망"},
    "operations_centre": {"en": "a city operations centre", "ko": "도시통합운영센터"},
    "traffic_centre": {"en": "a traffic management centre", "ko": "교통정보센터"},
    "fibre_network": {"en": "a city fibre network", "ko": "자가 광통신망"},
    "data_centre": {"en": "a government data centre or cloud", "ko": "공공 데이터센터 또는 클라우드"},
    # gis_basemap and iot_network share their label with the enabling condition of the same code
    "bus_tracking": {"en": "bus tracking (AVL) and passenger information", "ko": "버스 위치추적(AVL)·정보 시스템"},
    "smart_water_meters": {"en": "smart water meters", "ko": "스마트 수도계량기"},
    "smart_electricity_meters": {"en": "smart electricity meters", "ko": "스마트 전력계량기"},
    "public_wifi": {"en": "public Wi-Fi", "ko": "공공 와이파이"},
    # phases
    "planning": {"en": "Planning", "ko": "계획"},
    "pilot": {"en": "Pilot", "ko": "시범"},
    "phase_1": {"en": "Phase 1", "ko": "1단계"},
    "phase_2": {"en": "Phase 2", "ko": "2단계"},
    "phase_3": {"en": "Phase 3", "ko": "3단계"},
    # tiers
    "essential": {"en": "Essential", "ko": "필수형"},
    "recommended": {"en": "Recommended", "ko": "권장형"},
    "comprehensive": {"en": "Comprehensive", "ko": "종합형"},
    # hazards
    "flood": {"en": "flood", "ko": "홍수"},
    "landslide": {"en": "landslide", "ko": "산사태"},
    "heat": {"en": "heat", "ko": "폭염"},
    "drought": {"en": "drought", "ko": "가뭄"},
    "earthquake": {"en": "earthquake", "ko": "지진"},
    "cyclone": {"en": "cyclone", "ko": "태풍"},
    "wildfire": {"en": "wildfire", "ko": "산불"},
    "sea_level_rise": {"en": "sea-level rise", "ko": "해수면 상승"},
    # maturity
    "pilot_maturity": {"en": "pilot stage", "ko": "시범 단계"},
    "proven_domestic": {"en": "proven in Korea", "ko": "국내 검증"},
    "proven_overseas": {"en": "proven overseas", "ko": "해외 검증"},
}

MESSAGES: dict[str, dict[str, str]] = {
    "hazard_bonus": {"en": "helps with the city's hazards ({hazards}): +{points} points",
                     "ko": "도시의 재해 위험({hazards}) 대응: +{points}점"},
    "enabling_work": {"en": "needs {condition}: enabling work for the partner", "ko": "{condition} 필요: 상대국의 기반 조성 과제"},
    "needs_enabling_module": {"en": "needs {condition}: an enabling module is added", "ko": "{condition} 필요: 기반 모듈을 함께 선정"},
    "readiness_gap": {"en": "{dimension} is {actual} of the {needed} it needs",
                      "ko": "{dimension} 수준이 {actual}로 필요 수준 {needed}에 못 미침"},
    "readiness_too_low": {"en": "readiness too low: {dimension} is {actual}, it needs {needed}",
                          "ko": "준비도 부족: {dimension} 수준 {actual}, 필요 수준 {needed}"},
    "maturity": {"en": "maturity: {maturity}", "ko": "성숙도: {maturity}"},
    "project_type": {"en": "suits {suits} rather than this {project_type} project",
                     "ko": "이 사업 유형({project_type})보다 {suits}에 적합"},
    "soft_prerequisite": {"en": "{condition} is not yet in place: plan enabling work",
                          "ko": "{condition}이(가) 아직 없음: 기반 조성 필요"},
    "hard_prerequisite": {"en": "blocked: needs {condition}, which is not in place and no module provides",
                          "ko": "제외: {condition}이(가) 필요하나 갖춰지지 않았고 이를 제공하는 모듈이 없음"},
    "dependency_of": {"en": "added because {module} needs it", "ko": "{module}에 필요하여 추가"},
    "enables": {"en": "added to provide what {module} needs", "ko": "{module}의 선행 조건을 갖추기 위해 추가"},
    "required_by_consultant": {"en": "required by the consultant", "ko": "컨설턴트 지정 필수 모듈"},
    "required_over_budget": {"en": "the required modules cost {required_usd} against a budget of {budget_usd}",
                             "ko": "필수 모듈 비용 {required_usd}이(가) 예산 {budget_usd}을(를) 초과"},
    "excluded_by_consultant": {"en": "excluded by the consultant", "ko": "컨설턴트가 제외"},
    "dependency_unavailable": {"en": "needs {dependency}, which is excluded or blocked",
                               "ko": "필요한 {dependency}이(가) 제외되었거나 적용 불가"},
    "conflicts_with": {"en": "conflicts with {module}, which is selected", "ko": "선정된 {module}과(와) 상충"},
    "alternative_to": {"en": "an alternative to {module}, which is selected", "ko": "선정된 {module}의 대안"},
    "over_budget": {"en": "costs {cost_usd}, more than the whole budget of {budget_usd}",
                    "ko": "비용 {cost_usd}로 전체 예산 {budget_usd}을(를) 초과"},
    "over_budget_with": {"en": "costs {cost_usd} with what it needs ({enablers}), more than the whole budget of {budget_usd}",
                         "ko": "선행 모듈({enablers}) 포함 비용 {cost_usd}로 전체 예산 {budget_usd}을(를) 초과"},
    "budget_committed": {"en": "would cost {cost_usd}; the budget goes first to the partner's higher-priority needs ({remaining_usd} left)",
                         "ko": "비용 {cost_usd}; 예산은 상대국의 우선 니즈에 먼저 배정됨(잔여 {remaining_usd})"},
    "already_in_place": {"en": "the city already has this system", "ko": "도시가 이미 보유한 시스템"},
    "readiness_not_assessed": {"en": "{dimension} not assessed (it needs {needed}): to confirm",
                               "ko": "{dimension} 미평가(필요 수준 {needed}): 확인 필요"},
    "condition_not_assessed": {"en": "needs {condition}, not assessed: to confirm", "ko": "{condition} 필요, 미확인: 확인 필요"},
    "uncovered": {"en": "{need} (severity {severity}) is not answered; the cheapest answer is {module} at {cost_usd}",
                  "ko": "{need}(심각도 {severity})에 대응하는 모듈이 없음; 최소 비용 대안은 {module}({cost_usd})"},
    "uncovered_pilot": {"en": "{need} (severity {severity}) is not answered; a pilot of {module} would cost {cost_usd}",
                        "ko": "{need}(심각도 {severity})에 대응하는 모듈이 없음; {module} 시범사업 비용 {cost_usd}"},
    "partly_uncovered": {"en": "{need} (severity {severity}) is answered only in part; the module made for it, {module}, would cost {cost_usd}",
                         "ko": "{need}(심각도 {severity})에 부분적으로만 대응; 전용 모듈 {module}의 비용은 {cost_usd}"},
    "partly_uncovered_pilot": {"en": "{need} (severity {severity}) is answered only in part; a pilot of {module}, made for it, would cost {cost_usd}",
                               "ko": "{need}(심각도 {severity})에 부분적으로만 대응; 전용 모듈 {module} 시범사업 비용은 {cost_usd}"},
    "uncovered_no_module": {"en": "{need} (severity {severity}) is not answered: no available module answers it",
                            "ko": "{need}(심각도 {severity})에 대응하는 모듈이 없음: 적용 가능한 모듈이 없음"},
    "empty_tier": {"en": "nothing fits {budget_usd}; the cheapest answer to {need} is {module} at {cost_usd}",
                   "ko": "{budget_usd} 안에 맞는 모듈이 없음; {need}에 대한 최소 비용 대안은 {module}({cost_usd})"},
    "max_over_budget": {"en": "at the high end of the cost range ({max_usd}) it would exceed the budget of {budget_usd}",
                        "ko": "비용 범위 상단({max_usd})에서는 예산 {budget_usd} 초과"},
    "marginal_fit": {"en": "answers the selected needs only marginally", "ko": "선택된 니즈와의 관련성이 낮음"},
    "lower_priority": {"en": "lower fit for its cost than the modules selected", "ko": "비용 대비 적합도가 선정 모듈보다 낮음"},
    "income_ok": {"en": "income group {income} is eligible", "ko": "소득 그룹({income}) 요건 충족"},
    "income_fail": {"en": "income group {income} is not among {allowed}", "ko": "소득 그룹({income})이 대상({allowed})이 아님"},
    "ldc_ok": {"en": "{country} is a Least Developed Country", "ko": "{country}은(는) 최빈개도국"},
    "ldc_fail": {"en": "reserved for Least Developed Countries", "ko": "최빈개도국 전용"},
    "oda_ok": {"en": "ODA-eligible (income group {income}; proxy for the OECD DAC list)",
               "ko": "ODA 수원 가능(소득 그룹 {income}; OECD DAC 목록의 대리 지표)"},
    "oda_fail": {"en": "not ODA-eligible (income group {income})", "ko": "ODA 수원 대상 아님(소득 그룹 {income})"},
    "applicant_ok": {"en": "applicant type {applicant} can apply", "ko": "신청 주체({applicant}) 요건 충족"},
    "applicant_route": {"en": "open to a {applicant} through the {route}, which applies and borrows on its behalf",
                        "ko": "{applicant}은(는) {route}을(를) 통해 신청·차입 가능"},
    "applicant_fail": {"en": "applicant type {applicant} is not among {allowed}", "ko": "신청 주체({applicant})가 대상({allowed})이 아님"},
    "project_type_ok": {"en": "project type {project_type} fits", "ko": "사업 유형({project_type}) 부합"},
    "project_type_fail": {"en": "project type {project_type} is not among {allowed}", "ko": "사업 유형({project_type})이 대상({allowed})이 아님"},
    "region_ok": {"en": "region {region} is covered", "ko": "지역({region}) 대상"},
    "region_fail": {"en": "region {region} is not covered ({allowed})", "ko": "지역({region})이 대상({allowed})이 아님"},
    "min_size_ok": {"en": "phase size {cost_usd} meets the minimum {limit_usd}", "ko": "단계 규모 {cost_usd}이(가) 최소 {limit_usd} 충족"},
    "min_size_fail": {"en": "phase size {cost_usd} is below the minimum {limit_usd}", "ko": "단계 규모 {cost_usd}이(가) 최소 {limit_usd} 미만"},
    "max_size_ok": {"en": "phase size {cost_usd} is within the maximum {limit_usd}", "ko": "단계 규모 {cost_usd}이(가) 최대 {limit_usd} 이내"},
    "max_size_fail": {"en": "phase size {cost_usd} exceeds the maximum {limit_usd}", "ko": "단계 규모 {cost_usd}이(가) 최대 {limit_usd} 초과"},
    "pays_part": {"en": "it typically pays up to {max_usd}, a part of this phase's {cost_usd}: the rest needs other sources",
                  "ko": "통상 최대 {max_usd}까지 지원하여 이 단계 비용 {cost_usd}의 일부만 충당: 나머지는 다른 재원 필요"},
    "revenue_ok": {"en": "a module of this phase earns fees or tariffs that can repay private capital",
                   "ko": "이 단계의 모듈이 민간 자본을 상환할 요금·사용료 수입을 창출"},
    "revenue_fail": {"en": "no module of this phase earns fees or tariffs to repay private capital",
                     "ko": "이 단계에는 민간 자본을 상환할 요금·사용료 수입이 있는 모듈이 없음"},
    "no_restriction": {"en": "no eligibility restriction recorded", "ko": "기록된 자격 제한 없음"},
    "terms_unverified": {"en": "terms not verified from a public source: confirm with the provider",
                         "ko": "조건이 공개 자료로 확인되지 않음: 기관에 확인 필요"},
}

LOCALES = {"en": "en_US", "ko": "ko_KR", "vi": "vi_VN", "id": "id_ID", "es": "es_ES"}


def label(code: str, lang: str = "en") -> str:
    entry = LABELS.get(code)
    return (entry.get(lang) or entry["en"]) if entry else code.replace("_", " ")


def usd(value: float, lang: str = "en") -> str:
    """Dollars as a sentence gives them: three significant figures from ten thousand up ($8,210,000, not $8,205,970)."""
    if abs(value) >= 10_000:
        value = significant(value, 3)
    return format_currency(value, "USD", locale=LOCALES.get(lang, "en_US"), format="¤#,##0", currency_digits=False)


def say(reason: Reason, lang: str = "en", catalog: Catalog | None = None) -> str:
    """The reason as a sentence in ``lang`` (English when that language has no text)."""
    template = MESSAGES.get(reason.code, {}).get(lang) or MESSAGES.get(reason.code, {}).get("en") or reason.code
    params: dict[str, str] = {}
    for key, value in reason.params.items():
        if key.endswith("_usd") and isinstance(value, int | float):
            params[key] = usd(value, lang)
        elif key in ("module", "dependency") and catalog is not None and str(value) in catalog.modules:
            params[key] = catalog.modules[str(value)].name.get(lang)
        elif key == "enablers" and catalog is not None:
            params[key] = ", ".join(catalog.modules[m.strip()].name.get(lang) if m.strip() in catalog.modules else m.strip()
                                    for m in str(value).split(",") if m.strip())
        elif key == "need" and catalog is not None and str(value) in catalog.needs:
            params[key] = catalog.needs[str(value)].name.get(lang)
        elif key in ("dimension", "condition", "applicant", "project_type", "route"):
            params[key] = label(str(value), lang)
        elif key in ("allowed", "suits") and all(v.strip() in LABELS for v in str(value).split(",")):
            params[key] = ", ".join(label(v.strip(), lang) for v in str(value).split(","))
        elif key == "maturity":
            params[key] = label("pilot_maturity" if value == "pilot" else str(value), lang)
        elif key == "hazards":
            params[key] = ", ".join(label(h.strip(), lang) for h in str(value).split(","))
        else:
            params[key] = value if isinstance(value, str) else f"{value:g}"
    try:
        text = template.format(**params)
    except (KeyError, ValueError):
        text = template
    return attach_particles(text) if lang == "ko" else text


def adjustment_text(adj: Adjustment, lang: str = "en", catalog: Catalog | None = None) -> str:
    text = say(adj.reason, lang, catalog)
    return text if adj.factor == 1 else f"{text} (×{adj.factor:.2f})"


def why(score: ModuleScore, catalog: Catalog, lang: str = "en", top: int = 3) -> str:
    """The fit of a module in one sentence: the needs that drive it and the adjustments applied."""
    needs = catalog.needs
    parts = [f"{needs[c.need].name.get(lang)} ({c.severity}×{c.relevance})" for c in score.contributions[:top] if c.need in needs]
    lead = ("Answers " if lang != "ko" else "대응 니즈: ") + ", ".join(parts) if parts else (
        "Answers none of the selected needs" if lang != "ko" else "선택된 니즈와 직접 관련 없음")
    extra = [adjustment_text(a, lang, catalog) for a in score.adjustments]
    return lead + ("; " + "; ".join(extra) if extra else "") + "."


def recommendation_dict(rec: Recommendation, catalog: Catalog, lang: str = "en") -> dict[str, Any]:
    """The recommendation as plain data with every reason also said in words (for JSON output)."""
    data = rec.model_dump(mode="json")
    data["ranked"] = [
        {"module_id": s.module_id, "domain": s.domain, "score": s.fit, "base": s.base,
         "contributions": [c.model_dump() for c in s.contributions],
         "adjustments": [{"factor": a.factor, "reason": a.reason.code, "text": adjustment_text(a, lang, catalog)} for a in s.adjustments],
         "blocked": say(s.blocked, lang, catalog) if s.blocked else None, "why": why(s, catalog, lang)}
        for s in rec.ranked
    ]
    data["tiers"] = [
        {**t.model_dump(mode="json", exclude={"added_for", "note", "risks"}),
         "added_for": {m: say(r, lang, catalog) for m, r in t.added_for.items()},
         "note": say(t.note, lang, catalog) if t.note else None,
         "risks": [say(r, lang, catalog) for r in t.risks]}
        for t in rec.tiers
    ]
    data["uncovered"] = [{"need": r.params.get("need"), "severity": r.params.get("severity"), "module": r.params.get("module"),
                          "cost_usd": r.params.get("cost_usd"), "pilot": r.code.endswith("uncovered_pilot"),
                          "partly": r.code.startswith("partly_"), "text": say(r, lang, catalog)}
                         for r in rec.uncovered]
    data["to_confirm"] = [{"reason": r.code, **r.params, "text": say(r, lang, catalog)} for r in rec.to_confirm]
    data["excluded"] = [{"module_id": x.module_id, "fit": x.fit, "reason": x.reason.code, "text": say(x.reason, lang, catalog)}
                        for x in rec.excluded]
    data["financing"] = [{**f.model_dump(mode="json", exclude={"reasons"}), "reasons": [say(r, lang, catalog) for r in f.reasons]}
                         for f in rec.financing]
    return data


def recommendation_table(rec: Recommendation, catalog: Catalog, engagement: Engagement, lang: str = "en",
                         top: int = 12) -> list[str]:
    """A readable terminal summary: top modules with why, tiers, exclusions, costs, phases, financing."""

    def name(m: str) -> str:
        return catalog.modules[m].name.get(lang)

    country = catalog.countries[engagement.country].name
    lines = [f"{engagement.city}, {country} — catalog {rec.catalog_version}, input {rec.input_hash}", "", "Top modules by fit:"]
    for s in rec.ranked[:top]:
        flag = "  [blocked]" if s.blocked else ""
        lines.append(f"  {s.fit:7.1f}  {name(s.module_id)}{flag}")
        lines.append(f"           {why(s, catalog, lang)}")
    lines += ["", "Tiers (capex incl. contingency, USD):"]
    for t in rec.tiers:
        status = t.status + (f", gap {t.gap:.2%}" if t.status == "feasible" else "")
        lines.append(f"  {label(t.name, lang):<14} fit {t.fit:7.1f}  {usd(t.capex.min, lang)} – {usd(t.capex.max, lang)} "
                     f"(typical {usd(t.capex.typical, lang)}; budget {usd(t.budget_usd, lang)}; {status})")
        lines.append("      " + ", ".join(name(m) + (" (pilot)" if m in t.pilots else "") for m in t.module_ids)
                     if t.module_ids else "      (none)")
        if t.note:
            lines.append("      " + say(t.note, lang, catalog))
        lines += ["      risk: " + say(r, lang, catalog) for r in t.risks]
    if rec.uncovered:
        lines += ["", "Needs the Recommended tier does not answer:"]
        lines += ["  " + say(r, lang, catalog) for r in rec.uncovered]
    if rec.builds_on:
        lines += ["", "Builds on the city's existing systems: " + ", ".join(name(m) for m in rec.builds_on)]
    if rec.to_confirm:
        lines += ["", "To confirm in the planning study:"]
        lines += ["  " + say(r, lang, catalog) for r in rec.to_confirm]
    if rec.excluded:
        lines += ["", "Left out:"]
        lines += [f"  {name(x.module_id)}: {say(x.reason, lang, catalog)}" for x in rec.excluded[:top]]
    c = rec.costs
    lines += ["", f"Costs over {engagement.horizon_years} years (USD; price years {c.price_years[0]}–{c.price_years[1]}):",
              f"  capex incl. {c.contingency_pct:g}% contingency  {usd(c.capex_with_contingency.typical, lang)} "
              f"({usd(c.capex_with_contingency.min, lang)} – {usd(c.capex_with_contingency.max, lang)})",
              f"  opex over the horizon            {usd(c.opex_over_horizon.typical, lang)}",
              "  rates: " + "; ".join(f"{r.currency} {r.per_usd:,.4g}/USD ({r.year})" for r in c.rates.values() if r.currency != "USD")]
    lines += ["", "Roadmap:"]
    for item in rec.roadmap.items:
        lines.append(f"  {label(item.phase, lang):<8} {item.start:%Y-%m} → {item.end:%Y-%m}  {name(item.module_id)}"
                     + ("  (beyond horizon)" if item.beyond_horizon else ""))
    lines += ["", "Financing (eligible):"]
    for f in rec.financing:
        if f.eligible:
            lines.append(f"  {label(f.phase, lang):<8} {catalog.financing[f.channel_id].name.get(lang)}"
                         + ("  [preferred]" if f.preferred else ""))
    return lines
