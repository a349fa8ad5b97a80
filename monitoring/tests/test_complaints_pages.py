"""Complaint pages, API and export: what each user sees and may change (a 所 never reaches another 所's
records), errors in Chinese with nothing changed, the export filtered as the page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from enterprises.tests.factories import EnterpriseFactory
from monitoring.choices import ComplaintKind
from monitoring.models import Complaint

from .factories import ComplaintFactory

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def records(district):
    """One record of each 所 (about its own shop) and one of the 药械科 about an online shop."""
    shop_a = EnterpriseFactory(name="五马大药房", subdistrict=district.sub_a)
    shop_b = EnterpriseFactory(name="藤桥眼镜店", subdistrict=district.sub_b)
    return {
        "a": ComplaintFactory(enterprise=shop_a, product="电子血压计", received_on=D(2024, 5, 6)),
        "b": ComplaintFactory(enterprise=shop_b, product="彩色隐形眼镜", received_on=D(2024, 6, 2),
                              substantiated=True, handling="属实，已责令改正", handled_on=D(2024, 6, 20)),
        "section": ComplaintFactory(kind=ComplaintKind.OPINION, enterprise=None, subject_name="某网店",
                                    unit=district.section, received_on=D(2024, 6, 9), product="制氧机"),
        "shop_a": shop_a, "shop_b": shop_b,
    }


def _rows():
    return sorted(Complaint.objects.values_list())


def _form(**overrides):
    data = {"kind": "complaint", "received_on": "2024-07-01", "source": "12315平台", "summary": "反映退货难",
            "subject_name": "", "product": "家用雾化器", "handling": "", "substantiated": "", "handled_on": ""}
    data.update(overrides)
    return data


# ---------------------------------------------------------------- pages


def test_station_list_shows_its_own_records_only(client, district, records):
    client.force_login(district.inspector_a)

    response = client.get(reverse("monitoring:complaint_list"))

    assert [c.pk for c in response.context["objects"]] == [records["a"].pk]
    assert response.context["counts"] == {"total": 1, "complaints": 1, "opinions": 0, "substantiated": 0, "open": 1}


def test_section_list_filters(client, district, records):
    client.force_login(district.section_user)
    url = reverse("monitoring:complaint_list")

    def pks(**params):
        return [c.pk for c in client.get(url, params).context["objects"]]

    assert pks() == [records["section"].pk, records["b"].pk, records["a"].pk]
    assert pks(kind="opinion") == [records["section"].pk]
    assert pks(unit=district.station_b.pk) == [records["b"].pk]
    assert pks(received_from="2024-06-01", received_to="2024-06-05") == [records["b"].pk]
    assert pks(substantiated="true") == [records["b"].pk]
    assert pks(substantiated="unknown") == [records["section"].pk, records["a"].pk]
    assert pks(open="false") == [records["b"].pk]
    assert pks(open="true") == [records["section"].pk, records["a"].pk]
    assert pks(enterprise=records["shop_a"].pk) == [records["a"].pk]
    assert pks(q="眼镜") == [records["b"].pk]
    assert pks(received_from="not-a-date") == []


def test_station_cannot_reach_another_stations_record(client, district, records):
    client.force_login(district.inspector_a)
    other = records["b"]
    before = _rows()

    responses = [
        client.get(reverse("monitoring:complaint_detail", args=[other.pk])),
        client.get(reverse("monitoring:complaint_edit", args=[other.pk])),
        client.post(reverse("monitoring:complaint_edit", args=[other.pk]), _form(version=other.version)),
        client.post(reverse("monitoring:complaint_delete", args=[other.pk])),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    assert _rows() == before


def test_station_sees_a_section_record_about_its_enterprise_read_only(client, district, records):
    record = ComplaintFactory(enterprise=records["shop_a"], unit=district.section)
    client.force_login(district.inspector_a)

    detail = client.get(reverse("monitoring:complaint_detail", args=[record.pk]))
    edit = client.get(reverse("monitoring:complaint_edit", args=[record.pk]))

    assert detail.status_code == 200 and detail.context["editable"] is False
    assert edit.status_code == 403


def test_station_enters_a_complaint(client, district, records):
    client.force_login(district.inspector_a)

    response = client.post(reverse("monitoring:complaint_create"), _form(enterprise=records["shop_a"].pk))

    complaint = Complaint.objects.latest("pk")
    assert response.status_code == 302
    assert response["Location"] == reverse("monitoring:complaint_detail", args=[complaint.pk])
    assert (complaint.unit, complaint.enterprise, complaint.subject_name, complaint.created_by) == (
        district.station_a, records["shop_a"], "五马大药房", district.inspector_a)
    detail = client.get(response["Location"])
    assert "新增" in detail.content.decode()


def test_station_form_refuses_another_stations_enterprise_and_unit(client, district, records):
    client.force_login(district.inspector_a)
    before = _rows()

    response = client.post(reverse("monitoring:complaint_create"), _form(
        enterprise=records["shop_b"].pk, unit=district.station_b.pk))

    assert response.status_code == 200
    assert response.context["form"].errors["enterprise"] == ["该企业不在你的监管范围内"]
    assert "unit" not in response.context["form"].fields
    assert _rows() == before


def test_form_errors_are_chinese_and_nothing_is_saved(client, district, records):
    client.force_login(district.inspector_a)
    before = _rows()

    response = client.post(reverse("monitoring:complaint_create"), _form(
        source="", product="", handled_on="2024-07-05", substantiated="true"))

    errors = response.context["form"].errors
    assert errors["source"] == ["该字段是必填项。"]
    assert _rows() == before
    again = client.post(reverse("monitoring:complaint_create"), _form(handled_on="2024-07-05"))
    assert again.context["form"].errors["handling"] == ["办结时请填写处理情况"]
    assert _rows() == before


def test_station_closes_its_record_and_a_stale_edit_is_refused(client, district, records):
    client.force_login(district.inspector_a)
    record = records["a"]
    url = reverse("monitoring:complaint_edit", args=[record.pk])
    data = _form(enterprise=record.enterprise_id, received_on="2024-05-06", handling="调解退货",
                 substantiated="false", handled_on="2024-05-20", version=record.version)

    saved = client.post(url, data)
    stale = client.post(url, {**data, "handling": "再改"})

    assert saved.status_code == 302
    record.refresh_from_db()
    assert (record.handling, record.substantiated, record.handled_on, record.version) == (
        "调解退货", False, D(2024, 5, 20), 2)
    assert stale.status_code == 200 and "你的修改未保存" in stale.content.decode()
    history = client.get(reverse("monitoring:complaint_detail", args=[record.pk])).context["history"]
    assert history[0].changes


def test_section_deletes_a_record(client, district, records):
    client.force_login(district.section_user)

    response = client.post(reverse("monitoring:complaint_delete", args=[records["b"].pk]))

    assert response.status_code == 302
    assert not Complaint.objects.filter(pk=records["b"].pk).exists()


def test_auditor_reads_but_cannot_write(client, district, records):
    client.force_login(district.auditor)
    before = _rows()

    listed = client.get(reverse("monitoring:complaint_list"))
    create = client.post(reverse("monitoring:complaint_create"), _form(subject_name="某网店"))
    delete = client.post(reverse("monitoring:complaint_delete", args=[records["a"].pk]))

    assert listed.context["total"] == 3
    assert (create.status_code, delete.status_code) == (403, 403)
    assert _rows() == before


# ---------------------------------------------------------------- export


def test_export_is_scoped_and_filtered(client, district, records, export_file):
    client.force_login(district.inspector_b)

    book = export_file(client, reverse("monitoring:complaint_export"), {"substantiated": "true"})

    sheet = book.active
    rows = list(sheet.values)
    assert rows[0][:3] == ("类别", "受理/发现日期", "来源渠道")
    assert [r[4] for r in rows[1:]] == ["藤桥眼镜店"]
    assert rows[1][11:] == ("属实", "2024-06-20")


def test_export_for_the_section_holds_all(client, district, records, export_file):
    client.force_login(district.section_user)

    book = export_file(client, reverse("monitoring:complaint_export"))

    rows = list(book.active.values)[1:]
    assert sorted(r[0] for r in rows) == ["投诉举报", "投诉举报", "舆情"]
    assert [r[12] for r in rows if r[0] == "舆情"] == ["办理中"]


# ---------------------------------------------------------------- API


def _api(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_api_lists_scoped(district, records):
    mine = _api(district.inspector_a).get("/api/complaints/").json()
    everything = _api(district.section_user).get("/api/complaints/", {"kind": "opinion"}).json()

    assert [r["id"] for r in mine["results"]] == [records["a"].pk]
    assert [r["id"] for r in everything["results"]] == [records["section"].pk]
    detail = _api(district.section_user).get(f"/api/complaints/{records['b'].pk}/")
    assert (detail.status_code, detail.json()["enterprise_name"], detail.json()["substantiated"]) == (
        200, "藤桥眼镜店", True)


def test_api_station_cannot_reach_another_stations_record(district, records):
    api = _api(district.inspector_a)
    other = records["b"]
    before = _rows()

    codes = [api.get(f"/api/complaints/{other.pk}/").status_code,
             api.patch(f"/api/complaints/{other.pk}/", {"handling": "x", "version": other.version},
                       format="json").status_code,
             api.delete(f"/api/complaints/{other.pk}/").status_code]
    created = api.post("/api/complaints/", {"kind": "complaint", "received_on": "2024-07-01", "source": "来电",
                                             "summary": "x", "enterprise": records["shop_b"].pk}, format="json")
    to_other_unit = api.post("/api/complaints/", {"kind": "complaint", "received_on": "2024-07-01", "source": "来电",
                                                   "summary": "x", "subject_name": "某店",
                                                   "unit": district.station_b.pk}, format="json")

    assert codes == [404, 404, 404]
    assert created.status_code == 400
    assert "不存在或不在你的权限范围内" in created.json()["enterprise"][0]
    assert to_other_unit.status_code == 400
    assert _rows() == before


def test_api_create_update_and_delete(district, records):
    api = _api(district.inspector_a)

    created = api.post("/api/complaints/", {"kind": "opinion", "received_on": "2024-07-01", "source": "微信公众号",
                                             "summary": "称某药房出售过期血糖试纸", "enterprise": records["shop_a"].pk},
                       format="json")
    pk = created.json()["id"]
    bad = api.patch(f"/api/complaints/{pk}/", {"handled_on": "2024-07-02", "version": 1}, format="json")
    no_version = api.patch(f"/api/complaints/{pk}/", {"handling": "x"}, format="json")
    done = api.patch(f"/api/complaints/{pk}/", {"handling": "经核查为谣言", "substantiated": False,
                                                "handled_on": "2024-07-03", "version": 1}, format="json")
    stale = api.patch(f"/api/complaints/{pk}/", {"handling": "再改", "version": 1}, format="json")

    assert created.status_code == 201
    assert created.json()["unit"] == district.station_a.pk
    assert created.json()["subject_name"] == "五马大药房"
    assert bad.status_code == 400 and bad.json() == {"handling": ["办结时请填写处理情况"]}
    assert no_version.status_code == 400 and "version" in no_version.json()
    assert done.status_code == 200
    assert (done.json()["substantiated"], done.json()["handled_on"], done.json()["version"]) == (False, "2024-07-03", 2)
    assert stale.status_code == 409
    assert api.delete(f"/api/complaints/{pk}/").status_code == 204
    assert not Complaint.objects.filter(pk=pk).exists()


def test_api_bad_payload_is_a_chinese_400(district):
    response = _api(district.section_user).post("/api/complaints/", {"kind": "x", "received_on": "昨天"},
                                                 format="json")

    assert response.status_code == 400
    body = response.json()
    assert set(body) >= {"kind", "received_on", "source", "summary"}
    assert Complaint.objects.count() == 0


def test_api_auditor_is_read_only(district, records):
    api = _api(district.auditor)

    assert api.get("/api/complaints/").json()["count"] == 3
    assert api.post("/api/complaints/", {}, format="json").status_code == 403
    assert api.delete(f"/api/complaints/{records['a'].pk}/").status_code == 403
