"""Jobs that never get stuck: the outbox dispatch, the sweeper, claims by task id, 重试 of stale jobs, and
files written atomically under fixed names. Tasks run inline here; test_worker.py runs real workers."""

import datetime as dt
import time
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from conftest import point_celery_at
from regsys.files import file_write_atomic
from regsys.jobs import job_dispatch
from reporting.choices import JobStatus, ReturnAction
from reporting.models import ExportJob
from reporting.services import job_retry, jobs_sweep, return_build, return_request

from .scenario import build

pytestmark = pytest.mark.django_db
CUTOFF = dt.date(2023, 9, 30)
STEM = "2023统计表二_五马所_20230930_v1"
NOTHING = {"dispatched": 0, "requeued": 0, "failed": 0}


@pytest.fixture
def s(forms):
    data = build(forms)
    data["t2"] = forms["统计表二"]
    return data


def queued(s) -> ExportJob:
    """A return filed in a transaction whose on-commit publish never ran (as when the broker was down)."""
    ret = return_request(campaign=s["campaign"], template=s["t2"], unit=s["unit_a"], cutoff=CUTOFF, by=s["user_a"])
    return ret.jobs.get()


def ago(**kwargs) -> dt.datetime:
    return timezone.now() - dt.timedelta(**kwargs)


def set_job(job: ExportJob, **fields) -> ExportJob:
    ExportJob.objects.filter(pk=job.pk).update(**fields)
    job.refresh_from_db()
    return job


def folder_names(job: ExportJob) -> list[str]:
    return sorted(p.name for p in Path(job.xlsx.path).parent.iterdir())


def test_the_sweeper_publishes_a_job_the_broker_never_got_once_the_grace_has_passed(s):
    job = queued(s)
    assert (job.status, job.dispatched_at, job.task_id) == (JobStatus.PENDING, None, "")

    assert jobs_sweep() == {"ExportJob": NOTHING, "ImportJob": NOTHING, "AEImportJob": NOTHING}  # just filed
    set_job(job, created_at=ago(seconds=31))
    counts = jobs_sweep()

    assert counts == {"ExportJob": {"dispatched": 1, "requeued": 0, "failed": 0}, "ImportJob": NOTHING,
                      "AEImportJob": NOTHING}
    job.refresh_from_db()
    assert (job.status, job.progress, job.attempts, job.error) == (JobStatus.SUCCESS, 100, 1, "")
    assert job.dispatched_at is not None and job.task_id != ""
    assert folder_names(job) == [f"{STEM}.docx", f"{STEM}.xlsx"]


def test_a_running_job_whose_worker_died_is_requeued_and_completes_once(s):
    job = set_job(queued(s), status=JobStatus.RUNNING, task_id="dead-worker", attempts=1, progress=60,
                  dispatched_at=ago(minutes=7), started_at=ago(minutes=6), heartbeat_at=ago(seconds=301))

    counts = jobs_sweep()

    assert counts["ExportJob"] == {"dispatched": 1, "requeued": 1, "failed": 0}
    job.refresh_from_db()
    assert (job.status, job.progress, job.attempts) == (JobStatus.SUCCESS, 100, 2)
    assert job.task_id != "dead-worker"
    assert job.ret.events.filter(action=ReturnAction.COMPUTE).count() == 1


def test_a_running_job_that_still_makes_progress_is_left_alone(s):
    job = set_job(queued(s), status=JobStatus.RUNNING, task_id="alive", attempts=1, progress=60,
                  dispatched_at=ago(minutes=2), heartbeat_at=ago(seconds=250))

    assert jobs_sweep()["ExportJob"] == NOTHING

    job.refresh_from_db()
    assert (job.status, job.progress, job.task_id, job.attempts) == (JobStatus.RUNNING, 60, "alive", 1)


def test_a_job_that_keeps_dying_fails_after_its_attempts_with_a_reason(s):
    job = set_job(queued(s), status=JobStatus.RUNNING, task_id="third", attempts=3, progress=60,
                  dispatched_at=ago(minutes=7), heartbeat_at=ago(minutes=6))

    assert jobs_sweep()["ExportJob"] == {"dispatched": 0, "requeued": 0, "failed": 1}

    job.refresh_from_db()
    assert (job.status, job.error, job.message) == (JobStatus.FAILED, "任务多次中断仍未完成（已尝试 3 次）", "生成失败")
    assert (job.xlsx.name, job.docx.name) == ("", "")


def test_a_published_job_that_never_started_is_published_again(s):
    job = set_job(queued(s), task_id="lost-message", dispatched_at=ago(minutes=31))

    assert jobs_sweep()["ExportJob"] == {"dispatched": 1, "requeued": 1, "failed": 0}

    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.SUCCESS, 1)


def test_only_the_current_dispatch_runs_the_job_and_a_finished_job_never_reruns(s):
    job = set_job(queued(s), task_id="current", dispatched_at=ago(seconds=5))

    assert return_build(job_id=job.pk, task_id="replaced") is None  # a stale copy of an older message
    job.refresh_from_db()
    assert (job.status, job.attempts, job.started_at) == (JobStatus.PENDING, 0, None)

    return_build(job_id=job.pk, task_id="current")
    assert return_build(job_id=job.pk, task_id="current") is None  # delivered twice: built once
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.SUCCESS, 1)


def test_a_message_redelivered_after_its_worker_died_reruns_the_job_it_owns(s):
    job = set_job(queued(s), status=JobStatus.RUNNING, task_id="t-1", attempts=1, heartbeat_at=timezone.now())

    return_build(job_id=job.pk, task_id="t-1")

    job.refresh_from_db()
    assert (job.status, job.attempts, job.progress) == (JobStatus.SUCCESS, 2, 100)


def test_retry_refuses_a_job_still_moving_and_requeues_a_stale_one(s, client, django_capture_on_commit_callbacks):
    job = set_job(queued(s), status=JobStatus.RUNNING, task_id="alive", attempts=1, progress=60,
                  heartbeat_at=timezone.now())

    with pytest.raises(ValidationError) as refused:
        job_retry(job=job, by=s["user_a"])
    assert refused.value.messages == ["任务正在排队或生成中，不能重试"]
    job.refresh_from_db()
    assert (job.status, job.progress, job.task_id) == (JobStatus.RUNNING, 60, "alive")
    client.force_login(s["user_a"])
    assert reverse("reporting:job_retry", args=[job.pk]) not in client.get(reverse("reporting:downloads")).content.decode()

    set_job(job, heartbeat_at=ago(minutes=6))  # "10% 生成中" for good: its worker died
    assert reverse("reporting:job_retry", args=[job.pk]) in client.get(reverse("reporting:downloads")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:job_retry", args=[job.pk]))

    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.progress, job.attempts) == (JobStatus.SUCCESS, 100, 2)


def test_a_rerun_replaces_its_files_under_the_same_names_and_removes_what_a_killed_run_left(
    s, django_capture_on_commit_callbacks
):
    job = queued(s)
    job_dispatch(model=ExportJob, pk=job.pk)
    job.refresh_from_db()
    assert (job.xlsx.name, job.docx.name) == (
        f"exports/{job.created_at:%Y/%m}/{job.pk}/{STEM}.xlsx", f"exports/{job.created_at:%Y/%m}/{job.pk}/{STEM}.docx")
    folder = Path(job.xlsx.path).parent
    (folder / f".{STEM}.xlsx.0f3a.part").write_bytes(b"half")           # a run killed while writing
    (folder / f"{STEM}_a8Xk2Qz.xlsx").write_bytes(b"old suffixed copy")  # what Django's storage used to make
    set_job(job, status=JobStatus.FAILED, error="WorkerLostError")

    with django_capture_on_commit_callbacks(execute=True):
        job_retry(job=job, by=s["user_a"])

    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.SUCCESS, 2)
    assert folder_names(job) == [f"{STEM}.docx", f"{STEM}.xlsx"]
    assert job.xlsx.name.endswith(f"/{STEM}.xlsx")
    assert load_workbook(job.xlsx.path).sheetnames == ["五马所", "校验提示"]


def test_file_write_atomic_replaces_the_file_and_leaves_no_temporary_file(settings):
    file_write_atomic(name="exports/x/1/a.xlsx", content=b"first")
    name = file_write_atomic(name="exports/x/1/a.xlsx", content=b"second")

    folder = Path(settings.MEDIA_ROOT) / "exports/x/1"
    assert name == "exports/x/1/a.xlsx"
    assert [p.name for p in folder.iterdir()] == ["a.xlsx"]
    assert (folder / "a.xlsx").read_bytes() == b"second"


@pytest.fixture
def broker_down():
    """The app publishes to a Redis port where nothing listens (the broker is down)."""
    from regsys.celery import app

    before = app.conf.broker_url
    point_celery_at("redis://127.0.0.1:6399/0")
    yield
    point_celery_at(before)
    app.conf.task_always_eager = True


def test_with_the_broker_down_filing_answers_at_once_that_the_return_is_queued(
    s, client, broker_down, django_capture_on_commit_callbacks
):
    client.force_login(s["user_a"])

    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:return_create"), {
            "campaign": s["campaign"].pk, "template": s["t2"].pk, "unit": s["unit_a"].pk, "cutoff": "2023-09-30",
            "filled_by": "张所员", "contact": "123"})
    elapsed = time.monotonic() - started

    assert response.status_code == 302 and elapsed < 5, elapsed
    job = ExportJob.objects.get()
    assert (job.status, job.dispatched_at, job.attempts, job.message) == (
        JobStatus.PENDING, None, 0, "已排队：后台服务暂不可用，恢复后自动开始")
    page = client.get(response["Location"]).content.decode()
    assert "已提交，报表已排队生成；可在本页或下载中心查看进度" in page
