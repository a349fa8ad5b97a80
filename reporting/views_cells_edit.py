"""The return page's writes to its cells: 填写手填数据, 修正 a computed cell, confirm or withdraw a correction.

Each POST goes through ``reporting.return_cells`` (which checks the user's unit and the return's state); on an
error the return page is shown again with the bound form (``reporting.views.return_detail``). The page's
reading side lives in ``reporting.views_cells``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.models import CellKind
from reporting import return_cells
from reporting.form_cells import template_cells
from reporting.forms_cells import CellForm, ManualCellsForm, OverrideForm
from reporting.models import Return
from reporting.selectors import returns_visible
from reporting.views import return_detail


def _detail_again(request, ret: Return, **forms):
    return return_detail(request, ret.pk, cell_forms=forms)


def _form_messages(request, form, fields_wrong: str) -> None:
    """The form's errors as page messages too (a return that cannot be edited shows no form to put them on)."""
    for message in form.non_field_errors():
        messages.error(request, message)
    if any(name != "__all__" for name in form.errors):
        messages.error(request, fields_wrong)


def _visible(request, pk: int) -> Return:
    return get_object_or_404(returns_visible(request.user), pk=pk)


@login_required
@require_POST
def return_manual(request, pk: int):
    """填写手填数据: all the hand-entered cells at once; nothing is saved when one is wrong."""
    ret = _visible(request, pk)
    form = ManualCellsForm(request.POST, specs=template_cells(ret.template).of_kind(CellKind.MANUAL))
    if form.is_valid():
        try:
            return_cells.return_manual_save(ret=ret, by=request.user, values=form.values())
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("手填数据已保存，报表文件正在重新生成"))
            return redirect("reporting:return_detail", pk=ret.pk)
    _form_messages(request, form, _("手填数据有误，未保存，请按提示修改"))
    return _detail_again(request, ret, manual_form=form)


@login_required
@require_POST
def return_override(request, pk: int):
    """修正 a computed cell (value and a required reason)."""
    ret = _visible(request, pk)
    form = OverrideForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            return_cells.return_override_set(ret=ret, by=request.user, row=data["row"], column=data["column"],
                                             value=data["value"], reason=data["reason"])
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("已修正计算值，原因已记入流转记录"))
            return redirect("reporting:return_detail", pk=ret.pk)
    _form_messages(request, form, _("修正未保存，请按提示修改"))
    return _detail_again(request, ret, override_form=form)


@login_required
@require_POST
def return_override_action(request, pk: int, action: str):
    """再次确认 a correction carried from an earlier version, or 撤销修正."""
    ret = _visible(request, pk)
    service = {"confirm": return_cells.return_override_confirm, "drop": return_cells.return_override_drop}[action]
    form = CellForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择要处理的修正"))
        return redirect("reporting:return_detail", pk=ret.pk)
    try:
        service(ret=ret, by=request.user, row=form.cleaned_data["row"], column=form.cleaned_data["column"])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已再次确认修正") if action == "confirm" else _("已撤销修正，恢复计算值"))
    return redirect("reporting:return_detail", pk=ret.pk)
