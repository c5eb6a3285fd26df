"""Three-state facts: what the consultant knows about the partner's enabling conditions — yes, no or not assessed.

The engine acts only on what is known. A condition that is *not assessed* is neither bought nor counted as
present: it becomes a point to confirm in the planning study (``to_confirm`` in a module's score). The sources,
strongest first:

1. the consultant's explicit answers (``Readiness.in_place`` and ``Readiness.not_in_place``);
2. the systems the city already runs or lacks (``Readiness.systems``): a system the city has provides what its
   catalog module provides; one it lacks means those conditions are absent;
3. readiness scores that were assessed: an institutional condition (agreements, staff, an O&M budget, a legal
   basis for data) is met at ``INSTITUTIONAL_MIN_SCORE`` or above and absent below; connectivity and power
   reliability of 2 or more give mobile coverage and reliable power;
4. the data-protection law: with a law in force the legal basis for using data is met unless the legislation
   score says otherwise; without one, only strong regulation (3+) is a legal basis.

An unassessed score never stands for a default value.
"""

from __future__ import annotations

from app.core.engagement import Engagement
from app.core.models import Catalog
from app.core.vocab import INSTITUTIONAL_CONDITIONS, INSTITUTIONAL_MIN_SCORE, PREREQUISITE_CODES, FactState

LEGAL_BASIS_WITHOUT_LAW = 3


def _from_score(score: int | None, needed: int) -> FactState:
    if score is None:
        return "not_assessed"
    return "yes" if score >= needed else "no"


def condition_states(engagement: Engagement, catalog: Catalog) -> dict[str, FactState]:
    """Every enabling condition's state for this engagement."""
    r = engagement.readiness
    states: dict[str, FactState] = dict.fromkeys(PREREQUISITE_CODES, "not_assessed")
    for condition, dimension in INSTITUTIONAL_CONDITIONS.items():
        states[condition] = _from_score(r.score(dimension), INSTITUTIONAL_MIN_SCORE)
    legislation = r.score("legislation_regulation")
    if r.data_protection_law is True:
        states["legal_basis_data"] = "no" if legislation is not None and legislation < INSTITUTIONAL_MIN_SCORE else "yes"
    elif r.data_protection_law is False:
        states["legal_basis_data"] = "yes" if legislation is not None and legislation >= LEGAL_BASIS_WITHOUT_LAW else "no"
    elif legislation is not None and INSTITUTIONAL_MIN_SCORE <= legislation < LEGAL_BASIS_WITHOUT_LAW:
        states["legal_basis_data"] = "not_assessed"  # moderate regulation: whether it is a legal basis depends on the law
    if r.lead_agency:
        states["operating_agency"] = "yes"
    states["mobile_coverage"] = _from_score(r.score("connectivity"), 2)
    states["reliable_power"] = _from_score(r.score("power_reliability"), 2)
    for module in catalog.modules.values():
        has = r.systems.get(module.existing_system) if module.existing_system else None
        for code in module.provides:
            if has is True:
                states[code] = "yes"
            elif has is False and states[code] != "yes":
                states[code] = "no"
    for code in r.in_place:
        states[code] = "yes"
    for code in r.not_in_place:
        states[code] = "no"
    return states


def stated_conditions(engagement: Engagement, catalog: Catalog) -> set[str]:
    """The conditions the consultant stated in place (ticked, a lead agency, a system the city runs) — as opposed to
    those only inferred from a readiness score, which a proposal must present as assumptions to confirm."""
    r = engagement.readiness
    stated: set[str] = {str(c) for c in r.in_place} - {str(c) for c in r.not_in_place}
    if r.lead_agency:
        stated.add("operating_agency")
    for module in catalog.modules.values():
        if module.existing_system and r.systems.get(module.existing_system) is True:
            stated |= set(module.provides)
    return stated


def conditions_met(engagement: Engagement, catalog: Catalog) -> set[str]:
    """The conditions known to be in place."""
    return {code for code, state in condition_states(engagement, catalog).items() if state == "yes"}


def existing_modules(engagement: Engagement, catalog: Catalog) -> list[str]:
    """Catalog modules the city already runs: not bought again, built on. A module is there when the consultant said
    the city runs its system (``Readiness.systems``), or said that what the module provides is in place
    (``Readiness.in_place``), as for a GIS base map or a fibre network."""
    systems = engagement.readiness.systems
    declared = set(engagement.readiness.in_place)
    return sorted(m.id for m in catalog.modules.values() if m.existing_system and (
        systems.get(m.existing_system) is True
        or (systems.get(m.existing_system) is None and m.provides and set(m.provides) <= declared)))
