"""Celery entry points of the monitoring app: thin and safe to run twice."""

from celery import shared_task
from django.db import OperationalError

from monitoring.services.evaluations import evaluations_scan


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def evaluations_scan_task() -> int:
    """Beat, daily: open the evaluations death, serious and cluster reports call for (idempotent)."""
    return len(evaluations_scan())
