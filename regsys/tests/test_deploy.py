"""Deployment hygiene: vendored assets collectstatic can process, no inline script, Chinese error pages,
demo and test commands that set their own DEBUG and SECRET_KEY."""

import re
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.test import Client

import dev
from enterprises.tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
SOURCE_MAP = re.compile(r"sourceMappingURL=([^\s*]+)")


def templates() -> list[Path]:
    return sorted((ROOT / "templates").rglob("*.html")) + sorted(ROOT.glob("*/templates/**/*.html"))


def test_templates_have_no_inline_script_or_event_handler():
    offenders = [
        str(path.relative_to(ROOT))
        for path in templates()
        if INLINE_SCRIPT.search(path.read_text()) or INLINE_HANDLER.search(path.read_text())
    ]

    assert offenders == []


def test_static_files_reference_no_missing_source_map():
    missing = []
    for path in sorted((ROOT / "static").rglob("*")):
        if path.suffix in {".js", ".css"}:
            for ref in SOURCE_MAP.findall(path.read_text(errors="replace")):
                if not (path.parent / ref).exists():
                    missing.append(f"{path.relative_to(ROOT)} -> {ref}")

    assert missing == []


def test_vendoring_strips_source_map_comments(tmp_path):
    js, css = tmp_path / "a.min.js", tmp_path / "a.min.css"
    js.write_bytes(b"!function(){}();\n//# sourceMappingURL=a.min.js.map\n")
    css.write_bytes(b".a{color:red}\n/*# sourceMappingURL=a.min.css.map */")

    dev.vendor_copy(js, tmp_path / "out.js")
    dev.vendor_copy(css, tmp_path / "out.css")

    assert (tmp_path / "out.js").read_bytes() == b"!function(){}();\n"
    assert (tmp_path / "out.css").read_bytes() == b".a{color:red}\n"


# --- error pages with DEBUG off (pytest-django runs with DEBUG off, like production and the demo) ---

@pytest.mark.django_db
def test_404_page_is_chinese_for_anonymous_and_signed_in_users(client):
    anonymous = client.get("/no-such-page/")
    client.force_login(UserFactory())
    signed_in = client.get("/no-such-page/")

    for response in (anonymous, signed_in):
        assert response.status_code == 404
        assert "页面不存在" in response.content.decode()


def test_500_page_is_chinese_and_standalone():
    html = render_to_string("500.html")

    assert "系统出现错误" in html
    assert "<script" not in html


@pytest.mark.django_db
def test_500_page_is_served_on_an_unhandled_error(client, monkeypatch):
    def broken(request):
        raise RuntimeError("boom")

    monkeypatch.setattr("regsys.views.render", lambda *a, **k: broken(None))
    client.force_login(UserFactory())
    client.raise_request_exception = False

    response = client.get("/")

    assert response.status_code == 500
    assert "系统出现错误" in response.content.decode()


@pytest.mark.django_db
def test_csrf_failure_page_is_chinese():
    client = Client(enforce_csrf_checks=True)

    response = client.post("/accounts/login/", {"username": "a", "password": "b"})

    assert response.status_code == 403
    assert "请求已失效" in response.content.decode()


@pytest.mark.django_db
def test_favicon_is_a_local_static_file(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response.url == "/static/regsys/favicon.svg"
    assert (ROOT / "static" / "regsys" / "favicon.svg").read_text().startswith("<svg")


# --- dev.py sets what the demo and the tests need ---------------------------------------------------

def test_demo_runs_with_debug_off_a_kept_secret_key_and_http_cookies(tmp_path, monkeypatch):
    monkeypatch.setattr(dev, "ROOT", tmp_path)
    monkeypatch.delenv("SECRET_KEY", raising=False)

    first, second = dev.demo_env(), dev.demo_env()

    assert first["DEBUG"] == "0"
    assert len(first["SECRET_KEY"]) >= 50
    assert first["SECRET_KEY"] == second["SECRET_KEY"] == (tmp_path / ".demo-secret-key").read_text()
    assert (first["SESSION_COOKIE_SECURE"], first["CSRF_COOKIE_SECURE"]) == ("0", "0")
    assert ".demo-secret-key" in (ROOT / ".gitignore").read_text().split()


def test_test_command_sets_debug_off_and_a_random_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)

    env = dev.test_env()

    assert env["DEBUG"] == "0"
    assert len(env["SECRET_KEY"]) >= 50
    assert env["SECRET_KEY"] != dev.test_env()["SECRET_KEY"]

