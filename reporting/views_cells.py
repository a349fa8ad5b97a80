"""The cells of a return on its page: the filled copy with each cell's kind, the hand-entered values
(填写手填数据), corrections of computed cells (修正 / 再次确认 / 撤销修正) and what blocks submission.

The writes are ``reporting.return_cells`` services (they check the user's unit and the return's state);
a form with errors shows the return page again with the typed values kept.
"""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.models import CellKind
from reporting import return_cells
from reporting.form_cells import template_cells
from reporting.forms_cells import ManualCellsForm, OverrideForm
from reporting.models import Return
from reporting.selectors import campaign_units

KIND_LABELS = {CellKind.COMPUTED: gettext_lazy("计算"), CellKind.MANUAL: gettext_lazy("手填"),
               CellKind.FORMULA: gettext_lazy("公式"),
               CellKind.NONE: "—"}


def _show(value, decimals: int) -> str:
    if value is None or value == "":
        return ""
    return f"{Decimal(str(value)):.{decimals}f}"


def _zero(value) -> bool:
    return value is not None and value != "" and Decimal(str(value)) == 0


def can_edit_cells(ret: Return, user) -> bool:
    try:
        return_cells.require_cell_edit(ret, user)
    except (PermissionDenied, ValidationError):
        return False
    return True


def grid_rows(ret: Return, grid: dict, *, unit_param: str, labels_of, corrections: bool,
              correct_links: bool) -> tuple[list, list[dict]]:
    """The page's rows of one filled copy: labels, then each cell's shown value, kind, records link and
    correction (``corrections``: the copy is the return's own, where its corrections apply)."""
    cells = template_cells(ret.template)
    columns = list(ret.template.columns.order_by("order"))
    overrides = (ret.overrides or {}) if corrections else {}
    rows = []
    base = reverse("reporting:return_cell", args=[ret.pk])
    for row in ret.template.rows.order_by("order"):
        shown = []
        for column in columns:
            spec = cells.specs[(row.key, column.key)]
            raw = grid.get(row.key, {}).get(column.key)
            cell = {"row": row.key, "column": column.key, "kind": spec.kind, "kind_label": KIND_LABELS.get(spec.kind, spec.kind), "label": spec.label,
                    "value": "—" if spec.kind == CellKind.NONE else _show(raw, column.decimals),
                    "zero": _zero(raw), "url": "", "correction": None, "correct_url": "",
                    "title": spec.formula if spec.kind == CellKind.FORMULA else ""}
            if spec.kind == CellKind.COMPUTED and spec.metric:
                cell["url"], cell["metric"] = base, spec.metric
            correction = overrides.get(row.key, {}).get(column.key)
            if spec.kind == CellKind.COMPUTED and correction:
                cell["correction"] = {**correction, "computed_shown": _show(correction.get("computed"), column.decimals)}
            if spec.kind == CellKind.COMPUTED and correct_links:
                cell["correct_url"] = "?" + urlencode({"correct": f"{row.key}.{column.key}"}) + "#override-form"
            shown.append(cell)
        rows.append({"row": row, "labels": labels_of(row), "cells": shown})
    return columns, rows


def _override_form(ret: Return, cells, correct: str, bound: OverrideForm | None):
    """The 修正 form of the cell asked for (``?correct=row.column``), or the bound one after an error."""
    if bound is not None:
        key = (bound.data.get("row", ""), bound.data.get("column", ""))
        return bound, cells.specs.get(key)
    row, _dot, column = correct.partition(".")
    spec = cells.specs.get((row, column))
    if spec is None or spec.kind != CellKind.COMPUTED:
        return None, None
    existing = (ret.overrides or {}).get(row, {}).get(column, {})
    computed = (ret.data or {}).get("computed", {}).get(row, {}).get(column)
    form = OverrideForm(initial={"row": row, "column": column,
                                 "value": existing.get("value", "" if computed is None else computed),
                                 "reason": existing.get("reason", "")})
    return form, spec


def _unit_compilation(ret: Return) -> list[dict]:
    """Per member unit of a district return: whether its hand-entered values are compiled (its return approved)."""
    approved = return_cells.approved_unit_returns(ret)
    same = Return.objects.filter(campaign_id=ret.campaign_id, template_id=ret.template_id, unit__isnull=False,
                                 is_current=True, cutoff=ret.cutoff)
    same = same.filter(due_date_id=ret.due_date_id) if ret.due_date_id else same.filter(unscheduled=True)
    latest = {r.unit_id: r for r in same.order_by("version")}
    out = []
    for unit in campaign_units(ret.campaign):
        unit_ret = latest.get(unit.pk)
        out.append({"unit": unit, "compiled": unit.pk in approved, "ret": unit_ret,
                    "status": unit_ret.get_status_display() if unit_ret else _("未生成")})
    return out


def cells_context(request, ret: Return, *, unit_param: str, manual_form: ManualCellsForm | None = None,
                  override_form: OverrideForm | None = None) -> dict:
    """What the return page shows about the cells beyond the grid (for ``reporting.views.return_detail``)."""
    cells = template_cells(ret.template)
    editable = can_edit_cells(ret, request.user) and ret.computed_at is not None
    manual_specs = cells.of_kind(CellKind.MANUAL)
    if manual_form is None and manual_specs:
        manual_form = ManualCellsForm(specs=manual_specs, values=ret.manual or {})
    form, correct_spec = (None, None)
    if editable and not unit_param:
        form, correct_spec = _override_form(ret, cells, request.GET.get("correct", ""), override_form)
    corrections, pending = [], []
    for (row, column), spec in cells.specs.items():
        correction = (ret.overrides or {}).get(row, {}).get(column)
        if spec.kind == CellKind.COMPUTED and correction:
            item = {**correction, "label": spec.label, "row": row, "column": column}
            (pending if correction.get("pending") else corrections).append(item)
    return {
        "cell_kinds": [(k, KIND_LABELS[k]) for k in (CellKind.COMPUTED, CellKind.MANUAL, CellKind.FORMULA,
                                                     CellKind.NONE)],
        "has_manual": bool(manual_specs), "manual_form": manual_form, "cells_editable": editable,
        "override_form": form, "correct_spec": correct_spec, "corrections": corrections,
        "pending_corrections": pending,
        "submit_problems": return_cells.submission_problems(ret) if ret.is_current else [],
        "unit_compilation": _unit_compilation(ret) if ret.is_district and manual_specs else [],
    }
