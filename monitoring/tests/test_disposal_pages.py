"""The disposal page of a failed sample and the disposal API: actions, Chinese refusals, scoping."""

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from enterprises.models import ProductionSuspension
from enterprises.tests.factories import EnterpriseFactory
from inspections.models import Inspection
from monitoring.models import SampleControl
from monitoring.tests.factories import FailedSampleFactory, SampleControlFactory, SampleFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def maker(district):
    return EnterpriseFactory(
        name="温州康宁医疗器械有限公司",
        subdistrict=district.sub_a,
        is_manufacturer=True,
        is_operator=False,
        owning_unit=district.section,
    )


@pytest.fixture
def failed(district, maker):
    return FailedSampleFactory(
        enterprise=maker,
        unit=district.station_a,
        link="production",
        officers=[district.inspector_a, district.section_user],
    )


def _url(sample, action=None):
    if action:
        return reverse("monitoring:sample_disposal_action", args=[sample.pk, action])
    return reverse("monitoring:sample_disposal", args=[sample.pk])


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_page_actions_add_control_draft_suspension_and_case(client, district, failed):
    shop = EnterpriseFactory(name="藤桥康泰药店", subdistrict=district.sub_b)
    client.force_login(district.section_user)

    page = client.get(_url(failed))
    control = client.post(
        _url(failed, "control"),
        {
            "enterprise": shop.pk,
            "measure": "stop_sale",
            "done_on": TODAY.isoformat(),
            "quantity": "30支",
        },
    )
    draft = client.post(
        _url(failed, "inspection"),
        {
            "inspection-enterprise": failed.enterprise.pk,
            "inspection-kind": "for_cause",
            "inspection-start_date": TODAY.isoformat(),
        },
    )
    stop = client.post(
        _url(failed, "suspension"),
        {"suspension-enterprise": failed.enterprise.pk, "suspension-started_on": TODAY.isoformat()},
    )
    case = client.post(
        _url(failed, "case_open"),
        {
            "case_open-enterprise": failed.enterprise.pk,
            "case_open-procedure": "ordinary",
            "case_open-filed_on": TODAY.isoformat(),
        },
    )
    after = client.get(_url(failed))

    assert page.status_code == 200
    assert "相关经营企业、使用单位的控制措施" in page.content.decode()
    assert [r.status_code for r in (control, draft, stop, case)] == [302, 302, 302, 302]
    failed.refresh_from_db()
    assert SampleControl.objects.get().enterprise == shop
    assert failed.follow_up_inspection.kind == "for_cause"
    assert failed.suspension.kind == "ordered"
    assert failed.case.enterprise == failed.enterprise
    body = after.content.decode()
    assert "藤桥康泰药店" in body and failed.case.number in body
    assert 'id="rectify-form"' in body and 'id="resume-form"' in body


def test_resume_on_the_page_shows_the_foundations_refusal(client, district, failed):
    client.force_login(district.section_user)
    client.post(
        _url(failed, "suspension"),
        {"suspension-enterprise": failed.enterprise.pk, "suspension-started_on": TODAY.isoformat()},
    )
    failed.refresh_from_db()

    refused = client.post(
        _url(failed, "resume"),
        {"resume-resumed_on": TODAY.isoformat(), "resume-version": failed.suspension.version},
    )
    recorded = client.post(
        _url(failed, "rectify"),
        {
            "rectify-cause": "灭菌参数偏离",
            "rectify-rectification": "重新验证灭菌工艺",
            "rectify-recorded_on": TODAY.isoformat(),
            "rectify-version": failed.suspension.version,
        },
    )
    failed.suspension.refresh_from_db()
    resumed = client.post(
        _url(failed, "resume"),
        {"resume-resumed_on": TODAY.isoformat(), "resume-version": failed.suspension.version},
    )

    assert refused.status_code == 200
    assert "责令停产整改尚未记录原因分析和整改情况，不能复产" in refused.content.decode()
    assert recorded.status_code == resumed.status_code == 302
    failed.suspension.refresh_from_db()
    assert failed.suspension.resumed_on == TODAY


def test_station_form_refuses_another_units_enterprise_and_changes_nothing(client, district):
    own = EnterpriseFactory(subdistrict=district.sub_a)
    other = EnterpriseFactory(subdistrict=district.sub_b)
    sample = FailedSampleFactory(enterprise=own, unit=district.station_a)
    client.force_login(district.inspector_a)

    response = client.post(
        _url(sample, "control"),
        {"enterprise": other.pk, "measure": "seal", "done_on": TODAY.isoformat()},
    )

    assert response.status_code == 200
    assert response.context["control_form"].errors["enterprise"]
    assert not SampleControl.objects.exists()


def test_other_unit_reaches_neither_page_nor_actions(client, district):
    sample = FailedSampleFactory(
        enterprise=EnterpriseFactory(subdistrict=district.sub_a), unit=district.station_a
    )
    control = SampleControlFactory(sample=sample)
    client.force_login(district.inspector_b)

    responses = [
        client.get(_url(sample)),
        client.post(_url(sample, "control"), {}),
        client.post(reverse("monitoring:sample_control_delete", args=[control.pk])),
    ]
    client.force_login(district.auditor)
    auditor = [
        client.get(_url(sample)).status_code,
        client.post(_url(sample, "note"), {"note-note": "x"}).status_code,
    ]

    assert [r.status_code for r in responses] == [404, 404, 404]
    assert auditor == [200, 403]
    assert SampleControl.objects.count() == 1


def test_page_of_a_passed_sample_offers_no_disposal(client, district, maker):
    sample = SampleFactory(enterprise=maker, unit=district.station_a, conclusion="passed")
    client.force_login(district.section_user)

    response = client.get(_url(sample))
    action = client.post(
        _url(sample, "inspection"),
        {
            "inspection-enterprise": maker.pk,
            "inspection-kind": "for_cause",
            "inspection-start_date": TODAY.isoformat(),
        },
        follow=True,
    )

    assert "该样品检验结论不是不合格，无需不合格处置" in response.content.decode()
    assert 'id="control_form"' not in response.content.decode()
    assert "该样品检验结论不是不合格，不能进行不合格处置" in action.content.decode()
    assert not Inspection.objects.exists()


def test_panel_include_shows_the_disposal_state(district, failed):
    SampleControlFactory(sample=failed)

    html = render_to_string("monitoring/sampling/_disposal_panel.html", {"sample": failed})
    passed = render_to_string(
        "monitoring/sampling/_disposal_panel.html",
        {"sample": SampleFactory(enterprise=failed.enterprise, conclusion="passed")},
    )

    assert "控制措施：1 项" in html
    assert reverse("monitoring:sample_disposal", args=[failed.pk]) in html
    assert passed.strip() == ""


def test_api_actions_and_chinese_400s(district, failed):
    api = _api(district.section_user)
    shop = EnterpriseFactory(subdistrict=district.sub_b)
    passed = SampleFactory(enterprise=failed.enterprise, unit=district.station_a, conclusion="passed")

    control = api.post(
        "/api/sample-controls/",
        {"sample": failed.pk, "enterprise": shop.pk, "measure": "recall", "done_on": TODAY.isoformat()},
        format="json",
    )
    on_passed = api.post(
        "/api/sample-controls/",
        {"sample": passed.pk, "enterprise": shop.pk, "measure": "recall", "done_on": TODAY.isoformat()},
        format="json",
    )
    draft = api.post(
        f"/api/sample-disposals/{failed.pk}/inspection/",
        {"enterprise": failed.enterprise.pk, "kind": "for_cause", "start_date": TODAY.isoformat()},
        format="json",
    )
    again = api.post(
        f"/api/sample-disposals/{failed.pk}/inspection/",
        {"enterprise": failed.enterprise.pk, "kind": "for_cause", "start_date": TODAY.isoformat()},
        format="json",
    )
    stop = api.post(
        f"/api/sample-disposals/{failed.pk}/suspension/",
        {"enterprise": failed.enterprise.pk, "started_on": TODAY.isoformat()},
        format="json",
    )
    future = api.post(
        f"/api/sample-disposals/{failed.pk}/case-open/",
        {"enterprise": failed.enterprise.pk, "filed_on": (TODAY + dt.timedelta(days=3)).isoformat()},
        format="json",
    )
    passed_detail = api.get(f"/api/sample-disposals/{passed.pk}/")

    assert control.status_code == 201
    assert on_passed.status_code == 400
    assert on_passed.json() == {"non_field_errors": ["该样品检验结论不是不合格，不能进行不合格处置"]}
    assert draft.status_code == 200
    assert draft.json()["follow_up_inspection"] == Inspection.objects.get().pk
    assert again.status_code == 400 and again.json() == {"non_field_errors": ["本样品已关联有因/体系检查"]}
    assert stop.status_code == 200
    assert stop.json()["suspension"] == ProductionSuspension.objects.get().pk
    assert future.status_code == 400 and future.json() == {"filed_on": ["立案日期不能晚于今天"]}
    assert passed_detail.status_code == 404  # the collection holds failed samples only
    assert [c["measure_display"] for c in stop.json()["controls"]] == ["督促召回"]


def test_api_scoping_of_controls_and_disposals(district):
    own = FailedSampleFactory(
        enterprise=EnterpriseFactory(subdistrict=district.sub_a), unit=district.station_a
    )
    theirs = FailedSampleFactory(
        enterprise=EnterpriseFactory(subdistrict=district.sub_b), unit=district.station_b
    )
    theirs_control = SampleControlFactory(sample=theirs)
    api = _api(district.inspector_a)

    listed = [s["id"] for s in api.get("/api/sample-disposals/").json()["results"]]
    controls = api.get("/api/sample-controls/").json()["results"]
    foreign_control = api.post(
        "/api/sample-controls/",
        {
            "sample": theirs.pk,
            "enterprise": own.enterprise.pk,
            "measure": "seal",
            "done_on": TODAY.isoformat(),
        },
        format="json",
    )
    foreign_action = api.post(f"/api/sample-disposals/{theirs.pk}/strict-check/", {}, format="json")
    delete = api.delete(f"/api/sample-controls/{theirs_control.pk}/")

    assert listed == [own.pk]
    assert controls == []
    assert foreign_control.status_code == 400 and list(foreign_control.json()) == ["sample"]
    assert foreign_action.status_code == delete.status_code == 404
    assert SampleControl.objects.count() == 1
