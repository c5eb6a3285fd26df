"""Proposal sections about money: indicative costs and financing options (split from :mod:`app.core.proposal_build`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.core import costing, names
from app.core.proposal import ChannelOption, CostRow, Costs, Escalation, Financing, FundingRow, MatrixRow, RangeRow, RateRow, Row, Text
from app.core.proposal_text import kind_label

if TYPE_CHECKING:
    from app.core.proposal_build import Builder


# How a cost figure was obtained, as the partner reads it
BASIS_WORDS = {"korean_domestic": "Korean domestic price", "overseas_contract": "overseas contract", "oda_grant": "ODA grant",
               "vendor_claim": "supplier's figure", "estimate": "estimate"}
# What a cost figure covers, as the partner reads it
SCOPE_WORDS = {"equipment_only": "equipment only", "software": "software", "turnkey": "turnkey",
               "with_civil_works": "turnkey with civil works", "services": "services"}


def escalation(b: Builder) -> Escalation | None:
    """The price base year and the index behind each escalated currency, in the reader's words."""
    esc = b.r.costs.escalation
    if esc is None:
        return None
    indices = [Text(text=b._("the GDP deflator of {country} for prices in {currency}").format(
        country=names.country_name(b.c, i.country, b.lang), currency=i.currency), fallback=False) for i in esc.indices]
    return Escalation(year=esc.year, indices=indices, refs=b.src.cite([i.source_id for i in esc.indices]),
                      not_escalated=[Text(text=cur) for cur in esc.not_escalated])


def costs(b: Builder) -> Costs:
    cs = b.r.costs
    rows = [CostRow(module=b.mod_name(c.module_id), quantity=c.quantity, unit=b._(c.unit.replace("_", " ")), unit_code=c.unit, capex=c.capex,
                    opex_per_year=c.opex_per_year, price_year=c.price_year, currency=c.source_currency,
                    confidence=b._(c.confidence),
                    basis=b._("capital cost per unit set by the consultant ({reason})").format(reason=c.unit_cost_reason)
                    if c.unit_cost_reason else b._(BASIS_WORDS.get(c.basis, c.basis)),
                    scope=b._(SCOPE_WORDS[b.c.modules[c.module_id].cost.scope]),
                    refs=b.src.cite(b.c.modules[c.module_id].cost.source_ids))
            for c in sorted(cs.modules, key=lambda c: b.ordered().index(c.module_id))]
    rates = [RateRow(currency=r.currency, per_usd=r.per_usd, year=r.year, refs=b.src.cite([r.source_id]))
             for r in cs.rates.values() if r.currency != "USD"]
    local_cur = b.c.countries[b.e.country].currency
    local = local_rate = None
    if local_cur and local_cur != "USD" and local_cur in b.c.rates:
        local = RangeRow(label=local_cur, range=costing.convert_range(cs.total_over_horizon, local_cur, b.c))
        local_rate = next((r for r in rates if r.currency == local_cur), None)
    domains = b.c.domains
    return Costs(
        rows=rows, capex=cs.capex, contingency=cs.contingency, capex_with_contingency=cs.capex_with_contingency,
        opex_per_year=cs.opex_per_year, opex_over_horizon=cs.opex_over_horizon, total_over_horizon=cs.total_over_horizon,
        by_phase=[RangeRow(label=b.label(p), range=r) for p, r in cs.by_phase.items()],
        by_domain=[RangeRow(label=b.tt(domains[d].name).text if d in domains else d, range=r) for d, r in cs.by_domain.items()],
        rates=rates, local=local, local_rate=local_rate, price_years=cs.price_years, escalation=escalation(b),
        contingency_pct=cs.contingency_pct,
        horizon_years=b.e.horizon_years,
        budget_usd=costing.convert(b.e.budget.amount, b.e.budget.currency, "USD", b.c),
        low_confidence=sum(1 for c in cs.modules if c.confidence == "low"),
        korean_prices_abroad=b.e.country != "KOR" and any(b.c.modules[c.module_id].cost.priced_in == "KOR" for c in cs.modules),
    )


def financing(b: Builder) -> Financing:
    phases = list(dict.fromkeys(o.phase for o in b.r.financing))
    by_channel: dict[str, dict[str, bool]] = {}
    reasons: dict[str, list[Text]] = {}
    failed: dict[str, list[Text]] = {}
    partial: dict[str, list[Text]] = {}
    preferred: set[str] = set()
    for o in b.r.financing:
        by_channel.setdefault(o.channel_id, {})[o.phase] = o.eligible
        if o.preferred:
            preferred.add(o.channel_id)
        for r in o.reasons:
            s = b.reason(r)
            if s not in reasons.setdefault(o.channel_id, []):
                reasons[o.channel_id].append(s)
            if r.code.endswith("_fail") and s not in failed.setdefault(o.channel_id, []):
                failed[o.channel_id].append(s)
            part = s.model_copy(update={"text": f"{b.label(o.phase)}: {s.text}"})
            if r.code == "pays_part" and o.eligible and part not in partial.setdefault(o.channel_id, []):
                partial[o.channel_id].append(part)
    order = sorted(by_channel, key=lambda cid: (not any(by_channel[cid].values()), phases.index(next(iter(by_channel[cid]))), cid))
    if not b.working:  # the partner reads the channels open to it; the screening of the others is the team's
        order = [cid for cid in order if any(by_channel[cid].values())]
    matrix: list[MatrixRow] = []
    channels: list[ChannelOption] = []
    mix: dict[str, int] = {}
    for cid in order:
        ch = b.c.financing[cid]
        cells = ["" if p not in by_channel[cid] else ("yes" if by_channel[cid][p] else "no") for p in phases]
        matrix.append(MatrixRow(name=b.tt(ch.name), cells=cells))
        eligible = [b.label(p) for p in phases if by_channel[cid].get(p)]
        if eligible:
            mix[kind_label(ch.kind, b._)] = mix.get(kind_label(ch.kind, b._), 0) + 1
        channels.append(ChannelOption(
            id=cid, name=b.tt(ch.name), provider=b.tt(ch.provider), kind=kind_label(ch.kind, b._), pays_for=b.tt(ch.pays_for),
            size=ch.typical_size, phases=[b.label(p) for p in ch.phases], eligible_in=eligible, preferred=cid in preferred,
            verified=ch.terms_verified, reasons=reasons.get(cid, []), failed=failed.get(cid, []), partial=partial.get(cid, []),
            notes=b.t(ch.notes),
            refs=b.src.cite(ch.source_ids)))
    return Financing(phases=[b.label(p) for p in phases], matrix=matrix, channels=channels,
                     mix=[Row(label=k, value=str(v)) for k, v in sorted(mix.items(), key=lambda kv: -kv[1])], plan=b.funding)


GRANT_KINDS = ("grant", "planning_grant", "technical_assistance")
LOAN_KINDS = ("concessional_loan", "loan")


def plan(b: Builder) -> list[FundingRow]:
    """An indicative split per phase: the largest eligible grant up to its typical maximum (the partner's preferred
    grant first), and the rest — the funding gap — for the partner's budget or an eligible loan. Amounts are the
    channels' published typical sizes, not commitments."""
    rows = []
    for phase, cost in b.r.costs.by_phase.items():
        eligible = [o for o in b.r.financing if o.phase == phase and o.eligible]
        grants = []
        for o in eligible:
            ch = b.c.financing[o.channel_id]
            if ch.kind in GRANT_KINDS and ch.typical_size is not None and ch.typical_size.currency in b.c.rates:
                grants.append((o.preferred, costing.convert(ch.typical_size.max, ch.typical_size.currency, "USD", b.c), o.channel_id))
        best = max(grants, default=None)
        grant_usd = min(best[1], cost.typical) if best else 0.0
        loans = [b.tt(b.c.financing[o.channel_id].name) for o in eligible if b.c.financing[o.channel_id].kind in LOAN_KINDS]
        rows.append(FundingRow(phase=b.label(phase), cost_usd=cost.typical, grant=b.tt(b.c.financing[best[2]].name) if best else None,
                               grant_usd=grant_usd, gap_usd=max(cost.typical - grant_usd, 0.0), loans=loans))
    return rows
