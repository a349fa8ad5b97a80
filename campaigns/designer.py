"""Writes of the form designer: a template's settings, rows, columns and cells, edited in the browser.

The merged label cells a row prints (``FormRow.label_cells``) are derived here from the rows' label paths
(``label_cells_from_paths``), never typed. A template that already has returns keeps its structure
(rows, columns, cells): it is copied to a new version instead (``services.form_template_copy``).
The checks of what a template's cells say (metrics, formulas, cycles) live in ``reporting.form_cells``;
campaigns asks for them at call time (dependency direction, as ``campaigns.help`` does).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from campaigns.models import CellKind, FormCell, FormColumn, FormRow, FormTemplate
from campaigns.services import CELL_FIELDS, require_district_writer

KEY_RE = re.compile(r"^[A-Za-z0-9_\-\u3400-\u9fff]+$")
MAX_LEVELS = 3
SETTINGS_FIELDS = ("code", "year", "title_template", "header_label", "footer_template", "record_scope",
                   "case_count_date", "interview_count_mode", "notes", "is_active")
ROW_FIELDS = ("key", "path", "link", "tag_codes", "exclude_tag_codes", "parent")
COLUMN_EDIT_FIELDS = ("key", "label", "unit", "decimals", "width", "help_text", *CELL_FIELDS)


# --- reading -----------------------------------------------------------------------------------------------

def label_cells_from_paths(paths: Sequence[Sequence[str]]) -> tuple[list[list[dict]], int]:
    """The merged label cells each row starts, and the number of label columns (the deepest path).

    At each level, consecutive rows sharing the same path up to that level (and going deeper) get one
    cell spanning them (rowspan); a row's last level spans the label columns left (colspan).
    """
    depth = max((len(p) for p in paths), default=1) or 1
    cells: list[list[dict]] = [[] for _ in paths]
    for level in range(depth):
        index = 0
        while index < len(paths):
            path = paths[index]
            if len(path) <= level:
                index += 1
                continue
            last = level == len(path) - 1
            span = 1
            if not last:
                while (index + span < len(paths) and len(paths[index + span]) > level + 1
                       and list(paths[index + span][:level + 1]) == list(path[:level + 1])):
                    span += 1
            cells[index].append({"text": path[level], "col": level, "colspan": depth - level if last else 1,
                                 "rowspan": span})
            index += span
    return cells, depth


def path_from_text(text: str) -> list[str]:
    """ "一级 / 二级" → ["一级", "二级"] (1–3 levels, none empty); raises ValidationError."""
    parts = [p.strip() for p in re.split(r"[/／]", text or "")]
    if not text or not text.strip():
        raise ValidationError(_("请填写项目名称"))
    if any(not p for p in parts):
        raise ValidationError(_("项目层级之间用“/”分隔，每一级都不能为空"))
    if len(parts) > MAX_LEVELS:
        raise ValidationError(_("项目最多 %(n)s 级") % {"n": MAX_LEVELS})
    return parts


def key_check(key: str) -> None:
    """A row or column code: letters, digits, ``_``, ``-`` or Chinese (formulas write ``{行代码.列代码}``)."""
    if not key:
        raise ValidationError(_("请填写代码"))
    if not KEY_RE.match(key):
        raise ValidationError(_("代码只能由字母、数字、下划线、“-”和汉字组成，不能含“.”“{”“}”或空格"))


def has_returns(template: FormTemplate) -> bool:
    related = getattr(template, "returns", None)  # reporting.Return (asked through the relation name)
    return bool(related is not None and related.exists())


def structure_locked_reason(template: FormTemplate) -> str:
    if template.pk and has_returns(template):
        return _("该模板已有报表，不能再修改行、列和单元格（否则已报送的数据对不上）；请复制为新版本后修改")
    return ""


def problems(template: FormTemplate) -> list[str]:
    from reporting.form_cells import template_problems

    return template_problems(template)


# --- writing ------------------------------------------------------------------------------------------------

def _require_structure_editable(template: FormTemplate) -> None:
    reason = structure_locked_reason(template)
    if reason:
        raise ValidationError(reason)


def _check_definition(values: dict, year: int) -> None:
    """One cell definition (a column default or a cell) is complete: errors by field, in Chinese."""
    from reporting.form_metrics import metric_exists
    from reporting.formulas import FormulaError, parse

    errors: dict[str, str] = {}
    kind = values.get("kind")
    if kind == CellKind.COMPUTED:
        if not values.get("metric"):
            errors["metric"] = _("计算单元格须选择指标")
        elif not metric_exists(values["metric"], year):
            errors["metric"] = _("指标“%(m)s”不存在") % {"m": values["metric"]}
    if kind == CellKind.FORMULA:
        try:
            parse(values.get("formula") or "")
        except FormulaError as exc:
            errors["formula"] = str(exc)
    low, high = values.get("min_value"), values.get("max_value")
    if low is not None and high is not None and low > high:
        errors["max_value"] = _("最大值不能小于最小值")
    if errors:
        raise ValidationError(errors)
    # keep only what the kind uses, so a column switched to 手填 does not keep a stale formula
    if kind != CellKind.COMPUTED:
        values["metric"] = ""
    if kind != CellKind.FORMULA:
        values["formula"] = ""
    if kind != CellKind.MANUAL:
        values.update(min_value=None, max_value=None, required=False)


def _check_key(model, template: FormTemplate, key: str, instance) -> None:
    if instance is not None and instance.pk and instance.key == key:
        return  # an unchanged code of a shipped form may keep its dots
    try:
        key_check(key)
    except ValidationError as exc:
        raise ValidationError({"key": exc.messages}) from None
    if model.objects.filter(template=template, key=key).exclude(pk=getattr(instance, "pk", None)).exists():
        raise ValidationError({"key": _("本模板已有代码为“%(k)s”的行或列") % {"k": key}})


@transaction.atomic
def template_settings_save(*, template: FormTemplate, values: dict, by) -> FormTemplate:
    """Create or change a template's settings; 启用 only when the template has no problems."""
    require_district_writer(by)
    for field in SETTINGS_FIELDS:
        if field in values:
            setattr(template, field, values[field])
    if template.pk is None:
        last = FormTemplate.objects.filter(code=template.code, year=template.year).order_by("-version").first()
        template.version = last.version + 1 if last else 1
    if template.is_active:
        found = problems(template) if template.pk else [_("报表至少需要一行"), _("报表至少需要一列")]
        if found:
            raise ValidationError({"is_active": _("还有 %(n)s 个问题未解决，不能启用：%(p)s") % {
                "n": len(found), "p": "；".join(found)}})
    try:
        template.full_clean(exclude={"copied_from", "label_columns", "preamble_fields"})
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None
    template.save()
    return template


def template_relayout(template: FormTemplate) -> None:
    """Derive every row's label cells and the template's label columns from the rows' paths."""
    rows = list(template.rows.order_by("order"))
    cells, depth = label_cells_from_paths([r.path for r in rows])
    for row, row_cells in zip(rows, cells, strict=True):
        if row.label_cells != row_cells:
            row.label_cells = row_cells
            row.save(update_fields=["label_cells"])
    if rows and template.label_columns != depth:
        template.label_columns = depth
        template.save(update_fields=["label_columns"])


@transaction.atomic
def row_save(*, template: FormTemplate, row: FormRow | None, values: dict, by) -> FormRow:
    require_district_writer(by)
    _require_structure_editable(template)
    _check_key(FormRow, template, values["key"], row)
    parent = values.get("parent")
    if parent is not None and (parent.template_id != template.pk or (row is not None and parent.pk == row.pk)):
        raise ValidationError({"parent": _("“其中”所属行须是本模板的另一行")})
    if row is None:
        order = (template.rows.aggregate(m=Max("order"))["m"] or 0) + 1
        row = FormRow(template=template, order=order)
    for field in ROW_FIELDS:
        setattr(row, field, values.get(field, getattr(row, field)))
    row.save()
    template_relayout(template)
    row.refresh_from_db()
    return row


@transaction.atomic
def row_delete(*, row: FormRow, by) -> None:
    require_district_writer(by)
    template = row.template
    _require_structure_editable(template)
    row.delete()
    _renumber(template.rows.order_by("order"))
    template_relayout(template)


@transaction.atomic
def column_save(*, template: FormTemplate, column: FormColumn | None, values: dict, by) -> FormColumn:
    require_district_writer(by)
    _require_structure_editable(template)
    _check_key(FormColumn, template, values["key"], column)
    _check_definition(values, template.year)
    if column is None:
        order = (template.columns.aggregate(m=Max("order"))["m"] or 0) + 1
        column = FormColumn(template=template, order=order)
    for field in COLUMN_EDIT_FIELDS:
        if field in values:
            setattr(column, field, values[field])
    column.save()
    return column


@transaction.atomic
def column_delete(*, column: FormColumn, by) -> None:
    require_district_writer(by)
    template = column.template
    _require_structure_editable(template)
    column.delete()
    _renumber(template.columns.order_by("order"))


@transaction.atomic
def item_move(*, item: FormRow | FormColumn, up: bool, by) -> None:
    """Swap a row (or column) with its neighbour above (left) or below (right)."""
    require_district_writer(by)
    template = item.template
    _require_structure_editable(template)
    items = list(type(item).objects.filter(template=template).order_by("order"))
    index = next(i for i, x in enumerate(items) if x.pk == item.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
        _renumber(items)
        if isinstance(item, FormRow):
            template_relayout(template)


def _renumber(items) -> None:
    for order, item in enumerate(items, start=1):
        if item.order != order:
            item.order = order
            item.save(update_fields=["order"])


@transaction.atomic
def cell_save(*, row: FormRow, column: FormColumn, values: dict, by) -> FormCell:
    """Set one cell otherwise than its column (the values of ``CELL_FIELDS`` and ``note``)."""
    require_district_writer(by)
    template = row.template
    _require_structure_editable(template)
    if column.template_id != template.pk:
        raise ValidationError(_("行和列不属于同一模板"))
    _check_definition(values, template.year)
    cell = FormCell.objects.filter(row=row, column=column).first() or FormCell(
        template=template, row=row, column=column)
    for field in (*CELL_FIELDS, "note"):
        if field in values:
            setattr(cell, field, values[field])
    cell.save()
    return cell


@transaction.atomic
def cell_reset(*, row: FormRow, column: FormColumn, by) -> None:
    """The cell follows its column again (跟随列设置)."""
    require_district_writer(by)
    _require_structure_editable(row.template)
    FormCell.objects.filter(row=row, column=column).delete()
