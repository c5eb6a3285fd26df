"""Package: the Recommended package with a budget meter, a preview of any change before it is applied, and the why-not
of any module left out.

A change — add a module (it becomes pinned: required by hand, its prerequisites come with it), leave one out
(excluded until restored under "Why not?"), unpin one, or type a module's quantity — is first previewed by running the
engine on the edited engagement: what enters and leaves, the cost against the budget and the needs that become
answered or stop being answered. Nothing is saved until "Apply this change".
"""

from __future__ import annotations

import streamlit as st

from app import services
from app.core.explain import say, usd
from app.errors import EngagementError, KcityError
from app.web import ui

_ = ui.t()
state, catalog, eng, lang = ui.engagement_step("package")


def name(module_id: str) -> str:
    return catalog.modules[module_id].name.get(lang)


rec, error = state.recommendation(catalog)
if rec is None:
    st.error(_("No package for these inputs: {error}").format(error=error))
    if eng.required_modules and st.button(_("Clear the modules required by hand"), key="clear-required"):
        ui.save("package", {**ui.current_data(state), "required_modules": []})
        st.rerun()
    ui.footer("package")
    st.stop()

package = rec.tier("recommended").module_ids
tier = rec.tier("recommended")
costs = {c.module_id: c for c in rec.costs.modules}
ACTIONS = {"add": _("Add a module"), "leave_out": _("Leave a module out"), "unpin": _("Unpin a module"),
           "quantity": _("Change a quantity"), "unit_cost": _("Set a unit cost")}


def names(ids: tuple[str, ...] | list[str]) -> str:
    return ", ".join(name(m) for m in ids)


def need_names(codes: tuple[str, ...]) -> str:
    return ", ".join(catalog.needs[c].name.get(lang) for c in codes if c in catalog.needs)


def try_change(action: str, module_id: str) -> None:
    """Put a line's change into the preview below (nothing is applied yet)."""
    ui.set_choice("try-action", action)
    ui.set_choice(f"try-module-{action}", module_id)


ui.problems("package")
budget = tier.budget_usd
spent = tier.capex.typical
st.progress(min(1.0, spent / budget) if budget else 1.0,
            text=_("Budget used: {spent} of {budget} (typical capital cost incl. contingency; range {low} – {high})").format(
                spent=usd(spent, lang), budget=usd(budget, lang), low=usd(tier.capex.min, lang), high=usd(tier.capex.max, lang)))
if spent > budget:
    st.warning(_("The package is over the budget."))
if tier.note:
    st.warning(say(tier.note, lang, catalog))
for risk in tier.risks:
    st.caption(":material/warning: " + say(risk, lang, catalog))
for gap in rec.uncovered:
    st.warning(say(gap, lang, catalog), icon=":material/report:")
if rec.uncovered:
    st.caption(_("Severe needs without a module made for them in this package, with the cheapest way to cover each "
                 "(costs incl. the {pct} contingency).").format(pct=f"{eng.contingency_pct:g} %"))

st.subheader(_("In the package ({n})").format(n=len(package)))
st.caption(_("Each line is its typical capital cost before the {pct} contingency that the budget meter includes.").format(
    pct=f"{eng.contingency_pct:g} %"))
for m in package:
    c1, c2, c3, c4 = st.columns([3, 2, 3, 1], vertical_alignment="center")
    c1.markdown(f"**{ui.md(name(m))}**" + (f" :material/push_pin: {_('pinned')}" if m in eng.required_modules else ""))
    cost = costs.get(m)
    c2.text((f"{usd(cost.capex.typical, lang)} · {services.quantity_words(cost.quantity, cost.unit, lang)}" if cost else "")
            + (f" · {_('pilot scale')}" if m in tier.pilots else "")
            + (f" · {_('your unit cost')}" if cost and cost.unit_cost_reason else ""))
    reason = tier.added_for.get(m)
    c3.caption(say(reason, lang, catalog) if reason else ui.md(catalog.modules[m].summary.get(lang)))
    c4.button(_("Change…"), key=f"change-{m}", on_click=try_change, args=("unpin" if m in eng.required_modules else "leave_out", m),
              help=_("Preview leaving it out, unpinning it or changing its quantity"))

lines_total = sum(costs[m].capex.typical for m in package if m in costs)
st.markdown(_("Lines {lines} + {pct} contingency {contingency} = **{total}**, the amount in the budget meter.").format(
    lines=usd(lines_total, lang), pct=f"{eng.contingency_pct:g} %", contingency=usd(spent - lines_total, lang), total=usd(spent, lang)))


def restore(module_id: str) -> None:
    data = ui.current_data(state)
    data["excluded_modules"] = [m for m in eng.excluded_modules if m != module_id]
    ui.save("package", data)


st.subheader(_("Why not?"))
st.caption(_("Costs in these reasons include the {pct} contingency, as the budget meter does.").format(pct=f"{eng.contingency_pct:g} %"))
excluded = {x.module_id: x for x in rec.excluded}
if excluded:
    pick = st.selectbox(_("Module left out"), list(excluded), format_func=name, key=ui.choice_key("why-not"))
    if pick:
        st.info(f"{name(pick)}: {say(excluded[pick].reason, lang, catalog)}")
        if pick in eng.excluded_modules:
            st.button(_("Stop excluding it"), key="restore", on_click=restore, args=(pick,))
else:
    st.caption(_("Every module that answers a selected need is in the package."))

st.subheader(_("Try a change"))
st.caption(_("See what a change does to the package, its cost and the needs it answers before applying it."))
action = st.radio(_("Change"), list(ACTIONS), format_func=lambda a: ACTIONS[a], horizontal=True, key=ui.choice_key("try-action")) or "add"
choices = {
    "add": [m for m in sorted(catalog.modules, key=name) if m not in package],
    "leave_out": list(package),
    "unpin": [m for m in eng.required_modules if m in catalog.modules],
    "quantity": [m for m in package if costs.get(m) is not None and costs[m].unit != "lump_sum"],
    "unit_cost": list(package),
}[action]
if not choices:
    st.caption(_("No module is pinned by hand.") if action == "unpin" else _("No module to choose."))
    ui.footer("package")
    st.stop()
a, b = st.columns([3, 1], vertical_alignment="bottom")
module_key = ui.choice_key(f"try-module-{action}")
if st.session_state.get(module_key) not in choices:
    ui.clear_choice(f"try-module-{action}")
    module_key = ui.choice_key(f"try-module-{action}")
module = a.selectbox(_("Module"), choices, format_func=name, index=None, placeholder=_("Choose a module"), key=module_key)
quantity: float | None = None
if action == "quantity" and module is not None:
    line = costs[module]
    typed = eng.scope.quantities.get(module)
    quantity = b.number_input(_("Quantity ({unit})").format(unit=ui.vocab(line.unit)), min_value=1.0, max_value=1_000_000.0,
                              value=float(typed if typed is not None else line.quantity), step=1.0, key=f"try-quantity-{module}")
    if typed is not None and a.checkbox(_("Use the catalog's quantity again"), key=f"try-quantity-reset-{module}"):
        quantity = None
unit_cost: tuple[float | None, str, str] | None = None
if action == "unit_cost" and module is not None:
    given = eng.scope.unit_costs.get(module)
    unit_name = ui.vocab(catalog.modules[module].scale.unit)
    money_choices = list(dict.fromkeys(c for c in ("USD", eng.budget.currency, catalog.countries[eng.country].currency,
                                                   catalog.modules[module].cost.currency) if c and c in catalog.rates))
    currency = b.selectbox(_("Currency"), money_choices, key=f"try-unit-currency-{module}",
                           index=money_choices.index(given.currency) if given and given.currency in money_choices else 0)
    default = given.amount if given else round(services.convert_money(services.typical_unit_cost_usd(catalog, module), "USD", currency, catalog))
    amount = a.number_input(_("Capital cost per {unit} ({currency}), instead of the catalog's").format(unit=unit_name, currency=currency),
                            min_value=0.0, value=float(default), step=1000.0, format="%.0f", key=f"try-unit-amount-{module}-{currency}")
    basis = ui.text_field(st.container(), _("Reason (a quote, a tender, a local price…)"),
                          f"try-unit-reason-{module}", 200, value=given.reason if given else "")
    st.caption(_("The catalog's typical cost is {amount} per {unit} (prices of {year}).").format(
        amount=ui.money(catalog.modules[module].cost.capex.typical, catalog.modules[module].cost.currency, lang), unit=unit_name,
        year=catalog.modules[module].cost.price_year))
    unit_cost = (amount, currency, basis)
    if given is not None and st.checkbox(_("Use the catalog's unit cost again"), key=f"try-unit-reset-{module}"):
        unit_cost = (None, currency, "")
if module is None:
    ui.footer("package")
    st.stop()

if action == "add" and (refused := services.package_clash(catalog, module, package)) is not None:
    st.error(f"{name(module)}: {say(refused, lang, catalog)}")
    ui.footer("package")
    st.stop()
if unit_cost is not None:
    data, unpins = services.with_unit_cost(eng, module, *unit_cost), list[str]()
else:
    data, unpins = services.package_edit(catalog, eng, action, module, quantity)
try:
    change = services.preview_change(catalog, eng, data, rec)
except EngagementError as exc:
    st.error("\n".join(f"- {ui.md(p.field)}: {ui.md(p.message)}" for p in exc.problems))
    ui.footer("package")
    st.stop()
except KcityError as exc:
    st.error(_("The engine cannot build a package with this change: {error}").format(error=exc))
    ui.footer("package")
    st.stop()

with st.container(border=True):
    if not change.changes_anything:
        st.info(_("This change leaves the package as it is."))
    lines = []
    for m in change.entered:
        why = change.why.get(m)
        lines.append(f"- :material/add_circle: {_('Enters')}: {ui.md(name(m))}" + (f" — {say(why, lang, catalog)}" if why else ""))
    if change.left:
        lines.append(f"- :material/remove_circle: {_('Leaves')}: {ui.md(names(change.left))}")
    if change.to_pilot:
        lines.append(f"- {_('Drops to its pilot scale')}: {ui.md(names(change.to_pilot))}")
    if change.to_full:
        lines.append(f"- {_('Grows to its full scope')}: {ui.md(names(change.to_full))}")
    lines.append(f"- {_('Cost')}: {usd(change.cost_before_usd, lang)} → **{usd(change.cost_after_usd, lang)}** "
                 f"{_('of {budget} (incl. contingency)').format(budget=usd(change.budget_usd, lang))}")
    if change.answered:
        lines.append(f"- {_('Needs answered now')}: {ui.md(need_names(change.answered))}")
    if change.unanswered:
        lines.append(f"- :material/warning: {_('Needs no longer answered')}: {ui.md(need_names(change.unanswered))}")
    for m in unpins:
        lines.append(f"- {_('{module} is no longer pinned: it needs {dependency}.').format(module=name(m), dependency=name(module))}")
    st.markdown("\n".join(lines))
    if change.over_budget:
        st.warning(_("With this change the package is over the budget."))
    if action == "leave_out":
        st.caption(_("Left out means excluded until you stop excluding it under “Why not?” above."))
    if st.button(_("Apply this change"), type="primary", key="try-apply", disabled=not change.changes_anything and action != "unpin"):
        if ui.save("package", data) is not None:
            state.messages.append(("success", _("Applied: {change}.").format(change=ACTIONS[action].lower() + " · " + name(module))))
            ui.clear_choice(f"try-module-{action}")
        st.rerun()

ui.footer("package")
