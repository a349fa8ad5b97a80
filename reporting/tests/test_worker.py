"""Real Celery workers against PostgreSQL and Redis: a return is built and reaches the download centre; a job
survives its pool child being killed, and Redis being down while it is filed."""

import datetime as dt
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from conftest import skip_or_fail, stop_process, worker_log
from reporting.choices import JobStatus, ReturnAction
from reporting.models import ExportJob
from reporting.services import jobs_sweep, return_request

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


def _wait_for(job: ExportJob, done, seconds: float = 90) -> ExportJob:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if done(job):
            return job
        time.sleep(0.2)
    return job


def _children(pid: int) -> list[int]:
    """Process ids whose parent is ``pid`` (the prefork pool's children)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


@pytest.mark.worker
def test_killing_the_pool_child_mid_job_reruns_the_job_once_and_leaves_one_file_each(celery_worker_factory, forms):
    s = build(forms)
    # The test hook makes the build pause just before writing its files, long enough to kill it there.
    worker = celery_worker_factory(os.environ["REDIS_URL"], pool="prefork", env={"REGSYS_JOB_TEST_DELAY": "4"})
    [child] = _children(worker.pid)

    ret = return_request(campaign=s["campaign"], template=forms["统计表二"], unit=s["unit_a"],
                         cutoff=dt.date(2023, 9, 30), by=s["user_a"])
    job = _wait_for(ExportJob.objects.get(ret=ret), lambda j: j.progress == 90, seconds=60)
    assert (job.status, job.progress, job.attempts) == (JobStatus.RUNNING, 90, 1), worker_log(worker)[-3000:]
    os.kill(child, signal.SIGKILL)

    job = _wait_for(job, lambda j: j.status in (JobStatus.SUCCESS, JobStatus.FAILED))
    assert (job.status, job.progress, job.error, job.attempts) == (JobStatus.SUCCESS, 100, "", 2), \
        worker_log(worker)[-3000:]
    assert child not in _children(worker.pid)  # the killed child was replaced; the message came back
    folder = Path(job.xlsx.path).parent
    assert sorted(p.name for p in folder.iterdir()) == [
        "2023统计表二_五马所_20230930_v1.docx", "2023统计表二_五马所_20230930_v1.xlsx"]
    assert (job.xlsx.name.rsplit("/", 1)[1], job.docx.name.rsplit("/", 1)[1]) == (
        "2023统计表二_五马所_20230930_v1.xlsx", "2023统计表二_五马所_20230930_v1.docx")
    assert ret.events.filter(action=ReturnAction.COMPUTE).count() == 1
    assert ExportJob.objects.count() == 1


@pytest.fixture
def private_redis(tmp_path):
    """A redis-server of the test's own on port 6393; ``stop()`` and ``start()`` it at will."""
    binary = shutil.which("redis-server")
    if binary is None:
        skip_or_fail("redis-server is not installed")
    import redis

    port = 6393
    client = redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=0.5)

    class Server:
        url = f"redis://127.0.0.1:{port}/0"
        proc = None

        def start(self):
            self.proc = subprocess.Popen(
                [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no",
                 "--dir", str(tmp_path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                try:
                    if client.ping():
                        return
                except redis.ConnectionError:
                    time.sleep(0.1)
            pytest.fail(f"private redis-server on port {port} did not start")

        def stop(self):
            stop_process(self.proc)

    server = Server()
    server.start()
    yield server
    server.stop()


@pytest.mark.worker
def test_with_redis_stopped_filing_answers_queued_at_once_and_the_job_completes_when_redis_returns(
    private_redis, celery_worker_factory, forms, client, settings
):
    s = build(forms)
    worker = celery_worker_factory(private_redis.url)
    client.force_login(s["user_a"])

    private_redis.stop()
    started = time.monotonic()
    response = client.post(reverse("reporting:return_create"), {
        "campaign": s["campaign"].pk, "template": forms["统计表二"].pk, "unit": s["unit_a"].pk,
        "cutoff": "2023-09-30", "filled_by": "张所员", "contact": "123"}, follow=True)
    elapsed = time.monotonic() - started

    assert response.status_code == 200 and elapsed < 5, elapsed
    assert "已提交，报表已排队生成；可在本页或下载中心查看进度" in response.content.decode()
    job = ExportJob.objects.get()
    assert (job.status, job.dispatched_at, job.message) == (
        JobStatus.PENDING, None, "已排队：后台服务暂不可用，恢复后自动开始")
    assert "已排队：后台服务暂不可用，恢复后自动开始" in client.get(reverse("reporting:downloads")).content.decode()

    private_redis.start()
    settings.REGSYS_JOB_DISPATCH_GRACE = 0
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and job.status != JobStatus.SUCCESS:
        jobs_sweep()  # what beat runs every minute
        time.sleep(1)
        job.refresh_from_db()
    assert (job.status, job.progress, job.error, job.attempts) == (JobStatus.SUCCESS, 100, "", 1), \
        worker_log(worker)[-3000:]
    assert job.ret.is_current and job.ret.computed_at is not None


@pytest.mark.worker
def test_a_long_export_on_its_own_queue_does_not_delay_a_return_build(celery_worker_factory, forms):
    """Two hosts' workers: one takes report builds, one exports; the export runs for a minute, the return
    is built meanwhile."""
    from reporting.services import list_export_request

    s = build(forms)
    redis_url = os.environ["REDIS_URL"]
    reports = celery_worker_factory(redis_url, queues="reports")
    exports = celery_worker_factory(redis_url, queues="exports", env={"REGSYS_JOB_TEST_DELAY": "60"})

    export = list_export_request(user=s["user_a"], name="returns", query="")  # transactional test: published
    export = _wait_for(export, lambda j: j.status == JobStatus.RUNNING, seconds=30)
    assert export.status == JobStatus.RUNNING, worker_log(exports)[-3000:]
    started = time.monotonic()
    ret = return_request(campaign=s["campaign"], template=forms["统计表二"], unit=s["unit_a"],
                         cutoff=dt.date(2023, 9, 30), by=s["user_a"])
    job = _wait_for(ExportJob.objects.get(ret=ret), lambda j: j.status in (JobStatus.SUCCESS, JobStatus.FAILED))
    built_in = time.monotonic() - started

    assert (job.status, job.error) == (JobStatus.SUCCESS, ""), worker_log(reports)[-3000:]
    assert built_in < 45, built_in
    export.refresh_from_db()
    assert export.status == JobStatus.RUNNING  # still sleeping on the other worker: it did not hold the return up
    assert "Task reporting.tasks.return_build_task[" not in worker_log(exports)
    assert "Task reporting.tasks.list_export_task[" not in worker_log(reports)
    export = _wait_for(export, lambda j: j.status in (JobStatus.SUCCESS, JobStatus.FAILED), seconds=120)
    assert (export.status, export.error) == (JobStatus.SUCCESS, ""), worker_log(exports)[-3000:]
    assert load_workbook(export.xlsx.path).active["A1"].value == "专项整治"
