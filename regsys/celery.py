"""Celery application. With REDIS_URL unset, tasks run inline (eager) in the caller."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regsys.settings")

app = Celery("regsys")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
