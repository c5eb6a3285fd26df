"""Controlled vocabularies shared by the catalog, the engagement and the engine.

Each vocabulary is a ``Literal`` so that pydantic validates it and the JSON Schema lists the allowed values.
Codes are stable identifiers written in catalog files; labels for people live in the catalog or the locales.
"""

from __future__ import annotations

from typing import Literal, get_args

Language = Literal["en", "ko", "vi", "id", "es"]
LANGUAGES: tuple[str, ...] = get_args(Language)
REQUIRED_LANGUAGES: tuple[str, ...] = ("en", "ko")

# Smart City Act Enforcement Decree, Art. 2 service fields (brief S108).
LegalServiceField = Literal[
    "administration",
    "transport",
    "health_welfare",
    "environment_energy_water",
    "crime_disaster_prevention",
    "facility_management",
    "education",
    "culture_tourism_sports",
    "logistics",
    "labour_employment",
    "housing",
    "other",
]

# ITU/UNECE U4SSC KPI categories (brief S111).
U4SSCCategory = Literal[
    "ict_infrastructure",
    "water_and_sanitation",
    "drainage",
    "electricity_supply",
    "transport",
    "public_sector",
    "innovation",
    "employment",
    "waste",
    "buildings",
    "urban_planning",
    "air_quality",
    "environmental_quality",
    "public_space_and_nature",
    "energy",
    "education",
    "health",
    "culture",
    "housing",
    "social_inclusion",
    "safety",
    "food_security",
]

# ISO 37120:2018 themes (brief S113).
ISO37120Theme = Literal[
    "economy",
    "education",
    "energy",
    "environment_and_climate_change",
    "finance",
    "governance",
    "health",
    "housing",
    "population_and_social_conditions",
    "recreation",
    "safety",
    "solid_waste",
    "sport_and_culture",
    "telecommunication",
    "transportation",
    "urban_agriculture_and_food_security",
    "urban_planning",
    "wastewater",
    "water",
]

# ASEAN Smart Cities Framework focus areas (brief S115).
ASEANFocusArea = Literal[
    "civic_and_social",
    "health_and_well_being",
    "safety_and_security",
    "quality_environment",
    "built_infrastructure",
    "industry_and_innovation",
]

# World Bank Digital Government Readiness Assessment foundations A-I (brief S116), plus the
# infrastructure and institutional conditions the engine checks.
DGRAFoundation = Literal[
    "leadership_funding",
    "interoperability_governance",
    "user_driven_design",
    "capabilities_skills",
    "technology_infrastructure",
    "data_infrastructure",
    "legislation_regulation",
    "resilience_cybersecurity",
    "digital_ecosystem",
]
DGRA_FOUNDATIONS: tuple[str, ...] = get_args(DGRAFoundation)
ReadinessDimension = Literal[
    "leadership_funding",
    "interoperability_governance",
    "user_driven_design",
    "capabilities_skills",
    "technology_infrastructure",
    "data_infrastructure",
    "legislation_regulation",
    "resilience_cybersecurity",
    "digital_ecosystem",
    "connectivity",
    "power_reliability",
]
READINESS_DIMENSIONS: tuple[str, ...] = get_args(ReadinessDimension)

# Enabling conditions a module may need before it can work (brief 6.1).
PrerequisiteCode = Literal[
    "fibre_backbone",
    "mobile_coverage",
    "reliable_power",
    "datacentre_or_cloud",
    "cctv_control_room",
    "gis_basemap",
    "legal_basis_data",
    "police_fire_mou",
    "utility_partner",
    "operating_agency",
    "om_budget",
    "skilled_staff",
    "iot_network",
    "regulatory_sandbox",
    "land_and_developer",
]
PREREQUISITE_CODES: tuple[str, ...] = get_args(PrerequisiteCode)
# Institutional conditions are put in place by the partner (agreements, staff, budget, law), not built by a
# module: each is taken as met when the readiness dimension that reflects it scores at least
# INSTITUTIONAL_MIN_SCORE, and an unmet one becomes enabling work in the plan instead of blocking a module.
INSTITUTIONAL_CONDITIONS: dict[str, str] = {
    "police_fire_mou": "interoperability_governance",
    "operating_agency": "leadership_funding",
    "om_budget": "leadership_funding",
    "utility_partner": "interoperability_governance",
    "skilled_staff": "capabilities_skills",
    "legal_basis_data": "legislation_regulation",
}
INSTITUTIONAL_MIN_SCORE = 2

Severity = Literal["hard", "soft"]
ScaleUnit = Literal[
    "city",
    "km_road",
    "intersection",
    "bus",
    "stop",
    "bay",
    "household",
    "meter",
    "luminaire",
    "camera",
    "km2",
    "bin",
    "building",
    "charger",
    "sensor",
    "site",
    "school",
    "facility",
    "user",
    "vehicle",
    "km_network",
    "lump_sum",
]
# What the quantity of a module grows with.
ScaleBasis = Literal["population", "area_km2", "fixed"]
CostBasis = Literal["korean_domestic", "overseas_contract", "oda_grant", "vendor_claim", "estimate"]
Confidence = Literal["high", "medium", "low"]
# What a unit cost covers: devices alone; software (licence or development, integration); a working system installed
# (equipment, software, installation, integration); the same with construction (trenches, roads, buildings); or
# services (planning, advice, training, programme management).
CostScope = Literal["equipment_only", "software", "turnkey", "with_civil_works", "services"]
Direction = Literal["up", "down"]
RiskLevel = Literal["low", "medium", "high"]
Maturity = Literal["pilot", "proven_domestic", "proven_overseas"]
ReferenceKind = Literal["korea", "overseas"]

ProjectType = Literal[
    "greenfield_new_town",
    "brownfield_retrofit",
    "district_regeneration",
    "single_solution",
    "special_economic_zone",
]
PROJECT_TYPES: tuple[str, ...] = get_args(ProjectType)
ApplicantType = Literal["central_gov", "local_gov", "public_body", "intl_org", "sez_authority", "private"]
APPLICANT_TYPES: tuple[str, ...] = get_args(ApplicantType)
IncomeGroup = Literal["Low income", "Lower middle income", "Upper middle income", "High income"]
INCOME_GROUPS: tuple[str, ...] = get_args(IncomeGroup)
Hazard = Literal["flood", "landslide", "heat", "drought", "earthquake", "cyclone", "wildfire", "sea_level_rise"]
HAZARDS: tuple[str, ...] = get_args(Hazard)
# Systems a city may already run: asked in plain words in readiness; a catalog module that *is* such a system
# (``Module.existing_system``) is not bought again where the city has it, and what it provides is in place.
ExistingSystem = Literal[
    "cctv_network",
    "operations_centre",
    "traffic_centre",
    "fibre_network",
    "data_centre",
    "gis_basemap",
    "iot_network",
    "bus_tracking",
    "smart_water_meters",
    "smart_electricity_meters",
    "public_wifi",
]
EXISTING_SYSTEMS: tuple[str, ...] = get_args(ExistingSystem)
# A fact about the partner: known present, known absent, or not assessed (never reported as either).
FactState = Literal["yes", "no", "not_assessed"]
# National exposure classes of a hazard index (INFORM's five classes).
HazardLevel = Literal["very_low", "low", "medium", "high", "very_high"]
# UNCTAD Global Cyberlaw Tracker status of a country's privacy and data-protection legislation.
DataProtectionStatus = Literal["legislation", "draft", "none", "no_data"]

FinancingKind = Literal["planning_grant", "grant", "concessional_loan", "loan", "equity", "technical_assistance", "ppp", "own_budget"]
# Phases of a smart-city engagement, in order; financing channels say which they pay for.
Phase = Literal["planning", "pilot", "phase_1", "phase_2", "phase_3"]
PHASES: tuple[str, ...] = get_args(Phase)
