"""Celery entry points of the enterprises app: thin, acks_late, re-run when the worker dies."""

from celery import shared_task
from django.db import OperationalError

from enterprises.importers import import_job_run


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, autoretry_for=(OperationalError,),
             retry_backoff=True, max_retries=3)
def enterprise_import_task(self, job_id: int) -> None:
    """Check and import an uploaded enterprise file (all rows or none); progress on the ImportJob."""
    import_job_run(job_id=job_id, task_id=self.request.id)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, autoretry_for=(OperationalError,),
             retry_backoff=True, max_retries=3)
def filing_import_task(self, job_id: int) -> None:
    """Check and record an uploaded submission list of yearly filings (all rows or none)."""
    from enterprises.duties.filing_import import filing_import_job_run

    filing_import_job_run(job_id=job_id, task_id=self.request.id)
