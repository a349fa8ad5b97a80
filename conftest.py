"""Fixtures shared by every app's tests: services, browser, logins.

With REGSYS_REQUIRE_SERVICES=1 (set by .ci/run) a missing browser or service fails the test
instead of skipping it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("REGSYS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


def services_required() -> bool:
    return os.environ.get("REGSYS_REQUIRE_SERVICES", "") in {"1", "true", "yes"}


def skip_or_fail(reason: str) -> None:
    if services_required():
        pytest.fail(f"{reason} (REGSYS_REQUIRE_SERVICES is set)")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _celery_eager(settings):
    """Ordinary tests run tasks inline even when REDIS_URL is set; worker tests opt out."""
    from regsys.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Tests change records and read the cockpit again at once: no cached figures (a test of the cache
    # turns it on itself).
    settings.REGSYS_COCKPIT_CACHE_SECONDS = 0
    # Nor kept page parts: a test's writes stay in its transaction, whose commit never comes
    # (regsys/tests/test_page_parts.py turns them on).
    settings.REGSYS_PAGE_PARTS = False


@pytest.fixture
def export_file(django_capture_on_commit_callbacks):
    """Ask for a list export as the page's 导出 link does and return the job's file, reopened with openpyxl.

    The request files a job (the download centre's) and redirects there; the job runs inline (eager) once
    the request's transaction commits. ``export_file.last_job`` is the job, ``last_response`` the redirect.
    """
    import io

    from django.apps import apps
    from django.urls import reverse
    from openpyxl import load_workbook

    export_job = apps.get_model("reporting", "ExportJob")

    def run(client, url, params=None):
        before = set(export_job.objects.values_list("pk", flat=True))
        with django_capture_on_commit_callbacks(execute=True):
            response = client.get(url, params or {})
        assert (response.status_code, response["Location"]) == (302, reverse("reporting:downloads")), response
        [job] = export_job.objects.exclude(pk__in=before)
        assert (job.kind, job.status, job.progress, job.error) == ("list", "success", 100, ""), job.error
        run.last_job, run.last_response = job, response
        with job.xlsx.open("rb") as handle:
            return load_workbook(io.BytesIO(handle.read()))

    return run


@pytest.fixture(autouse=True)
def _static_without_collectstatic(settings):
    """Tests run with DEBUG off but without collectstatic: serve static files from the finders
    (production's manifest storage is exercised by .ci/prod-check)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(scope="session")
def _playwright_browser():
    if not Path(CHROMIUM).exists():
        skip_or_fail(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def browser_context(_playwright_browser):
    """A fresh Chinese-locale browser context at desktop size."""
    context = _playwright_browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def phone_context(_playwright_browser):
    """A fresh browser context at phone size (390×844), as inspectors use on site."""
    context = _playwright_browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(15_000)
    yield context
    context.close()


def browser_login(page, live_server, username: str, password: str = "pw-test-12345") -> None:
    """Sign in through the real login form."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def _database_url() -> str:
    from django.db import connection

    db = connection.settings_dict
    return (
        f"postgres://{db['USER'] or ''}{':' + db['PASSWORD'] if db['PASSWORD'] else ''}@"
        f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )


def point_celery_at(redis_url: str) -> None:
    """Make this process publish to ``redis_url`` (its producer pool is looked up again)."""
    from regsys.celery import app

    app.conf.task_always_eager = False
    app.conf.broker_url = redis_url
    app.amqp._producer_pool = None  # the producer pool is bound to the broker it was made for


def start_celery_worker(redis_url: str, *, pool: str = "solo", env: dict | None = None,
                        queues: str | None = None) -> subprocess.Popen:
    """A real worker process (``pool`` solo, or prefork with one child) on the test database; waits until it answers.

    Like a worker started by hand it consumes every queue (settings.CELERY_TASK_QUEUES) unless ``queues``
    names some (``-Q reports``), as one host of several would."""
    from django.conf import settings as dj_settings


    worker_env = dict(os.environ, DATABASE_URL=_database_url(), REDIS_URL=redis_url,
                      MEDIA_ROOT=str(dj_settings.MEDIA_ROOT), DJANGO_SETTINGS_MODULE="regsys.settings", **(env or {}))
    celery = shutil.which("celery", path=str(Path(sys.executable).parent)) or "celery"
    log = tempfile.NamedTemporaryFile("w+", prefix="celery-worker-", suffix=".log", delete=False)  # noqa: SIM115
    proc = subprocess.Popen(
        [celery, "-A", "regsys", "worker", f"--pool={pool}", "--concurrency=1", "--loglevel=INFO",
         "--without-gossip", "--without-mingle", "--without-heartbeat", *(["-Q", queues, "-n", f"{queues.replace(',', '-')}@%h"] if queues else [])],
        cwd=Path(__file__).parent, env=worker_env, stdout=log, stderr=subprocess.STDOUT, text=True,
    )
    proc.log_path = log.name  # read by worker_log()
    point_celery_at(redis_url)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if " ready." in worker_log(proc):  # connected to the broker and consuming
            return proc
        time.sleep(0.2)
    stop_process(proc)
    pytest.fail(f"Celery worker did not start:\n{worker_log(proc)[-4000:]}")


def worker_log(proc: subprocess.Popen) -> str:
    return Path(proc.log_path).read_text(errors="replace")


def stop_process(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def _require_worker_services(redis_url: str | None) -> None:
    from django.db import connection

    if not redis_url:
        skip_or_fail("REDIS_URL is not set: no broker for a real worker")
    if connection.vendor != "postgresql":
        skip_or_fail("the worker test needs PostgreSQL (DATABASE_URL)")


@pytest.fixture
def celery_worker_factory(transactional_db):
    """Start real worker processes (see ``start_celery_worker``); all are stopped after the test.

    Needs PostgreSQL (the worker is another process) and REDIS_URL (as CI sets them).
    """
    _require_worker_services(os.environ.get("REDIS_URL"))
    from regsys.celery import app

    started: list[subprocess.Popen] = []
    broker_url = app.conf.broker_url

    def start(redis_url: str, **kwargs) -> subprocess.Popen:
        proc = start_celery_worker(redis_url, **kwargs)
        started.append(proc)
        return proc

    try:
        yield start
    finally:
        for proc in started:
            stop_process(proc)
            Path(proc.log_path).unlink(missing_ok=True)
        point_celery_at(broker_url)
        app.conf.task_always_eager = True


@pytest.fixture
def celery_worker_process(celery_worker_factory):
    """A real Celery worker process against the test database and REDIS_URL.

    Tasks sent with ``.delay()`` inside the test are executed by that process.
    """
    redis_url = os.environ["REDIS_URL"]
    import redis

    try:
        redis.Redis.from_url(redis_url).ping()
    except Exception as exc:  # noqa: BLE001
        skip_or_fail(f"Redis not reachable at {redis_url}: {exc}")
    return celery_worker_factory(redis_url)
