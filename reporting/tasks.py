"""Celery entry points of the reporting app: thin, idempotent, acks_late, retried."""

from celery import shared_task
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError
from django.utils import timezone

from regsys.digest import digest_send
from reporting.cockpit.service import snapshot_take, snapshots_due
from reporting.cockpit.summary import cockpit_summary_build
from reporting.notifications_scan import notifications_deadlines_scan
from reporting.risk_report import risk_report_build
from reporting.services import job_fail_by_id, jobs_sweep, list_export_build, return_build


def _build_job(task, build, job_id: int) -> None:
    """Run a download-centre job's build under ``task``; after the last retry of a database error the job
    is marked failed (its row says so) before the error propagates."""
    try:
        build(job_id=job_id, task_id=task.request.id)
    except OperationalError as exc:
        if task.request.retries >= task.max_retries:
            job_fail_by_id(job_id=job_id, error=str(exc))
        raise


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, autoretry_for=(OperationalError,),
             retry_backoff=True, max_retries=3)
def return_build_task(self, job_id: int) -> None:
    """Compute a return and write its files (job progress recorded on the ExportJob)."""
    _build_job(self, return_build, job_id)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, autoretry_for=(OperationalError,),
             retry_backoff=True, max_retries=3)
def list_export_task(self, job_id: int) -> None:
    """Write a filtered list as .xlsx for the download centre (progress recorded on the ExportJob)."""
    _build_job(self, list_export_build, job_id)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, autoretry_for=(OperationalError,),
             retry_backoff=True, max_retries=3)
def risk_report_task(self, job_id: int) -> None:
    """Write the quarterly risk-consultation report (.docx) for the download centre."""
    _build_job(self, risk_report_build, job_id)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, autoretry_for=(OperationalError,),
             retry_backoff=True, max_retries=3)
def cockpit_summary_task(self, job_id: int) -> None:
    """Write the chief's quarterly work summary (.docx) for the download centre."""
    _build_job(self, cockpit_summary_build, job_id)


@shared_task
def jobs_sweep_task() -> dict:
    """Beat, every minute: re-dispatch queued jobs and re-queue or fail stale ones (see settings)."""
    return jobs_sweep()


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def cockpit_snapshots_task() -> list[str]:
    """Beat, hourly: freeze every ended quarter that has no snapshot yet (a second run finds none due)."""
    today = timezone.localdate()
    taken = []
    for year, quarter in snapshots_due(today):
        try:
            snapshot_take(year=year, quarter=quarter, today=today)
        except (ValidationError, IntegrityError):  # taken meanwhile by another run or by hand
            continue
        taken.append(f"{year}-{quarter}")
    return taken
def notifications_deadlines_task() -> int:
    """Daily: reminders 7/3/1 days before each open item's due date and once when overdue (safe to rerun)."""
    return notifications_deadlines_scan()


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def notifications_digest_task() -> int:
    """Daily: the e-mail digest of unread notifications (at most one per user and day)."""
    return digest_send()
