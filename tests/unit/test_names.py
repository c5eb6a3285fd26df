"""Country names come from one source, CLDR through Babel, in the wizard and the proposal alike."""

from __future__ import annotations

import datetime as dt

from app import services
from app.core.names import country_name


def test_the_wizard_and_the_proposal_name_a_country_the_same_way(bundled_catalog):
    engagement = services.new_engagement(bundled_catalog, "VNM", "Da Nang", 1_230_000, 1285.4)
    proposal = services.build_proposal(bundled_catalog, engagement, None, "ko", dt.date(2026, 12, 4))
    assert services.country_name(bundled_catalog, "VNM", "ko") == "베트남" == proposal.meta.country


def test_names_follow_the_reader_and_fall_back_to_the_code(bundled_catalog):
    assert country_name(bundled_catalog, "VNM", "en") == "Vietnam" and country_name(bundled_catalog, "PHL", "es") == "Filipinas"
    assert country_name(bundled_catalog, "XXX", "en") == "XXX"
