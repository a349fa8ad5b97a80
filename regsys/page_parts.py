"""Rendered parts of the busiest pages (the start page, 我的待办), kept until anything is written.

Every page that shows a user's open work counts and lists it afresh: at a district's scale that is most of
what the server does. Most requests change nothing, so each part is rendered once and kept in the shared
cache under the **data generation**: one counter that every write moves on. A kept part is used only while
the generation it was rendered at is still current, so what a page shows is never older than the last
write — whoever wrote, from whichever process:

* every unsafe request (POST, PUT, PATCH, DELETE) bumps it when it has finished (``GenerationMiddleware``),
  whatever the view wrote, bulk updates included;
* every saved or deleted row and every changed many-to-many set bumps it once its transaction has committed
  (signals: management commands, the shell, anything outside a request);
* every Celery task bumps it when it ends (imports, returns, the deadline scan); the minutely job sweep only
  when it changed a job.

The key also holds the day (what is overdue changes at midnight), the language and the database, and a
part lives at most ``REGSYS_PAGE_PART_SECONDS`` (a bound for writes made outside Django, e.g. in psql).
The parts are kept only when the cache is shared by every process (``REGSYS_PAGE_PARTS``: on with
``REDIS_URL``); otherwise each request renders them, as before.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

GENERATION_KEY = "regsys:data-generation"
T = TypeVar("T")
CSRF_PLACEHOLDER = "regsysKeptPartCsrfToken0"  # letters and digits: survives escaping as it is

# Rows written as a side effect of reading (a session's expiry moving on, a sign-in attempt logged) tell
# nothing about the data a page shows; they must not make every request a miss.
IGNORED_MODELS = {"sessions.session", "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog"}
# Periodic tasks that mostly find nothing to do (every minute): they bump only when they change something.
QUIET_TASKS = {"reporting.tasks.jobs_sweep_task"}


def enabled() -> bool:
    return bool(getattr(settings, "REGSYS_PAGE_PARTS", False))


def generation() -> int:
    """The current data generation (starts at 1 in an empty cache)."""
    current = cache.get(GENERATION_KEY)
    if current is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        current = cache.get(GENERATION_KEY, 1)
    return int(current)


def bump() -> None:
    """Move the generation on: every kept part becomes stale."""
    if not enabled():
        return
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not there yet (an empty or flushed cache): any value retires nothing kept
        cache.add(GENERATION_KEY, 1, timeout=None)


class _PendingBump:
    """The bump scheduled for a transaction's commit (one per transaction, however many rows it writes)."""

    def __init__(self) -> None:
        self.done = False

    def __call__(self) -> None:
        self.done = True
        bump()


def bump_on_commit(using: str = "default") -> None:
    """Bump once the current transaction has committed (at once outside one). A rolled-back transaction
    (or savepoint) drops the scheduled bump with its writes; the next write schedules another."""
    if not enabled():
        return
    connection = connections[using]
    if not connection.in_atomic_block:
        bump()
        return
    pending = getattr(connection, "_regsys_pending_bump", None)
    if pending is not None and not pending.done and any(entry[1] is pending for entry in connection.run_on_commit):
        return
    pending = connection._regsys_pending_bump = _PendingBump()
    transaction.on_commit(pending, using=using)


def _key(name: str, vary: Iterable) -> str:
    parts = [settings.DATABASES["default"].get("NAME", ""), translation.get_language() or "",
             timezone.localdate().isoformat(), name, *map(str, vary)]
    digest = hashlib.sha1("\x1f".join(map(str, parts)).encode()).hexdigest()
    return f"regsys:part:{digest}"


def kept(name: str, compute: Callable[[], T], *, vary: Iterable = ()) -> T:
    """The value ``compute()`` returns for ``name`` and ``vary`` (everything it depends on besides the data
    and the day): kept while the generation lasts, so anyone asking with the same ``vary`` shares it."""
    if not enabled():
        return compute()
    key = _key(name, vary)
    current = generation()
    found = cache.get(key)
    if found is not None and found[0] == current:
        return found[1]
    value = compute()
    cache.set(key, (current, value), timeout=settings.REGSYS_PAGE_PART_SECONDS)
    return value


def rendered(request, name: str, template: str, context: Callable[[], dict], *, vary: Iterable = ()) -> SafeString:
    """``template`` rendered with ``context()`` for this request's user (and ``vary``): kept, or rendered and
    kept. A form in it gets this request's CSRF token: the kept HTML holds a placeholder in its stead."""

    def build() -> str:
        return str(render_to_string(template, {**context(), "csrf_token": CSRF_PLACEHOLDER}, request))

    if not request.user.is_authenticated or not enabled():
        html = build()
    else:
        html = kept(name, build, vary=(request.user.pk, *vary))
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    return mark_safe(html)


class GenerationMiddleware:
    """Bump the generation after every unsafe request (the view's writes are committed by then)."""

    SAFE = ("GET", "HEAD", "OPTIONS", "TRACE")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in self.SAFE:
            bump()
        return response


def _on_write(sender, **kwargs) -> None:
    if kwargs.get("action", "post_").startswith("pre_") or sender._meta.label_lower in IGNORED_MODELS:
        return
    bump_on_commit(kwargs.get("using") or "default")


def _on_task_end(sender=None, **kwargs) -> None:
    if getattr(sender, "name", None) not in QUIET_TASKS:
        bump()


def connect() -> None:
    """Hook the bumps up (``RegsysConfig.ready``)."""
    from celery.signals import task_postrun
    from django.db.models.signals import m2m_changed, post_delete, post_save

    post_save.connect(_on_write, dispatch_uid="regsys.page_parts.save")
    post_delete.connect(_on_write, dispatch_uid="regsys.page_parts.delete")
    m2m_changed.connect(_on_write, dispatch_uid="regsys.page_parts.m2m")
    task_postrun.connect(_on_task_end, dispatch_uid="regsys.page_parts.task", weak=False)
