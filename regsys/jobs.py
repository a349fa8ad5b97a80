"""Background jobs shared by every app: the job model's common fields, dispatch, claim, progress, sweep.

A job row is its own outbox. It is created ``pending`` and undispatched inside the request's
transaction; after commit :func:`job_dispatch` publishes the task once, with a short broker timeout
and no publish retry, and stamps ``dispatched_at``. When the broker is down the row simply stays
undispatched and :func:`jobs_sweep` (run by Celery beat) publishes it once the broker is back.

Each dispatch carries a fresh ``task_id`` saved on the row; a worker runs the job only with the
current one (:func:`job_claim`), so a message re-delivered after a worker died re-runs the job, while
a stale copy of a message that the sweeper has since replaced is ignored.

Apps keep their job models (reporting's ExportJob, enterprises' ImportJob) and say which task builds
them (``task_path``); nothing here imports an app, so every app can use it.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import TypeVar

from django.conf import settings
from django.db import DatabaseError, connection, connections, models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from regsys.choice_labels import ChoiceLabels

logger = logging.getLogger(__name__)


class JobStatus(models.TextChoices):
    PENDING = "pending", gettext_lazy("排队中")
    RUNNING = "running", gettext_lazy("生成中")
    SUCCESS = "success", gettext_lazy("已完成")
    FAILED = "failed", gettext_lazy("失败")


class BackgroundJob(ChoiceLabels, models.Model):
    """Status, progress and bookkeeping of a job run by the worker (abstract; each app has its table)."""

    status = models.CharField(
        gettext_lazy("状态"), max_length=20, choices=JobStatus.choices, default=JobStatus.PENDING
    )
    progress = models.PositiveSmallIntegerField(gettext_lazy("进度"), default=0)
    message = models.CharField(gettext_lazy("当前步骤"), max_length=200, blank=True)
    error = models.TextField(gettext_lazy("错误信息"), blank=True)
    attempts = models.PositiveSmallIntegerField(gettext_lazy("执行次数"), default=0)
    task_id = models.CharField(gettext_lazy("任务编号"), max_length=50, blank=True)
    dispatched_at = models.DateTimeField(gettext_lazy("派发时间"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(gettext_lazy("最近进展时间"), null=True, blank=True)
    created_at = models.DateTimeField(gettext_lazy("申请时间"), auto_now_add=True)
    started_at = models.DateTimeField(gettext_lazy("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(gettext_lazy("完成时间"), null=True, blank=True)

    task_path = ""  # dotted path of the Celery task that runs the job (one argument: the job's id)

    class Meta:
        abstract = True

    @classmethod
    def task_path_of(cls, pk: int) -> str:
        """The task that runs this job (a model with several kinds of job picks per row)."""
        return cls.task_path

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.SUCCESS, JobStatus.FAILED)

    @property
    def is_stale(self) -> bool:
        """Queued or running but no longer moving: the sweeper would pick it up; the user may retry it."""
        if self.is_finished:
            return False
        return type(self).objects.filter(_stale_q(timezone.now()), pk=self.pk).exists()


Job = TypeVar("Job", bound=BackgroundJob)


def _seconds(name: str) -> dt.timedelta:
    return dt.timedelta(seconds=getattr(settings, name))


def _stale_q(now: dt.datetime) -> Q:
    """Jobs that should have moved by now (thresholds from settings)."""
    undispatched = Q(status=JobStatus.PENDING, dispatched_at__isnull=True,
                     created_at__lte=now - _seconds("REGSYS_JOB_DISPATCH_GRACE"))
    lost = Q(status=JobStatus.PENDING, dispatched_at__lte=now - _seconds("REGSYS_JOB_PENDING_TIMEOUT"))
    silent = Q(status=JobStatus.RUNNING, heartbeat_at__lte=now - _seconds("REGSYS_JOB_RUNNING_TIMEOUT"))
    return undispatched | lost | silent


def job_enqueue(job: BackgroundJob) -> None:
    """Publish the job once the current transaction commits (the row is the outbox)."""
    from django.db import transaction

    model, pk = type(job), job.pk
    transaction.on_commit(lambda: job_dispatch(model=model, pk=pk))


def job_dispatch(*, model: type[BackgroundJob], pk: int) -> bool:
    """Publish a pending job with a fresh task id; False (job left pending) when the broker is down."""
    task_id = str(uuid.uuid4())
    if not model.objects.filter(pk=pk, status=JobStatus.PENDING).update(task_id=task_id, dispatched_at=None):
        return False
    task = import_string(model.task_path_of(pk))
    if task.app.conf.task_always_eager:  # no broker (development, tests): run inline, let errors show
        task.apply_async(args=[pk], task_id=task_id)
    else:
        try:
            task.apply_async(args=[pk], task_id=task_id, retry=False)
        except Exception as exc:  # noqa: BLE001 - any broker failure: keep the job queued in the database
            logger.warning("job %s.%s not dispatched (broker unavailable): %s", model.__name__, pk, exc)
            model.objects.filter(pk=pk, task_id=task_id, status=JobStatus.PENDING).update(
                message=_("已排队：后台服务暂不可用，恢复后自动开始"))
            return False
    model.objects.filter(pk=pk, task_id=task_id, dispatched_at__isnull=True).update(dispatched_at=timezone.now())
    return True


def job_claim(*, model: type[Job], pk: int, task_id: str) -> Job | None:
    """Mark the job running for this delivery; None when it is finished or a newer dispatch owns it.

    A message re-delivered after its worker died carries the same task id and claims the job again.
    """
    now = timezone.now()
    claimed = model.objects.filter(
        pk=pk, task_id=task_id, status__in=[JobStatus.PENDING, JobStatus.RUNNING]
    ).update(status=JobStatus.RUNNING, started_at=now, heartbeat_at=now, error="", attempts=F("attempts") + 1)
    if not claimed:
        return None
    job = model.objects.get(pk=pk)
    if job.attempts > settings.REGSYS_JOB_MAX_ATTEMPTS:
        job_fail(job=job, error=_("任务已尝试 %(n)s 次仍未完成") % {"n": job.attempts - 1})
        return None
    return job


def job_progress(job: BackgroundJob, progress: int, message: str) -> None:
    """Record progress (and a heartbeat); visible to other connections even inside a transaction."""
    job.progress, job.message, job.heartbeat_at = progress, message, timezone.now()
    table = connection.ops.quote_name(type(job)._meta.db_table)
    # SQLite locks the whole database for the open transaction: a second connection would wait out
    # its lock timeout on every call, so there the progress is written in the same transaction.
    if not connection.in_atomic_block or connection.vendor == "sqlite":
        type(job).objects.filter(pk=job.pk).update(
            progress=progress, message=message, heartbeat_at=job.heartbeat_at)
        return
    # Inside the import's all-or-nothing transaction: write through a separate connection.
    side = connections.create_connection("default")
    try:
        with side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET progress = %s, message = %s, heartbeat_at = %s WHERE id = %s",  # noqa: S608
                [progress, message, job.heartbeat_at, job.pk],
            )
        if not side.get_autocommit():
            side.commit()
    except DatabaseError as exc:  # progress is best effort (e.g. SQLite locks the table)
        logger.info("progress of job %s not recorded: %s", job.pk, exc)
    finally:
        side.close()


def job_succeed(job: BackgroundJob, message: str, *, fields: tuple[str, ...] = ()) -> None:
    job.status, job.progress, job.message, job.finished_at = JobStatus.SUCCESS, 100, message, timezone.now()
    job.heartbeat_at = job.finished_at
    job.save(update_fields=["status", "progress", "message", "finished_at", "heartbeat_at", *fields])


def job_fail(*, job: BackgroundJob, error: str, message: str = "") -> None:
    now = timezone.now()
    type(job).objects.filter(pk=job.pk).update(
        status=JobStatus.FAILED, error=error[:4000], message=message or _("生成失败"), finished_at=now,
        heartbeat_at=now,
    )
    job.refresh_from_db()


def job_requeue(*, job: BackgroundJob, message: str) -> None:
    """Put a failed or stale job back in the queue and publish it after commit."""
    job.status, job.progress, job.error, job.message = JobStatus.PENDING, 0, "", message
    job.dispatched_at = job.finished_at = None
    job.save(update_fields=["status", "progress", "error", "message", "dispatched_at", "finished_at"])
    job_enqueue(job)


def jobs_sweep(model: type[BackgroundJob]) -> dict[str, int]:
    """Re-dispatch jobs stuck pending or running; fail those that used up their attempts."""
    now = timezone.now()
    counts = {"dispatched": 0, "requeued": 0, "failed": 0}
    for job in model.objects.filter(_stale_q(now)).order_by("pk"):
        if job.status == JobStatus.RUNNING or job.dispatched_at is not None:
            if job.attempts >= settings.REGSYS_JOB_MAX_ATTEMPTS:
                claimed = model.objects.filter(pk=job.pk, status=job.status, task_id=job.task_id)
                if claimed.update(status=JobStatus.FAILED, finished_at=now, message=_("生成失败"),
                                  error=_("任务多次中断仍未完成（已尝试 %(n)s 次）") % {"n": job.attempts}):
                    counts["failed"] += 1
                continue
            moved = model.objects.filter(pk=job.pk, status=job.status, task_id=job.task_id).update(
                status=JobStatus.PENDING, dispatched_at=None, message=_("任务中断，已重新排队"))
            if not moved:
                continue
            counts["requeued"] += 1
        if job_dispatch(model=model, pk=job.pk):
            counts["dispatched"] += 1
    return counts
