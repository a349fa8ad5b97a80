"""The demo district, walked as its users would: every link a page shows must lead somewhere.

Seeds the full demo once, then for a district user, a 所 inspector and the auditor follows the
links of every page reached (at most two pages per URL pattern), and asserts that each answers
200 — no dead link, no server error, no page that forbids what it offered.
"""

import re
from collections import deque
from urllib.parse import urldefrag, urlparse

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve, reverse

from enterprises.models import User

HREF = re.compile(r'href="([^"#][^"]*)"')
SKIP_PREFIXES = ("/static/", "/media/", "/admin/", "/accounts/logout", "/api/docs", "/api/schema")
PER_ROUTE = 2
MAX_PAGES = 400


def route_key(path: str) -> str:
    try:
        match = resolve(path)
    except Resolver404:
        return f"404:{path}"
    return match.view_name or match.route


def crawl(client, start: str = "/") -> dict[str, int]:
    seen_routes: dict[str, int] = {}
    visited: dict[str, int] = {}
    queue = deque([start])
    while queue and len(visited) < MAX_PAGES:
        url = queue.popleft()
        if url in visited:
            continue
        key = route_key(urlparse(url).path)
        if seen_routes.get(key, 0) >= PER_ROUTE:
            continue
        seen_routes[key] = seen_routes.get(key, 0) + 1
        response = client.get(url)
        # A list's 导出 link files a job and sends the user to the download centre (regsys/exports.py).
        filed = response.status_code == 302 and response["Location"] == reverse("reporting:downloads")
        # Opening a notification marks it read and goes on to its record: the record must answer.
        opened = response.status_code == 302 and key == "notifications:open"
        if opened:
            queue.appendleft(response["Location"])
        visited[url] = 200 if filed or opened else response.status_code
        content_type = response.get("Content-Type", "")
        if response.status_code != 200 or not content_type.startswith("text/html"):
            continue
        for href in HREF.findall(response.content.decode()):
            href = urldefrag(href.replace("&amp;", "&"))[0]
            parsed = urlparse(href)
            if parsed.scheme or parsed.netloc or not href.startswith("/"):
                continue
            if href.startswith(SKIP_PREFIXES):
                continue
            queue.append(href)
    return visited


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)


@pytest.mark.parametrize("username", ["kezhang", "wuma1", "shenji"])
def test_every_link_in_the_demo_leads_somewhere(demo, client, username):
    client.force_login(User.objects.get(username=username))

    visited = crawl(client)

    broken = {url: status for url, status in visited.items() if status != 200}
    assert not broken, f"{username}: {broken}"
    assert len(visited) > 10
