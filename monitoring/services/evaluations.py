"""The 药械科's evaluation work on adverse-event reports: late-report flag, evaluation tasks, measures, closure.

Rules held here (one place each):

* ``report_is_late``: a death report is late when filed more than ``death_limit_days`` after 获知, a
  serious-injury report more than ``serious_limit_days`` (the year's ``MonitoringSettings``); other
  outcomes and reports without a 获知日期 are never late.
* ``evaluations_scan``: every death/serious report gets one evaluation; a cluster (same product — name
  and 注册证编号 — and the same non-blank 批号, at least ``cluster_min_reports`` reports whose report dates
  lie no more than ``cluster_window_days`` apart) gets one evaluation holding all its reports. While a
  cluster evaluation is not closed, every further report of that product and batch joins it; after it is
  closed, a new cluster needs enough new reports (those already evaluated are not counted again).
* A late report of a matched local reporter writes one bad-credit record when the year's
  ``late_report_counts_in_grading`` is on (``reports_late_credit``); nothing when it is off.

The evaluating unit is the 药械科: the first unit of kind 科室 by the units' sort order (``section_unit``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.choices import UnitKind
from enterprises.grading.choices import CreditKind
from enterprises.grading.services import credit_record_create
from enterprises.models import Enterprise, Unit, User
from inspections import services as inspection_services
from inspections.choices import InspectionKind
from inspections.models import Inspection, Interview
from monitoring.access import is_ae_manager
from monitoring.choices import Causality, EvaluationStatus, EvaluationTrigger, EventOutcome
from monitoring.models import AdverseEventReport, Evaluation, LateReportCredit, MonitoringSettings
from monitoring.recipients import evaluations_opened_notify
from regsys.scoping import require_edit
from regsys.versioning import version_lock

from .settings import settings_for_year

OUTCOME_TRIGGERS = {EventOutcome.DEATH: EvaluationTrigger.DEATH, EventOutcome.SERIOUS: EvaluationTrigger.SERIOUS}
SINGLE_TRIGGERS = tuple(OUTCOME_TRIGGERS.values())


# ---------------------------------------------------------------- late reports

def report_is_late(report: AdverseEventReport, settings: MonitoringSettings) -> bool:
    """Whether ``report`` was filed after the reporter's legal limit counted from 获知日期."""
    if report.learned_on is None or report.reported_on is None:
        return False
    limits = {EventOutcome.DEATH: settings.death_limit_days, EventOutcome.SERIOUS: settings.serious_limit_days}
    limit = limits.get(report.outcome)
    if limit is None:
        return False
    return (report.reported_on - report.learned_on).days > limit


def _late_reason(report: AdverseEventReport, settings: MonitoringSettings) -> str:
    limit = settings.death_limit_days if report.outcome == EventOutcome.DEATH else settings.serious_limit_days
    return _("不良事件报告超过法定时限：报告编码%(code)s，%(outcome)s，获知%(learned)s，报告%(reported)s，时限%(days)d日") % {
        "code": report.code, "outcome": report.get_outcome_display(), "learned": f"{report.learned_on:%Y-%m-%d}",
        "reported": f"{report.reported_on:%Y-%m-%d}", "days": limit,
    }


@transaction.atomic
def reports_late_credit(*, reports: QuerySet | None = None, by: User | None = None) -> int:
    """Write one bad-credit record per late report of a matched reporter when the year's switch is on.

    Idempotent: a report that already has its record (``LateReportCredit``) is skipped. Reports of a
    year whose ``late_report_counts_in_grading`` is off write nothing. Returns how many were written.
    ``by`` None = the system (the daily scan); a user is recorded as the one who recorded them.
    """
    qs = (AdverseEventReport.objects.all() if reports is None else reports).filter(
        is_late=True, reporter__isnull=False, late_credit__isnull=True,
    ).select_related("reporter").order_by("reported_on", "pk")
    settings_by_year: dict[int, MonitoringSettings] = {}
    written = 0
    for report in qs:
        year = report.reported_on.year
        settings = settings_by_year.setdefault(year, settings_for_year(year))
        if not settings.late_report_counts_in_grading or not report_is_late(report, settings):
            continue
        record = credit_record_create(
            enterprise=report.reporter, kind=CreditKind.BAD_CREDIT, recorded_on=report.reported_on,
            reason=_late_reason(report, settings), by=by,
        )
        LateReportCredit.objects.create(report=report, credit_record=record)
        written += 1
    return written


# ---------------------------------------------------------------- the scan

def section_unit() -> Unit:
    """The 药械科: the first unit of kind 科室 (by sort order, then code)."""
    unit = Unit.objects.filter(kind=UnitKind.SECTION).order_by("sort_order", "code").first()
    if unit is None:
        raise ValidationError(_("系统中没有“科室”类型的监管单位，无法建立不良事件评价任务"))
    return unit


def _cluster_key(report: AdverseEventReport) -> tuple[str, str, str]:
    return (report.product_name, report.registration_number, report.batch)


class _YearSettings(dict):
    """The settings of each year, read once per scan."""

    def __missing__(self, year: int) -> MonitoringSettings:
        self[year] = settings_for_year(year)
        return self[year]


def _cluster_windows(reports: list[AdverseEventReport], settings: _YearSettings) -> list[AdverseEventReport]:
    """The reports (sorted by date) that lie in some window meeting the year's cluster thresholds.

    A window ends at a report and reaches back ``cluster_window_days`` (the settings of that report's
    year); it qualifies with at least ``cluster_min_reports`` reports in it.
    """
    reports = sorted(reports, key=lambda r: (r.reported_on, r.pk))
    members: dict[int, AdverseEventReport] = {}
    start = 0
    for end, last in enumerate(reports):
        year = settings[last.reported_on.year]
        while (last.reported_on - reports[start].reported_on).days > year.cluster_window_days:
            start += 1
        window = reports[start:end + 1]
        if len(window) >= year.cluster_min_reports:
            members.update((r.pk, r) for r in window)
    return sorted(members.values(), key=lambda r: (r.reported_on, r.pk))


def _save(evaluation: Evaluation, *, by: User | None, reason: str) -> None:
    evaluation._history_user = by
    evaluation._change_reason = reason
    evaluation.save()


def _open(*, trigger: str, reports: list[AdverseEventReport], unit: Unit, today: datetime.date,
          by: User | None, reason: str) -> Evaluation:
    primary = reports[0]
    settings = settings_for_year(primary.reported_on.year)
    evaluation = Evaluation(
        trigger=trigger, primary_report=primary, unit=unit, opened_on=today,
        due_on=today + datetime.timedelta(days=settings.evaluation_due_days),
    )
    _save(evaluation, by=by, reason=reason)
    evaluation.reports.set(reports)
    evaluations_opened_notify(evaluations=[evaluation])
    return evaluation


def _require_district_writer(by: User | None) -> None:
    if by is None:
        return
    if not is_ae_manager(by):
        raise PermissionDenied(_("只有药械科可以扫描不良事件报告"))


@transaction.atomic
def evaluations_scan(
    *, reports: Iterable[AdverseEventReport] | QuerySet | None = None, today: datetime.date | None = None,
    by: User | None = None, after_write: bool = False,
) -> list[Evaluation]:
    """Open the evaluations the reports call for; safe to run again (it never opens one twice).

    ``reports`` None scans every report (the daily task); given (e.g. an import's reports) it looks at
    those reports and, for clusters, at every report of their product and batch. Returns the
    evaluations opened or joined by a new report. Also writes the late-report credit records
    (``reports_late_credit``). ``by`` None = the system; a user must be a district writer.
    ``after_write``: run by a report's save or an import; a district without a 科室 unit then saves the
    report and leaves the evaluations to the daily scan, which reports the missing unit.
    """
    _require_district_writer(by)
    today = today or timezone.localdate()
    if reports is None:
        scanned = list(AdverseEventReport.objects.order_by("reported_on", "pk"))
    else:
        ids = [r.pk for r in reports]
        scanned = list(AdverseEventReport.objects.filter(pk__in=ids).order_by("reported_on", "pk"))
    if not scanned:
        return []
    if after_write and not Unit.objects.filter(kind=UnitKind.SECTION).exists():
        return []
    unit = section_unit()
    changed: list[Evaluation] = []

    single = [r for r in scanned if r.outcome in OUTCOME_TRIGGERS]
    if single:
        opened = Evaluation.objects.filter(trigger__in=SINGLE_TRIGGERS)
        if reports is not None:
            opened = opened.filter(primary_report__in=[r.pk for r in single])
        done = set(opened.values_list("primary_report_id", flat=True))
        for report in single:
            if report.pk not in done:
                changed.append(_open(trigger=OUTCOME_TRIGGERS[report.outcome], reports=[report], unit=unit,
                                     today=today, by=by, reason=_("扫描报告：%(o)s事件立项评价") % {
                                         "o": report.get_outcome_display()}))

    changed.extend(_scan_clusters(scanned, scan_all=reports is None, unit=unit, today=today, by=by))
    reports_late_credit(
        reports=None if reports is None else AdverseEventReport.objects.filter(pk__in=[r.pk for r in scanned]), by=by)
    return changed


def _scan_clusters(scanned: list[AdverseEventReport], *, scan_all: bool, unit: Unit, today: datetime.date,
                   by: User | None) -> list[Evaluation]:
    """Open or join cluster evaluations for the products and batches of ``scanned``; a bounded number of reads."""
    keys = {_cluster_key(r) for r in scanned if r.batch.strip()}
    if not keys:
        return []
    candidates = AdverseEventReport.objects.exclude(batch="")
    if not scan_all:
        candidates = candidates.filter(batch__in={batch for _name, _number, batch in keys})
    groups: dict[tuple[str, str, str], list[AdverseEventReport]] = {}
    for report in candidates.order_by("reported_on", "pk"):
        if _cluster_key(report) in keys:
            groups.setdefault(_cluster_key(report), []).append(report)
    memberships = Evaluation.reports.through.objects.filter(evaluation__trigger=EvaluationTrigger.CLUSTER)
    if not scan_all:
        memberships = memberships.filter(adverseeventreport_id__in=[r.pk for g in groups.values() for r in g])
    evaluation_of: dict[int, set[int]] = {}
    for evaluation_id, report_id in memberships.values_list("evaluation_id", "adverseeventreport_id"):
        evaluation_of.setdefault(report_id, set()).add(evaluation_id)
    evaluations = Evaluation.objects.in_bulk({e for ids in evaluation_of.values() for e in ids})
    settings = _YearSettings()
    changed: list[Evaluation] = []
    for key in sorted(groups):
        group = groups[key]
        free = [r for r in group if r.pk not in evaluation_of]
        if not free:
            continue
        own = sorted({e for r in group for e in evaluation_of.get(r.pk, ())})
        open_evaluation = next((evaluations[e] for e in own if evaluations[e].status != EvaluationStatus.CLOSED),
                               None)
        if open_evaluation is not None:
            open_evaluation.reports.add(*free)
            # the count only: the history is shown to every 所 of the cluster, the codes are per 所
            _save(open_evaluation, by=by, reason=_("%(n)d份新报告并入聚集性信号评价") % {"n": len(free)})
            changed.append(open_evaluation)
            continue
        members = _cluster_windows(free, settings)
        if members:
            changed.append(_open(trigger=EvaluationTrigger.CLUSTER, reports=members, unit=unit, today=today,
                                 by=by, reason=_("扫描报告：同一产品同一批号%(n)d份报告，立项聚集性信号评价") % {
                                     "n": len(members)}))
    return changed


# ---------------------------------------------------------------- evaluation steps

def _require_not_closed(evaluation: Evaluation) -> None:
    if evaluation.status == EvaluationStatus.CLOSED:
        raise ValidationError(_("评价已关闭，不能再修改"))


def _require_not_future(day: datetime.date | None, field: str, label: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: _("%(label)s不能晚于今天") % {"label": label}})


@transaction.atomic
def evaluation_evaluate(
    *, evaluation: Evaluation, opinion: str, causality: str, evaluated_on: datetime.date, by: User,
    measures: str = "", version: int | None = None,
) -> Evaluation:
    """Record (or correct) the 评价意见, 关联性 and measures; the evaluation is then 已评价."""
    require_edit(by, evaluation)
    evaluation = version_lock(evaluation, version=version, submitted={
        "opinion": opinion, "causality": causality, "evaluated_on": evaluated_on, "measures": measures})
    _require_not_closed(evaluation)
    errors = {}
    if not (opinion or "").strip():
        errors["opinion"] = _("请填写评价意见")
    if causality not in Causality.values:
        errors["causality"] = _("请选择关联性")
    if evaluated_on is None:
        errors["evaluated_on"] = _("请填写评价日期")
    elif evaluated_on < evaluation.opened_on:
        errors["evaluated_on"] = _("评价日期不能早于立项日期")
    if errors:
        raise ValidationError(errors)
    _require_not_future(evaluated_on, "evaluated_on", _("评价日期"))
    evaluation.opinion = opinion.strip()
    evaluation.causality = causality
    evaluation.evaluated_on = evaluated_on
    evaluation.measures = (measures or "").strip()
    evaluation.status = EvaluationStatus.EVALUATED
    _save(evaluation, by=by, reason=_("评价"))
    return evaluation


def evaluation_enterprises(evaluation: Evaluation) -> QuerySet[Enterprise]:
    """The local enterprises a measure may address: the matched reporters and registrants of its reports."""
    reports = evaluation.reports.all()
    ids = {*reports.exclude(reporter=None).values_list("reporter_id", flat=True),
           *reports.exclude(registrant=None).values_list("registrant_id", flat=True)}
    return Enterprise.objects.filter(pk__in=ids).order_by("name")


def _require_measure_enterprise(evaluation: Evaluation, enterprise: Enterprise) -> None:
    if not evaluation_enterprises(evaluation).filter(pk=enterprise.pk).exists():
        raise ValidationError({"enterprise": _("只能对本评价所涉报告的报告单位或注册人采取措施")})


def _note_measure(evaluation: Evaluation, line: str) -> None:
    evaluation.measures = f"{evaluation.measures}\n{line}".strip() if evaluation.measures else line


@transaction.atomic
def evaluation_interview_create(
    *, evaluation: Evaluation, enterprise: Enterprise, held_on: datetime.date, persons: str, by: User,
    record: str = "", unit: Unit | None = None,
) -> Interview:
    """A 约谈 of the reporter or registrant, recorded through the inspections services and linked here."""
    require_edit(by, evaluation)
    evaluation = version_lock(evaluation, version=None)
    _require_not_closed(evaluation)
    if evaluation.interview_id is not None:
        raise ValidationError(_("本评价已关联约谈记录"))
    _require_measure_enterprise(evaluation, enterprise)
    interview = inspection_services.interview_create(
        enterprise=enterprise, held_on=held_on, persons=persons, by=by, unit=unit or by.unit or evaluation.unit,
        record=record,
    )
    evaluation.interview = interview
    _note_measure(evaluation, _("%(d)s 约谈%(e)s") % {"d": f"{held_on:%Y-%m-%d}", "e": enterprise.name})
    _save(evaluation, by=by, reason=_("采取措施：约谈%(e)s") % {"e": enterprise.name})
    return interview


@transaction.atomic
def evaluation_inspection_create(
    *, evaluation: Evaluation, enterprise: Enterprise, start_date: datetime.date, by: User,
    unit: Unit | None = None,
) -> Inspection:
    """A draft 有因检查 of the reporter or registrant, created through the inspections services and linked.

    ``unit`` (who inspects) defaults to the enterprise's owning 所, else the evaluating unit.
    """
    require_edit(by, evaluation)
    evaluation = version_lock(evaluation, version=None)
    _require_not_closed(evaluation)
    if evaluation.inspection_id is not None:
        raise ValidationError(_("本评价已关联有因检查"))
    _require_measure_enterprise(evaluation, enterprise)
    codes = "、".join(evaluation.reports.order_by("reported_on", "pk").values_list("code", flat=True))
    inspection = inspection_services.inspection_create(
        enterprise=enterprise, kind=InspectionKind.FOR_CAUSE, start_date=start_date, by=by,
        unit=unit or enterprise.owning_unit or evaluation.unit,
        summary=_("不良事件评价（%(t)s）发起的有因检查，涉及报告：%(codes)s") % {
            "t": evaluation.get_trigger_display(), "codes": codes},
    )
    evaluation.inspection = inspection
    _note_measure(evaluation, _("%(d)s 对%(e)s开展有因检查") % {"d": f"{start_date:%Y-%m-%d}", "e": enterprise.name})
    _save(evaluation, by=by, reason=_("采取措施：有因检查%(e)s") % {"e": enterprise.name})
    return inspection


@transaction.atomic
def evaluation_close(
    *, evaluation: Evaluation, closed_on: datetime.date, closure_note: str, by: User, version: int | None = None,
) -> Evaluation:
    """Close an evaluated evaluation with a note; one without an opinion and causality cannot close."""
    require_edit(by, evaluation)
    evaluation = version_lock(evaluation, version=version, submitted={
        "closed_on": closed_on, "closure_note": closure_note})
    _require_not_closed(evaluation)
    if not evaluation.opinion or not evaluation.causality:
        raise ValidationError(_("尚未填写评价意见和关联性，不能关闭"))
    if not (closure_note or "").strip():
        raise ValidationError({"closure_note": _("请填写关闭说明")})
    if closed_on is None:
        raise ValidationError({"closed_on": _("请填写关闭日期")})
    if evaluation.evaluated_on and closed_on < evaluation.evaluated_on:
        raise ValidationError({"closed_on": _("关闭日期不能早于评价日期")})
    _require_not_future(closed_on, "closed_on", _("关闭日期"))
    evaluation.closed_on = closed_on
    evaluation.closure_note = closure_note.strip()
    evaluation.status = EvaluationStatus.CLOSED
    _save(evaluation, by=by, reason=_("关闭"))
    return evaluation


def evaluation_overdue(evaluation: Evaluation, today: datetime.date) -> bool:
    """Past its due date and still waiting for the evaluation (once evaluated it is no longer overdue)."""
    return evaluation.status == EvaluationStatus.OPEN and evaluation.due_on < today

