"""Pages of AE reports: list, export, detail, manual entry, the import with its preview, the unmatched queue."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from inspections.exports import Column
from inspections.views.common import apply_errors, list_page
from monitoring import importers, selectors
from monitoring.access import is_ae_manager
from monitoring.choices import ReporterMatch
from monitoring.evaluation_selectors import evaluations_for
from monitoring.filters import AEReportFilterSet
from monitoring.forms import ReporterResolveForm, ReportForm, ReportImportForm
from monitoring.models import AdverseEventReport
from monitoring.services import reports as services
from monitoring.views import _imports
from regsys.exports import export_start
from regsys.scoping import can_edit, require_edit, require_write, scope_for
from regsys.versioning import EditConflict


def _d(value) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


REPORT_COLUMNS: list[Column] = [
    ("报告编码", lambda r: r.code, 22),
    ("报告日期", lambda r: _d(r.reported_on), 12),
    ("事件发生日期", lambda r: _d(r.occurred_on), 12),
    ("获知日期", lambda r: _d(r.learned_on), 12),
    ("报告来源", lambda r: r.get_reporter_kind_display(), 10),
    ("报告单位名称", lambda r: r.reporter_name, 30),
    ("报告单位统一社会信用代码", lambda r: r.reporter_credit_code, 22),
    ("名录中的报告单位", lambda r: r.reporter.name if r.reporter_id else "", 30),
    ("报告单位匹配方式", lambda r: r.get_reporter_match_display(), 18),
    ("事件后果", lambda r: r.get_outcome_display(), 10),
    ("产品名称", lambda r: r.product_name, 24),
    ("注册证编号/备案编号", lambda r: r.registration_number, 24),
    ("注册人/生产企业", lambda r: r.registrant_name, 28),
    ("本区注册人", lambda r: "是" if r.registrant_id else "", 10),
    ("型号规格", lambda r: r.model_spec, 16),
    ("批号", lambda r: r.batch, 14),
    ("街道/镇", lambda r: r.subdistrict.name if r.subdistrict_id else "", 12),
    ("所属监管所", lambda r: r.unit.display_name if r.unit_id else "", 14),
    ("超时限报告", lambda r: "是" if r.is_late else "", 10),
    ("事件陈述", lambda r: r.description, 50),
]


def _is_district_writer(user) -> bool:
    return is_ae_manager(user)


@login_required
def report_list(request):
    return list_page(request, queryset=selectors.report_list(user=request.user),
                     filterset_class=AEReportFilterSet, template="monitoring/report_list.html",
                     context={"can_write": scope_for(request.user).can_write,
                              "district_writer": _is_district_writer(request.user)})


@login_required
def report_export(request):
    """The filtered list, every row, as .xlsx (the same FilterSet and scope as the page)."""
    return export_start(request, "ae_reports")


@login_required
def report_detail(request, pk: int):
    report = selectors.report_get(user=request.user, pk=pk)
    days = (report.reported_on - report.learned_on).days if report.learned_on else None
    return render(request, "monitoring/report_detail.html", {
        "report": report, "can_edit": can_edit(request.user, report), "days_to_report": days,
        "history": selectors.report_history(report=report),
        "can_resolve": _is_district_writer(request.user) and report.reporter_kind not in services.NO_MATCH_KINDS,
        "evaluations": evaluations_for(request.user).filter(reports=report).order_by("-opened_on", "-pk"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def report_create(request):
    require_write(request.user)
    form = ReportForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            _saved_messages(request, report)
            return redirect("monitoring:report_detail", pk=report.pk)
    return render(request, "monitoring/report_form.html", {"form": form, "report": None})


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request, pk: int):
    report = selectors.report_get(user=request.user, pk=pk)
    require_edit(request.user, report)
    form = ReportForm(request.POST or None, instance=report, user=request.user)
    if request.method == "POST" and form.is_valid():
        version = form.pop_version()
        try:
            report = services.report_update(report=report, by=request.user, version=version, **form.cleaned_data)
        except EditConflict as exc:
            form.show_conflict(exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            _saved_messages(request, report)
            return redirect("monitoring:report_detail", pk=report.pk)
    return render(request, "monitoring/report_form.html", {"form": form, "report": report})


def _saved_messages(request, report: AdverseEventReport) -> None:
    messages.success(request, _("已保存不良事件报告 %(c)s") % {"c": report.code})
    if report.reporter_match == ReporterMatch.UNMATCHED:
        messages.warning(request, _("报告单位“%(n)s”未能对应到企业名录，已列入药械科的待匹配清单")
                         % {"n": report.reporter_name})
    if report.is_late:
        messages.warning(request, _("该报告超过法定报告时限，已标记为超时限报告"))


@login_required
@require_http_methods(["GET", "POST"])
def report_import(request):
    """Upload the national system's export; the worker checks it and shows the preview (nothing imported yet)."""
    services.require_district(request.user)
    form = ReportImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            job = importers.ae_import_job_create(file=form.cleaned_data["file"], by=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.info(request, _("文件已上传，正在后台检查；检查完成后请核对预览再确认导入"))
            return redirect("monitoring:import_job", pk=job.pk)
    profile = importers.default_profile()
    return render(request, "monitoring/import.html", {
        "form": form, "recent": selectors.import_jobs_of(request.user)[:5], "profile": profile,
        "max_rows": settings.REGSYS_IMPORT_MAX_ROWS, "max_bytes": settings.REGSYS_IMPORT_MAX_UPLOAD_BYTES,
    })


@login_required
def import_job(request, pk: int):
    """An import's progress, then its preview (to confirm), its result, or every row-level error."""
    job = get_object_or_404(selectors.import_jobs_of(request.user), pk=pk)
    return render(request, "monitoring/import_job.html", _imports.preview_context(request, job))


@login_required
def import_job_row(request, pk: int):
    job = get_object_or_404(selectors.import_jobs_of(request.user), pk=pk)
    return _imports.status_row(request, job, "monitoring/_import_job_row.html")


@login_required
@require_POST
def import_confirm(request, pk: int):
    job = get_object_or_404(selectors.import_jobs_of(request.user), pk=pk)
    return _imports.confirm(request, job, confirm_job=importers.ae_import_job_confirm, url_name="monitoring:import_job")


@login_required
def unmatched(request):
    """The 药械科's queue of reporting units not found in the registry, one line per name."""
    groups = selectors.unmatched_groups(user=request.user)
    return render(request, "monitoring/unmatched.html", {
        "groups": groups, "total": sum(g["count"] for g in groups), "can_resolve": _is_district_writer(request.user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def unmatched_resolve(request, pk: int):
    """Pick (or correct) the registry enterprise of a report's reporting unit; remembered for later imports."""
    services.require_district(request.user)
    report = get_object_or_404(selectors.report_list(user=request.user).exclude(
        reporter_kind__in=services.NO_MATCH_KINDS), pk=pk)
    from_queue = report.reporter_match == ReporterMatch.UNMATCHED
    form = ReporterResolveForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.reporter_resolve(report=report, enterprise=form.cleaned_data["enterprise"],
                                              by=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已将“%(n)s”对应到“%(e)s”，共 %(c)s 份报告；以后导入同名报告单位将自动匹配")
                             % {"n": report.reporter_name, "e": form.cleaned_data["enterprise"].name, "c": count})
            return redirect("monitoring:unmatched") if from_queue else redirect("monitoring:report_detail", pk=report.pk)
    same_name = selectors.unmatched_reports(user=request.user).filter(reporter_name=report.reporter_name)
    return render(request, "monitoring/unmatched_resolve.html", {
        "report": report, "form": form, "same_name": same_name.order_by("-reported_on")[:50],
    })
