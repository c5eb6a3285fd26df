"""Package: add or remove modules with immediate validation by the engine, a budget meter and the why-not of any module.

Adding a module makes it required (its prerequisites come with it, each with the reason); a module that conflicts
with the package is refused with the reason; removing a module excludes it. Every change is saved at once.
"""

from __future__ import annotations

import streamlit as st

from app import services
from app.core.explain import say, usd
from app.core.recommendation import Reason
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


def add(module_id: str) -> None:
    refused = services.package_clash(catalog, module_id, package)
    if refused is not None:
        state.messages.append(("error", _("{module} was not added: {reason}.").format(module=name(module_id), reason=say(refused, lang, catalog))))
        return
    before = set(package)
    if ui.save("package", services.with_module(eng, module_id)) is None:
        return
    new_rec, new_error = state.recommendation(catalog)
    if new_rec is None:
        text = _("The engine cannot build a package with {module}: {error}").format(module=name(module_id), error=new_error)
        state.messages.append(("error", text))
        return
    tier = new_rec.tier("recommended")
    needed = services.dependency_closure(module_id, catalog)
    state.messages.append(("success", _("{module} added.").format(module=name(module_id))))
    for m in sorted(set(tier.module_ids) - before - {module_id}):
        reason = tier.added_for.get(m) or (Reason(code="dependency_of", params={"module": module_id}) if m in needed else None)
        text = say(reason, lang, catalog) if reason else _("added by the optimiser within the budget")
        state.messages.append(("info", f"{_('Also added')}: {name(m)} — {text}"))
    for m in sorted(before - set(tier.module_ids)):
        out = next((x for x in new_rec.excluded if x.module_id == m), None)
        state.messages.append(("warning", f"{_('Left out now')}: {name(m)}" + (f" — {say(out.reason, lang, catalog)}" if out else "")))


def remove(module_id: str) -> None:
    """Exclude a module; modules required by hand that need it stop being required (they cannot run without it)."""
    data, dependents = services.without_module(eng, catalog, module_id)
    if ui.save("package", data) is not None:
        state.messages.append(("success", _("{module} removed and excluded.").format(module=name(module_id))))
        for m in dependents:
            state.messages.append(("warning", _("{module} is no longer required: it needs {dependency}.").format(
                module=name(m), dependency=name(module_id))))


def restore(module_id: str) -> None:
    data = ui.current_data(state)
    data["excluded_modules"] = [m for m in eng.excluded_modules if m != module_id]
    ui.save("package", data)


ui.problems("package")
tier = rec.tier("recommended")
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

st.subheader(_("In the package ({n})").format(n=len(package)))
costs = {c.module_id: c for c in rec.costs.modules}
for m in package:
    c1, c2, c3, c4 = st.columns([3, 2, 3, 1], vertical_alignment="center")
    c1.markdown(f"**{name(m)}**" + (" :material/push_pin:" if m in eng.required_modules else ""))
    cost = costs.get(m)
    c2.text((f"{usd(cost.capex.typical, lang)} · {cost.quantity:g} {ui.vocab(cost.unit)}" if cost else "")
            + (f" · {_('pilot scale')}" if m in tier.pilots else ""))
    reason = tier.added_for.get(m)
    c3.caption(say(reason, lang, catalog) if reason else ui.md(catalog.modules[m].summary.get(lang)))
    c4.button(_("Remove"), key=f"remove-{m}", on_click=remove, args=(m,))

st.subheader(_("Add a module"))
others = [m for m in sorted(catalog.modules, key=name) if m not in package]
a, b = st.columns([4, 1], vertical_alignment="bottom")
choice = a.selectbox(_("Module"), others, format_func=name, index=None, placeholder=_("Choose a module to add"), key="package-add")
if choice:
    refused = services.package_clash(catalog, choice, package)
    deps = [d for d in catalog.modules[choice].depends_on if d not in package]
    if refused is not None:
        a.caption(f":material/block: {say(refused, lang, catalog)}")
    elif deps:
        a.caption(_("Comes with: {modules}").format(modules=", ".join(name(d) for d in deps)))
b.button(_("Add"), key="package-add-button", on_click=add, args=(choice,), disabled=choice is None, type="primary")

st.subheader(_("Why not?"))
excluded = {x.module_id: x for x in rec.excluded}
if excluded:
    pick = st.selectbox(_("Module left out"), list(excluded), format_func=lambda m: f"{name(m)} ({_('fit')} {excluded[m].fit:.0f})",
                        key="why-not")
    if pick:
        st.info(f"{name(pick)}: {say(excluded[pick].reason, lang, catalog)}")
        if pick in eng.excluded_modules:
            st.button(_("Stop excluding it"), key="restore", on_click=restore, args=(pick,))
else:
    st.caption(_("Every module that answers a selected need is in the package."))

ui.footer("package")
