import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_settings(env: dict) -> subprocess.CompletedProcess:
    code = "import django; django.setup(); from django.conf import settings; " \
           "print(settings.DATABASES['default']['ENGINE'], settings.CELERY_TASK_ALWAYS_EAGER, settings.TIME_ZONE)"
    base = {k: v for k, v in os.environ.items()
            if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG"}}
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          env={**base, "DJANGO_SETTINGS_MODULE": "regsys.settings", **env})


def test_embedded_default_is_sqlite_with_eager_celery():
    result = run_settings({"SECRET_KEY": "x" * 50})

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True", "Asia/Shanghai"]


def test_debug_is_off_by_default():
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    base = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            env={**base, "DJANGO_SETTINGS_MODULE": "regsys.settings", "SECRET_KEY": "x" * 50})

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_production_settings_come_from_the_environment():
    result = run_settings({"DEBUG": "0", "SECRET_KEY": "x" * 50,
                           "DATABASE_URL": "postgres://u:p@db.example:5432/regsys",
                           "REDIS_URL": "redis://127.0.0.1:6379/0"})

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "False", "Asia/Shanghai"]


def db_options(env: dict) -> str:
    code = "import django; django.setup(); from django.conf import settings; " \
           "print(repr(settings.DATABASES['default'].get('OPTIONS', {}).get('options')))"
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DB_OPTIONS"}}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            env={**base, "DJANGO_SETTINGS_MODULE": "regsys.settings", "SECRET_KEY": "x" * 50,
                                 **env})
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_postgresql_connections_turn_jit_off_unless_told_otherwise():
    url = "postgres://u:p@db.example:5432/regsys"

    assert db_options({"DATABASE_URL": url}) == "'-c jit=off'"
    assert db_options({"DATABASE_URL": url, "DB_OPTIONS": "-c jit=on -c statement_timeout=30000"}) == \
        "'-c jit=on -c statement_timeout=30000'"
    assert db_options({"DATABASE_URL": url, "DB_OPTIONS": ""}) == "None"
    assert db_options({}) == "None"  # SQLite has no such option

@pytest.mark.parametrize("debug", ["0", "1"])
def test_secret_key_is_always_required(debug):
    result = run_settings({"DEBUG": debug})

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_makemigrations_check_runs_without_a_key():
    result = run_manage(["makemigrations", "--check", "--dry-run"], {})

    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


@pytest.mark.parametrize("command", [["shell", "-c", "from django.conf import settings; print(settings.SECRET_KEY)"],
                                     ["migrate", "--plan"], ["seed_demo"]])
def test_shells_and_data_commands_still_refuse_without_a_key(command):
    result = run_manage(command, {})

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_the_wsgi_application_refuses_to_serve_without_a_key():
    base = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    result = subprocess.run([sys.executable, "-c", "import regsys.wsgi"], cwd=ROOT, capture_output=True, text=True,
                            env={**base, "DJANGO_SETTINGS_MODULE": "regsys.settings"})

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_no_secret_key_in_the_repository():
    settings_text = (ROOT / "regsys" / "settings.py").read_text()

    assert "SECRET_KEY = \"" not in settings_text
    assert "insecure" not in settings_text


@pytest.mark.django_db
def test_pages_require_login(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


@pytest.mark.django_db
def test_login_page_is_chinese(client):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    assert "登录医疗器械监管系统" in response.content.decode()


@pytest.mark.django_db
def test_api_requires_authentication(client):
    assert client.get("/api/").status_code in {401, 403}


@pytest.mark.django_db
def test_openapi_schema_generates(admin_client):
    response = admin_client.get("/api/schema/")

    assert response.status_code == 200
    assert b"openapi" in response.content


def run_manage(args: list[str], env: dict) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items()
            if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG", "SILENCED_SYSTEM_CHECKS",
                         "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**base, "DJANGO_SETTINGS_MODULE": "regsys.settings", **env})


def test_check_deploy_warns_only_about_hsts_and_ssl_redirect():
    result = run_manage(["check", "--deploy"], {"DEBUG": "0", "SECRET_KEY": "k" * 10 + "Xy7#pQ2" * 8})

    assert result.returncode == 0, result.stderr
    warnings = sorted(set(re.findall(r"\(([a-z_]+\.[WE]\d+)\)", result.stderr + result.stdout)))
    assert warnings == ["security.W004", "security.W008"]


def test_hsts_and_ssl_redirect_come_from_the_environment():
    code = "import django; django.setup(); from django.conf import settings as s; " \
           "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_SSL_REDIRECT)"
    base = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY"}}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            env={**base, "DJANGO_SETTINGS_MODULE": "regsys.settings", "SECRET_KEY": "x" * 50,
                                 "SECURE_HSTS_SECONDS": "31536000", "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
                                 "SECURE_SSL_REDIRECT": "1"})

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["31536000", "True", "True"]


def test_connections_persist_with_health_checks_and_pgbouncer_mode_disables_server_side_cursors():
    code = "import django; django.setup(); from django.conf import settings; d = settings.DATABASES['default']; " \
           "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'], d['DISABLE_SERVER_SIDE_CURSORS'])"
    base = {k: v for k, v in os.environ.items()
            if k not in {"DATABASE_URL", "DB_CONN_MAX_AGE", "DB_DISABLE_SERVER_SIDE_CURSORS"}}
    env = {**base, "DJANGO_SETTINGS_MODULE": "regsys.settings", "SECRET_KEY": "x" * 50,
           "DATABASE_URL": "postgres://u:p@pgbouncer.example:6432/regsys"}

    def run(extra: dict) -> list[str]:
        result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                                env={**env, **extra})
        assert result.returncode == 0, result.stderr
        return result.stdout.split()

    assert run({}) == ["60", "True", "False"]
    assert run({"DB_CONN_MAX_AGE": "600", "DB_DISABLE_SERVER_SIDE_CURSORS": "1"}) == ["600", "True", "True"]
