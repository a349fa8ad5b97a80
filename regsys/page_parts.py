"""Rendered parts of the busiest pages (the start page, 我的待办), kept until something they show is written.

Every page that shows a user's open work counts and lists it afresh: at a district's scale that is most of
what the server does. Most requests change nothing, so each part is rendered once and kept in the shared
cache under a **data generation**, a counter that writes move on. A kept part is used only while the
generation it was rendered at is still current, so what a page shows is never older than the last write
that could change it — whoever wrote, from whichever process.

There is a generation per unit. A 监管所's parts (``unit=``) depend only on the records its scope shows it
(``regsys.scoping``: a record is visible to the units its ``scope_unit_paths`` name) and on what belongs to
no unit; a district user's parts depend on everything. So:

* a write whose rows are all known moves on the generation of each unit those rows are visible to (before and
  after the write) and the district's: another 所's parts stay kept;
* any other write moves on every generation: a row of a model that belongs to no unit (users, targets,
  reference data) or whose rows are shown beyond its scope (``EVERYONE_MODELS``), and any statement that no
  signal accounts for (a bulk ``update()``, ``bulk_create``, a cascade's ``SET NULL``, raw SQL).

Writes are collected in a **ledger** around each request and each Celery task (``ledger()``): every write
statement is counted per table by a wrapper on every database connection, and every save, delete and
many-to-many change (signals) names its table and its units. When the ledger closes (after the view's
transactions committed) a table with more statements than signals means a write nobody named: everything
moves on. Outside a ledger (the shell, a management command) every write moves everything on once its
transaction commits; a rolled-back transaction moves nothing.

The key also holds the day (what is overdue changes at midnight), the language and the database, and a
part lives at most ``REGSYS_PAGE_PART_SECONDS`` (a bound for writes made outside Django, e.g. in psql).
The parts are kept only when the cache is shared by every process (``REGSYS_PAGE_PARTS``: on with
``REDIS_URL``); otherwise each request renders them, as before.
"""

from __future__ import annotations

import contextvars
import hashlib
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TypeVar

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

T = TypeVar("T")
CSRF_PLACEHOLDER = "regsysKeptPartCsrfToken0"  # letters and digits: survives escaping as it is

ALL_KEY = "regsys:generation:all"  # moved on by a write that may concern anyone
ANY_KEY = "regsys:generation:any"  # moved on by every write: the district's parts
UNIT_KEY = "regsys:generation:unit:{}"

# Rows written as a side effect of reading (a session's expiry moving on, a sign-in attempt logged) tell
# nothing about the data a page shows; they must not make every request a miss.
IGNORED_MODELS = {"sessions.session", "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog"}
# Rows another unit's pages show beyond the model's scope: an enterprise's name and licence appear on the
# records of every unit that inspected it or holds a case about it.
EVERYONE_MODELS = {"enterprises.enterprise"}
# Models without ``scope_unit_paths`` whose rows only their user's pages show.
UNIT_PATHS = {"regsys.notification": ("user__unit",), "regsys.notificationpreference": ("user__unit",)}


def enabled() -> bool:
    return bool(getattr(settings, "REGSYS_PAGE_PARTS", False))


# --- generations ----------------------------------------------------------------------------------------

def _keys(unit: int | None) -> list[str]:
    return [ANY_KEY] if unit is None else [ALL_KEY, UNIT_KEY.format(unit)]


def generation(unit: int | None = None) -> tuple[int, ...]:
    """The current generation of ``unit``'s parts (``None``: the district's)."""
    keys = _keys(unit)
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        # A new counter starts at the clock (ns), above anything an evicted one of the same name reached.
        for key in missing:
            cache.add(key, time.time_ns(), timeout=None)
        found.update(cache.get_many(missing))
    return tuple(int(found.get(key, 0)) for key in keys)


def bump(units: Iterable[int] | None = None) -> None:
    """Move on the district's generation and ``units``' (``None``: every unit's): their kept parts retire."""
    if not enabled():
        return
    keys = [ANY_KEY, *([ALL_KEY] if units is None else (UNIT_KEY.format(unit) for unit in sorted(set(units))))]
    for key in keys:
        try:
            cache.incr(key)
        except ValueError:  # not there (an empty or flushed cache): a new counter retires whatever was kept
            cache.add(key, time.time_ns(), timeout=None)


class _PendingBump:
    """The bump scheduled for a transaction's commit (one per transaction, however many rows it writes)."""

    def __init__(self, units: set[int] | None) -> None:
        self.units = units
        self.done = False

    def add(self, units: set[int] | None) -> None:
        self.units = None if units is None or self.units is None else self.units | units

    def __call__(self) -> None:
        self.done = True
        bump(self.units)


def bump_on_commit(units: Iterable[int] | None = None, using: str = "default", *, connection=None) -> None:
    """``bump(units)`` once the current transaction of ``using`` (or of ``connection``, e.g. the one Django
    opens to create a database) has committed (at once outside one). A rolled-back transaction (or savepoint)
    drops the scheduled bump with its writes; the next write schedules another."""
    if not enabled():
        return
    units = None if units is None else set(units)
    connection = connection if connection is not None else connections[using]
    if not connection.in_atomic_block:
        bump(units)
        return
    pending = getattr(connection, "_regsys_pending_bump", None)
    if pending is not None and not pending.done and any(entry[1] is pending for entry in connection.run_on_commit):
        pending.add(units)
        return
    pending = connection._regsys_pending_bump = _PendingBump(units)
    connection.on_commit(pending)


# --- the ledger of a request's or a task's writes -------------------------------------------------------

@dataclass
class Ledger:
    """What one request or task wrote: statements per table, and what signals said about them."""

    everything: bool = False
    units: set[int] = field(default_factory=set)
    statements: Counter = field(default_factory=Counter)  # write statements per table
    named: Counter = field(default_factory=Counter)  # saves and many-to-many changes per table
    deleted: set[str] = field(default_factory=set)  # tables rows were deleted from (one statement each)

    @property
    def wrote(self) -> bool:
        return bool(self.everything or self.units or self.statements or self.named or self.deleted)

    def unnamed(self) -> bool:
        """A write statement no signal accounts for."""
        return any(count > self.named[table] + (table in self.deleted) for table, count in self.statements.items())

    def merge(self, other: Ledger) -> None:
        self.everything |= other.everything
        self.units |= other.units
        self.statements.update(other.statements)
        self.named.update(other.named)
        self.deleted |= other.deleted

    def settle(self, using: str = "default") -> None:
        """Move on the generations this ledger's writes concern (after the commit, if still in a transaction)."""
        if self.wrote:
            bump_on_commit(None if self.everything or self.unnamed() else self.units, using)


_LEDGER: contextvars.ContextVar[Ledger | None] = contextvars.ContextVar("regsys_page_parts_ledger", default=None)


def open_ledger() -> contextvars.Token | None:
    return _LEDGER.set(Ledger()) if enabled() else None


def close_ledger(token: contextvars.Token | None, using: str = "default") -> None:
    """Close the ledger ``open_ledger`` opened: merged into the one around it (a task run inside a request),
    else settled."""
    if token is None:
        return
    current = _LEDGER.get()
    _LEDGER.reset(token)
    outer = _LEDGER.get()
    if current is None:
        return
    if outer is not None:
        outer.merge(current)
    else:
        current.settle(using)


@contextmanager
def ledger(using: str = "default"):
    """Collect the writes made inside; settle them on the way out."""
    token = open_ledger()
    try:
        yield _LEDGER.get()
    finally:
        close_ledger(token, using)


_WRITE = re.compile(r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?([\w.]+)"?', re.I)
_OTHER_WRITE = re.compile(r"\s*(?:TRUNCATE|COPY|MERGE|ALTER|DROP|CREATE\s+(?!TEMP)|(?:WITH\b.*\)\s*(?:INSERT|UPDATE|DELETE)\b))",
                          re.I | re.S)


def _ignored_tables() -> set[str]:
    tables = getattr(_ignored_tables, "cache", None)
    if tables is None:
        tables = _ignored_tables.cache = {model._meta.db_table for model in apps.get_models()
                                          if model._meta.label_lower in IGNORED_MODELS}
    return tables


def _watch(execute, sql, params, many, context):
    """Count each write statement in the open ledger (outside one: bump everything at the commit)."""
    if enabled() and isinstance(sql, str):
        match = _WRITE.match(sql)
        if match is not None and match.group(1) not in _ignored_tables():
            current = _LEDGER.get()
            if current is None:
                bump_on_commit(None, connection=context["connection"])
            else:
                current.statements[match.group(1)] += 1
        elif match is None and _OTHER_WRITE.match(sql):
            current = _LEDGER.get()
            if current is None:
                bump_on_commit(None, connection=context["connection"])
            else:
                current.everything = True
    return execute(sql, params, many, context)


# --- what a written row concerns ------------------------------------------------------------------------

def _unit_paths(model) -> tuple[str, ...] | None:
    """The paths to the units that may see ``model``'s rows; ``None``: its rows may concern anyone."""
    tracked = getattr(model, "instance_type", None)  # a history row (django-simple-history) holds its record's keys
    if isinstance(tracked, type) and model._meta.label_lower.split(".")[1] == f"historical{tracked._meta.model_name}":
        model = tracked
    label = model._meta.label_lower
    if label in EVERYONE_MODELS:
        return None
    return UNIT_PATHS.get(label) or getattr(model, "scope_unit_paths", None) or None


def _units_in_db(model, pks: Iterable, paths: tuple[str, ...]) -> set[int]:
    units: set[int] = set()
    for row in model._base_manager.filter(pk__in=list(pks)).values_list(*paths):
        units.update(unit for unit in row if unit is not None)
    return units


def _key(name: str, vary: Iterable) -> str:
    parts = [settings.DATABASES["default"].get("NAME", ""), translation.get_language() or "",
             timezone.localdate().isoformat(), name, *map(str, vary)]
    digest = hashlib.sha1("\x1f".join(map(str, parts)).encode()).hexdigest()
    return f"regsys:part:{digest}"


def kept(name: str, compute: Callable[[], T], *, vary: Iterable = (), unit: int | None = None) -> T:
    """The value ``compute()`` returns for ``name`` and ``vary`` (everything it depends on besides the data
    and the day): kept while the generation lasts, so anyone asking with the same ``vary`` shares it.
    ``unit``: ``compute`` reads only what that unit's scope shows it (and what belongs to no unit), so only
    a write that concerns that unit retires it; otherwise any write does."""
    if not enabled():
        return compute()
    key = _key(name, (*vary, "" if unit is None else f"unit:{unit}"))
    current = generation(unit)
    found = cache.get(key)
    if found is not None and found[0] == current:
        return found[1]
    value = compute()
    cache.set(key, (current, value), timeout=settings.REGSYS_PAGE_PART_SECONDS)
    return value


def rendered(request, name: str, template: str, context: Callable[[], dict], *, vary: Iterable = ()) -> SafeString:
    """``template`` rendered with ``context()`` for this request's user (and ``vary``): kept, or rendered and
    kept. A 所 user's part is kept under the unit's generation: ``context()`` must read through the user's
    scope (``regsys.scoping``), as every view does. A form in it gets this request's CSRF token: the kept HTML
    holds a placeholder in its stead."""
    from regsys.scoping import scope_for

    def build() -> str:
        return str(render_to_string(template, {**context(), "csrf_token": CSRF_PLACEHOLDER}, request))

    if not request.user.is_authenticated or not enabled():
        html = build()
    else:
        scope = scope_for(request.user)
        html = kept(name, build, vary=(request.user.pk, *vary),
                    unit=None if scope.district_wide or scope.unit_id is None else scope.unit_id)
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    return mark_safe(html)


class GenerationMiddleware:
    """Keep the ledger of each request's writes and settle it when the view has finished (its transactions
    committed by then)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with ledger():
            return self.get_response(request)


# --- signals ------------------------------------------------------------------------------------------------

def _concerns(sender) -> bool:
    return enabled() and sender._meta.label_lower not in IGNORED_MODELS


def _before_write(sender, instance, **kwargs) -> None:
    """Which units may see the row before it is changed or deleted (a moved row leaves them)."""
    if not _concerns(sender) or _LEDGER.get() is None or instance.pk is None or instance._state.adding:
        return
    paths = _unit_paths(sender)
    if paths is not None:
        instance._regsys_units_before = _units_in_db(sender, [instance.pk], paths)


def _after_write(sender, instance, **kwargs) -> None:
    if not _concerns(sender):
        return
    current = _LEDGER.get()
    if current is None:
        bump_on_commit(None, kwargs.get("using") or "default")
        return
    table = sender._meta.db_table
    if kwargs.get("signal") is _post_delete():
        current.deleted.add(table)
    else:
        current.named[table] += 1
    paths = _unit_paths(sender)
    if paths is None:
        current.everything = True
        return
    current.units |= getattr(instance, "_regsys_units_before", set())
    if kwargs.get("signal") is not _post_delete():
        current.units |= _units_in_db(sender, [instance.pk], paths)


def _after_m2m(sender, instance, action, model, pk_set, **kwargs) -> None:
    if action.startswith("pre_") or not _concerns(sender):
        return
    current = _LEDGER.get()
    if current is None:
        bump_on_commit(None, kwargs.get("using") or "default")
        return
    current.named[sender._meta.db_table] += 1
    own_paths, other_paths = _unit_paths(type(instance)), _unit_paths(model)
    if own_paths is None and (other_paths is None or not pk_set):
        current.everything = True
        return
    if own_paths is not None:
        current.units |= _units_in_db(type(instance), [instance.pk], own_paths)
    if other_paths is not None and pk_set:
        current.units |= _units_in_db(model, pk_set, other_paths)


def _post_delete():
    from django.db.models.signals import post_delete

    return post_delete


_TASK_TOKENS: dict[str, contextvars.Token | None] = {}


def _on_task_start(task_id=None, **kwargs) -> None:
    _TASK_TOKENS[task_id] = open_ledger()


def _on_task_end(task_id=None, **kwargs) -> None:
    close_ledger(_TASK_TOKENS.pop(task_id, None))


def _on_connection(sender, connection, **kwargs) -> None:
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch)


def connect() -> None:
    """Hook the ledger up (``RegsysConfig.ready``)."""
    from celery.signals import task_postrun, task_prerun
    from django.db.backends.signals import connection_created
    from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

    pre_save.connect(_before_write, dispatch_uid="regsys.page_parts.pre_save")
    pre_delete.connect(_before_write, dispatch_uid="regsys.page_parts.pre_delete")
    post_save.connect(_after_write, dispatch_uid="regsys.page_parts.save")
    post_delete.connect(_after_write, dispatch_uid="regsys.page_parts.delete")
    m2m_changed.connect(_after_m2m, dispatch_uid="regsys.page_parts.m2m")
    task_prerun.connect(_on_task_start, dispatch_uid="regsys.page_parts.task_start", weak=False)
    task_postrun.connect(_on_task_end, dispatch_uid="regsys.page_parts.task_end", weak=False)
    connection_created.connect(_on_connection, dispatch_uid="regsys.page_parts.connection")
    for connection in connections.all(initialized_only=True):
        _on_connection(None, connection)
