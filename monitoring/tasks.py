"""Celery entry points of the monitoring app: thin, acks_late, re-run when the worker dies."""

from celery import shared_task
from django.db import OperationalError

from monitoring.importers import ae_import_job_run


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, autoretry_for=(OperationalError,),
             retry_backoff=True, max_retries=3)
def ae_import_task(self, job_id: int) -> None:
    """Check (preview) or import (after confirmation) an uploaded AE export; progress on the AEImportJob."""
    ae_import_job_run(job_id=job_id, task_id=self.request.id)
