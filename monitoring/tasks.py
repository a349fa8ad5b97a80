"""Celery entry points of the monitoring app: thin, acks_late, safe to run twice."""

from celery import shared_task
from django.db import OperationalError

from monitoring.importers import ae_import_job_run
from monitoring.services.evaluations import evaluations_scan
from monitoring.services.sampling import sampling_windows_close


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def evaluations_scan_task() -> int:
    """Beat, daily: open the evaluations death, serious and cluster reports call for (idempotent)."""
    return len(evaluations_scan())


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, autoretry_for=(OperationalError,),
             retry_backoff=True, max_retries=3)
def ae_import_task(self, job_id: int) -> None:
    """Check (preview) or import (after confirmation) an uploaded AE export; progress on the AEImportJob."""
    ae_import_job_run(job_id=job_id, task_id=self.request.id)


# --- leads ---
@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, autoretry_for=(OperationalError,),
             retry_backoff=True, max_retries=3)
def lead_import_task(self, job_id: int) -> None:
    """Check (preview) or import (after confirmation) an uploaded lead list; progress on the LeadImportJob."""
    from monitoring.leads_import import lead_import_job_run

    lead_import_job_run(job_id=job_id, task_id=self.request.id)
# --- end leads ---
@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def sampling_windows_close_task() -> int:
    """Beat, daily: record the 复检 windows that ended as done on their last day (idempotent)."""
    return sampling_windows_close()
