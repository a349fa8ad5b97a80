import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from enterprises.choices import Role, UnitKind
from enterprises.tests.factories import LicenceFactory, UnitFactory, UserFactory
from inspections import services
from inspections.choices import CaseStatus, InspectionKind, InspectionStatus, ReferralTarget
from inspections.models import Attachment, Case, Inspection, Rectification
from inspections.reference import load_reference

from .factories import (
    CaseFactory,
    FindingFactory,
    InspectionFactory,
    RectificationFactory,
    station_with_staff,
)

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def two_stations():
    """Two 所, each with an enterprise, two inspectors and a finalised inspection with outcomes."""
    data = {}
    for key in ("mine", "other"):
        unit, enterprise, (a, b) = station_with_staff()
        inspection = InspectionFactory(enterprise=enterprise, officers=[a, b], start_date=dt.date(2024, 3, 5),
                                       status=InspectionStatus.FINALISED)
        FindingFactory(inspection=inspection)
        rect = RectificationFactory(inspection=inspection, deadline=dt.date(2024, 4, 5))
        case = CaseFactory(enterprise=enterprise, source_inspection=inspection)
        services.referral_create(enterprise=enterprise, case=case, target=ReferralTarget.POLICE,
                                 referred_on=dt.date(2024, 6, 2), by=a)
        services.interview_create(enterprise=enterprise, held_on=dt.date(2024, 3, 6), persons="张三", by=a)
        attachment = services.attachments_add(
            inspection=inspection, files=[SimpleUploadedFile("p.png", PNG)], kind="evidence", by=a)[0]
        data[key] = {"unit": unit, "enterprise": enterprise, "user": a, "inspection": inspection, "rect": rect,
                     "case": case, "attachment": attachment, "name": enterprise.name}
    return data


LIST_PAGES = ["inspections:list", "inspections:case_list", "inspections:rectification_list",
              "inspections:interview_list", "inspections:referral_list", "inspections:todo", "inspections:unit_list"]


@pytest.mark.parametrize("name", LIST_PAGES)
def test_list_pages_show_only_own_unit(client, two_stations, name):
    client.force_login(two_stations["mine"]["user"])

    response = client.get(reverse(name))

    assert response.status_code == 200
    html = response.content.decode()
    assert two_stations["other"]["name"] not in html


@pytest.mark.parametrize("name", ["inspections:list", "inspections:case_list", "inspections:rectification_list",
                                  "inspections:interview_list", "inspections:referral_list"])
def test_list_pages_show_own_records(client, two_stations, name):
    client.force_login(two_stations["mine"]["user"])

    html = client.get(reverse(name)).content.decode()

    assert two_stations["mine"]["name"] in html or two_stations["mine"]["case"].number in html


def _detail_urls(d):
    return [
        reverse("inspections:detail", args=[d["inspection"].pk]),
        reverse("inspections:edit", args=[d["inspection"].pk]),
        reverse("inspections:checklist", args=[d["inspection"].pk]),
        reverse("inspections:amend", args=[d["inspection"].pk]),
        reverse("inspections:rectification", args=[d["inspection"].pk]),
        reverse("inspections:interview_create", args=[d["inspection"].pk]),
        reverse("inspections:rectification_complete", args=[d["rect"].pk]),
        reverse("inspections:attachment", args=[d["attachment"].pk]),
        reverse("inspections:case_detail", args=[d["case"].pk]),
        reverse("inspections:case_edit", args=[d["case"].pk]),
        reverse("inspections:case_decide", args=[d["case"].pk]),
        reverse("inspections:referral_create") + f"?case={d['case'].pk}",
        reverse("inspections:case_create") + f"?inspection={d['inspection'].pk}",
    ]


def test_other_station_records_are_not_found(client, two_stations):
    client.force_login(two_stations["mine"]["user"])

    statuses = {url: client.get(url).status_code for url in _detail_urls(two_stations["other"])}

    assert set(statuses.values()) == {404}, statuses


def test_own_records_open(client, two_stations):
    client.force_login(two_stations["mine"]["user"])
    d = two_stations["mine"]
    urls = _detail_urls(d)
    locked = [reverse(name, args=[d["inspection"].pk]) for name in ("inspections:edit", "inspections:checklist")]
    chief_only = reverse("inspections:amend", args=[d["inspection"].pk])
    urls = [u for u in urls if u not in locked and u != chief_only]

    statuses = {url: client.get(url).status_code for url in urls}

    assert set(statuses.values()) == {200}, statuses
    assert [client.get(u).status_code for u in locked] == [302, 302]  # locked: back to the detail page
    assert client.get(chief_only).status_code == 403


def test_posts_to_other_station_records_change_nothing(client, two_stations):
    client.force_login(two_stations["mine"]["user"])
    other = two_stations["other"]
    pk, case_pk = other["inspection"].pk, other["case"].pk

    responses = [
        client.post(reverse("inspections:finalise", args=[pk])),
        client.post(reverse("inspections:provincial_entry", args=[pk]), {"entered_on": "2024-03-20"}),
        client.post(reverse("inspections:rectification", args=[pk]),
                    {"ordered_on": "2024-03-05", "deadline": "2024-05-01", "requirements": "x"}),
        client.post(reverse("inspections:case_advance", args=[case_pk]),
                    {"to_status": "investigating", "on_date": "2024-06-03"}),
        client.post(reverse("inspections:attachment_delete", args=[other["attachment"].pk])),
    ]

    finding = other["inspection"].findings.first()
    responses += [
        client.post(reverse("inspections:finding_add", args=[pk]), {"severity": "serious", "text": "x"}),
        client.post(reverse("inspections:finding_delete", args=[pk, finding.pk])),
        client.post(reverse("inspections:attachments_upload", args=[pk]),
                    {"kind": "evidence", "files": [SimpleUploadedFile("x.png", PNG)]}),
        client.post(reverse("inspections:checklist", args=[pk]), {}),
        client.post(reverse("inspections:interview_create", args=[pk]), {"held_on": "2024-03-07", "persons": "x"}),
        client.post(reverse("inspections:rectification_complete", args=[other["rect"].pk]),
                    {"completed_on": "2024-04-01", "evidence": "x"}),
        client.post(reverse("inspections:case_edit", args=[case_pk]),
                    {"procedure": "simple", "filed_on": "2024-06-01", "violation": "改"}),
        client.post(reverse("inspections:case_decide", args=[case_pk]), {"decided_on": "2024-06-05"}),
        client.post(reverse("inspections:referral_delete", args=[other["case"].referrals.first().pk])),
        client.post(reverse("inspections:referral_create") + f"?case={case_pk}",
                    {"target": "health", "referred_on": "2024-06-05"}),
    ]

    assert [r.status_code for r in responses] == [404] * 15
    assert other["inspection"].findings.count() == 1
    assert other["inspection"].attachments.count() == 1
    assert other["case"].referrals.count() == 1
    assert Case.objects.get(pk=case_pk).violation == "经营未取得注册证的第二类医疗器械"
    other["inspection"].refresh_from_db()
    assert other["inspection"].provincial_entry_date is None
    assert Case.objects.get(pk=case_pk).status == CaseStatus.FILED
    assert Rectification.objects.get(pk=other["rect"].pk).deadline == dt.date(2024, 4, 5)
    assert Attachment.objects.filter(pk=other["attachment"].pk).exists()


def test_enterprise_search_is_scoped(client, two_stations):
    client.force_login(two_stations["mine"]["user"])

    html = client.get(reverse("inspections:enterprise_search"), {"term": "温州测试"}).content.decode()

    assert two_stations["mine"]["name"] in html
    assert two_stations["other"]["name"] not in html


def test_inspection_export_matches_filtered_list(client, two_stations, export_file):
    d = two_stations["mine"]
    InspectionFactory(enterprise=d["enterprise"], kind=InspectionKind.FLIGHT, start_date=dt.date(2024, 8, 1),
                      conclusion="non_compliant")
    client.force_login(d["user"])

    sheet = export_file(client, reverse("inspections:export"), {"kind": "flight"}).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("检查日期", "被检查企业", "统一社会信用代码", "检查单位", "检查类型")
    assert len(rows) == 2
    assert rows[1][0] == "2024-08-01" and rows[1][1] == d["name"] and rows[1][4] == "飞行检查"
    assert rows[1][8] == "不符合"
    assert rows[0][-1] == "检查人员" and rows[1][-1] is None  # this one was entered without officers


def test_inspection_export_is_scoped_and_overdue_filter(client, two_stations, export_file):
    client.force_login(two_stations["mine"]["user"])

    book = export_file(client, reverse("inspections:export"), {"overdue": "rectification"})

    rows = list(book.active.iter_rows(values_only=True))
    assert [r[1] for r in rows[1:]] == [two_stations["mine"]["name"]]
    assert rows[1][9] == "逾期（期限2024-04-05）"
    officers = two_stations["mine"]["inspection"].officers.order_by("id")
    assert sorted(rows[1][-1].split("、")) == sorted(f"{o.name}（{o.cert_no}）" for o in officers)


def test_case_export(client, two_stations, export_file):
    d = two_stations["mine"]
    licence = LicenceFactory(enterprise=d["enterprise"])
    case = d["case"]
    services.case_advance(case=case, to_status="investigating", on_date=dt.date(2024, 6, 2), by=d["user"])
    services.case_advance(case=case, to_status="notified", on_date=dt.date(2024, 6, 3), by=d["user"])
    services.case_decide(case=case, decided_on=dt.date(2024, 6, 10), fine_amount=12345, confiscation_amount=55,
                         revoked_licence=licence, persons=[services.PenalisedPersonInput(name="王五", fine_amount=20000)],
                         by=d["user"])
    client.force_login(d["user"])

    book = export_file(client, reverse("inspections:case_export"), {"status": "decided"})

    rows = list(book.active.iter_rows(values_only=True))
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["案件编号"] == case.number
    assert row["罚款（元）"] == 12345
    assert row["没收（元）"] == 55
    assert row["处罚责任人"] == "王五"
    assert row["责任人罚款（元）"] == 20000
    assert row["吊销许可证"] == str(licence)


@pytest.mark.parametrize("name", ["inspections:export", "inspections:case_export", "inspections:rectification_export",
                                  "inspections:interview_export", "inspections:referral_export"])
def test_every_export_leaves_out_other_station(client, two_stations, name, export_file):
    client.force_login(two_stations["mine"]["user"])

    book = export_file(client, reverse(name))

    rows = list(book.active.iter_rows(values_only=True))
    text = repr(rows)
    assert len(rows) == 2
    assert export_file.last_job.unit == two_stations["mine"]["user"].unit
    assert two_stations["other"]["name"] not in text
    assert two_stations["other"]["case"].number not in text


def test_quick_entry_creates_inspection_finding_rectification_and_follow_up(client):
    load_reference()
    unit, enterprise, (a, b) = station_with_staff()
    client.force_login(a)

    response = client.post(reverse("inspections:quick"), {
        "others-TOTAL_FORMS": "0", "others-INITIAL_FORMS": "0",
        "enterprise": enterprise.pk, "kind": "routine", "start_date": "2024-05-10", "officers": [a.pk, b.pk],
        "conclusion": "basically", "finding_severity": "general", "finding_text": "温湿度记录缺失",
        "order_rectification": "on", "rectification_deadline": "2024-06-10",
        "rectification_requirements": "补齐温湿度记录", "finalise": "on",
    })

    inspection = Inspection.objects.get(kind="routine")
    assert response.status_code == 302
    assert response["Location"] == reverse("inspections:detail", args=[inspection.pk])
    assert inspection.status == InspectionStatus.FINALISED
    assert inspection.staff_count == 2
    assert inspection.checklist.code == "gsp-routine"
    assert list(inspection.findings.values_list("text", flat=True)) == ["温湿度记录缺失"]
    assert inspection.rectification.follow_up.start_date == dt.date(2024, 6, 10)


def test_quick_entry_with_one_officer_and_finalise_shows_error_and_saves_nothing(client):
    unit, enterprise, (a,) = station_with_staff(1)
    client.force_login(a)

    response = client.post(reverse("inspections:quick"), {
        "others-TOTAL_FORMS": "0", "others-INITIAL_FORMS": "0",
        "enterprise": enterprise.pk, "kind": "routine", "start_date": "2024-05-10", "officers": [a.pk],
        "conclusion": "compliant", "finalise": "on",
    })

    assert response.status_code == 200
    assert "现场检查须有两名以上执法人员（当前 1 名）" in response.content.decode()
    assert Inspection.objects.count() == 0


def test_quick_entry_for_other_station_enterprise_refused(client, two_stations):
    client.force_login(two_stations["mine"]["user"])
    before = Inspection.objects.count()

    response = client.post(reverse("inspections:quick"), {
        "others-TOTAL_FORMS": "0", "others-INITIAL_FORMS": "0",
        "enterprise": two_stations["other"]["enterprise"].pk, "kind": "routine", "start_date": "2024-05-10",
        "officers": [two_stations["mine"]["user"].pk], "conclusion": "compliant",
    })

    assert response.status_code == 200
    assert "该企业不在你的监管范围内" in response.content.decode()
    assert Inspection.objects.count() == before


def test_amend_page_for_chief_and_refused_for_inspector(client, two_stations):
    d = two_stations["mine"]
    chief = UserFactory(unit=d["unit"], role=Role.LEADER)
    url = reverse("inspections:amend", args=[d["inspection"].pk])
    form = {"kind": "routine", "start_date": "2024-03-05", "staff_count": 2, "conclusion": "non_compliant",
            "summary": "", "reason": "结论录错", "version": d["inspection"].version}

    client.force_login(d["user"])
    refused = client.post(url, form)
    client.force_login(chief)
    accepted = client.post(url, form)

    assert refused.status_code == 403
    assert accepted.status_code == 302
    d["inspection"].refresh_from_db()
    assert d["inspection"].conclusion == "non_compliant"
    detail = client.get(reverse("inspections:detail", args=[d["inspection"].pk])).content.decode()
    assert "结论录错" in detail
    assert "符合要求 → 不符合" in detail


def test_attachment_upload_several_files_through_the_page(client):
    unit, enterprise, (a, b) = station_with_staff()
    inspection = InspectionFactory(enterprise=enterprise, officers=[a, b])
    client.force_login(a)

    client.post(reverse("inspections:attachments_upload", args=[inspection.pk]), {
        "kind": "photo", "files": [SimpleUploadedFile("a.png", PNG), SimpleUploadedFile("b.png", PNG)],
    })

    assert sorted(inspection.attachments.values_list("original_name", flat=True)) == ["a.png", "b.png"]
    response = client.get(reverse("inspections:attachment", args=[inspection.attachments.first().pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG


def test_todo_lists_follow_up_and_unit_list_shows_it_to_chief(client):
    unit, enterprise, (a, b) = station_with_staff()
    chief = UserFactory(unit=unit, role=Role.LEADER)
    other_unit_user = UserFactory(unit=UnitFactory())

    today = timezone.localdate()
    inspection = InspectionFactory(enterprise=enterprise, officers=[a, b], start_date=today - dt.timedelta(days=3))
    services.rectification_order(inspection=inspection, ordered_on=inspection.start_date,
                                  deadline=today + dt.timedelta(days=2), requirements="整改", by=a)

    client.force_login(a)
    todo = client.get(reverse("inspections:todo")).content.decode()
    client.force_login(chief)
    unit_page = client.get(reverse("inspections:unit_list")).content.decode()
    client.force_login(other_unit_user)
    other_todo = client.get(reverse("inspections:todo")).content.decode()

    assert todo.count(enterprise.name) >= 2  # the follow-up and the rectification coming due
    assert enterprise.name in unit_page
    assert enterprise.name not in other_todo


def test_enterprise_timeline_partial_is_scoped(rf, two_stations):
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = two_stations["mine"]["user"]

    mine = render_to_string("inspections/_enterprise_timeline.html",
                            {"enterprise": two_stations["mine"]["enterprise"]}, request=request)
    other = render_to_string("inspections/_enterprise_timeline.html",
                             {"enterprise": two_stations["other"]["enterprise"]}, request=request)

    assert two_stations["mine"]["case"].number in mine
    assert "责令改正" in mine and "移送" in mine and "约谈" in mine
    assert two_stations["other"]["case"].number not in other
    assert "暂无检查与执法记录" in other


def _officer_post(rows):
    data = {"officers-TOTAL_FORMS": str(len(rows)), "officers-INITIAL_FORMS": "0",
            "officers-MIN_NUM_FORMS": "0", "officers-MAX_NUM_FORMS": "1000"}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"officers-{i}-{key}"] = value
    return data


def test_full_form_create_checklist_finding_and_finalise(client):
    load_reference()
    unit, enterprise, (a, b) = station_with_staff()
    client.force_login(a)
    from inspections.models import ChecklistTemplate

    gsp = ChecklistTemplate.objects.get(code="gsp-routine")
    created = client.post(reverse("inspections:create"), {
        "enterprise": enterprise.pk, "kind": "special", "start_date": "2024-05-10", "end_date": "2024-05-11",
        "conclusion": "basically", "summary": "专项检查", "checklist": gsp.pk,
        **_officer_post([{"user": a.pk, "cert_kind": "enforcement"}, {"user": "", "name": "王五",
                         "cert_kind": "inspector", "cert_no": "浙械检00077"}]),
    })
    inspection = Inspection.objects.get()
    assert created.status_code == 302
    assert inspection.provincial_entry_due == dt.date(2024, 6, 11)
    assert sorted(inspection.officers.values_list("name", flat=True)) == sorted([a.display_name, "王五"])

    items = list(gsp.items.order_by("sort_order")[:2])
    checklist = client.post(reverse("inspections:checklist", args=[inspection.pk]), {
        "template": gsp.pk, f"result_{items[0].pk}": "yes", f"result_{items[1].pk}": "no",
        f"note_{items[1].pk}": "负责人变更未备案",
    })
    assert checklist.status_code == 302
    assert dict(inspection.answers.values_list("item_id", "result")) == {items[0].pk: "yes", items[1].pk: "no"}

    finding = inspection.findings.get()  # the 不符合 item became a 缺陷, nothing retyped
    assert (finding.checklist_item, finding.severity, finding.text) == (
        items[1], "general", f"{items[1].text}：负责人变更未备案")
    client.post(reverse("inspections:finding_add", args=[inspection.pk]),
                {"severity": "serious", "text": "冷藏设备未验证", "checklist_item": ""})
    assert sorted(inspection.findings.values_list("severity", flat=True)) == ["general", "serious"]

    edit_page = client.get(reverse("inspections:edit", args=[inspection.pk]))
    assert edit_page.status_code == 200
    client.post(reverse("inspections:finalise", args=[inspection.pk]))
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.FINALISED


def test_checklist_not_applicable_without_reason_refused(client):
    load_reference()
    unit, enterprise, (a, b) = station_with_staff()
    inspection = InspectionFactory(enterprise=enterprise, officers=[a, b])
    from inspections.models import ChecklistTemplate

    gsp = ChecklistTemplate.objects.get(code="gsp-routine")
    item = gsp.items.order_by("sort_order").first()
    client.force_login(a)

    response = client.post(reverse("inspections:checklist", args=[inspection.pk]),
                           {"template": gsp.pk, f"result_{item.pk}": "na"})

    assert response.status_code == 200
    assert f"{item.code} 判为不适用（合理缺项）时须说明理由" in response.content.decode()
    assert inspection.answers.count() == 0


def test_edit_officers_and_case_pages(client):
    unit, enterprise, (a, b) = station_with_staff()
    inspection = InspectionFactory(enterprise=enterprise, officers=[a], staff_count=1)
    client.force_login(a)

    response = client.post(reverse("inspections:edit", args=[inspection.pk]), {
        "enterprise": enterprise.pk, "kind": "routine", "start_date": "2024-05-10", "conclusion": "compliant",
        "staff_count": "", "version": inspection.version, **_officer_post([{"user": a.pk, "cert_kind": "enforcement"},
                                            {"user": b.pk, "cert_kind": "enforcement"}]),
    })

    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.officers.count() == 2
    assert inspection.staff_count == 2

    opened = client.post(reverse("inspections:case_create") + f"?inspection={inspection.pk}", {
        "inspection": inspection.pk, "enterprise": enterprise.pk, "procedure": "ordinary",
        "filed_on": "2024-05-20", "violation": "经营过期医疗器械", "legal_basis": "条例第八十六条",
        "handlers": [a.pk, b.pk],
    })
    case = Case.objects.get()
    assert opened.status_code == 302
    assert case.source_inspection == inspection
    client.post(reverse("inspections:case_advance", args=[case.pk]), {"to_status": "investigating",
                                                                     "on_date": "2024-05-21"})
    client.post(reverse("inspections:case_advance", args=[case.pk]), {"to_status": "notified",
                                                                     "on_date": "2024-05-25"})
    decided = client.post(reverse("inspections:case_decide", args=[case.pk]), {
        "decided_on": "2024-06-01", "decision_number": "五马所市监处罚〔2024〕1号", "fine_amount": "20000",
        "confiscation_amount": "0", "persons-TOTAL_FORMS": "1", "persons-INITIAL_FORMS": "0",
        "persons-0-name": "张三", "persons-0-position": "负责人", "persons-0-fine_amount": "10000",
    })
    assert decided.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED
    assert list(case.penalised_persons.values_list("name", flat=True)) == ["张三"]
    detail = client.get(reverse("inspections:case_detail", args=[case.pk])).content.decode()
    assert "20,000.00 元（2.00 万元）" in detail
    referral = client.post(reverse("inspections:referral_create") + f"?case={case.pk}",
                           {"target": "police", "referred_on": "2024-06-05", "note": "涉嫌犯罪"})
    assert referral.status_code == 302
    assert case.referrals.get().target == "police"


def test_checklist_item_photo_and_tally_on_detail(client):
    load_reference()
    unit, enterprise, (a, b) = station_with_staff()
    from inspections.models import ChecklistTemplate

    gsp = ChecklistTemplate.objects.get(code="gsp-routine")
    inspection = InspectionFactory(enterprise=enterprise, officers=[a, b], checklist=gsp)
    key_item = gsp.items.filter(is_key=True).order_by("sort_order").first()
    client.force_login(a)

    client.post(reverse("inspections:checklist", args=[inspection.pk]), {
        "template": gsp.pk, f"result_{key_item.pk}": "no", f"note_{key_item.pk}": "许可证过期",
        f"photos_{key_item.pk}": [SimpleUploadedFile("证照.png", PNG)],
    })

    answer = inspection.answers.get()
    assert list(answer.attachments.values_list("original_name", flat=True)) == ["证照.png"]
    detail = client.get(reverse("inspections:detail", args=[inspection.pk])).content.decode()
    keys = gsp.items.filter(is_key=True).count()
    generals = gsp.items.filter(is_key=False).count()
    assert f"关键项（※）不符合 1/{keys}" in detail
    assert f"（16.7%），一般项不符合 0/{generals}（0.0%）" in detail
    assert "<strong>未通过检查</strong>" in detail  # 1 of 6 key items = 16.7% > 10%
    assert keys == 6


def test_station_user_cannot_pick_another_unit_in_unit_list(client, two_stations):
    client.force_login(two_stations["mine"]["user"])

    html = client.get(reverse("inspections:unit_list"), {"unit": two_stations["other"]["unit"].pk}).content.decode()

    assert two_stations["other"]["name"] not in html
    assert two_stations["mine"]["name"] in html


def test_district_chief_picks_a_unit(client, two_stations):
    chief = UserFactory(unit=UnitFactory(kind="section"), role=Role.LEADER)
    client.force_login(chief)

    html = client.get(reverse("inspections:unit_list"), {"unit": two_stations["other"]["unit"].pk}).content.decode()

    assert two_stations["other"]["name"] in html
    assert two_stations["mine"]["name"] not in html


def test_timeline_newest_first_inspection_before_its_findings(rf):
    from inspections.selectors import enterprise_timeline

    unit, enterprise, (a, b) = station_with_staff()
    old = InspectionFactory(enterprise=enterprise, start_date=dt.date(2024, 1, 5))
    new = InspectionFactory(enterprise=enterprise, start_date=dt.date(2024, 6, 5))
    FindingFactory(inspection=new, text="新缺陷")
    RectificationFactory(inspection=new, ordered_on=dt.date(2024, 6, 5))

    events = enterprise_timeline(enterprise=enterprise, user=a)

    assert [(e.day, e.kind) for e in events] == [
        (dt.date(2024, 6, 5), "检查"), (dt.date(2024, 6, 5), "缺陷"), (dt.date(2024, 6, 5), "责令改正"),
        (dt.date(2024, 1, 5), "检查"),
    ]
    assert events[3].url == reverse("inspections:detail", args=[old.pk])


def test_full_form_from_a_plan_item_links_it(client):
    from inspections.models import InspectionPlan, PlanItem

    unit, enterprise, (a, b) = station_with_staff()
    plan = InspectionPlan.objects.create(unit=unit, year=2024, kind="routine")
    item = PlanItem.objects.create(plan=plan, enterprise=enterprise, kind="random", target_month=5)
    other_unit, other_enterprise, _users = station_with_staff(1)
    other_item = PlanItem.objects.create(
        plan=InspectionPlan.objects.create(unit=other_unit, year=2024, kind="routine"),
        enterprise=other_enterprise, kind="routine",
    )
    client.force_login(a)

    page = client.get(reverse("inspections:create"), {"plan_item": item.pk})
    created = client.post(reverse("inspections:create") + f"?plan_item={item.pk}", {
        "enterprise": enterprise.pk, "kind": "random", "start_date": "2024-05-10",
        **_officer_post([{"user": a.pk, "cert_kind": "enforcement"}]),
    })

    assert page.status_code == 200
    assert created.status_code == 302
    assert Inspection.objects.get().plan_item == item
    assert client.get(reverse("inspections:create"), {"plan_item": other_item.pk}).status_code == 404


def test_list_marks_a_follow_up_scheduled_after_today_as_arranged_not_as_a_draft(client):
    _unit, enterprise, (a, b) = station_with_staff()
    today = timezone.localdate()
    InspectionFactory(enterprise=enterprise, officers=[a, b], kind=InspectionKind.FOLLOW_UP,
                      start_date=today + dt.timedelta(days=10))
    InspectionFactory(enterprise=enterprise, officers=[a, b], start_date=today)
    client.force_login(a)

    html = client.get(reverse("inspections:list")).content.decode()

    assert (html.count(">已安排</span>"), html.count(">草稿</span>")) == (1, 1)


def test_locked_inspection_offers_only_evidence_as_attachment_type_and_takes_it(client):
    _unit, enterprise, (a, b) = station_with_staff()
    inspection = InspectionFactory(enterprise=enterprise, officers=[a, b], status=InspectionStatus.FINALISED)
    client.force_login(a)

    form = client.get(reverse("inspections:detail", args=[inspection.pk])).context["attachment_form"]
    response = client.post(reverse("inspections:attachments_upload", args=[inspection.pk]),
                           {"kind": form["kind"].initial, "files": [SimpleUploadedFile("proof.png", PNG)]})

    assert [value for value, _label in form.fields["kind"].choices] == ["evidence"]
    assert response.status_code == 302
    assert list(Attachment.objects.values_list("inspection_id", "kind")) == [(inspection.pk, "evidence")]


def test_draft_inspection_offers_every_attachment_type(client):
    _unit, enterprise, (a, b) = station_with_staff()
    inspection = InspectionFactory(enterprise=enterprise, officers=[a, b])
    client.force_login(a)

    form = client.get(reverse("inspections:edit", args=[inspection.pk])).context["attachment_form"]

    assert [value for value, _label in form.fields["kind"].choices] == ["photo", "record", "evidence", "other"]
    assert form["kind"].initial is None


def test_amendment_card_names_the_fields_in_chinese(client):
    unit, enterprise, (a, b) = station_with_staff()
    chief = UserFactory(unit=unit, role=Role.LEADER)
    inspection = InspectionFactory(enterprise=enterprise, officers=[a, b], status=InspectionStatus.FINALISED,
                                   staff_count=2, conclusion="compliant")
    services.inspection_amend(inspection=inspection, changes={"staff_count": 3, "conclusion": "basically"},
                              reason="漏记一名辅助人员", by=chief)
    client.force_login(chief)

    html = client.get(reverse("inspections:detail", args=[inspection.pk])).content.decode()
    card = html[html.index("更正记录"):html.index('id="history"')]

    assert "出动人员人次：2 → 3" in card
    assert "检查结论：符合要求 → 基本符合" in card
    assert "staff_count" not in card and "conclusion" not in card


def test_decision_refuses_a_penalised_persons_fine_without_a_name_and_saves_nothing(client):
    unit, enterprise, (a, b) = station_with_staff()
    case = CaseFactory(enterprise=enterprise, status=CaseStatus.NOTIFIED)
    client.force_login(a)

    response = client.post(reverse("inspections:case_decide", args=[case.pk]), {
        "decided_on": "2024-07-01", "fine_amount": "5000", "confiscation_amount": "0",
        "persons-TOTAL_FORMS": "2", "persons-INITIAL_FORMS": "0",
        "persons-0-name": "", "persons-0-position": "", "persons-0-fine_amount": "1000",
    })

    assert response.status_code == 200
    assert response.context["persons"].forms[0].errors["name"] == ["填写了职务或罚款，请填写责任人姓名"]
    case.refresh_from_db()
    assert (case.decided_on, case.fine_amount, case.penalised_persons.count()) == (None, 0, 0)


def test_rectification_list_and_export_put_open_orders_first_most_overdue_on_top(client, export_file):
    _unit, enterprise, (a, b) = station_with_staff()
    for name, deadline, completed in [("done-old", dt.date(2023, 3, 1), dt.date(2023, 2, 20)),
                                      ("open-late", dt.date(2024, 1, 10), None),
                                      ("done-new", dt.date(2024, 6, 1), dt.date(2024, 5, 30)),
                                      ("open-older", dt.date(2023, 12, 1), None)]:
        inspection = InspectionFactory(enterprise=enterprise, officers=[a, b], start_date=dt.date(2023, 1, 5),
                                       summary=name)
        RectificationFactory(inspection=inspection, deadline=deadline, completed_on=completed, requirements=name)
    client.force_login(a)

    page = [r.requirements for r in client.get(reverse("inspections:rectification_list")).context["objects"]]
    sheet = export_file(client, reverse("inspections:rectification_export")).active
    exported = [row[4] for row in sheet.iter_rows(min_row=2, values_only=True)]

    assert page == ["open-older", "open-late", "done-new", "done-old"]
    assert exported == page


def test_bureau_leader_opens_the_unit_list_on_the_whole_district(client):
    _unit, enterprise, (a, b) = station_with_staff()
    inspection = InspectionFactory(enterprise=enterprise, officers=[a, b], status=InspectionStatus.FINALISED)
    RectificationFactory(inspection=inspection, deadline=dt.date(2024, 4, 5), requirements="补齐温湿度记录")
    bureau_leader = UserFactory(unit=UnitFactory(kind=UnitKind.BUREAU), role=Role.LEADER)
    client.force_login(bureau_leader)

    response = client.get(reverse("inspections:unit_list"))

    assert response.context["unit"] is None
    assert [r.inspection_id for r in response.context["work"].rectifications] == [inspection.pk]


@pytest.mark.parametrize("name", ["inspections:list", "inspections:case_list", "inspections:rectification_list",
                                  "inspections:interview_list", "inspections:referral_list"])
def test_station_user_is_offered_only_own_unit_in_the_unit_filter(client, two_stations, name):
    client.force_login(two_stations["mine"]["user"])
    client.get("/api/inspections/")  # the API builds the same FilterSets first

    html = client.get(reverse(name)).content.decode()

    select = re.search(r'<select name="unit"[^>]*>(.*?)</select>', html, re.S).group(1)
    assert re.findall(r">([^<]+)</option>", select) == ["全部", str(two_stations["mine"]["unit"])]


def test_full_form_offers_certificate_holders_own_unit_first_never_the_auditor(client):
    unit, _enterprise, (a, b) = station_with_staff()
    squad_member = UserFactory(unit=UnitFactory(short_name="执法队", kind=UnitKind.ENFORCEMENT), full_name="队员甲")
    UserFactory(unit=UnitFactory(), role=Role.AUDITOR, full_name="审计员")
    UserFactory(unit=UnitFactory(), full_name="无证人员", enforcement_cert_no="", inspector_cert_no="")
    client.force_login(a)

    field = client.get(reverse("inspections:create")).context["officers"].forms[0].fields["user"]
    groups = [(group, sorted(label for _value, label in options)) for group, options in field.choices if group]

    assert groups == [
        (unit.display_name, sorted([f"{a.display_name}（{a.cert_no}）", f"{b.display_name}（{b.cert_no}）"])),
        ("执法队", [f"{squad_member.display_name}（{squad_member.cert_no}）"]),
    ]
