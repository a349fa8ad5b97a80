"""A real worker runs an import: progress is visible while the all-or-nothing transaction is still open."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from enterprises.models import Enterprise, ImportJob
from regsys.jobs import JobStatus

from .test_import import row, xlsx


@pytest.mark.worker
def test_a_worker_imports_the_upload_and_its_progress_shows_while_it_runs(celery_worker_process, district, client):
    client.force_login(district.inspector_a)
    rows = [row(n) for n in range(1, 301)]

    response = client.post(reverse("enterprises:import"),
                           {"file": SimpleUploadedFile("many.xlsx", xlsx(rows).getvalue())})

    job = ImportJob.objects.get()
    assert response["Location"] == reverse("enterprises:import_job", args=[job.pk])
    seen = set()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not job.is_finished:
        job.refresh_from_db()
        if job.status == JobStatus.RUNNING:
            seen.add(job.progress)
            assert Enterprise.objects.count() == 0  # nothing visible before the whole file is in
        time.sleep(0.05)
    assert (job.status, job.rows, job.created, job.progress, job.errors) == (JobStatus.SUCCESS, 300, 300, 100, [])
    assert any(10 < p < 100 for p in seen), seen
    assert Enterprise.objects.count() == 300
