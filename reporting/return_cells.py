"""Hand-entered values and hand corrections of a return, and filling its copies from them.

A return stores what the metrics computed (``data["computed"]``, and for the district
``data["computed_units"]`` per unit), what its filer typed into the manual cells (``Return.manual``) and
the corrections of computed cells (``Return.overrides``, each with its reason). ``fill_data`` turns these
into the filled copies the page and the files show (``data["total"]``, ``data["units"]``) and the
校验提示; ``return_refill`` does it for a stored return after an edit and queues its files again.

The district return (全区) compiles: a manual cell of the district is the 药械科's own entry plus the
entries of each unit's **approved** return of the same period; units not yet approved are named in the
校验提示. Corrections and manual values are carried to a recomputed version: manual values as they were,
corrections as *pending* — shown, but not applied until confirmed again (the computed figure may have changed).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import CellKind, FormTemplate
from enterprises.models import Unit
from regsys.jobs import job_enqueue
from regsys.scoping import require_edit
from reporting.access import require_reviewer
from reporting.choices import ReturnAction, ReturnStatus
from reporting.exporters.layout import Warning
from reporting.form_cells import (
    FormCells,
    assemble,
    grid_from_json,
    grid_to_json,
    manual_parse,
    template_cells,
)
from reporting.models import ExportJob, Return, ReturnEvent
from reporting.validation import check_grid

# --- checks over a filled copy ------------------------------------------------------------------------

def sheet_checker(template: FormTemplate):
    """``check(sheet, grid) -> [Warning]``: the plausibility rules (``reporting.validation.check_grid``) on a
    filled copy keyed by column. The pair rules name metrics, so a column computed by a row metric is checked
    under that metric's key (the first such column when two share one); empty cells are left out."""
    from reporting.metrics import METRICS

    rows = list(template.rows.order_by("order"))
    columns = list(template.columns.order_by("order"))
    labels = {r.key: r.display_label for r in rows}
    parents = {r.pk: r.key for r in rows}
    row_pairs = [(r.key, parents.get(r.parent_id)) for r in rows]
    check_key: dict[str, str] = {}
    for column in columns:
        metric = column.metric if column.kind == CellKind.COMPUTED and column.metric in METRICS else ""
        check_key[column.key] = metric if metric and metric not in check_key.values() else column.key
    metric_labels = {check_key[c.key]: c.label for c in columns}

    def check(sheet: str, grid: dict) -> list[Warning]:
        keyed = {row: {check_key[c]: v for c, v in values.items() if v is not None and c in check_key}
                 for row, values in grid.items()}
        return check_grid(sheet=sheet, rows=row_pairs, labels=labels, metric_labels=metric_labels, grid=keyed)

    return check


def _notes_as_warnings(sheet: str, cells: FormCells, notes) -> list[Warning]:
    return [Warning(sheet, cells.specs[(n.row, n.column)].row_label, n.rule, n.detail) for n in notes]


# --- the district's compilation of the units' hand-entered values -------------------------------------

def approved_unit_returns(ret: Return) -> dict[int, Return]:
    """Each unit's current return of the same campaign, form and period, when it is approved."""
    same = Return.objects.filter(campaign_id=ret.campaign_id, template_id=ret.template_id, unit__isnull=False,
                                 is_current=True)
    same = same.filter(due_date_id=ret.due_date_id) if ret.due_date_id else same.filter(cutoff=ret.cutoff,
                                                                                      unscheduled=True)
    return {r.unit_id: r for r in same.filter(status=ReturnStatus.APPROVED)}


def _manual_sum(cells: FormCells, entries: list[dict]) -> dict:
    """The sum of several filers' manual values cell by cell ("" where nobody entered one)."""
    out: dict[str, dict[str, str]] = {}
    for spec in cells.of_kind(CellKind.MANUAL):
        total: Decimal | None = None
        for manual in entries:
            try:
                value = manual_parse(spec, manual.get(spec.row, {}).get(spec.column))
            except ValidationError:
                value = None
            if value is not None:
                total = (total or Decimal(0)) + Decimal(value)
        out.setdefault(spec.row, {})[spec.column] = "" if total is None else str(total)
    return out


# --- filling --------------------------------------------------------------------------------------------

def fill_data(*, template: FormTemplate, unit: Unit | None, computed: dict, computed_units: dict,
              manual: dict, overrides: dict, units_manual: dict[str, dict], unit_names: dict[str, str],
              extra_warnings: list[dict] | None = None, missing_units: list[str] | None = None) -> dict:
    """The filled copies and warnings of a return from its stored parts (JSON in, JSON out).

    ``units_manual``: per member unit (district only) the manual values of its approved return;
    ``missing_units``: the names of member units whose return is not approved (their entries are not counted).
    """
    cells = template_cells(template)
    check = sheet_checker(template)
    own_name = unit.display_name if unit is not None else _("全区")
    own_manual = manual
    if unit is None and cells.has_manual:
        own_manual = _manual_sum(cells, [manual, *units_manual.values()])
    total, notes = assemble(cells, computed=grid_from_json(computed), manual=own_manual, overrides=overrides)
    warnings = check(own_name, total) + _notes_as_warnings(own_name, cells, notes)
    units: dict[str, dict] = {}
    for key, unit_computed in computed_units.items():
        grid, unit_notes = assemble(cells, computed=grid_from_json(unit_computed), manual=units_manual.get(key, {}))
        name = unit_names.get(key, key)
        warnings += check(name, grid) + _notes_as_warnings(name, cells, unit_notes)
        units[key] = grid_to_json(grid)
    for key, sheet in overrides.items():
        for column, correction in sheet.items():
            if correction.get("pending") and (key, column) in cells.specs:
                spec = cells.specs[(key, column)]
                warnings.append(Warning(own_name, spec.row_label, _("手工修正待重新确认"), _(
                    "%(cell)s：上一版本修正为 %(value)s（原因：%(reason)s），重新计算后未再确认，本版本使用计算值") % {
                    "cell": spec.label, "value": correction["value"], "reason": correction["reason"]}))
    if unit is None and cells.has_manual:
        for name in missing_units or []:
            warnings.append(Warning(own_name, name, _("手填数据未汇总"), _(
                "%(unit)s 本期报表尚未审核通过，其手填数据未计入全区合计") % {"unit": name}))
    warnings_json = [w.__dict__ for w in warnings] + list(extra_warnings or [])
    return {"total": grid_to_json(total), "units": units, "warnings": warnings_json}


def return_fill(ret: Return) -> dict:
    """``fill_data`` for a stored return (the district reads its units' approved returns)."""
    data = ret.data or {}
    computed = data.get("computed", data.get("total", {}))
    computed_units = data.get("computed_units", data.get("units", {}))
    units_manual: dict[str, dict] = {}
    missing: list[str] = []
    names: dict[str, str] = {}
    if ret.unit_id is None and computed_units:
        approved = approved_unit_returns(ret)
        for member in Unit.objects.filter(pk__in=[int(k) for k in computed_units]).order_by("sort_order", "code"):
            names[str(member.pk)] = member.display_name
            if member.pk in approved:
                units_manual[str(member.pk)] = approved[member.pk].manual
            else:
                missing.append(member.display_name)
    return fill_data(
        template=ret.template, unit=ret.unit, computed=computed, computed_units=computed_units, manual=ret.manual,
        overrides=ret.overrides, units_manual=units_manual, unit_names=names,
        extra_warnings=data.get("unlinked", []), missing_units=missing,
    )


def return_refill(ret: Return, *, rebuild_files: bool = True) -> Return:
    """Fill ``ret`` again from its stored parts (after an edit) and queue its files to be written again."""
    filled = return_fill(ret)
    data = dict(ret.data or {})
    data.setdefault("computed", data.get("total", {}))
    data.setdefault("computed_units", data.get("units", {}))
    data["total"], data["units"] = filled["total"], filled["units"]
    ret.data = data
    ret.warnings = filled["warnings"]
    ret.save(update_fields=["data", "warnings"])
    if rebuild_files and ret.computed_at is not None:
        return_files_queue(ret, by=ret.created_by)
    return ret


def job_title(ret: Return) -> str:
    """E.g. 2026年统计表一 五马所 截至2026-11-20 v1 (the template's name once, not 2026年统计表一 统计表一 …)."""
    unit = ret.unit.display_name if ret.unit_id else _("全区")
    kind = _(" 临时报送") if ret.unscheduled else ""
    return f"{ret.template} {unit} 截至{ret.cutoff:%Y-%m-%d}{kind} v{ret.version}"


def return_files_queue(ret: Return, *, by) -> ExportJob:
    """Queue the job that writes ``ret``'s Excel and Word files (published after commit; it stays queued in the
    database while the broker is down)."""
    job = ExportJob.objects.create(kind="return", ret=ret, unit=ret.unit, created_by=by, title=job_title(ret),
                                   message=_("等待生成"))
    job_enqueue(job)
    return job


# --- edits ----------------------------------------------------------------------------------------------

def require_cell_edit(ret: Return, by) -> None:
    """Who may type into a return: its unit (a 所's own return) or the 药械科 (the district's), while it is open."""
    if ret.unit_id is None:
        require_reviewer(by)
    else:
        require_edit(by, ret)
    if not ret.is_current:
        raise ValidationError(_("这不是最新版本，不能修改"))
    if ret.status not in (ReturnStatus.DRAFT, ReturnStatus.RETURNED):
        raise ValidationError(_("报表已上报或已审核，不能修改；如需修改须先由药械科退回"))


def _locked(ret: Return) -> Return:
    return Return.objects.select_for_update(of=("self",)).select_related("template", "unit", "campaign").get(pk=ret.pk)


def _event(ret: Return, action: str, by, comment: str) -> None:
    ReturnEvent.objects.create(ret=ret, action=action, by=by, comment=comment)


@transaction.atomic
def return_manual_save(*, ret: Return, by, values: dict[str, dict[str, str]]) -> Return:
    """Save the hand-entered cells of ``ret`` (``{row: {col: text}}``): all or nothing.

    Raises ``ValidationError`` keyed ``"row.col"`` with the Chinese message of each wrong cell; nothing is saved.
    Cells not in ``values`` keep their value.
    """
    ret = _locked(ret)
    require_cell_edit(ret, by)
    cells = template_cells(ret.template)
    errors: dict[str, list[str]] = {}
    parsed: dict[tuple[str, str], Decimal | int | None] = {}
    for row, columns in values.items():
        for column, text in columns.items():
            spec = cells.specs.get((row, column))
            if spec is None or spec.kind != CellKind.MANUAL:
                errors[f"{row}.{column}"] = [_("该单元格不是手填单元格")]
                continue
            try:
                parsed[(row, column)] = manual_parse(spec, text)
            except ValidationError as exc:
                errors[f"{row}.{column}"] = [f"{spec.label}：{m}" for m in exc.messages]
    if errors:
        raise ValidationError(errors)
    manual = {row: dict(cols) for row, cols in (ret.manual or {}).items()}
    changes = []
    for (row, column), value in parsed.items():
        text = "" if value is None else str(value)
        before = manual.get(row, {}).get(column, "")
        if text != before:
            manual.setdefault(row, {})[column] = text
            changes.append(f"{cells.specs[(row, column)].label}：{before or '空'} → {text or '空'}")
    if not changes:
        return ret
    ret.manual = manual
    ret.save(update_fields=["manual"])
    _event(ret, ReturnAction.MANUAL, by, "；".join(changes))
    return return_refill(ret)


def _computed_value(ret: Return, row: str, column: str):
    return (ret.data or {}).get("computed", (ret.data or {}).get("total", {})).get(row, {}).get(column)


def _computed_spec(ret: Return, row: str, column: str):
    cells = template_cells(ret.template)
    spec = cells.specs.get((row, column))
    if spec is None or spec.kind != CellKind.COMPUTED:
        raise ValidationError({"cell": _("只有计算单元格可以手工修正")})
    return spec


@transaction.atomic
def return_override_set(*, ret: Return, by, row: str, column: str, value: str, reason: str) -> Return:
    """Correct a computed cell by hand; a reason is required and recorded in the history and the 校验提示."""
    ret = _locked(ret)
    require_cell_edit(ret, by)
    spec = _computed_spec(ret, row, column)
    if ret.computed_at is None:
        raise ValidationError(_("报表尚未计算完成，不能修正"))
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = [_("手工修正计算值必须填写原因")]
    number = None
    try:
        number = manual_parse(spec.__class__(**{**spec.__dict__, "min_value": None, "max_value": None}), value)
        if number is None:
            errors["value"] = [_("请填写修正后的数值")]
    except ValidationError as exc:
        errors["value"] = exc.messages
    if errors:
        raise ValidationError(errors)
    computed = _computed_value(ret, row, column)
    overrides = {r: dict(c) for r, c in (ret.overrides or {}).items()}
    overrides.setdefault(row, {})[column] = {
        "value": str(number), "reason": reason, "computed": None if computed is None else str(computed),
        "by": by.display_name, "at": timezone.now().isoformat(timespec="seconds"), "pending": False,
    }
    ret.overrides = overrides
    ret.save(update_fields=["overrides"])
    _event(ret, ReturnAction.OVERRIDE, by, _("%(cell)s：计算值 %(old)s 修正为 %(new)s；原因：%(reason)s") % {
        "cell": spec.label, "old": "—" if computed is None else computed, "new": number, "reason": reason})
    return return_refill(ret)


@transaction.atomic
def return_override_confirm(*, ret: Return, by, row: str, column: str) -> Return:
    """Apply again a correction carried over from an earlier version (against today's computed value)."""
    ret = _locked(ret)
    require_cell_edit(ret, by)
    spec = _computed_spec(ret, row, column)
    correction = (ret.overrides or {}).get(row, {}).get(column)
    if not correction or not correction.get("pending"):
        raise ValidationError(_("该单元格没有待确认的手工修正"))
    computed = _computed_value(ret, row, column)
    overrides = {r: dict(c) for r, c in ret.overrides.items()}
    overrides[row][column] = {**correction, "pending": False, "computed": None if computed is None else str(computed),
                              "by": by.display_name, "at": timezone.now().isoformat(timespec="seconds")}
    ret.overrides = overrides
    ret.save(update_fields=["overrides"])
    _event(ret, ReturnAction.OVERRIDE_CONFIRM, by, _(
        "%(cell)s：再次确认修正为 %(new)s（本版本计算值 %(old)s）；原因：%(reason)s") % {
        "cell": spec.label, "new": correction["value"], "old": "—" if computed is None else computed,
        "reason": correction["reason"]})
    return return_refill(ret)


@transaction.atomic
def return_override_drop(*, ret: Return, by, row: str, column: str) -> Return:
    """Withdraw a correction (applied or pending): the computed value is shown again."""
    ret = _locked(ret)
    require_cell_edit(ret, by)
    spec = _computed_spec(ret, row, column)
    correction = (ret.overrides or {}).get(row, {}).get(column)
    if not correction:
        raise ValidationError(_("该单元格没有手工修正"))
    overrides = {r: {c: v for c, v in cols.items() if not (r == row and c == column)}
                 for r, cols in ret.overrides.items()}
    ret.overrides = {r: cols for r, cols in overrides.items() if cols}
    ret.save(update_fields=["overrides"])
    _event(ret, ReturnAction.OVERRIDE_DROP, by, _("%(cell)s：撤销修正 %(value)s，恢复计算值") % {
        "cell": spec.label, "value": correction["value"]})
    return return_refill(ret)


def carried_over(latest: Return | None) -> tuple[dict, dict]:
    """The manual values and corrections a new version of ``latest``'s chain starts with (corrections pending)."""
    if latest is None:
        return {}, {}
    overrides = {row: {col: {**c, "pending": True} for col, c in cols.items()}
                 for row, cols in (latest.overrides or {}).items()}
    return {row: dict(cols) for row, cols in (latest.manual or {}).items()}, overrides


def submission_problems(ret: Return) -> list[str]:
    """What blocks submitting ``ret``: hand-entered cells missing or invalid (Chinese, one per cell)."""
    from reporting.form_cells import manual_problems

    cells = template_cells(ret.template)
    if not cells.has_manual:
        return []
    manual = ret.manual or {}
    if ret.unit_id is None:  # the district: its own entries plus the approved units' (as the copy shows)
        manual = _manual_sum(cells, [manual, *(r.manual for r in approved_unit_returns(ret).values())])
    return manual_problems(cells, manual)

