"""Pages of the form designer: district administrators define a form's settings, rows, columns and cells.

Parse → ``campaigns.designer`` (the rules) → render. Every page needs a district user who may write
(药械科, leaders, admins); a 所 user may view templates (``views.template_detail``) but gets 403 here.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns import designer
from campaigns.designer_forms import CellForm, ColumnForm, RowForm, TemplateSettingsForm
from campaigns.models import CellKind, FormCell, FormColumn, FormRow, FormTemplate
from campaigns.views import _can_manage, _form_errors
from enterprises.models import Tag


def manager_required(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not _can_manage(request.user):
            raise PermissionDenied(_("只有区局药械科或局领导可以设计报表"))
        return view(request, *args, **kwargs)
    return wrapped


def _design(template: FormTemplate):
    return redirect("campaigns:template_design", pk=template.pk)


def _locked(request, template: FormTemplate):
    """Refuse a structure edit of a template with returns (the page explains and offers a copy)."""
    reason = designer.structure_locked_reason(template)
    if reason:
        messages.error(request, reason)
        return _design(template)
    return None


@manager_required
def template_settings(request, pk: int | None = None):
    template = get_object_or_404(FormTemplate, pk=pk) if pk else FormTemplate(is_active=False)
    form = TemplateSettingsForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        values = {f: form.cleaned_data[f] for f in form.Meta.fields}
        try:
            saved = designer.template_settings_save(
                template=FormTemplate.objects.get(pk=pk) if pk else FormTemplate(), values=values, by=request.user)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("已保存报表设置"))
            return _design(saved)
    return render(request, "campaigns/designer/settings_form.html", {"form": form, "template": template})


@manager_required
def template_design(request, pk: int):
    from reporting.form_cells import template_cells
    from reporting.form_metrics import metric_label

    template = get_object_or_404(FormTemplate, pk=pk)
    rows = list(template.rows.order_by("order").select_related("parent"))
    tag_names = dict(Tag.objects.values_list("code", "name"))
    for row in rows:  # the tags by their names (a code the registry no longer has is shown as written)
        row.tag_names = [tag_names.get(code, code) for code in row.tag_codes]
        row.exclude_tag_names = [tag_names.get(code, code) for code in row.exclude_tag_codes]
    columns = list(template.columns.order_by("order"))
    cells = template_cells(template)
    grid = []
    for row in rows:
        line = []
        for column in columns:
            spec = cells.specs[(row.key, column.key)]
            if spec.kind == CellKind.COMPUTED:
                text = _("计算：%(m)s") % {"m": metric_label(spec.metric, template.year) if spec.metric else "?"}
            elif spec.kind == CellKind.MANUAL:
                text = _("手填")
            elif spec.kind == CellKind.FORMULA:
                text = _("公式：%(f)s") % {"f": spec.formula}
            else:
                text = "—"
            line.append((column, spec, text))
        grid.append((row, line))
    preview = [(row, row.label_cells, [cells.specs[(row.key, c.key)].kind for c in columns]) for row in rows]
    return render(request, "campaigns/designer/design.html", {
        "template": template, "rows": rows, "columns": columns, "grid": grid, "preview": preview,
        "problems": designer.problems(template), "locked": designer.structure_locked_reason(template),
        "title": template.title_for(), "width": template.label_columns + len(columns),
    })


@manager_required
def row_edit(request, pk: int, row_pk: int | None = None):
    template = get_object_or_404(FormTemplate, pk=pk)
    row = get_object_or_404(FormRow, pk=row_pk, template=template) if row_pk else None
    if (refused := _locked(request, template)) is not None:
        return refused
    form = RowForm(request.POST or None, template=template, row=row)
    if request.method == "POST" and form.is_valid():
        try:
            designer.row_save(template=template, row=row, values=form.values(), by=request.user)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("已保存行"))
            return _design(template)
    return render(request, "campaigns/designer/item_form.html", {
        "form": form, "template": template, "heading": _("编辑行") if row else _("添加行")})


@manager_required
def column_edit(request, pk: int, column_pk: int | None = None):
    template = get_object_or_404(FormTemplate, pk=pk)
    column = get_object_or_404(FormColumn, pk=column_pk, template=template) if column_pk else None
    if (refused := _locked(request, template)) is not None:
        return refused
    form = ColumnForm(request.POST or None, year=template.year, column=column)
    if request.method == "POST" and form.is_valid():
        try:
            designer.column_save(template=template, column=column, values=form.values(), by=request.user)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("已保存列"))
            return _design(template)
    return render(request, "campaigns/designer/item_form.html", {
        "form": form, "template": template, "heading": _("编辑列") if column else _("添加列")})


@manager_required
def cell_edit(request, pk: int, row_pk: int, column_pk: int):
    template = get_object_or_404(FormTemplate, pk=pk)
    row = get_object_or_404(FormRow, pk=row_pk, template=template)
    column = get_object_or_404(FormColumn, pk=column_pk, template=template)
    if (refused := _locked(request, template)) is not None:
        return refused
    cell = FormCell.objects.filter(row=row, column=column).first()
    if request.method == "POST" and request.POST.get("action") == "reset":
        designer.cell_reset(row=row, column=column, by=request.user)
        messages.success(request, _("该单元格已改为跟随列设置"))
        return _design(template)
    form = CellForm(request.POST or None, year=template.year, source=cell or column, cell=cell)
    if request.method == "POST" and form.is_valid():
        try:
            designer.cell_save(row=row, column=column, values=form.values(), by=request.user)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("已保存单元格"))
            return _design(template)
    return render(request, "campaigns/designer/item_form.html", {
        "form": form, "template": template, "cell": cell,
        "heading": _("单元格：%(r)s × %(c)s") % {"r": row.display_label, "c": column.label}})


@manager_required
@require_POST
def item_action(request, pk: int, what: str, item_pk: int, action: str):
    """Delete or move a row or column (POST buttons of the designer page)."""
    if what not in ("rows", "columns") or action not in ("delete", "up", "down"):
        raise Http404
    template = get_object_or_404(FormTemplate, pk=pk)
    model = FormRow if what == "rows" else FormColumn
    item = get_object_or_404(model, pk=item_pk, template=template)
    try:
        if action == "delete":
            if model is FormRow:
                designer.row_delete(row=item, by=request.user)
            else:
                designer.column_delete(column=item, by=request.user)
            messages.success(request, _("已删除“%(x)s”") % {"x": item})
        else:
            designer.item_move(item=item, up=action == "up", by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return _design(template)
