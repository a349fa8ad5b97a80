"""Campaign pages (CRUD, due dates) and form templates (shipped data, copy to a new year)."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from campaigns.models import Campaign, FormTemplate
from campaigns.reference import load_reference
from enterprises.choices import Role, UnitKind
from enterprises.reference import load_reference as load_tags
from enterprises.tests.factories import UnitFactory, UserFactory


@pytest.fixture
def forms(db):
    load_tags()
    load_reference()
    return {t.code: t for t in FormTemplate.objects.all()}


@pytest.fixture
def section(db):
    return UserFactory(unit=UnitFactory(kind=UnitKind.SECTION, name="药械科"), role=Role.SECTION_STAFF)


def test_load_reference_ships_both_forms_once(forms):
    load_reference()  # idempotent

    assert FormTemplate.objects.count() == 5  # 2023 统计表一/二, 2024 附件1 and 附件2 统计表一/二
    t1, t2 = forms["统计表一"], forms["统计表二"]
    assert (t1.rows.count(), t1.columns.count(), t1.label_columns) == (15, 12, 2)
    assert (t2.rows.count(), t2.columns.count(), t2.label_columns) == (38, 18, 3)
    nucleic = t2.rows.get(key="covid_nucleic_acid_test_reagents.operation")
    assert nucleic.parent.key == "covid_test_reagents.operation"
    assert t2.rows.get(key="online_sales.colored_contact_lenses").parent.key == "online_sales_enterprises"


def test_create_campaign_with_the_yongding_due_dates(client, forms, section):
    units = [UnitFactory(), UnitFactory()]
    client.force_login(section)

    response = client.post(reverse("campaigns:create"), {
        "name": "2023年医疗器械质量安全专项整治", "doc_number": "永市场监管药械〔2023〕3号", "year": 2023,
        "start_date": "2023-04-01", "end_date": "2023-12-31", "units": [u.pk for u in units],
        "forms": [forms["统计表一"].pk, forms["统计表二"].pk], "due_preset": "yongding", "is_active": "on",
    })

    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert [d.due_on for d in campaign.due_dates.all()] == [dt.date(2023, 6, 25), dt.date(2023, 9, 25),
                                                            dt.date(2023, 12, 25)]
    assert set(campaign.units.all()) == set(units) and campaign.forms.count() == 2
    assert campaign.created_by == section


def test_lucheng_quarterly_preset_and_custom_dates(client, forms, section):
    client.force_login(section)
    base = {"name": "2024年专项行动", "year": 2024, "start_date": "2024-01-01", "end_date": "2024-12-31"}

    client.post(reverse("campaigns:create"), {**base, "due_preset": "lucheng"})
    campaign = Campaign.objects.get()
    assert [d.due_on for d in campaign.due_dates.all()] == [dt.date(2024, 3, 15), dt.date(2024, 6, 15),
                                                            dt.date(2024, 9, 15), dt.date(2024, 11, 15)]
    client.post(reverse("campaigns:edit", args=[campaign.pk]), {**base, "due_dates_text": "2024-07-01, 2024-12-20",
                                                                 "version": campaign.version})
    assert [d.due_on for d in campaign.due_dates.all()] == [dt.date(2024, 7, 1), dt.date(2024, 12, 20)]


def test_bad_campaign_input_changes_nothing(client, forms, section):
    client.force_login(section)

    response = client.post(reverse("campaigns:create"), {
        "name": "错误", "year": 2023, "start_date": "2023-12-01", "end_date": "2023-01-01",
        "due_dates_text": "2023-13-40",
    })

    assert response.status_code == 200
    assert "日期格式不正确" in response.content.decode()
    assert Campaign.objects.count() == 0
    response = client.post(reverse("campaigns:create"), {
        "name": "错误", "year": 2023, "start_date": "2023-12-01", "end_date": "2023-01-01",
        "due_dates_text": "2023-12-25",
    })
    assert "结束日期不能早于开始日期" in response.content.decode()
    assert Campaign.objects.count() == 0


def test_a_station_user_cannot_create_or_delete_campaigns(client, forms):
    station = UserFactory()
    campaign = Campaign.objects.create(name="专项", year=2023, start_date=dt.date(2023, 1, 1),
                                       end_date=dt.date(2023, 12, 31))
    client.force_login(station)

    assert client.get(reverse("campaigns:create")).status_code == 403
    assert client.post(reverse("campaigns:delete", args=[campaign.pk])).status_code == 403
    assert Campaign.objects.count() == 1
    assert client.get(reverse("campaigns:list")).status_code == 200
    assert client.get(reverse("campaigns:detail", args=[campaign.pk])).status_code == 200


def test_campaign_list_filters_and_exports(client, forms, section, export_file):
    Campaign.objects.create(name="口罩专项", year=2023, start_date=dt.date(2023, 1, 1), end_date=dt.date(2023, 12, 31))
    Campaign.objects.create(name="医美专项", year=2024, start_date=dt.date(2024, 1, 1), end_date=dt.date(2024, 12, 31))
    client.force_login(section)

    response = client.get(reverse("campaigns:list"), {"year": 2024})
    export = export_file(client, reverse("campaigns:list"), {"q": "口罩", "export": "xlsx"})

    assert [c.name for c in response.context["page"]] == ["医美专项"]
    assert [r[0] for r in export.active.values] == ["名称", "口罩专项"]


def test_an_annual_data_return_is_created_and_shown_as_such(client, forms, section):
    client.force_login(section)
    base = {"name": "2024年度医疗器械监督管理工作数据", "year": 2024, "start_date": "2024-01-01",
            "end_date": "2024-12-31", "due_preset": "lucheng", "forms": [forms["附件1"].pk]}

    client.post(reverse("campaigns:create"), {**base, "kind": "annual"})
    client.post(reverse("campaigns:create"), {**base, "name": "2024年专项行动"})  # no kind: a special campaign

    annual, action = Campaign.objects.order_by("pk")
    assert (annual.kind, action.kind) == ("annual", "campaign")
    listed = client.get(reverse("campaigns:list"), {"kind": "annual"})
    assert [c.name for c in listed.context["page"]] == ["2024年度医疗器械监督管理工作数据"]
    assert "年度工作数据报送" in listed.content.decode()
    detail = client.get(reverse("campaigns:detail", args=[annual.pk])).content.decode()
    assert "年度工作数据报送" in detail and "确定删除该报送任务？" in detail
    assert "确定删除该专项整治？" in client.get(reverse("campaigns:detail", args=[action.pk])).content.decode()


def test_campaign_list_filter_form_reads_all_yes_no_in_chinese(client, forms, section):
    Campaign.objects.create(name="口罩专项", year=2023, start_date=dt.date(2023, 1, 1), end_date=dt.date(2023, 12, 31),
                            is_active=False)
    Campaign.objects.create(name="医美专项", year=2024, start_date=dt.date(2024, 1, 1), end_date=dt.date(2024, 12, 31))
    client.force_login(section)

    html = client.get(reverse("campaigns:list")).content.decode()
    ended = client.get(reverse("campaigns:list"), {"is_active": "false"})

    assert "---------" not in html and "未知" not in html
    assert '<option value="false">否</option>' in html
    assert "年度（降序）" in html
    assert [c.name for c in ended.context["page"]] == ["口罩专项"]


def test_copy_template_to_a_new_year_through_the_page(client, forms, section):
    t1 = forms["统计表一"]
    client.force_login(section)

    client.post(reverse("campaigns:template_detail", args=[t1.pk]), {"year": 2024})
    client.post(reverse("campaigns:template_detail", args=[t1.pk]), {"year": 2024})

    copies = FormTemplate.objects.filter(code="统计表一", year=2024).order_by("version")
    assert [c.version for c in copies] == [1, 2]
    copy = copies[0]
    assert copy.title_for() == "2024年医疗器械质量安全专项整治工作情况统计表一"
    assert list(copy.rows.values_list("key", "order")) == list(t1.rows.values_list("key", "order"))
    assert list(copy.columns.values_list("metric", flat=True)) == list(t1.columns.values_list("metric", flat=True))
    assert t1.rows.count() == 15  # the original is untouched


def test_an_auditor_is_offered_no_return_filing(client, forms):
    campaign = Campaign.objects.create(name="口罩专项", year=2023, start_date=dt.date(2023, 1, 1),
                                       end_date=dt.date(2023, 12, 31))
    auditor = UserFactory(unit=UnitFactory(kind=UnitKind.SECTION), role=Role.AUDITOR)
    client.force_login(auditor)

    detail = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    returns = client.get(reverse("reporting:return_list")).content.decode()

    assert reverse("reporting:return_create") not in detail
    assert reverse("reporting:return_create") not in returns
    assert client.get(reverse("reporting:return_create")).status_code == 403


def test_copy_template_refused_for_a_station_user(client, forms):
    client.force_login(UserFactory())

    response = client.post(reverse("campaigns:template_detail", args=[forms["统计表一"].pk]), {"year": 2024})

    assert response.status_code == 403
    assert FormTemplate.objects.count() == 5


def test_admin_copy_action(admin_client, forms):
    t2 = forms["统计表二"]

    admin_client.post(reverse("admin:campaigns_formtemplate_changelist"),
                      {"action": "copy_to_next_year", "_selected_action": [t2.pk]})

    copy = FormTemplate.objects.get(code="统计表二", year=2024)
    assert copy.rows.count() == 38 and copy.copied_from == t2
    assert copy.rows.get(key="colored_contact_lenses.operation").parent.template == copy


def test_detail_shows_history_with_old_and_new_values_and_the_chief_reopens_a_period(client, forms, section):
    client.force_login(section)
    base = {"name": "旧名称", "year": 2023, "start_date": "2023-04-01", "end_date": "2023-12-31",
            "due_dates_text": "2023-06-25"}
    client.post(reverse("campaigns:create"), base)
    campaign = Campaign.objects.get()
    client.post(reverse("campaigns:edit", args=[campaign.pk]), {**base, "name": "新名称", "version": 1})

    page = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()

    assert "专项名称：旧名称 → 新名称" in page
    client.post(reverse("campaigns:edit", args=[campaign.pk]), {**base, "name": "新名称", "version": 2,
                                                                 "forms": [forms["统计表一"].pk]})
    page = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert "报送报表：— → 2023年统计表一" in page  # not the raw [{'campaign': 1, 'formtemplate': 1}]
    assert "已过截止日期" in page
    due = campaign.due_dates.get()
    assert client.post(reverse("campaigns:due_date_toggle", args=[due.pk]), {"action": "reopen"}).status_code == 403
    due.refresh_from_db()
    assert due.reopened is False
    chief = UserFactory(unit=section.unit, role=Role.LEADER)
    client.force_login(chief)
    client.post(reverse("campaigns:due_date_toggle", args=[due.pk]), {"action": "reopen"})
    due.refresh_from_db()
    assert (due.reopened, due.reopened_by) == (True, chief)


def test_template_page_names_tags_in_chinese_and_shows_a_real_footer(client, forms, section):
    client.force_login(section)

    page = client.get(reverse("campaigns:template_detail", args=[forms["统计表一"].pk])).content.decode()

    assert "<td>无菌、植入</td>" in page  # not the codes sterile、implant
    assert "{year}" not in page


def test_two_section_staff_edit_the_same_campaign(client, forms, section):
    colleague = UserFactory(unit=section.unit, role=Role.SECTION_STAFF)
    client.force_login(section)
    base = {"name": "无菌植入专项", "year": 2024, "start_date": "2024-01-01", "end_date": "2024-12-31",
            "due_dates_text": "2024-06-25"}
    client.post(reverse("campaigns:create"), base)
    campaign = Campaign.objects.get()
    url = reverse("campaigns:edit", args=[campaign.pk])
    assert client.get(url).context["form"].initial["version"] == 1
    other = Client()
    other.force_login(colleague)

    saved = other.post(url, {**base, "doc_number": "温市监械〔2024〕5号", "version": 1})
    stale = client.post(url, {**base, "description": "重点检查植入类", "version": 1})

    assert saved.status_code == 302
    assert stale.status_code == 200
    page = stale.content.decode()
    assert "文号：温市监械〔2024〕5号 → （空）" in page
    assert "重点检查植入类" in page
    campaign.refresh_from_db()
    assert (campaign.doc_number, campaign.description, campaign.version) == ("温市监械〔2024〕5号", "", 2)
