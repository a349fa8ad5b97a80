"""A real Celery worker builds a return against PostgreSQL and Redis; the files reach the download centre."""

import datetime as dt
import time

import pytest
from django.urls import reverse

from reporting.choices import JobStatus
from reporting.models import ExportJob
from reporting.services import return_request

from .scenario import build


@pytest.mark.worker
def test_worker_builds_the_return_and_files_appear_in_the_download_centre(
    celery_worker_process, forms, client, settings
):
    s = build(forms)

    ret = return_request(campaign=s["campaign"], template=forms["统计表二"], unit=s["unit_a"],
                         cutoff=dt.date(2023, 9, 30), by=s["user_a"])  # transactional test: on_commit fires

    job = ExportJob.objects.get(ret=ret)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in (JobStatus.SUCCESS, JobStatus.FAILED):
            break
        time.sleep(0.5)
    assert (job.status, job.progress, job.error) == (JobStatus.SUCCESS, 100, "")
    ret.refresh_from_db()
    assert ret.data["total"]["hyaluronic_acid_gel_injection.manufacture"]["enterprises_inspected"] == 2
    client.force_login(s["user_a"])
    page = client.get(reverse("reporting:downloads")).content.decode()
    assert reverse("reporting:job_file", args=[job.pk, "xlsx"]) in page
    assert reverse("reporting:job_file", args=[job.pk, "docx"]) in page
    download = client.get(reverse("reporting:job_file", args=[job.pk, "docx"]))
    assert download.status_code == 200 and b"".join(download.streaming_content)[:2] == b"PK"
