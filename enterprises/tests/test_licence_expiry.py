"""Licence expiry everywhere (enterprises.duties.expiry): the flag on registry, plan items, inspection entry and
API; the renewal window counted by hand over 国庆 2026; the 待办; 停产 ownership and the 复产 follow-up."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from enterprises.choices import EnterpriseStatus, LicenceKind, LicenceStatus, OwnerRuleRole, OwnerTarget
from enterprises.duties.expiry import expiry_settings, renewal_window_q
from enterprises.duties.expiry_selectors import resumption_followups
from enterprises.duties.expiry_work import expiry_work
from enterprises.models import DutyYear, Licence, OwnershipRule, SuspensionKind
from enterprises.selectors import licences_expiring
from enterprises.suspensions import production_resume, suspension_start
from inspections.choices import InspectionKind, PlanKind
from inspections.models import InspectionPlan, PlanItem
from inspections.tests.factories import InspectionFactory
from inspections.work_sources import _SOURCES

from .factories import EnterpriseFactory, LicenceFactory

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def lapsed(district):
    """五马's 在营 pharmacy with a licence that expired last month; a 注销 one and a renewed one are no warning."""
    today = timezone.localdate()
    shop = EnterpriseFactory(name="五马康宁大药房", subdistrict=district.sub_a)
    LicenceFactory(enterprise=shop, kind=LicenceKind.OPERATION_LICENCE, number="浙温药监械经营许20210001号",
                   expires_on=today - dt.timedelta(days=30))
    closed = EnterpriseFactory(name="五马已注销药房", subdistrict=district.sub_a, status=EnterpriseStatus.CANCELLED)
    LicenceFactory(enterprise=closed, number="注销企业旧证", expires_on=today - dt.timedelta(days=30))
    fine = EnterpriseFactory(name="五马正常药房", subdistrict=district.sub_a)
    LicenceFactory(enterprise=fine, number="吊销旧证", expires_on=today - dt.timedelta(days=30),
                   status=LicenceStatus.REVOKED)
    LicenceFactory(enterprise=fine, number="有效新证", expires_on=today + dt.timedelta(days=400))
    return shop, closed, fine


def test_flag_on_registry_list_detail_and_api(client, district, lapsed):
    shop, closed, fine = lapsed
    client.force_login(district.inspector_a)

    rows = {e.name: e.expired_licence for e in client.get(reverse("enterprises:list")).context["page"].object_list}
    assert rows == {"五马康宁大药房": "第三类医疗器械经营许可证 浙温药监械经营许20210001号",
                    "五马已注销药房": None, "五马正常药房": None}
    detail = client.get(reverse("enterprises:detail", args=[shop.pk])).content.decode()
    assert "证照已过期" in detail and "浙温药监械经营许20210001号" in detail
    assert "证照已过期" not in client.get(reverse("enterprises:detail", args=[fine.pk])).content.decode()
    api = client.get(f"/api/enterprises/{shop.pk}/").json()
    assert api["expired_licence"]["label"] == "第三类医疗器械经营许可证 浙温药监械经营许20210001号"
    listed = {row["name"]: row["expired_licence"] for row in client.get("/api/enterprises/").json()["results"]}
    assert listed["五马正常药房"] is None and listed["五马康宁大药房"]["expires_on"]


def test_list_query_count_does_not_grow_with_flagged_rows(client, district, lapsed, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(district.section_user)
    client.get(reverse("enterprises:list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("enterprises:list"))
    for n in range(5):
        extra = EnterpriseFactory(subdistrict=district.sub_b)
        LicenceFactory(enterprise=extra, expires_on=timezone.localdate() - dt.timedelta(days=n + 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("enterprises:list")).context["page"]
    assert sum(1 for e in page.object_list if e.expired_licence) == 6


def test_flag_in_plan_item_and_inspection_entry(client, district, lapsed):
    shop, _closed, _fine = lapsed
    plan = InspectionPlan.objects.create(unit=district.station_a, year=timezone.localdate().year,
                                         kind=PlanKind.ROUTINE)
    item = PlanItem.objects.create(plan=plan, enterprise=shop, kind=InspectionKind.ROUTINE, target_month=3)
    client.force_login(district.inspector_a)

    page = client.get(reverse("planning:plan_detail", args=[plan.pk])).content.decode()
    row = page[page.index(f'id="item-{item.pk}"'):]
    assert "证照已过期" in row[:row.index("</tr>")]
    form = client.get(reverse("inspections:create"), {"plan_item": item.pk}).content.decode()
    warning = form[form.index('id="expired-licence-warning"') - 80:form.index('id="expired-licence-warning"')]
    assert "d-none" not in warning and "浙温药监械经营许20210001号" in form
    search = client.get(reverse("inspections:enterprise_search"), {"term": "五马"}).content.decode()
    assert 'data-expired="第三类医疗器械经营许可证 浙温药监械经营许20210001号' in search
    assert search.count("data-expired") == 1
    empty = client.get(reverse("inspections:quick")).content.decode()
    assert 'id="expired-licence-warning"' in empty  # hidden until an enterprise is picked


# --- the renewal window, by hand over 国庆 2026 (10/1–10/7 holiday, Saturday 10/10 worked) -----------------

@pytest.fixture
def short_window(db):
    """A 10 → 3 working-day window so that the count can be checked by hand."""
    DutyYear.objects.update_or_create(year=2026, defaults={
        "self_report_due": D(2026, 3, 31), "responsibility_due": D(2026, 3, 31),
        "renewal_window_start": 10, "renewal_window_end": 3})


def test_renewal_window_by_hand_across_the_national_day(district, short_window):
    # Expiry Monday 2026-10-12. Back 3 working days: Sat 10/10 (调休), Fri 10/9, Thu 10/8 → window ends 10/8.
    # Back 10: … 10/8, (10/1–10/7 holiday) 9/30, 9/29, 9/28, (9/27 holiday, 9/26 Sat, 9/25 中秋) 9/24, 9/23,
    # 9/22, 9/21 → window opens Monday 9/21.
    factory = EnterpriseFactory(name="鹿城医疗器械制造有限公司", subdistrict=district.sub_a, is_manufacturer=True)
    LicenceFactory(enterprise=factory, kind=LicenceKind.PRODUCTION_LICENCE, number="浙食药监械生产许20160001号",
                   expires_on=D(2026, 10, 12))
    LicenceFactory(enterprise=factory, kind=LicenceKind.OPERATION_FILING, number="浙温药监械经营备20260001号",
                   expires_on=D(2026, 10, 12))
    settings = expiry_settings(2026)
    assert (settings.window_start, settings.window_end) == (10, 3)

    def in_window(day):
        return list(Licence.objects.filter(renewal_window_q(day, settings)).values_list("number", flat=True))

    assert in_window(D(2026, 9, 18)) == []  # Friday before: not yet (9/20 is a worked Sunday)
    assert in_window(D(2026, 9, 21)) == ["浙食药监械生产许20160001号"]
    assert in_window(D(2026, 10, 8)) == ["浙食药监械生产许20160001号"]
    assert in_window(D(2026, 10, 9)) == []  # past the window: 即将到期 only
    renewal = licences_expiring(user=district.section_user, today=D(2026, 9, 21), state="renewal")
    assert [lic.number for lic in renewal] == ["浙食药监械生产许20160001号"]


def test_expiry_page_filters_and_shows_the_window(client, district, short_window, monkeypatch):
    factory = EnterpriseFactory(name="鹿城医疗器械制造有限公司", subdistrict=district.sub_a, is_manufacturer=True)
    LicenceFactory(enterprise=factory, kind=LicenceKind.PRODUCTION_LICENCE, number="浙食药监械生产许20160001号",
                   expires_on=D(2026, 10, 12))
    LicenceFactory(enterprise=factory, number="过期备案", expires_on=D(2026, 8, 1))
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: D(2026, 9, 21))
    client.force_login(district.section_user)

    page = client.get(reverse("enterprises:licences_expiring"))
    rows = {lic.number: (lic.state_label, lic.window_from, lic.window_to) for lic in page.context["page"]}
    assert rows == {"浙食药监械生产许20160001号": ("续证提醒期内", D(2026, 9, 21), D(2026, 10, 8)),
                    "过期备案": ("已过期", None, None)}
    assert "2026-09-21 至 2026-10-08" in page.content.decode()
    expired = client.get(reverse("enterprises:licences_expiring"), {"state": "expired"}).context["page"]
    assert [lic.number for lic in expired] == ["过期备案"]


# --- 待办 ----------------------------------------------------------------------------------------------

def test_work_items_for_the_owning_unit_only(district, lapsed, short_window):
    assert expiry_work in _SOURCES
    today = timezone.localdate()
    section = expiry_work(district.inspector_a, unit=district.station_a, personal=True, due_by=None, today=today)
    assert [i.title for i in section.items] == ["证照已过期仍在营 · 五马康宁大药房"]
    assert section.items[0].overdue
    assert expiry_work(district.inspector_b, unit=district.station_b, personal=True, due_by=None, today=today) is None
    # a 所 user asking for the other 所's list sees nothing of it (scoped by the user)
    assert expiry_work(district.inspector_b, unit=district.station_a, personal=False, due_by=None, today=today) is None


def test_renewal_reminder_in_the_work_list(district, short_window):
    factory = EnterpriseFactory(name="鹿城医疗器械制造有限公司", subdistrict=district.sub_a, is_manufacturer=True)
    LicenceFactory(enterprise=factory, kind=LicenceKind.PRODUCTION_LICENCE, number="浙食药监械生产许20160001号",
                   expires_on=D(2026, 10, 12))
    section = expiry_work(district.inspector_a, unit=district.station_a, personal=False, due_by=None,
                          today=D(2026, 9, 21))
    assert [(i.title, i.due_on) for i in section.items] == [("续证提醒 · 鹿城医疗器械制造有限公司", D(2026, 10, 8))]
    assert expiry_work(district.inspector_a, unit=district.station_a, personal=False, due_by=D(2026, 10, 7),
                       today=D(2026, 9, 21)) is None


# --- 停产: the 所 of the 街道 supervises; 复产 after ≥ 1 year proposes a follow-up inspection --------------

@pytest.fixture
def stopped_rule(district):
    OwnershipRule.objects.create(priority=5, role=OwnerRuleRole.STOPPED_MANUFACTURER,
                                 target=OwnerTarget.SUBDISTRICT_STATION)


def test_owning_unit_moves_to_the_station_while_stopped(district, stopped_rule):
    maker = EnterpriseFactory(name="鹿城精密器械有限公司", subdistrict=district.sub_a, is_operator=False,
                              is_manufacturer=True, owning_unit=district.section)
    today = timezone.localdate()

    suspension = suspension_start(enterprise=maker, kind=SuspensionKind.VOLUNTARY, started_on=today - dt.timedelta(days=30),
                                  reason="订单不足停产", by=district.section_user)
    maker.refresh_from_db()
    assert maker.status == EnterpriseStatus.PRODUCTION_STOPPED and maker.owning_unit == district.station_a

    production_resume(suspension=suspension, resumed_on=today, by=district.inspector_a)
    maker.refresh_from_db()
    assert maker.status == EnterpriseStatus.ACTIVE and maker.owning_unit == district.section


def test_a_shop_keeps_its_unit_and_an_override_is_respected(district, stopped_rule):
    maker = EnterpriseFactory(name="鹿城指定监管器械厂", subdistrict=district.sub_a, is_operator=False,
                              is_manufacturer=True, owning_unit=district.station_b,
                              owning_unit_override_reason="区局指定由藤桥所监管")
    suspension_start(enterprise=maker, kind=SuspensionKind.VOLUNTARY, started_on=timezone.localdate(),
                     reason="设备检修", by=district.section_user)
    maker.refresh_from_db()
    assert maker.owning_unit == district.station_b


def test_resumption_after_fourteen_months_proposes_a_follow_up(district, stopped_rule):
    maker = EnterpriseFactory(name="鹿城康复器材有限公司", subdistrict=district.sub_a, is_operator=False,
                              is_manufacturer=True, owning_unit=district.section)
    today = timezone.localdate()
    started = today - dt.timedelta(days=425)
    suspension = suspension_start(enterprise=maker, kind=SuspensionKind.VOLUNTARY, started_on=started,
                                  reason="厂房搬迁停产", by=district.section_user)
    short = EnterpriseFactory(name="鹿城短停器械厂", subdistrict=district.sub_a, is_operator=False,
                              is_manufacturer=True, owning_unit=district.section)
    brief = suspension_start(enterprise=short, kind=SuspensionKind.VOLUNTARY, started_on=today - dt.timedelta(days=60),
                             reason="检修", by=district.section_user)
    production_resume(suspension=brief, resumed_on=today, by=district.section_user)
    production_resume(suspension=suspension, resumed_on=today, by=district.section_user,
                      resume_report=SimpleUploadedFile("复产报告.pdf", b"%PDF-1.4 report"))

    assert [s.enterprise.name for s in resumption_followups(as_of=today)] == ["鹿城康复器材有限公司"]
    work = expiry_work(district.section_user, unit=district.section, personal=True, due_by=None, today=today)
    assert [i.title for i in work.items] == ["复产后跟踪检查 · 鹿城康复器材有限公司"]
    assert work.items[0].url == reverse("inspections:create") + f"?enterprise={maker.pk}"
    assert expiry_work(district.inspector_b, unit=district.station_b, personal=True, due_by=None, today=today) is None
    audit = expiry_work(district.auditor, unit=None, personal=False, due_by=None, today=today)
    assert audit.items[0].url == reverse("enterprises:detail", args=[maker.pk])  # read-only: no entry form

    InspectionFactory(enterprise=maker, unit=district.section, start_date=started + dt.timedelta(days=10))
    assert resumption_followups(as_of=today)  # an inspection during 停产 is no follow-up
    InspectionFactory(enterprise=maker, unit=district.section, start_date=today)
    assert resumption_followups(as_of=today) == []


def test_data_migration_puts_the_rule_in_front_of_manufacturers_and_moves_stopped_ones(district):
    import importlib

    from django.apps import apps as django_apps

    migration = importlib.import_module("enterprises.migrations.0017_expiry")
    stopped = EnterpriseFactory(name="鹿城已停产器械厂", subdistrict=district.sub_b, is_operator=False,
                                is_manufacturer=True, owning_unit=district.section,
                                status=EnterpriseStatus.PRODUCTION_STOPPED)
    running = EnterpriseFactory(name="鹿城在产器械厂", subdistrict=district.sub_b, is_operator=False,
                                is_manufacturer=True, owning_unit=district.section)
    manufacturer_rule = OwnershipRule.objects.get(role=OwnerRuleRole.MANUFACTURER)

    migration.add_stopped_manufacturer_rule(django_apps, None)
    migration.add_stopped_manufacturer_rule(django_apps, None)  # never twice

    rule = OwnershipRule.objects.get(role=OwnerRuleRole.STOPPED_MANUFACTURER)
    assert rule.priority == manufacturer_rule.priority - 1 and rule.target == OwnerTarget.SUBDISTRICT_STATION
    stopped.refresh_from_db()
    running.refresh_from_db()
    assert (stopped.owning_unit, running.owning_unit) == (district.station_b, district.section)
