"""Pages of the reporting app: returns (list, request, view, workflow, drill-down), calendar, downloads."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.exports import list_xlsx, xlsx_response
from campaigns.history import history_rows
from campaigns.models import Campaign, CellKind, RecordScope
from enterprises.selectors import import_jobs_of
from regsys.exports import export_start
from regsys.scoping import scope_for, scoped
from reporting import services, views_cells
from reporting.exporters.layout import label_chars
from reporting.filters import ReturnFilter
from reporting.form_cells import template_cells
from reporting.form_metrics import metric_definition, metric_exists, metric_label
from reporting.forms import RecomputeForm, ReturnRequestForm, ReviewForm
from reporting.metrics import METRICS, Period, metric_records
from reporting.selectors import (
    approved_version,
    calendar,
    calendar_years,
    campaign_units,
    column_help,
    current_return,
    form_layout,
    jobs_downloadable,
    jobs_of,
    returns_visible,
    year_calendar,
)


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
def return_list(request):
    filterset = ReturnFilter(request.GET, queryset=returns_visible(request.user), request=request)
    returns = filterset.qs
    if request.GET.get("export") == "xlsx":
        query = request.GET.copy()
        query.pop("export")
        request.GET = query
        return export_start(request, "returns")
    page = Paginator(returns, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "reporting/return_list.html", {
        "filter": filterset, "page": page, "query": query.urlencode(), "can_write": scope_for(request.user).can_write,
    })


@login_required
def return_create(request):
    if not scope_for(request.user).can_write:
        raise PermissionDenied(_("只读账号不能生成报表"))
    initial = {}
    if request.GET.get("campaign", "").isdigit():
        initial["campaign"] = int(request.GET["campaign"])
    form = ReturnRequestForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ret = services.return_request(
                campaign=data["campaign"], template=data["template"], unit=data["unit"], cutoff=data["cutoff"],
                filled_by=data["filled_by"], contact=data["contact"], unscheduled=data["unscheduled"],
                by=request.user,
            )
        except ValidationError as exc:
            current = current_return(campaign=data["campaign"], template=data["template"],
                                     unit_id=data["unit"].pk if data["unit"] else None, cutoff=data["cutoff"])
            if hasattr(exc, "message_dict") and "reason" in exc.message_dict and current is not None:
                messages.info(request, exc.message_dict["reason"][0])  # the approved one: reason and differences
                return redirect("reporting:return_recompute", pk=current.pk)
            if hasattr(exc, "message_dict"):
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                for error in exc.messages:
                    form.add_error(None, error)
        else:
            messages.success(request, _("已提交，报表已排队生成；可在本页或下载中心查看进度"))
            return redirect("reporting:return_detail", pk=ret.pk)
    return render(request, "reporting/return_form.html", {"form": form})


LABEL_CHAR_REM, LABEL_PADDING_REM = 0.875, 0.6  # a character of the grid's small text; cell padding and border


def _label_geometry(ret) -> list[tuple[float, float]]:
    """(left, width) in rem of each label column: the columns stay fixed (sticky) while the numbers scroll."""
    widths = [n * LABEL_CHAR_REM + LABEL_PADDING_REM
              for n in label_chars(form_layout(ret.template, ret.cutoff), one_line=8)]
    return [(sum(widths[:i]), w) for i, w in enumerate(widths)]


def _label_cell(cell: dict, geometry: list[tuple[float, float]]) -> dict:
    col, span = int(cell["col"]), int(cell.get("colspan", 1))
    covered = geometry[col:col + span]
    return {"text": cell.get("text", ""), "rowspan": int(cell.get("rowspan", 1)), "colspan": span,
            "left": f"{covered[0][0]:.2f}", "width": f"{sum(w for _left, w in covered):.2f}",
            "edge": col + span == len(geometry)}


@login_required
def return_detail(request, pk: int, cell_forms: dict | None = None):
    """A return's page. ``cell_forms``: a bound 手填 / 修正 form with errors (``reporting.views_cells``)."""
    ret = get_object_or_404(returns_visible(request.user), pk=pk)
    unit_param = request.GET.get("unit", "")
    grid = ret.data.get("units", {}).get(unit_param) if unit_param else ret.data.get("total")
    geometry = _label_geometry(ret)
    columns, rows = views_cells.grid_rows(
        ret, grid or {}, unit_param=unit_param, labels_of=lambda row: [_label_cell(c, geometry) for c in row.label_cells],
        corrections=not unit_param,
        correct_links=not unit_param and views_cells.can_edit_cells(ret, request.user) and grid is not None)
    unit_tabs = []
    if ret.is_district:
        unit_tabs = [(str(u.pk), u.display_name) for u in campaign_units(ret.campaign)]
    versions = returns_visible(request.user).filter(
        campaign=ret.campaign, template=ret.template, unit=ret.unit, cutoff=ret.cutoff).order_by("-version")
    scope = scope_for(request.user)
    return render(request, "reporting/return_detail.html", {
        "ret": ret, "columns": [(c, column_help(c)) for c in columns], "rows": rows, "computed": grid is not None,
        "unit_tabs": unit_tabs, "unit_param": unit_param, "versions": versions,
        "events": ret.events.select_related("by"),
        "jobs": jobs_downloadable(request.user).filter(ret=ret).order_by("-pk")[:1],
        "history": history_rows(ret.history.all()),
        "can_submit": ret.status in ("draft", "returned") and ret.is_current and ret.computed_at is not None
        and (scope.district_wide or ret.unit_id == scope.unit_id) and scope.can_write,
        "can_review": ret.status in ("submitted", "approved") and ret.is_current and _is_reviewer(request.user),
        "can_recompute": ret.is_current and ret.status not in ("submitted", "approved") and scope.can_write,
        "recompute_needs_reason": approved_version(campaign=ret.campaign, template=ret.template, unit=ret.unit,
                                                   cutoff=ret.cutoff) is not None,
        "can_fix_records": scope.can_write,  # the 去修改 links of unlinked records (the auditor only reads)
        "review_form": ReviewForm(), "label_columns": ret.template.label_columns,
        "label_width": f"{sum(w for _left, w in _label_geometry(ret)):.2f}",
        "footer": ret.template.footer_for(ret.cutoff),
        **views_cells.cells_context(request, ret, unit_param=unit_param, **(cell_forms or {})),
    })


def _is_reviewer(user) -> bool:
    try:
        services.require_reviewer(user)
    except Exception:  # noqa: BLE001 - PermissionDenied
        return False
    return True


def cell_records(request, pk: int):
    """The return, its row, metric and the records behind one of its numbers (scoped to what the user may see)."""
    ret = get_object_or_404(returns_visible(request.user), pk=pk)
    row = get_object_or_404(ret.template.rows, key=request.GET.get("row", ""))
    metric_key = _cell_metric(ret, row, request)
    if metric_key not in METRICS:
        raise Http404
    metric = METRICS[metric_key]
    unit_param = request.GET.get("unit", "")
    if ret.unit_id:
        unit_ids = (ret.unit_id,)
    elif unit_param.isdigit():
        unit_ids = (int(unit_param),)
    else:
        unit_ids = None  # the district return counts the whole district
    period = Period(campaign=ret.campaign, cutoff=ret.cutoff, unit_ids=unit_ids,
                    case_date=ret.template.case_count_date, interview_mode=ret.template.interview_count_mode,
                    linked=ret.template.record_scope == RecordScope.LINKED)
    records = metric_records(metric=metric_key, row=row, period=period)
    records = scoped(records, request.user)
    related = {"enterprise": ["owning_unit"], "inspection": ["enterprise", "unit", "rectification"],
               "interview": ["enterprise", "unit"], "case": ["enterprise", "unit"],
               "person": ["case__enterprise", "case__unit"], "referral": ["enterprise", "unit", "case"]}[metric.source]
    return ret, row, metric, records.select_related(*related).order_by("pk")


def _cell_metric(ret, row, request) -> str:
    """The metric of the computed cell ``?column=<column key>`` of ``row`` (or, as links made before column keys,
    ``?metric=<row metric>``); 404 for a cell that is not computed."""
    column_key = request.GET.get("column", "")
    if not column_key:
        return request.GET.get("metric", "")
    spec = template_cells(ret.template).specs.get((row.key, column_key))
    if spec is None or spec.kind != CellKind.COMPUTED:
        raise Http404
    return spec.metric


@login_required
def return_cell(request, pk: int):
    """The records behind one number of a return (scoped to what the user may see).

    A cell computed by a scalar metric (a whole-unit figure such as an adverse-event rate) has no record list
    of its own here: the page shows the metric's definition.
    """
    ret = get_object_or_404(returns_visible(request.user), pk=pk)
    row = get_object_or_404(ret.template.rows, key=request.GET.get("row", ""))
    metric_key = _cell_metric(ret, row, request)
    if metric_key and metric_key not in METRICS and metric_exists(metric_key, ret.cutoff.year):
        scalar = {"label": metric_label(metric_key, ret.cutoff.year),
                  "definition": metric_definition(metric_key, ret.cutoff.year)}
        return render(request, "reporting/return_cell.html", {
            "ret": ret, "row": row, "metric": scalar, "scalar": True, "headers": [], "table": []})
    ret, row, metric, records = cell_records(request, pk)
    kind = metric.source
    if request.GET.get("export") == "xlsx":
        query = request.GET.copy()
        query.pop("export")
        request.GET = query
        return export_start(request, "return_cell", pk=ret.pk)
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    headers, table = _record_table(kind, page.object_list, links=True)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "reporting/return_cell.html", {
        "ret": ret, "row": row, "metric": metric, "headers": headers, "table": table, "page": page,
        "query": query.urlencode(),
    })


def _record_table(kind: str, records, *, links: bool = False):
    """Headers and rows of the records behind a cell; with ``links`` each row carries its detail URL."""
    def url(name, pk):
        return reverse(name, args=[pk]) if links else None

    if kind == "enterprise":
        headers = ["企业名称", "统一社会信用代码", "监管单位", "状态"]
        rows = ((url("enterprises:detail", e.pk), (e.name, e.credit_code, e.owning_unit.name, e.get_status_display()))
                for e in records)
    elif kind == "inspection":
        headers = ["检查日期", "企业", "检查单位", "检查类型", "出动人员人次", "责令改正日期", "完成整改日期"]
        rows = ((url("inspections:detail", i.pk), (
            i.start_date, i.enterprise.name, i.unit.name, i.get_kind_display(), i.staff_count,
            getattr(getattr(i, "rectification", None), "ordered_on", None),
            getattr(getattr(i, "rectification", None), "completed_on", None))) for i in records)
    elif kind == "interview":
        headers = ["约谈日期", "企业", "约谈单位", "被约谈人员"]
        rows = ((url("enterprises:detail", v.enterprise_id), (v.held_on, v.enterprise.name, v.unit.name, v.persons))
                for v in records)
    elif kind == "case":
        headers = ["案件编号", "立案日期", "企业", "办案单位", "程序", "罚款（元）", "没收（元）", "状态"]
        rows = ((url("inspections:case_detail", c.pk), (
            c.number, c.filed_on, c.enterprise.name, c.unit.name, c.get_procedure_display(), c.fine_amount,
            c.confiscation_amount, c.get_status_display())) for c in records)
    elif kind == "person":
        headers = ["姓名", "职务", "罚款（元）", "案件编号", "企业"]
        rows = ((url("inspections:case_detail", p.case_id), (p.name, p.position, p.fine_amount, p.case.number,
                                                            p.case.enterprise.name)) for p in records)
    else:
        headers = ["移送日期", "移送对象", "企业", "移送单位", "案件编号"]
        rows = ((url("inspections:case_detail", r.case_id) if r.case_id else url("enterprises:detail", r.enterprise_id),
                 (r.referred_on, r.get_target_display(), r.enterprise.name, r.unit.name,
                  r.case.number if r.case_id else "")) for r in records)
    if links:
        return headers, list(rows)
    return headers, (values for _url, values in rows)


@login_required
@require_POST
def return_action(request, pk: int, action: str):
    ret = get_object_or_404(returns_visible(request.user), pk=pk)
    comment = request.POST.get("comment", "")
    try:
        if action == "submit":
            services.return_submit(ret=ret, by=request.user)
            messages.success(request, _("已上报，等待药械科审核"))
        elif action == "approve":
            services.return_approve(ret=ret, by=request.user, comment=comment)
            messages.success(request, _("已审核通过，报表已锁定"))
        elif action == "send_back":
            services.return_send_back(ret=ret, by=request.user, comment=comment)
            messages.success(request, _("已退回"))
        else:
            raise Http404
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("reporting:return_detail", pk=ret.pk)


@login_required
def return_recompute(request, pk: int):
    """重新计算. A return with an approved version first shows, cell by cell, what would change, and asks why."""
    ret = get_object_or_404(returns_visible(request.user), pk=pk)
    if not scope_for(request.user).can_write:
        raise PermissionDenied(_("只读账号不能重新计算报表"))
    approved = approved_version(campaign=ret.campaign, template=ret.template, unit=ret.unit, cutoff=ret.cutoff)
    if approved is None:  # nothing approved to compare with: a plain new version, as before
        if request.method != "POST":
            return redirect("reporting:return_detail", pk=ret.pk)
        try:
            new = services.return_recompute(ret=ret, by=request.user)
        except ValidationError as exc:
            _errors(request, exc)
            return redirect("reporting:return_detail", pk=ret.pk)
        messages.success(request, _("已重新计算，生成第 %(v)s 版") % {"v": new.version})
        return redirect("reporting:return_detail", pk=new.pk)
    form = RecomputeForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.return_recompute(ret=ret, by=request.user, reason=form.cleaned_data["reason"],
                                            digest=form.cleaned_data["digest"])
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("已重新计算，生成第 %(v)s 版；原因已记入流转记录") % {"v": new.version})
            return redirect("reporting:return_detail", pk=new.pk)
    blocked = None
    if not ret.is_current:
        blocked = _("这不是最新版本，请在最新版本上重新计算")
    elif ret.status in ("submitted", "approved"):
        blocked = _("该报表已上报或已审核通过并锁定；如需重新计算，须先由药械科退回")
    # the page carries the digest of the numbers it shows: confirming replaces the version with exactly these
    preview = services.return_recompute_preview(ret=ret) if blocked is None else None
    return render(request, "reporting/return_recompute.html", {
        "ret": ret, "approved": approved, "form": form, "preview": preview, "blocked": blocked,
    })


@login_required
def calendar_view(request):
    """One campaign's calendar (``?campaign=``), else every active campaign of ``?year=`` (default this year)."""
    years = calendar_years()
    campaign = None
    if request.GET.get("campaign", "").isdigit():
        campaign = get_object_or_404(Campaign, pk=int(request.GET["campaign"]))
        year = campaign.year
        entries = [{"campaign": campaign, "blocks": calendar(campaign, request.user)}]
        due_dates = []
    else:
        raw = request.GET.get("year", "")
        year = int(raw) if raw.isdigit() and int(raw) in years else timezone.localdate().year
        found = year_calendar(year, request.user)
        entries, due_dates = found["campaigns"], found["due_dates"]
    return render(request, "reporting/calendar.html", {
        "years": years, "year": year, "campaigns": Campaign.objects.order_by("-year", "-start_date"),
        "campaign": campaign, "entries": entries, "due_dates": due_dates,
    })


@login_required
def downloads(request):
    jobs = jobs_of(request.user)
    status = request.GET.get("status", "")
    if status:
        jobs = jobs.filter(status=status)
    if request.GET.get("export") == "xlsx":
        rows = [(j.title, j.get_status_display(), j.progress, j.created_at.strftime("%Y-%m-%d %H:%M"),
                 j.xlsx.name.rsplit("/", 1)[-1] if j.xlsx else "", j.error) for j in jobs]
        return xlsx_response(list_xlsx(["名称", "状态", "进度", "申请时间", "文件", "错误"], rows, title="下载中心"),
                             "下载中心.xlsx")
    page = Paginator(jobs, 20).get_page(request.GET.get("page"))
    imports = import_jobs_of(request.user)
    if status:
        imports = imports.filter(status=status)
    return render(request, "reporting/downloads.html", {
        "page": page, "status": status, "query": f"status={status}", "imports": imports[:10],
    })


@login_required
def job_row(request, pk: int):
    """One download-centre row (htmx polls it while the job runs)."""
    job = get_object_or_404(jobs_downloadable(request.user), pk=pk)
    refresh = request.GET.get("refresh") == "1"
    response = render(request, "reporting/_job_row.html", {"job": job, "refresh": refresh})
    if refresh and job.is_finished:
        response["HX-Refresh"] = "true"  # the return page reloads to show the computed numbers
    return response


@login_required
@require_POST
def job_retry(request, pk: int):
    job = get_object_or_404(jobs_of(request.user), pk=pk)
    try:
        services.job_retry(job=job, by=request.user)
        messages.success(request, _("已重新排队生成"))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("reporting:downloads")


@login_required
def job_file(request, pk: int, kind: str):
    job = get_object_or_404(jobs_downloadable(request.user), pk=pk)
    if kind not in ("xlsx", "docx"):
        raise Http404
    field = getattr(job, kind)
    if not field:
        raise Http404
    name = field.name.rsplit("/", 1)[-1]
    response = FileResponse(field.open("rb"), as_attachment=True, filename=name)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
