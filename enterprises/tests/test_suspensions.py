"""停产/复产 pages, export and API (enterprises.suspension_views, suspension_api): rules shown, scoping."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from enterprises.choices import EnterpriseStatus
from enterprises.models import ProductionSuspension
from enterprises.suspensions import suspension_record_rectification, suspension_start

from .factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def shop_a(district):
    return EnterpriseFactory(name="五马康宁医疗器械厂", subdistrict=district.sub_a, is_manufacturer=True)


@pytest.fixture
def shop_b(district):
    return EnterpriseFactory(name="藤桥安康医疗器械厂", subdistrict=district.sub_b, is_manufacturer=True)


def _ordered(enterprise, user, days_ago=10):
    return suspension_start(enterprise=enterprise, kind="ordered", started_on=TODAY - dt.timedelta(days=days_ago),
                            reason="监督抽检不合格", by=user)


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_start_from_the_enterprise_page_sets_the_status(client, district, shop_a):
    client.force_login(district.inspector_a)

    detail = client.get(reverse("enterprises:detail", args=[shop_a.pk]))
    response = client.post(reverse("enterprises:suspension_start", args=[shop_a.pk]), {
        "kind": "voluntary", "started_on": TODAY.isoformat(), "reason": "订单不足，自行停产"})

    suspension = ProductionSuspension.objects.get()
    assert "停产记录" in detail.content.decode() and "登记停产" in detail.content.decode()
    assert response.status_code == 302
    assert response["Location"] == reverse("enterprises:suspension_detail", args=[suspension.pk])
    shop_a.refresh_from_db()
    assert (suspension.kind, suspension.created_by, shop_a.status) == (
        "voluntary", district.inspector_a, EnterpriseStatus.PRODUCTION_STOPPED)


def test_resume_form_shows_the_refusal_then_resumes_after_rectification(client, district, shop_a):
    suspension = _ordered(shop_a, district.inspector_a)
    client.force_login(district.inspector_a)
    url = reverse("enterprises:suspension_resume", args=[suspension.pk])

    refused = client.post(url, {"resumed_on": TODAY.isoformat(), "version": suspension.version})
    suspension.refresh_from_db()
    assert refused.status_code == 200
    assert "责令停产整改尚未记录原因分析和整改情况，不能复产" in refused.content.decode()
    assert suspension.resumed_on is None

    saved = client.post(reverse("enterprises:suspension_rectify", args=[suspension.pk]), {
        "cause": "原材料供应商变更未验证", "rectification": "恢复原供应商并完成验证", "recorded_on": TODAY.isoformat(),
        "version": suspension.version})
    suspension.refresh_from_db()
    resumed = client.post(url, {"resumed_on": TODAY.isoformat(), "note": "整改完成", "version": suspension.version})

    suspension.refresh_from_db()
    shop_a.refresh_from_db()
    assert saved.status_code == resumed.status_code == 302
    assert (suspension.resumed_on, suspension.resume_note, shop_a.status) == (TODAY, "整改完成", EnterpriseStatus.ACTIVE)


def test_a_year_or_more_needs_the_written_report(client, district, shop_a):
    suspension = _ordered(shop_a, district.inspector_a, days_ago=400)
    suspension = suspension_record_rectification(suspension=suspension, cause="停产检修", rectification="检修完成",
                                                 by=district.inspector_a)
    client.force_login(district.inspector_a)
    url = reverse("enterprises:suspension_resume", args=[suspension.pk])

    refused = client.post(url, {"resumed_on": TODAY.isoformat(), "version": suspension.version})
    suspension.refresh_from_db()
    assert "连续停产一年以上，复产前须上传书面复产报告" in refused.content.decode()
    assert suspension.resumed_on is None
    bad_type = client.post(url, {"resumed_on": TODAY.isoformat(), "version": suspension.version,
                                 "resume_report": SimpleUploadedFile("报告.exe", b"MZ")})
    assert "复产报告只能是 PDF、Word 或图片文件" in bad_type.content.decode()

    ok = client.post(url, {"resumed_on": TODAY.isoformat(), "version": suspension.version,
                           "resume_report": SimpleUploadedFile("复产报告.pdf", b"%PDF-1.4 test")})

    suspension.refresh_from_db()
    assert ok.status_code == 302
    assert suspension.resumed_on == TODAY
    assert suspension.resume_report.name.endswith(".pdf")


def test_plain_status_form_cannot_end_an_ordered_suspension(client, district, shop_a):
    _ordered(shop_a, district.inspector_a)
    client.force_login(district.inspector_a)

    response = client.post(reverse("enterprises:status", args=[shop_a.pk]), {
        "to_status": EnterpriseStatus.ACTIVE, "effective_on": TODAY.isoformat(), "reason": "已恢复生产"})

    shop_a.refresh_from_db()
    assert response.status_code == 200
    assert "责令停产整改尚未记录原因分析和整改情况，不能复产" in response.content.decode()
    assert shop_a.status == EnterpriseStatus.PRODUCTION_STOPPED
    assert ProductionSuspension.objects.get().resumed_on is None


def test_list_open_first_filters_and_scoping(client, district, shop_a, shop_b):
    old = _ordered(shop_a, district.inspector_a, days_ago=100)
    old = suspension_record_rectification(suspension=old, cause="原因", rectification="整改", by=district.inspector_a)
    from enterprises.suspensions import production_resume

    production_resume(suspension=old, resumed_on=TODAY - dt.timedelta(days=50), by=district.inspector_a)
    open_a = _ordered(shop_a, district.inspector_a, days_ago=5)
    open_b = _ordered(shop_b, district.inspector_b, days_ago=20)

    client.force_login(district.section_user)
    everything = client.get(reverse("enterprises:suspension_list")).context["page"].object_list
    closed = client.get(reverse("enterprises:suspension_list"), {"state": "closed"}).context["page"].object_list
    of_b = client.get(reverse("enterprises:suspension_list"), {"unit": district.station_b.pk}).context["page"]
    client.force_login(district.inspector_a)
    own = client.get(reverse("enterprises:suspension_list")).context["page"].object_list
    foreign = client.get(reverse("enterprises:suspension_detail", args=[open_b.pk]))
    foreign_post = client.post(reverse("enterprises:suspension_resume", args=[open_b.pk]),
                               {"resumed_on": TODAY.isoformat(), "version": open_b.version})

    assert list(everything) == [open_a, open_b, old]
    assert list(closed) == [old]
    assert list(of_b.object_list) == [open_b]
    assert list(own) == [open_a, old]
    assert foreign.status_code == foreign_post.status_code == 404
    open_b.refresh_from_db()
    assert open_b.resumed_on is None


def test_export_is_a_download_centre_job_of_the_filtered_scoped_list(client, export_file, district, shop_a, shop_b):
    _ordered(shop_a, district.inspector_a)
    _ordered(shop_b, district.inspector_b)
    client.force_login(district.inspector_a)

    book = export_file(client, reverse("enterprises:suspension_export"), {"state": "open"})

    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:4] == ("企业名称", "统一社会信用代码", "监管单位", "停产类型")
    assert [(r[0], r[3], r[14]) for r in rows[1:]] == [("五马康宁医疗器械厂", "责令停产整改", "停产中")]


def test_api_start_rectify_resume_and_refusals_in_chinese(district, shop_a, shop_b):
    api = _api(district.inspector_a)

    started = api.post("/api/suspensions/", {"enterprise": shop_a.pk, "kind": "ordered",
                                             "started_on": TODAY.isoformat(), "reason": "抽检不合格"}, format="json")
    foreign = api.post("/api/suspensions/", {"enterprise": shop_b.pk, "kind": "ordered",
                                             "started_on": TODAY.isoformat(), "reason": "x"}, format="json")
    pk = started.json()["id"]
    refused = api.post(f"/api/suspensions/{pk}/resume/", {"resumed_on": TODAY.isoformat(), "version": 1},
                       format="json")
    rectified = api.post(f"/api/suspensions/{pk}/rectify/", {"cause": "原因", "rectification": "整改",
                                                             "version": 1}, format="json")
    resumed = api.post(f"/api/suspensions/{pk}/resume/", {"resumed_on": TODAY.isoformat(),
                                                          "version": rectified.json()["version"]}, format="json")

    assert started.status_code == 201
    assert foreign.status_code == 400
    assert "不存在或不在你的权限范围内" in str(foreign.json()["enterprise"])
    assert refused.status_code == 400
    assert refused.json() == {"resumed_on": ["责令停产整改尚未记录原因分析和整改情况，不能复产"]}
    assert rectified.status_code == resumed.status_code == 200
    assert resumed.json()["resumed_on"] == TODAY.isoformat()
    assert ProductionSuspension.objects.filter(enterprise=shop_b).count() == 0


def test_api_lists_only_the_units_suspensions(district, shop_a, shop_b):
    mine = _ordered(shop_a, district.inspector_a)
    theirs = _ordered(shop_b, district.inspector_b)

    own = _api(district.inspector_a).get("/api/suspensions/").json()["results"]
    every = _api(district.section_user).get("/api/suspensions/", {"state": "open"}).json()["results"]
    other = _api(district.inspector_a).post(f"/api/suspensions/{theirs.pk}/rectify/",
                                            {"cause": "x", "rectification": "y", "version": 1}, format="json")

    assert [s["id"] for s in own] == [mine.pk]
    assert sorted(s["id"] for s in every) == sorted([mine.pk, theirs.pk])
    assert other.status_code == 404
