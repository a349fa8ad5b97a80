"""Every page a user reads is Chinese and carries no note meant for developers.

The crawl visits every page of the access matrix (``regsys.tests.world``) as a 监管所 user, a 药械科 user and an
administrator (the admin site included), with an empty submission of every form (its errors included),
and collects the Latin words of the visible text: text nodes, ``<title>``, placeholders, tooltips, alt texts
and button captions. A word is allowed only if it is on ``ALLOWED`` (names users know in Latin letters).
"""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from django.contrib.admin import site as admin_site
from django.urls import reverse
from lxml import html as lxml_html

from enterprises.choices import Role
from enterprises.tests.factories import UserFactory
from regsys.tests.test_access_matrix import PAGES, WRITE_PAGES, _OtherSide, _page_url, page_patterns
from regsys.tests.world import build_world

pytestmark = pytest.mark.django_db

# Latin words a Chinese user reads as they are: file formats, product names and established abbreviations.
ALLOWED = {
    "Excel", "Word", "API", "UDI", "ID", "PDF", "CSV", "xlsx", "docx", "QR", "GB", "MB", "KB", "GSP", "GMP",
    "IVD", "PNG", "JPG", "JPEG", "HEIC", "OK", "ECMO", "Cookie",
    "Python",  # the draw verification page names the random generator so anyone can re-run a draw
    "Control", "Command", "Mac",  # key names in Django's "按住 Control 键或 Mac 上的 Command 键来选择多项"
    "IP", "LDAP",
}
# Texts that only a developer should read.
DEVELOPER_NOTES = ("domain.md", "[R]", "[C]", "[S]", "flcube", "回忆")

LATIN_WORD = re.compile(r"(?<![A-Za-z0-9_\-./@*{])[A-Za-z]{2,}(?![A-Za-z0-9_\-./@*}])")
# A JSON value shown or explained (a form template's layout): its quoted keys and codes are code, not text.
JSON_STRING = re.compile(r'"[^"]*"|\b(?:true|false|null)\b')
# Admin list columns of identifiers (codes) an administrator types as they are, like ID codes.
CODE_COLUMNS = ("field-code", "field-param")
# Not read as text: code, and a textarea's content (the value being edited, e.g. a template's JSON layout).
INVISIBLE = {"script", "style", "noscript", "template", "textarea"}
VISIBLE_ATTRIBUTES = ("placeholder", "title", "alt", "aria-label")


def _is_code(element) -> bool:
    """An element whose text is code or data typed as is: an admin code column, Django's boolean icon,
    the masked password hash on the admin user page (``<bdi>``: random salt letters such as ``lN****``)."""
    if element.tag == "bdi":
        return True
    for node in (element, *element.iterancestors()):
        if any(c in (node.get("class") or "").split() for c in CODE_COLUMNS):
            return True
    return element.tag == "img" and "/admin/img/icon-" in (element.get("src") or "")


def visible_texts(content: str) -> list[str]:
    """The texts of a page a user can read."""
    if not content.strip():
        return []
    tree = lxml_html.fromstring(content)
    texts = []
    for element in tree.iter():
        if not isinstance(element.tag, str) or _is_code(element):
            continue
        if element.tag not in INVISIBLE and element.text:
            texts.append(element.text)
        if element.tail and (element.getparent() is None or element.getparent().tag not in INVISIBLE):
            texts.append(element.tail)
        texts.extend(element.get(attr) for attr in VISIBLE_ATTRIBUTES if element.get(attr))
        if element.tag == "input" and element.get("type") in ("submit", "button", "reset") and element.get("value"):
            texts.append(element.get("value"))
    return texts


def foreign_words(content: str) -> set[str]:
    words = set()
    for text in visible_texts(content):
        if '{"' in text or '["' in text:
            text = JSON_STRING.sub("", text)
        words.update(w for w in LATIN_WORD.findall(text) if w not in ALLOWED and w.upper() not in ALLOWED)
    return words


def developer_notes(content: str) -> set[str]:
    text = "\n".join(visible_texts(content))
    return {note for note in DEVELOPER_NOTES if note in text}


def _blank_submission(content: str | None) -> dict[str, str]:
    """What a user sends who submits the page's main POST form (the one with the most fields) without
    filling anything in: its hidden fields (a formset's management form, versions) as rendered."""
    if not content or not content.strip():
        return {}
    forms = lxml_html.fromstring(content).xpath("//form[translate(@method, 'POST', 'post')='post']")
    if not forms:
        return {}
    form = max(forms, key=lambda f: len(f.xpath(".//input|.//select|.//textarea")))
    return {field.get("name"): field.get("value", "") for field in form.xpath(".//input[@type='hidden']")
            if field.get("name")}


def _crawl(client, side, *, post: bool) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)

    def visit(url: str, response) -> None:
        if response.status_code >= 400 or not response.get("Content-Type", "").startswith("text/html"):
            return
        content = response.content.decode()
        for word in foreign_words(content) | developer_notes(content):
            found[word].add(url)
        return content

    for _, name in page_patterns():
        rule = PAGES.get(name)
        if rule is None or "skip" in rule or name == "logout":
            continue
        url = _page_url(name, side)
        if rule.get("query"):
            continue
        content = visit(url, client.get(url))
        if post and name in WRITE_PAGES:
            visit(url, client.post(url, _blank_submission(content)))
    return found


def _admin_urls() -> list[str]:
    urls = [reverse("admin:index")]
    for model in admin_site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:app_list", args=[info[0]]))
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        urls.append(reverse("admin:{}_{}_add".format(*info)))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
    return sorted(set(urls))


def _report(found: dict[str, set[str]]) -> str:
    return "\n".join(f"{word!r}: {sorted(urls)[:3]}" for word, urls in sorted(found.items()))


@pytest.fixture
def world(db):
    w = build_world()
    w.mine_view = _OtherSide(w.mine, w.template)
    return w


def test_pages_of_a_station_user_read_in_chinese(client, world):
    client.force_login(world.mine.user)
    found = _crawl(client, world.mine_view, post=True)
    assert found == {}, _report(found)


def test_pages_of_a_district_user_read_in_chinese(client, world):
    client.force_login(world.district_user)
    found = _crawl(client, world.mine_view, post=True)
    assert found == {}, _report(found)


def test_admin_site_reads_in_chinese(client, world):
    admin = UserFactory(unit=world.section, role=Role.ADMIN, is_staff=True, is_superuser=True)
    client.force_login(admin)
    found: dict[str, set[str]] = defaultdict(set)
    for url in _admin_urls():
        response = client.get(url)
        if response.status_code == 403:  # a model nobody adds by hand (axes' access log)
            continue
        assert response.status_code == 200, url
        content = response.content.decode()
        for word in foreign_words(content) | developer_notes(content):
            found[word].add(url)
    assert found == {}, _report(found)


def test_the_checks_see_english_and_developer_notes_where_a_user_reads_them():
    page = """<html><head><title>计划 Month</title></head><body>
      <select name="o"><option value="month">Month</option></select>
      <input placeholder="Search"><img src="/x.png" alt="Unit"><input type="submit" value="Go">
      <p>依据 [R] 回忆，未核实；见 domain.md</p>
      <script>var English = "ignored";</script><textarea>{"key": "edited value"}</textarea>
      <p>导出 Excel 文件、UDI 与企业ID</p></body></html>"""

    assert foreign_words(page) == {"Month", "Search", "Unit", "Go"}
    assert developer_notes(page) == {"[R]", "回忆", "domain.md"}


def test_api_validation_messages_name_no_python_types(world):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(world.district_user)

    case = api.post("/api/cases/", {"enterprise": "abc"}, format="json").json()
    inspection = api.post("/api/inspections/", [1], format="json").json()

    assert case["enterprise"] == ["类型错误：应填写记录的编号（整数）。"]
    assert inspection["non_field_errors"] == ["数据无效：应为一个对象（键值对）。"]


def test_the_compiled_catalog_matches_its_source(tmp_path):
    """locale/…/django.mo is committed; after editing the .po it must be recompiled (msgfmt, see the .po)."""
    import shutil
    import subprocess

    from django.conf import settings

    if shutil.which("msgfmt") is None:
        pytest.skip("msgfmt (gettext) is not installed")
    folder = settings.LOCALE_PATHS[0] / "zh_Hans" / "LC_MESSAGES"
    subprocess.run(["msgfmt", "-o", tmp_path / "django.mo", folder / "django.po"], check=True)

    assert (tmp_path / "django.mo").read_bytes() == (folder / "django.mo").read_bytes()
