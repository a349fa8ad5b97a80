"""Load test: simulated users sign in and open the busiest pages against a running server.

Start the server first (production settings, two gunicorn workers), e.g.::

    export SECRET_KEY=x DEBUG=0 STATIC_ROOT=/tmp/static_load ALLOWED_HOSTS=127.0.0.1
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/regsys_s10
    .venv/bin/python manage.py collectstatic --noinput -v0
    .venv/bin/gunicorn regsys.wsgi -w 2 -b 127.0.0.1:8765 --timeout 120 &

then, with the same ``DATABASE_URL`` (the script reads it only to pick the users)::

    .venv/bin/python benchmarks/load_pages.py --base http://127.0.0.1:8765 --users 20 --duration 120

Each simulated user is a thread with its own session: it signs in through the login form, then opens
the pages below in random order with a think time of ``--wait`` seconds (uniform 0.5×–1.5×) between
requests, until ``--duration`` seconds have passed (after a ``--warmup`` during which nothing is
recorded). The users are a mix of 所 inspectors (the first ``--station-share`` of the users, one per
所 in turn) and district users (科室 staff and chiefs). Seeded users share ``enterprises.demo``'s
password; ``--create-users`` (only on a benchmark database!) creates or resets ``loadNN`` users instead.

The report gives, per page, the number of requests, p50 / p95 / max in ms, and the non-200 answers.
``--writes-per-minute N`` adds a writer that submits a form N times a minute, as the 所 users in turn (one
more session each). ``--write entry`` (the default) records a provincial-system entry date on one of that
所's finalised inspections not yet entered (登记录入省局系统, as an inspector does from 我的待办): a named write
that retires the kept parts of that 所 and of the district (``regsys.page_parts``), and leaves the other
所's kept. ``--write read-all`` marks every notification of the user read (通知全部标为已读): a bulk update
no signal names, which retires everyone's parts. The run shows what the users see while others write;
the POSTs are reported as "写 POST". Entries use up the seeded inspections: seed the database afresh
before runs that must compare.

Only the standard library is used on the client side (urllib, threads), so the client adds little
work of its own to a shared machine.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import random
import re
import statistics
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# The pages the issue names (label, URL name); a 所 user's cockpit is its 本所进度.
PAGES = [
    ("home", "home"),
    ("待办", "inspections:todo"),
    ("progress", "planning:progress"),
    ("inspection list", "inspections:list"),
    ("API inspections", "inspection-list"),
    ("cockpit", "reporting:cockpit"),
]


@dataclass
class Sample:
    page: str
    ms: float
    status: int


@dataclass
class Results:
    lock: threading.Lock = field(default_factory=threading.Lock)
    samples: list[Sample] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (``share`` in 0..1)."""
    ordered = sorted(values)
    rank = max(1, int(round(share * len(ordered) + 0.5 - 1e-9)))
    return ordered[min(rank, len(ordered)) - 1]


def pick_users(count: int, station_share: float, create: bool) -> list[tuple[str, str, str]]:
    """(username, password, kind) for ``count`` users: 所 inspectors spread over the 所, then district users."""
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regsys.settings")
    os.environ.setdefault("DEBUG", "0")
    import django

    django.setup()
    from enterprises.choices import Role, UnitKind
    from enterprises.demo import DEMO_PASSWORD
    from enterprises.models import Unit, User

    stations = int(round(count * station_share))
    if create:
        units = list(Unit.objects.filter(kind=UnitKind.STATION).order_by("sort_order", "pk"))
        section = Unit.objects.filter(kind=UnitKind.SECTION).order_by("pk").first()
        chosen = []
        for n in range(count):
            station = n < stations
            username = f"load{n:02d}"
            user, _ = User.objects.update_or_create(username=username, defaults={
                "unit": units[n % len(units)] if station else section,
                "role": Role.STATION_STAFF if station else Role.SECTION_STAFF,
                "full_name": f"压测用户{n:02d}", "is_active": True,
            })
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            chosen.append((username, DEMO_PASSWORD, "所" if station else "区"))
        return chosen

    by_station: dict[int, list[str]] = defaultdict(list)
    for user in User.objects.filter(unit__kind=UnitKind.STATION, role=Role.STATION_STAFF, is_active=True).order_by(
            "unit__sort_order", "username"):
        by_station[user.unit_id].append(user.username)
    queues = list(by_station.values())
    station_users: list[str] = []
    while len(station_users) < stations and any(queues):
        for queue in queues:
            if queue and len(station_users) < stations:
                station_users.append(queue.pop(0))
    district = list(User.objects.filter(is_active=True, unit__kind=UnitKind.SECTION,
                                        role__in=[Role.SECTION_STAFF, Role.LEADER]).order_by("username")
                    .values_list("username", flat=True))
    district_users = [district[n % len(district)] for n in range(count - len(station_users))] if district else []
    return [(u, DEMO_PASSWORD, "所") for u in station_users] + [(u, DEMO_PASSWORD, "区") for u in district_users]


def page_urls() -> list[tuple[str, str]]:
    from django.urls import reverse

    return [(label, reverse(name)) for label, name in PAGES]


class Browser:
    """One signed-in session (cookies kept, redirects followed)."""

    def __init__(self, base: str):
        self.base = base.rstrip("/")
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.no_redirect = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)

    def get(self, path: str, timeout: float = 120) -> tuple[int, bytes]:
        try:
            with self.opener.open(self.base + path, timeout=timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def login(self, username: str, password: str) -> bool:
        """Sign in through the form; the redirect after it is not followed (the start page is timed as a page)."""
        status, body = self.get("/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if status != 200 or not token:
            return False
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1).decode(), "username": username,
                                       "password": password}).encode()
        request = urllib.request.Request(self.base + "/accounts/login/", data=data,
                                         headers={"Referer": self.base + "/accounts/login/"})
        try:
            with self.no_redirect.open(request, timeout=120) as response:
                response.read()
                return False  # 200: the form again (wrong password)
        except urllib.error.HTTPError as exc:
            return exc.code == 302 and "/accounts/login/" not in (exc.headers.get("Location") or "")


    def post(self, path: str, data: dict | None = None, timeout: float = 120) -> int:
        """POST a form (empty by default) with the session's CSRF token (as a page's button does); the status,
        unfollowed."""
        token = next((c.value for c in self.jar if c.name == "csrftoken"), "")
        body = urllib.parse.urlencode(data or {}).encode()
        request = urllib.request.Request(self.base + path, data=body, headers={
            "X-CSRFToken": token, "Referer": self.base + "/"})
        try:
            with self.no_redirect.open(request, timeout=timeout) as response:
                response.read()
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def simulate(base: str, user: tuple[str, str, str], urls: list[tuple[str, str]], *, start: float,
             record_from: float, stop: float, wait: float, results: Results, seed: int) -> None:
    username, password, kind = user
    rng = random.Random(seed)
    time.sleep(max(0.0, start - time.time()))
    browser = Browser(base)
    try:
        signed_in = browser.login(username, password)
    except OSError as exc:  # a timeout or a reset connection
        signed_in = False
        with results.lock:
            results.errors.append(f"{username}: sign-in: {exc}")
    if not signed_in:
        with results.lock:
            results.errors.append(f"{username}: sign-in failed")
        return
    while time.time() < stop:
        order = urls[:]
        rng.shuffle(order)
        for label, url in order:
            if time.time() >= stop:
                break
            began = time.perf_counter()
            try:
                status, _ = browser.get(url)
            except Exception as exc:  # noqa: BLE001 - a timeout or a reset connection is a failed request
                status = 0
                with results.lock:
                    results.errors.append(f"{username} {url}: {exc}")
            ms = (time.perf_counter() - began) * 1000
            if time.time() >= record_from:
                results.add(Sample(f"{kind} {label}", ms, status))
            time.sleep(wait * rng.uniform(0.5, 1.5))


@dataclass
class Write:
    """One POST the writer sends: as ``username``, to ``path``, with ``data``."""

    username: str
    password: str
    path: str
    data: dict


def writes(kind: str, users: list[tuple[str, str, str]]) -> list[Write]:
    """The writer's POSTs, the 所 users in turn (``--write``)."""

    from django.urls import reverse
    from django.utils import timezone

    from inspections.choices import InspectionStatus
    from inspections.models import Inspection

    stations = [u for u in users if u[2] == "所"]
    if kind == "read-all":
        return [Write(u[0], u[1], reverse("notifications:read_all"), {}) for u in stations] * 1000
    today = timezone.localdate()
    per_user = []
    for username, password, _kind in stations:
        pks = Inspection.objects.filter(
            unit__members__username=username, status=InspectionStatus.FINALISED, provincial_entry_date=None,
            start_date__lte=today).order_by("-start_date", "pk").values_list("pk", flat=True)[:500]
        per_user.append([Write(username, password, reverse("inspections:provincial_entry", args=[pk]),
                               {"entered_on": today.isoformat()}) for pk in pks])
    turns = [w for group in zip(*per_user, strict=False) for w in group] if per_user else []
    assert turns, "no finalised inspection without an entry date: seed the database afresh"
    return turns


def write(base: str, planned: list[Write], *, start: float, record_from: float, stop: float, every: float,
          results: Results) -> None:
    """The writer: a session per 所 user, POSTing the planned writes in turn every ``every`` seconds (a
    redirect, 302, is success)."""
    time.sleep(max(0.0, start - time.time()))
    browsers: dict[str, Browser] = {}
    for item in planned:
        if item.username in browsers:
            continue
        browser = Browser(base)
        if not browser.login(item.username, item.password) or browser.get("/")[0] != 200:
            with results.lock:
                results.errors.append(f"{item.username}: writer sign-in failed")
            return
        browsers[item.username] = browser
    for item in planned:
        if time.time() >= stop:
            break
        began = time.perf_counter()
        status = browsers[item.username].post(item.path, item.data)
        ms = (time.perf_counter() - began) * 1000
        if time.time() >= record_from:
            results.add(Sample("写 POST", ms, 200 if status in (200, 302) else status))
        time.sleep(every)


def report(results: Results, seconds: float) -> dict:
    pages: dict[str, list[Sample]] = defaultdict(list)
    for sample in results.samples:
        pages[sample.page].append(sample)
    rows = {}
    print("| page | requests | p50 ms | p95 ms | max ms | not 200 |")
    print("|---|---:|---:|---:|---:|---:|")
    for page in sorted(pages):
        times = [s.ms for s in pages[page]]
        bad = sum(1 for s in pages[page] if s.status != 200)
        rows[page] = {"n": len(times), "p50": round(statistics.median(times), 1),
                      "p95": round(percentile(times, 0.95), 1), "max": round(max(times), 1), "bad": bad}
        r = rows[page]
        print(f"| {page} | {r['n']} | {r['p50']:,.0f} | {r['p95']:,.0f} | {r['max']:,.0f} | {bad} |")
    every = [s.ms for s in results.samples]
    if every:
        print(f"\nall: {len(every)} requests in {seconds:.0f} s ({len(every) / seconds:.1f}/s), "
              f"p50 {statistics.median(every):,.0f} ms, p95 {percentile(every, 0.95):,.0f} ms")
    for error in results.errors[:10]:
        print("error:", error)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="http://127.0.0.1:8765")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--station-share", type=float, default=0.5, help="share of 所 users (default 0.5)")
    parser.add_argument("--duration", type=float, default=120, help="seconds recorded")
    parser.add_argument("--warmup", type=float, default=15, help="seconds before recording starts")
    parser.add_argument("--ramp", type=float, default=10, help="seconds over which the users start")
    parser.add_argument("--wait", type=float, default=1.0, help="mean think time between requests, s")
    parser.add_argument("--create-users", action="store_true",
                        help="create/reset load00… users with the demo password (benchmark databases only)")
    parser.add_argument("--writes-per-minute", type=float, default=0,
                        help="one more 所 session POSTs a form this often (0: none)")
    parser.add_argument("--write", choices=["entry", "read-all"], default="entry",
                        help="what the writer posts (default: a provincial entry date, as the 所 users in turn)")
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()

    users = pick_users(args.users, args.station_share, args.create_users)
    urls = page_urls()
    print(f"{len(users)} users ({sum(1 for u in users if u[2] == '所')} 所), {args.base}, "
          f"think {args.wait} s, warm-up {args.warmup} s, recorded {args.duration} s", flush=True)
    results = Results()
    now = time.time()
    record_from = now + args.ramp + args.warmup
    stop = record_from + args.duration
    threads = [
        threading.Thread(target=simulate, args=(args.base, user, urls), kwargs={
            "start": now + args.ramp * n / max(1, len(users)), "record_from": record_from, "stop": stop,
            "wait": args.wait, "results": results, "seed": n}, daemon=True)
        for n, user in enumerate(users)
    ]
    if args.writes_per_minute > 0:
        threads.append(threading.Thread(target=write, args=(args.base, writes(args.write, users)),
                                         kwargs={"start": now, "record_from": record_from, "stop": stop,
                                                 "every": 60 / args.writes_per_minute, "results": results},
                                         daemon=True))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(0.0, stop - time.time()) + 180)
    rows = report(results, args.duration)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, ensure_ascii=False, indent=1))
    return 1 if results.errors or any(r["bad"] for r in rows.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
