"""Registry pages: rendering, forms with field errors, and the unit boundary through every page."""

from urllib.parse import unquote

import pytest
from django.urls import reverse

from enterprises.choices import EnterpriseStatus, LicenceKind
from enterprises.models import Enterprise, EnterpriseStatusChange, Licence

from .factories import EnterpriseFactory, LicenceFactory, TagFactory, UserFactory, make_credit_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_enterprises(district):
    mine = EnterpriseFactory(name="五马大药房", subdistrict=district.sub_a, phone="0577-1")
    theirs = EnterpriseFactory(name="藤桥大药房", subdistrict=district.sub_b, phone="0577-9")
    return mine, theirs


def _names_in_export(book) -> list[str]:
    return [row[1] for row in book.active.iter_rows(min_row=2, values_only=True)]


# --- the unit boundary ------------------------------------------------------------------


def test_station_user_lists_only_own_enterprises(client, district, two_enterprises):
    client.force_login(district.inspector_a)

    response = client.get(reverse("enterprises:list"))

    assert [e.name for e in response.context["page"].object_list] == ["五马大药房"]
    assert "藤桥大药房" not in response.content.decode()


def test_station_user_cannot_open_another_stations_enterprise(client, district, two_enterprises):
    _mine, theirs = two_enterprises
    client.force_login(district.inspector_a)

    assert client.get(reverse("enterprises:detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("enterprises:edit", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("enterprises:status", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("enterprises:licence_create", args=[theirs.pk])).status_code == 404


def test_station_user_cannot_edit_another_stations_enterprise_by_post(client, district, two_enterprises):
    _mine, theirs = two_enterprises
    client.force_login(district.inspector_a)

    response = client.post(reverse("enterprises:edit", args=[theirs.pk]), {"name": "改名", "phone": "1"})
    status = client.post(reverse("enterprises:status", args=[theirs.pk]),
                         {"to_status": "cancelled", "effective_on": "2024-01-01", "reason": "x"})

    assert response.status_code == 404
    assert status.status_code == 404
    theirs.refresh_from_db()
    assert (theirs.name, theirs.phone, theirs.status) == ("藤桥大药房", "0577-9", EnterpriseStatus.ACTIVE)


def test_station_user_cannot_edit_another_stations_licence(client, district, two_enterprises):
    _mine, theirs = two_enterprises
    licence = LicenceFactory(enterprise=theirs, issuer="原发证机关")
    client.force_login(district.inspector_a)

    response = client.post(reverse("enterprises:licence_edit", args=[licence.pk]), {"issuer": "改"})

    assert response.status_code == 404
    licence.refresh_from_db()
    assert licence.issuer == "原发证机关"


def test_station_user_export_contains_only_own_enterprises(client, district, two_enterprises, export_file):
    client.force_login(district.inspector_a)

    book = export_file(client, reverse("enterprises:export"))

    assert _names_in_export(book) == ["五马大药房"]
    assert export_file.last_job.unit == district.inspector_a.unit


def test_section_user_sees_and_exports_the_whole_district(client, district, two_enterprises, export_file):
    client.force_login(district.section_user)

    listing = client.get(reverse("enterprises:list"))
    export = export_file(client, reverse("enterprises:export"))

    assert listing.context["page"].paginator.count == 2
    assert _names_in_export(export) == ["五马大药房", "藤桥大药房"]


def test_auditor_reads_everything_but_cannot_change(client, district, two_enterprises):
    mine, _theirs = two_enterprises
    client.force_login(district.auditor)

    detail = client.get(reverse("enterprises:detail", args=[mine.pk]))
    edit = client.post(reverse("enterprises:edit", args=[mine.pk]), {"name": "审计改名"})
    create = client.get(reverse("enterprises:create"))
    import_page = client.get(reverse("enterprises:import"))

    assert detail.status_code == 200
    assert reverse("enterprises:edit", args=[mine.pk]) not in detail.content.decode()
    assert (edit.status_code, create.status_code, import_page.status_code) == (403, 403, 403)
    mine.refresh_from_db()
    assert mine.name == "五马大药房"


def test_anonymous_user_is_sent_to_login(client, district, two_enterprises):
    response = client.get(reverse("enterprises:list"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# --- pages ----------------------------------------------------------------------------------


def test_list_search_filter_sort_and_htmx_partial(client, district):
    EnterpriseFactory(name="乙药房", subdistrict=district.sub_a)
    EnterpriseFactory(name="甲药房", subdistrict=district.sub_a)
    EnterpriseFactory(name="丙诊所", subdistrict=district.sub_a)
    client.force_login(district.inspector_a)

    response = client.get(reverse("enterprises:list"), {"q": "药房", "ordering": "-name"},
                          HTTP_HX_REQUEST="true")

    assert [t.name for t in response.templates][0] == "enterprises/_list_table.html"
    assert [e.name for e in response.context["page"].object_list] == ["甲药房", "乙药房"]
    assert "q=%E8%8D%AF%E6%88%BF" in response.context["query"]


def test_list_paginates_by_25(client, district):
    for n in range(27):
        EnterpriseFactory(name=f"企业{n:02d}", subdistrict=district.sub_a)
    client.force_login(district.inspector_a)

    first = client.get(reverse("enterprises:list"))
    second = client.get(reverse("enterprises:list"), {"page": 2})

    assert len(first.context["page"].object_list) == 25
    assert [e.name for e in second.context["page"].object_list] == ["企业25", "企业26"]


def test_export_is_exactly_the_filtered_list_across_pages(client, district, export_file):
    for n in range(30):
        EnterpriseFactory(name=f"药房{n:02d}", subdistrict=district.sub_a)
    EnterpriseFactory(name="诊所", subdistrict=district.sub_a)
    licence_holder = EnterpriseFactory(name="持证企业", subdistrict=district.sub_a)
    LicenceFactory(enterprise=licence_holder, number="浙温药监械经营备20249999号")
    client.force_login(district.inspector_a)

    book = export_file(client, reverse("enterprises:export"), {"q": "药房", "ordering": "name"})
    by_licence = export_file(client, reverse("enterprises:export"), {"q": "20249999"})

    ws = book.active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("序号", "企业名称", "统一社会信用代码", "企业类别")
    assert [r[1] for r in rows[1:]] == [f"药房{n:02d}" for n in range(30)]
    assert rows[1][6] == "五马市场监管所"
    assert rows[1][7] == "在营"
    assert _names_in_export(by_licence) == ["持证企业"]
    last = by_licence.active.cell(row=2, column=14).value
    assert last == "第二类医疗器械经营备案 浙温药监械经营备20249999号"


def test_create_form_shows_field_errors_and_saves_nothing(client, district):
    client.force_login(district.inspector_a)
    code = make_credit_code(77)
    bad = code[:17] + ("0" if code[17] != "0" else "1")

    response = client.post(reverse("enterprises:create"), {
        "name": "坏代码药房", "credit_code": bad, "subdistrict": district.sub_a.pk, "is_operator": "on",
    })

    assert response.status_code == 200
    assert response.context["form"].errors["credit_code"][0].startswith("统一社会信用代码校验位错误")
    assert "统一社会信用代码校验位错误" in response.content.decode()
    assert Enterprise.objects.count() == 0


def test_credit_code_error_shows_together_with_the_other_field_errors(client, district):
    # given a user who fills in only a credit code, with a wrong check digit
    client.force_login(district.inspector_a)
    code = make_credit_code(79)
    bad = code[:17] + ("0" if code[17] != "0" else "1")

    # when the form is sent
    response = client.post(reverse("enterprises:create"), {"credit_code": bad})

    # then the credit code's error is shown in the same round as the missing name and 街道/镇
    errors = response.context["form"].errors
    assert response.status_code == 200
    assert errors["credit_code"][0].startswith("统一社会信用代码校验位错误")
    assert {"name", "subdistrict"} <= set(errors)
    assert Enterprise.objects.count() == 0


def test_credit_code_already_registered_is_a_field_error(client, district):
    existing = EnterpriseFactory(subdistrict=district.sub_b)
    client.force_login(district.inspector_a)

    response = client.post(reverse("enterprises:create"), {
        "name": "重复登记药房", "credit_code": existing.credit_code.lower(), "subdistrict": district.sub_a.pk,
        "is_operator": "on",
    })

    assert response.status_code == 200
    assert response.context["form"].errors["credit_code"] == ["该统一社会信用代码已登记，请勿重复登记"]
    assert Enterprise.objects.count() == 1


def test_editing_an_enterprise_keeps_its_own_credit_code(client, district):
    enterprise = EnterpriseFactory(subdistrict=district.sub_a)
    client.force_login(district.inspector_a)
    form = client.get(reverse("enterprises:edit", args=[enterprise.pk])).context["form"]
    data = {k: v for k, v in form.initial.items() if v not in (None, False, "")}
    data.update({"is_operator": "on", "subdistrict": district.sub_a.pk, "tags": [], "phone": "0577-3"})

    response = client.post(reverse("enterprises:edit", args=[enterprise.pk]), data)

    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.phone == "0577-3"


def test_create_form_saves_and_redirects_to_detail(client, district):
    tag = TagFactory(name="角膜接触镜")
    client.force_login(district.inspector_a)

    response = client.post(reverse("enterprises:create"), {
        "name": "五马眼镜店", "credit_code": make_credit_code(78), "subdistrict": district.sub_a.pk,
        "is_operator": "on", "operation_mode": "retail", "tags": [tag.pk],
    })

    enterprise = Enterprise.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("enterprises:detail", args=[enterprise.pk])
    assert enterprise.owning_unit == district.station_a
    assert list(enterprise.tags.all()) == [tag]


def test_edit_form_saves_and_detail_shows_history(client, district):
    enterprise = EnterpriseFactory(name="五马大药房", subdistrict=district.sub_a, phone="0577-1")
    client.force_login(district.inspector_a)
    form = client.get(reverse("enterprises:edit", args=[enterprise.pk])).context["form"]
    data = {k: v for k, v in form.initial.items() if v not in (None, False, "")}
    data.update({"phone": "0577-2", "is_operator": "on", "subdistrict": district.sub_a.pk, "tags": []})

    response = client.post(reverse("enterprises:edit", args=[enterprise.pk]), data)
    detail = client.get(reverse("enterprises:detail", args=[enterprise.pk]))

    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.phone == "0577-2"
    change = detail.context["history"][0]
    assert (change.who, change.action) == ("五马检查员", "修改")
    assert [(c.label, c.old, c.new) for c in change.changes] == [("联系电话", "0577-1", "0577-2")]
    assert "0577-1" in detail.content.decode()


def test_status_page_changes_status_with_reason(client, district):
    enterprise = EnterpriseFactory(subdistrict=district.sub_a)
    client.force_login(district.inspector_a)

    missing = client.post(reverse("enterprises:status", args=[enterprise.pk]),
                          {"to_status": "business_suspended", "effective_on": "2024-03-01", "reason": ""})
    done = client.post(reverse("enterprises:status", args=[enterprise.pk]),
                       {"to_status": "business_suspended", "effective_on": "2024-03-01", "reason": "装修停业"})

    assert missing.status_code == 200
    assert "reason" in missing.context["form"].errors
    assert done.status_code == 302
    change = EnterpriseStatusChange.objects.get()
    assert (change.reason, str(change.effective_on)) == ("装修停业", "2024-03-01")
    detail = client.get(reverse("enterprises:detail", args=[enterprise.pk])).content.decode()
    assert "装修停业" in detail


def test_licence_add_warns_on_unusual_number_and_edit_saves(client, district):
    enterprise = EnterpriseFactory(subdistrict=district.sub_a)
    client.force_login(district.inspector_a)

    response = client.post(reverse("enterprises:licence_create", args=[enterprise.pk]), {
        "kind": LicenceKind.OPERATION_FILING, "number": "备-001", "status": "valid",
        "issued_on": "2024-01-02", "expires_on": "",
    }, follow=True)
    licence = Licence.objects.get()
    edit = client.post(reverse("enterprises:licence_edit", args=[licence.pk]), {
        "kind": LicenceKind.OPERATION_FILING, "number": "浙温药监械经营备20240001号", "status": "valid",
        "issued_on": "2024-01-02", "version": licence.version,
    })

    messages = [str(m) for m in response.context["messages"]]
    assert any("与常见格式" in m for m in messages)
    assert edit.status_code == 302
    licence.refresh_from_db()
    assert licence.number == "浙温药监械经营备20240001号"


def test_licence_form_shows_date_error(client, district):
    enterprise = EnterpriseFactory(subdistrict=district.sub_a)
    client.force_login(district.inspector_a)

    response = client.post(reverse("enterprises:licence_create", args=[enterprise.pk]), {
        "kind": LicenceKind.OPERATION_LICENCE, "number": "浙温药监械经营许20240001号", "status": "valid",
        "issued_on": "2024-05-01", "expires_on": "2024-04-01",
    })

    assert response.context["form"].errors["expires_on"] == ["有效期至不能早于发证日期"]
    assert Licence.objects.count() == 0


def test_home_card_counts_within_scope(client, district, two_enterprises):
    EnterpriseFactory(subdistrict=district.sub_a, status=EnterpriseStatus.CANCELLED)
    client.force_login(district.inspector_a)

    html = client.get(reverse("home")).content.decode()

    assert "企业总数（在营等 1 家）" in html
    assert 'id="home-registry"' in html


def test_htmx_history_restore_gets_the_whole_page(client, district):
    client.force_login(district.inspector_a)

    response = client.get(reverse("enterprises:list"), HTTP_HX_REQUEST="true",
                          HTTP_HX_HISTORY_RESTORE_REQUEST="true")

    assert [t.name for t in response.templates][0] == "enterprises/list.html"



@pytest.mark.parametrize(("url", "prefix"), [
    ("/enterprises/export.xlsx", "企业名录-"),
    ("/enterprises/licences/expiring/?export=xlsx", "证照到期提醒-"),
    ("/enterprises/import/template.xlsx", "企业导入模板.xlsx"),
])
def test_downloads_have_chinese_file_names(client, url, prefix, export_file):
    client.force_login(UserFactory())
    if "export" in url:  # a list export: its file comes from the download centre
        export_file(client, url)
        url = reverse("reporting:job_file", args=[export_file.last_job.pk, "xlsx"])

    disposition = client.get(url)["Content-Disposition"]

    assert unquote(disposition.split("UTF-8''", 1)[1]).startswith(prefix)
