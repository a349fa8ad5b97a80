"""Phone entry (issue 9): the quick-entry checklist, camera photos and officers; cases numbered by the
handling unit; 待录入省局系统 rows with dates, red when overdue, old records included."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from enterprises.choices import UnitKind
from enterprises.tests.factories import UnitFactory, UserFactory
from inspections import services
from inspections.choices import CaseProcedure, InspectionStatus, Severity
from inspections.deadlines import provincial_entry_ended_by
from inspections.models import Attachment, Case, ChecklistTemplate, Inspection
from inspections.reference import load_reference
from inspections.selectors import todo_for, unit_work_list

from .factories import InspectionFactory, station_with_staff

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def _photo(name="现场.jpg", content=JPEG):
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def _gsp():
    load_reference()
    template = ChecklistTemplate.objects.get(code="gsp-routine")
    items = list(template.items.order_by("sort_order"))
    key = next(i for i in items if i.is_key)
    general = next(i for i in items if not i.is_key)
    return template, items, key, general


# --- the rule: a 不符合 item becomes a 缺陷 with the item's severity ---------------------------------

def test_a_failed_key_item_is_a_serious_finding_a_general_item_a_general_one():
    template, items, key, general = _gsp()
    unit, enterprise, (a, b) = station_with_staff()
    inspection = InspectionFactory(enterprise=enterprise, officers=[a, b], checklist=template,
                                   status=InspectionStatus.DRAFT)
    services.checklist_answers_save(inspection=inspection, by=a, answers={
        key.pk: ("no", "供货者资质缺失"), general.pk: ("no", ""), items[-1].pk: ("yes", "")})

    created = services.checklist_findings_create(inspection=inspection, by=a)
    again = services.checklist_findings_create(inspection=inspection, by=a)

    rows = sorted(inspection.findings.values_list("checklist_item_id", "severity", "text"))
    assert rows == sorted([(key.pk, "serious", f"{key.text}：供货者资质缺失"), (general.pk, "general", general.text)])
    assert len(created) == 2 and again == []


def test_findings_from_a_locked_inspection_are_refused_and_nothing_changes():
    template, _items, key, _general = _gsp()
    unit, enterprise, (a, b) = station_with_staff()
    inspection = InspectionFactory(enterprise=enterprise, officers=[a, b], checklist=template,
                                   status=InspectionStatus.DRAFT)
    services.checklist_answers_save(inspection=inspection, by=a, answers={key.pk: ("no", "x")})
    Inspection.objects.filter(pk=inspection.pk).update(status=InspectionStatus.FINALISED)
    inspection.refresh_from_db()

    with pytest.raises(ValidationError):
        services.checklist_findings_create(inspection=inspection, by=a)
    assert inspection.findings.count() == 0


# --- quick entry page ----------------------------------------------------------------------------------

def _quick_post(enterprise, officers, **extra):
    data = {"enterprise": enterprise.pk, "kind": "routine", "start_date": "2024-05-10",
            "officers": [o.pk for o in officers], "conclusion": "basically",
            "others-TOTAL_FORMS": "0", "others-INITIAL_FORMS": "0"}
    data.update(extra)
    return data


def test_quick_entry_saves_checklist_photos_findings_and_finalises(client):
    template, items, key, general = _gsp()
    unit, enterprise, (a, b) = station_with_staff()
    client.force_login(a)
    answers = {f"result_{i.pk}": "yes" for i in items}
    answers[f"result_{key.pk}"] = "no"
    answers[f"note_{key.pk}"] = "冷藏柜无温度记录"

    response = client.post(reverse("inspections:quick"), _quick_post(
        enterprise, [a, b], checklist=template.pk, finalise="on", photos=[_photo("门头.jpg"), _photo("库房.jpg")],
        **{f"photos_{key.pk}": _photo("冷藏柜.jpg")}, **answers))

    inspection = Inspection.objects.get()
    assert response.status_code == 302
    assert inspection.status == InspectionStatus.FINALISED
    assert inspection.answers.count() == len(items)
    assert inspection.answers.filter(result="no").get().item == key
    finding = inspection.findings.get()
    assert (finding.severity, finding.checklist_item, finding.text) == (
        Severity.SERIOUS, key, f"{key.text}：冷藏柜无温度记录")
    photos = {(p.original_name, p.answer.item_id if p.answer else None, p.kind)
              for p in Attachment.objects.filter(inspection=inspection)}
    assert photos == {("门头.jpg", None, "photo"), ("库房.jpg", None, "photo"), ("冷藏柜.jpg", key.pk, "photo")}
    assert Attachment.objects.get(original_name="门头.jpg").file.read() == JPEG


def test_quick_entry_refuses_a_photo_that_is_not_an_image_and_saves_nothing(client):
    template, items, key, _general = _gsp()
    unit, enterprise, (a, b) = station_with_staff()
    client.force_login(a)

    response = client.post(reverse("inspections:quick"), _quick_post(
        enterprise, [a, b], checklist=template.pk, photos=[_photo("门头.jpg", b"MZ not a picture")],
        **{f"result_{key.pk}": "no", f"note_{key.pk}": "资质缺失"}))

    html = response.content.decode()
    assert response.status_code == 200
    assert "“门头.jpg”的内容与扩展名不符" in html
    assert Inspection.objects.count() == 0 and Attachment.objects.count() == 0
    assert re.search(rf'name="result_{key.pk}"[^>]*value="no"[^>]*checked', html)  # the answers are kept
    assert 'value="资质缺失"' in html


def test_quick_entry_page_offers_own_unit_no_blank_rows_camera_and_a_confirmed_finalise(client):
    unit, enterprise, (a, b) = station_with_staff()
    squad = UnitFactory(short_name="执法队", kind=UnitKind.ENFORCEMENT)
    UserFactory(unit=squad, full_name="队员甲")
    client.force_login(a)

    response = client.get(reverse("inspections:quick"))

    html = response.content.decode()
    others = response.context["others"]
    assert set(response.context["form"].fields["officers"].queryset) == {a, b}
    assert re.search(rf'name="officers" value="{a.pk}"[^>]*checked', html)
    assert others.total_form_count() == 0 and 'name="others-TOTAL_FORMS" value="0"' in html
    assert [g for g, _options in others.empty_form.fields["user"].choices if g] == ["执法队"]
    assert re.search(r'<input type="file" name="photos"[^>]*accept="image/\*"[^>]*capture="environment"', html)
    assert re.search(r'id="quick-finalise"\s+data-confirm="[^"]+"', html)
    assert 'id="quick-actions"' in html


def test_quick_entry_adds_an_officer_of_another_unit_through_the_added_row(client):
    unit, enterprise, (a,) = station_with_staff(1)
    squad_member = UserFactory(unit=UnitFactory(short_name="执法队", kind=UnitKind.ENFORCEMENT))
    client.force_login(a)

    client.post(reverse("inspections:quick"), _quick_post(enterprise, [a], **{
        "others-TOTAL_FORMS": "2", "others-0-user": squad_member.pk, "others-0-cert_kind": "enforcement",
        "others-1-user": "", "others-1-name": "王五", "others-1-cert_kind": "inspector", "others-1-cert_no": "浙械检7",
        "finalise": "on"}))

    inspection = Inspection.objects.get()
    assert inspection.status == InspectionStatus.FINALISED
    assert sorted(inspection.officers.values_list("name", flat=True)) == sorted(
        [a.display_name, squad_member.display_name, "王五"])


def test_full_form_starts_with_the_user_alone_and_no_blank_rows(client):
    unit, enterprise, (a, b) = station_with_staff()
    client.force_login(a)

    officers = client.get(reverse("inspections:create")).context["officers"]

    assert officers.total_form_count() == 1
    assert officers.forms[0].initial == {"user": a.pk}


def test_quick_checklist_is_the_enterprise_default_and_nothing_for_another_units_enterprise(client):
    load_reference()
    gsp = ChecklistTemplate.objects.get(code="gsp-routine")
    _unit, mine_enterprise, (user,) = station_with_staff(1)
    _other_unit, other_enterprise, _staff = station_with_staff(1)
    client.force_login(user)
    url = reverse("inspections:quick_checklist")

    mine = client.get(url, {"enterprise": mine_enterprise.pk})
    other = client.get(url, {"enterprise": other_enterprise.pk})
    switched = client.get(url, {"enterprise": mine_enterprise.pk,
                                "checklist": ChecklistTemplate.objects.get(code="use-quality").pk})

    assert mine.context["checklist_template"] == gsp
    assert [r["item"] for r in mine.context["checklist_rows"]] == list(gsp.items.order_by("sort_order"))
    assert "其余全部符合" in mine.content.decode()
    assert other.status_code == 200 and other.context["checklist_template"] is None
    assert "其余全部符合" not in other.content.decode()
    assert switched.context["checklist_template"].code == "use-quality"


def test_checklist_page_turns_failed_items_into_findings_and_warns_when_an_item_no_longer_fails(client):
    template, _items, key, general = _gsp()
    unit, enterprise, (a, b) = station_with_staff()
    inspection = InspectionFactory(enterprise=enterprise, officers=[a, b], checklist=template,
                                   status=InspectionStatus.DRAFT)
    client.force_login(a)
    url = reverse("inspections:checklist", args=[inspection.pk])

    client.post(url, {"template": template.pk, f"result_{general.pk}": "no"})
    response = client.post(url, {"template": template.pk, f"result_{general.pk}": "yes"}, follow=True)

    assert list(inspection.findings.values_list("severity", "checklist_item")) == [("general", general.pk)]
    assert f"以下缺陷对应的检查项目已不再判为不符合，请核对或删除：{general.code}" in response.content.decode()


# --- cases: numbered by the handling unit ---------------------------------------------------------

def test_a_case_the_squad_files_from_a_stations_inspection_is_the_squads_and_numbered_by_it(client):
    station, enterprise, (a, b) = station_with_staff()
    station.short_name = "五马所"
    station.save()
    squad_member = UserFactory(unit=UnitFactory(short_name="执法队", kind=UnitKind.ENFORCEMENT))
    inspection = InspectionFactory(enterprise=enterprise, officers=[a, b], start_date=dt.date(2024, 5, 10))
    client.force_login(squad_member)

    response = client.post(reverse("inspections:case_create") + f"?inspection={inspection.pk}", {
        "enterprise": enterprise.pk, "procedure": "ordinary", "filed_on": "2024-05-20",
        "violation": "经营无证医疗器械", "handlers": [squad_member.pk]})
    direct = services.case_open(enterprise=enterprise, filed_on=dt.date(2024, 6, 1), by=squad_member,
                                procedure=CaseProcedure.SIMPLE, violation="未按规定贮存")

    case = Case.objects.get(source_inspection=inspection)
    assert response.status_code == 302
    assert (case.number, case.unit.short_name) == ("执法队械案〔2024〕1号", "执法队")
    assert (direct.number, direct.unit.short_name) == ("执法队械案〔2024〕2号", "执法队")
    assert not Case.objects.filter(number__startswith="五马所").exists()


# --- 待录入省局系统 -------------------------------------------------------------------------------

def test_provincial_entry_ended_by_is_the_last_end_date_due_by_the_day():
    assert provincial_entry_ended_by(dt.date(2024, 2, 29)) == dt.date(2024, 1, 31)
    assert provincial_entry_ended_by(dt.date(2023, 2, 28)) == dt.date(2023, 1, 31)
    assert provincial_entry_ended_by(dt.date(2023, 3, 1)) == dt.date(2023, 2, 1)
    assert provincial_entry_ended_by(dt.date(2023, 7, 15)) == dt.date(2023, 6, 15)


def _old_and_new(a, b, enterprise):
    old = InspectionFactory(enterprise=enterprise, officers=[a, b], start_date=dt.date(2023, 4, 3),
                            status=InspectionStatus.FINALISED, provincial_entry_due=None)
    stored = InspectionFactory(enterprise=enterprise, officers=[a, b], start_date=dt.date(2023, 9, 8),
                               status=InspectionStatus.FINALISED)
    soon = InspectionFactory(enterprise=enterprise, officers=[a, b], start_date=dt.date(2025, 5, 30),
                             status=InspectionStatus.FINALISED)
    return old, stored, soon


def test_todo_lists_2023_records_with_or_without_a_stored_due_date():
    unit, enterprise, (a, b) = station_with_staff()
    old, stored, soon = _old_and_new(a, b, enterprise)
    InspectionFactory(enterprise=enterprise, officers=[a, b], start_date=dt.date(2023, 4, 3),
                      status=InspectionStatus.FINALISED, provincial_entry_due=None,
                      provincial_entry_date=dt.date(2023, 4, 20))
    InspectionFactory(enterprise=enterprise, officers=[a, b], start_date=dt.date(2025, 6, 20),
                      status=InspectionStatus.FINALISED, provincial_entry_due=None)  # due 2025-07-20

    today = dt.date(2025, 6, 25)  # soon is due 2025-06-30: within the week ahead, not overdue
    mine = list(todo_for(a, today=today).provincial)
    overdue = list(unit_work_list(a, unit=unit, today=today, overdue_only=True).provincial)

    assert mine == [old, stored, soon]
    assert overdue == [old, stored]


def test_todo_rows_show_the_inspection_date_and_overdue_ones_are_red(client):
    unit, enterprise, (a, b) = station_with_staff()
    enterprise.name = "鹿城器械商行"
    enterprise.save()
    old, _stored, _soon = _old_and_new(a, b, enterprise)
    client.force_login(a)

    html = client.get(reverse("inspections:todo")).content.decode()

    box = html[html.index('id="todo-provincial"'):]
    rows = re.findall(r'<li class="list-group-item([^"]*)">(.*?)</li>', box, re.S)[:3]
    assert "list-group-item-danger" in rows[0][0]
    assert "检查 2023-04-03" in rows[0][1] and "2023-05-03前 已逾期" in rows[0][1]
    assert "检查 2023-09-08" in rows[1][1] and "已逾期" in rows[1][1]


def test_inspection_list_overdue_filter_includes_records_without_a_stored_due(client):
    unit, enterprise, (a, b) = station_with_staff()
    old, stored, _soon = _old_and_new(a, b, enterprise)
    today = timezone.localdate()
    InspectionFactory(enterprise=enterprise, start_date=today, status=InspectionStatus.FINALISED)
    InspectionFactory(enterprise=enterprise, start_date=today, status=InspectionStatus.FINALISED,
                      provincial_entry_due=None)
    client.force_login(a)

    response = client.get(reverse("inspections:list"), {"overdue": "provincial"})

    assert set(response.context["objects"]) == {old, stored, _soon}


def test_backfill_stores_the_due_date_of_old_records():
    import importlib

    from django.apps import apps

    unit, enterprise, (a, b) = station_with_staff()
    old = InspectionFactory(enterprise=enterprise, start_date=dt.date(2023, 1, 31), provincial_entry_due=None)
    spanning = InspectionFactory(enterprise=enterprise, start_date=dt.date(2023, 3, 1), end_date=dt.date(2023, 3, 3),
                                 provincial_entry_due=None)
    migration = importlib.import_module("inspections.migrations.0011_backfill_provincial_entry_due")

    migration.backfill(apps, None)

    old.refresh_from_db()
    spanning.refresh_from_db()
    assert (old.provincial_entry_due, spanning.provincial_entry_due) == (dt.date(2023, 2, 28), dt.date(2023, 4, 3))

