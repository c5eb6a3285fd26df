"""The catalog page's workbook panel: download the catalog as Excel and, for whoever may manage the catalog, import an
edited workbook — its problems by sheet, row and column, or the files it changes, written only on confirmation."""

from __future__ import annotations

from functools import partial

import streamlit as st

from app import services
from app.errors import CatalogError
from app.web import cached, ui
from app.web.state import WizardState

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook_panel(state: WizardState) -> None:
    _ = ui.t()
    settings = cached.settings()
    with st.expander(_("Catalog workbook (for catalog owners)"), icon=":material/table_view:"):
        st.caption(_("Change or add modules, needs, packages, financing channels and sources in Excel: download the workbook, "
                     "edit it, and import it here. The import checks the whole catalog before it writes any file."))
        st.download_button(_("Download catalog workbook"), data=partial(services.catalog_workbook, settings.catalog_dir),
                           file_name="kcity-catalog.xlsx", mime=XLSX, on_click="ignore", icon=":material/download:",
                           key="catalog-workbook-export")
        if not services.can_manage_catalog(settings, actor=state.actor, repo=cached.repository()):
            st.caption(_("Importing a workbook is switched off for this catalog."))
            return
        upload = st.file_uploader(_("Import workbook"), type=["xlsx"], key="catalog-workbook-import")
        if upload is None:
            return
        try:
            plan = services.plan_catalog_import(settings.catalog_dir, upload.getvalue(), upload.name)
        except CatalogError as exc:
            found = _("Nothing was imported. Fix the workbook where shown below and upload it again (problems found: {n}).")
            st.error(found.format(n=len(exc.problems)), icon=":material/error:")
            st.code("\n".join(exc.lines()), language=None, wrap_lines=True)
            return
        if not plan.changes:
            st.info(_("No changes: the workbook matches the catalog."), icon=":material/check:")
            return
        st.success(_("The workbook is valid. Importing it writes these files ({n}):").format(n=len(plan.changes)), icon=":material/task_alt:")
        st.code("\n".join(str(change) for change in plan.changes), language=None, wrap_lines=True)
        if plan.warnings:
            st.warning(_("{n} new texts lack a translation that the catalog promises (languages.yaml); the catalog check fails "
                         "until they are added, in the workbook's .vi, .id and .es columns or in the catalog.po files:").format(
                n=len(plan.warnings)), icon=":material/translate:")
            st.code("\n".join(str(w) for w in plan.warnings), language=None, wrap_lines=True)
        if st.button(_("Apply the import"), type="primary", icon=":material/upload:", key="catalog-workbook-apply"):
            try:
                services.apply_catalog_import(plan)
            except CatalogError as exc:
                st.error("\n".join(exc.lines()), icon=":material/error:")
                return
            cached.reload_catalog()
            state.messages.append(("success", _("Imported: catalog files written ({n}).").format(n=len(plan.changes))))
            st.rerun()
