"""The quarterly risk-consultation report as a download-centre job (ExportJob kind ``risk_report``).

The content and the Word file come from ``monitoring.services.risk_report``; this module files the job,
builds it in the worker and lists earlier builds. The monitoring page reaches it through the settings
``REGSYS_RISK_REPORT_JOB_SERVICE`` / ``REGSYS_RISK_REPORT_JOBS`` (monitoring imports nothing of reporting).
"""

from __future__ import annotations

import logging

from django.db import OperationalError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import Unit
from monitoring.services.risk_report import quarter_label, risk_report_check, risk_report_document
from regsys.jobs import job_claim, job_enqueue, job_fail, job_progress, job_succeed
from regsys.scoping import scoped
from reporting.models import ExportJob
from reporting.services import job_files_write

logger = logging.getLogger(__name__)
KIND = "risk_report"


@transaction.atomic
def risk_report_request(*, user, year: int, quarter: int, unit: Unit | None) -> ExportJob:
    """File the report of ``year``/``quarter`` for ``unit`` (None: the district) as a job; a worker builds it."""
    risk_report_check(user=user, year=year, quarter=quarter, unit=unit, today=timezone.localdate())
    who = unit.display_name if unit is not None else _("全区")
    job = ExportJob.objects.create(
        kind=KIND, unit=unit, created_by=user, message=_("等待生成"),
        params={"year": year, "quarter": quarter, "unit": unit.pk if unit is not None else None},
        title=_("%(quarter)s风险会商情况报告（%(who)s）") % {"quarter": quarter_label(year, quarter), "who": who},
    )
    job_enqueue(job)
    return job


def risk_report_jobs(user) -> QuerySet[ExportJob]:
    """Earlier builds the user may see and download: every one for the district, its own unit's for a 所."""
    return scoped(ExportJob.objects.filter(kind=KIND), user).select_related("created_by", "unit")


def risk_report_build(*, job_id: int, task_id: str) -> ExportJob | None:
    """Write the report's .docx into the job. Safe to run twice (fixed file name, overwritten)."""
    if job_claim(model=ExportJob, pk=job_id, task_id=task_id) is None:
        return None
    job = ExportJob.objects.select_related("unit").get(pk=job_id)
    try:
        job_progress(job, 20, _("正在汇总风险清单"))
        params = job.params
        name, content = risk_report_document(
            year=params["year"], quarter=params["quarter"], unit=job.unit,
            today=timezone.localdate(job.created_at))
        job_progress(job, 90, _("正在保存文件"))
        job_files_write(job=job, files={"docx": (name, content)})
        job_succeed(job, _("已完成"), fields=("docx",))
    except OperationalError:
        raise
    except Exception as exc:
        logger.exception("risk report failed for job %s", job_id)
        job_fail(job=job, error=f"{type(exc).__name__}: {exc}")
    return job
