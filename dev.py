#!/usr/bin/env python3
"""regsys developer entry point; needs nothing but Python 3.11.

    python3 dev.py demo     # set up everything and serve the demo on http://127.0.0.1:8000
                            # (as production: DEBUG off, collectstatic + whitenoise, key in .demo-secret-key)
    python3 dev.py test     # run the whole test suite (SQLite + eager Celery unless DATABASE_URL/REDIS_URL;
                            # DEBUG off and a throw-away SECRET_KEY)
    python3 dev.py assets   # refresh static/vendor from npm (bootstrap, htmx.org, echarts)

The first run creates .venv and installs requirements-dev.txt; later runs reuse it and reinstall
only when the requirements change. The demo keeps its data (db.sqlite3) between runs.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PY = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
REQUIREMENTS = ROOT / "requirements-dev.txt"

# Files copied out of node_modules into static/vendor (committed, so npm is optional).
VENDOR_FILES = {
    "bootstrap/dist/css/bootstrap.min.css": "bootstrap/bootstrap.min.css",
    "bootstrap/dist/js/bootstrap.bundle.min.js": "bootstrap/bootstrap.bundle.min.js",
    "bootstrap-icons/font/bootstrap-icons.min.css": "bootstrap-icons/bootstrap-icons.min.css",
    "bootstrap-icons/font/fonts/bootstrap-icons.woff2": "bootstrap-icons/fonts/bootstrap-icons.woff2",
    "bootstrap-icons/font/fonts/bootstrap-icons.woff": "bootstrap-icons/fonts/bootstrap-icons.woff",
    "htmx.org/dist/htmx.min.js": "htmx/htmx.min.js",
    "echarts/dist/echarts.min.js": "echarts/echarts.min.js",
}


# A trailing "sourceMappingURL" comment makes collectstatic's manifest storage look for a .map file
# that is not vendored; the comment is removed when copying (browsers then simply show minified code).
SOURCE_MAP_COMMENT = re.compile(rb"\n?(?://[#@] sourceMappingURL=[^\n]*|/\*[#@] sourceMappingURL=[^*]*\*/)\s*$")


def vendor_copy(src: Path, target: Path) -> None:
    """Copy one npm file into static/vendor, without its source-map reference."""
    data = src.read_bytes()
    if target.suffix in {".js", ".css"}:
        data = SOURCE_MAP_COMMENT.sub(b"\n", data)
    target.write_bytes(data)


def run(*args: str | Path, env: dict | None = None) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], cwd=ROOT, check=True, env=env)


def ensure_venv() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036
        sys.exit("regsys needs Python 3.11 or newer")
    if not PY.exists():
        print("Creating virtual environment in .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256()
    for req in (ROOT / "requirements.txt", REQUIREMENTS):
        digest.update(req.read_bytes())
    stamp = VENV / ".requirements.sha256"
    if not stamp.exists() or stamp.read_text() != digest.hexdigest():
        run(PY, "-m", "pip", "install", "--disable-pip-version-check", "-q", "-r", REQUIREMENTS)
        stamp.write_text(digest.hexdigest())


def assets(force: bool = False) -> None:
    """Copy front-end assets from npm packages into static/vendor (never a CDN)."""
    vendor = ROOT / "static" / "vendor"
    missing = [dst for dst in VENDOR_FILES.values() if not (vendor / dst).exists()]
    if not force and not missing:
        return
    npm = shutil.which("npm")
    if npm is None:
        if missing:
            sys.exit("static/vendor is incomplete and npm is not installed: install Node.js/npm")
        return
    run(npm, "install", "--no-audit", "--no-fund")
    for src, dst in VENDOR_FILES.items():
        target = vendor / dst
        target.parent.mkdir(parents=True, exist_ok=True)
        vendor_copy(ROOT / "node_modules" / src, target)
    print(f"Copied {len(VENDOR_FILES)} asset files into static/vendor", flush=True)


def manage(*args: str, env: dict | None = None) -> None:
    run(PY, "manage.py", *args, env=env)


def demo_secret_key() -> str:
    """The demo's SECRET_KEY: generated on the first run, kept in a gitignored file."""
    path = ROOT / ".demo-secret-key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def demo_env() -> dict:
    """The demo runs as production does (DEBUG off, whitenoise, Chinese error pages), on plain http."""
    return dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="regsys.settings",
        DEBUG="0",
        SECRET_KEY=os.environ.get("SECRET_KEY") or demo_secret_key(),
        SESSION_COOKIE_SECURE="0",  # http://127.0.0.1 has no TLS proxy in front
        CSRF_COOKIE_SECURE="0",
    )


def demo() -> None:
    ensure_venv()
    assets()
    env = demo_env()
    manage("migrate", "--noinput", env=env)
    manage("load_reference", env=env)
    manage("seed_demo", "--if-empty", env=env)
    manage("collectstatic", "--noinput", "-v0", env=env)
    print("\n演示系统已就绪：http://127.0.0.1:8000  （演示账号见 README，密码均为 demo12345）\n", flush=True)
    manage("runserver", "127.0.0.1:8000", env=env)


def test_env() -> dict:
    """Tests run with production settings (DEBUG off), a throw-away key, and cookies usable over the
    live test server's plain http; conftest.py serves static files without collectstatic."""
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="regsys.settings", DEBUG="0")
    env.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    env.setdefault("SESSION_COOKIE_SECURE", "0")
    env.setdefault("CSRF_COOKIE_SECURE", "0")
    env.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    return env


def test(extra: list[str]) -> int:
    ensure_venv()
    assets()
    env = test_env()
    args = [str(PY), "-m", "pytest", *extra]
    print("+", " ".join(args), flush=True)
    return subprocess.run(args, cwd=ROOT, env=env).returncode


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return 0
    command, rest = argv[0], argv[1:]
    if command == "demo":
        demo()
        return 0
    if command == "test":
        return test(rest)
    if command == "assets":
        assets(force=True)
        return 0
    if command == "setup":
        ensure_venv()
        assets()
        return 0
    print(f"unknown command {command!r}\n{__doc__}")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
