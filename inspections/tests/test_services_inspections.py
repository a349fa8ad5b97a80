import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from enterprises.choices import Role
from enterprises.tests.factories import UnitFactory, UserFactory
from inspections import services
from inspections.choices import InspectionKind, InspectionStatus
from inspections.models import Inspection, InspectionAmendment
from inspections.services import OfficerInput

from .factories import InspectionFactory, OfficerFactory, station_with_staff

pytestmark = pytest.mark.django_db


def test_create_draft_counts_officers_and_computes_provincial_due():
    unit, enterprise, (a, b) = station_with_staff()

    inspection = services.inspection_create(
        enterprise=enterprise, kind=InspectionKind.ROUTINE, start_date=dt.date(2024, 1, 31),
        officers=[OfficerInput(user=a), OfficerInput(user=b), OfficerInput(name="临聘协查员", cert_no="浙械检00001",
                                                                            cert_kind="inspector")],
        by=a,
    )

    assert inspection.status == InspectionStatus.DRAFT
    assert inspection.unit == unit
    assert inspection.staff_count == 3  # defaults to people on site, including staff without an account
    assert inspection.provincial_entry_due == dt.date(2024, 2, 29)
    officers = list(inspection.officers.order_by("id").values_list("name", "cert_no", "user_id"))
    assert officers == [(a.display_name, a.enforcement_cert_no, a.pk), (b.display_name, b.enforcement_cert_no, b.pk),
                        ("临聘协查员", "浙械检00001", None)]
    assert inspection.history.count() == 1
    assert inspection.history.first().history_user == a


def test_staff_count_below_officers_is_refused_and_nothing_saved():
    unit, enterprise, (a, b) = station_with_staff()

    with pytest.raises(ValidationError) as exc:
        services.inspection_create(enterprise=enterprise, kind=InspectionKind.ROUTINE, start_date=dt.date(2024, 3, 1),
                                   officers=[OfficerInput(user=a), OfficerInput(user=b)], staff_count=1, by=a)

    assert "staff_count" in exc.value.message_dict
    assert Inspection.objects.count() == 0


def test_finalise_refuses_a_single_officer():
    unit, enterprise, (a,) = station_with_staff(1)
    inspection = InspectionFactory(enterprise=enterprise, officers=[a])

    with pytest.raises(ValidationError) as exc:
        services.inspection_finalise(inspection=inspection, by=a)

    assert "现场检查须有两名以上执法人员（当前 1 名）" in exc.value.messages
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.DRAFT


def test_finalise_refuses_an_officer_without_certificate_number():
    unit, enterprise, (a, b) = station_with_staff()
    b.enforcement_cert_no = ""
    b.save()
    inspection = InspectionFactory(enterprise=enterprise, officers=[a, b])

    with pytest.raises(ValidationError) as exc:
        services.inspection_finalise(inspection=inspection, by=a)

    assert exc.value.messages == [f"检查人员“{b.display_name}”未填写执法证号"]
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.DRAFT


def test_finalise_with_two_officers_locks_and_refuses_later_edits():
    unit, enterprise, (a, b) = station_with_staff()
    inspection = InspectionFactory(enterprise=enterprise, officers=[a, b], conclusion="basically")

    services.inspection_finalise(inspection=inspection, by=a)

    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.FINALISED
    assert inspection.finalised_by == a
    with pytest.raises(ValidationError):
        services.inspection_update(inspection=inspection, conclusion="compliant", by=a)
    with pytest.raises(ValidationError):
        services.finding_create(inspection=inspection, severity="general", text="新缺陷", by=a)
    inspection.refresh_from_db()
    assert inspection.conclusion == "basically"
    assert inspection.findings.count() == 0


def test_finalise_without_conclusion_is_refused():
    unit, enterprise, (a, b) = station_with_staff()
    inspection = InspectionFactory(enterprise=enterprise, officers=[a, b], conclusion="")

    with pytest.raises(ValidationError) as exc:
        services.inspection_finalise(inspection=inspection, by=a)

    assert exc.value.messages == ["请填写检查结论"]


def _finalised(enterprise, officers):
    inspection = InspectionFactory(enterprise=enterprise, officers=officers, start_date=dt.date(2024, 1, 31),
                                   conclusion="basically")
    services.inspection_finalise(inspection=inspection, by=officers[0])
    return inspection


def test_amend_by_chief_records_reason_changes_and_history():
    unit, enterprise, (a, b) = station_with_staff()
    chief = UserFactory(unit=unit, role=Role.LEADER)
    inspection = _finalised(enterprise, [a, b])

    amendment = services.inspection_amend(
        inspection=inspection, changes={"conclusion": "non_compliant", "end_date": dt.date(2024, 2, 2)},
        reason="笔录核对后结论有误", by=chief,
    )

    inspection.refresh_from_db()
    assert inspection.conclusion == "non_compliant"
    assert inspection.status == InspectionStatus.FINALISED
    assert inspection.provincial_entry_due == dt.date(2024, 3, 2)  # follows the new end date
    assert amendment.changes == {"conclusion": ["basically", "non_compliant"], "end_date": [None, "2024-02-02"]}
    assert amendment.amended_by == chief
    latest = inspection.history.first()
    assert latest.history_change_reason == "更正：笔录核对后结论有误"
    assert latest.history_user == chief


def test_amend_refused_for_an_inspector_and_without_reason():
    unit, enterprise, (a, b) = station_with_staff()
    chief = UserFactory(unit=unit, role=Role.LEADER)
    inspection = _finalised(enterprise, [a, b])

    with pytest.raises(PermissionDenied):
        services.inspection_amend(inspection=inspection, changes={"conclusion": "compliant"}, reason="改", by=a)
    with pytest.raises(ValidationError) as exc:
        services.inspection_amend(inspection=inspection, changes={"conclusion": "compliant"}, reason="  ", by=chief)

    assert exc.value.message_dict == {"reason": ["请填写更正理由"]}
    inspection.refresh_from_db()
    assert inspection.conclusion == "basically"
    assert InspectionAmendment.objects.count() == 0


def test_provincial_entry_recorded_once_after_finalise():
    unit, enterprise, (a, b) = station_with_staff()
    draft = InspectionFactory(enterprise=enterprise, officers=[a, b])
    with pytest.raises(ValidationError):
        services.inspection_record_provincial_entry(inspection=draft, entered_on=dt.date(2024, 5, 20), by=a)
    inspection = _finalised(enterprise, [a, b])

    services.inspection_record_provincial_entry(inspection=inspection, entered_on=dt.date(2024, 3, 1), by=a)

    inspection.refresh_from_db()
    assert inspection.provincial_entry_date == dt.date(2024, 3, 1)
    with pytest.raises(ValidationError):
        services.inspection_record_provincial_entry(inspection=inspection, entered_on=dt.date(2024, 3, 2), by=a)


def test_another_station_cannot_create_or_edit():
    unit, enterprise, (a, b) = station_with_staff()
    stranger = UserFactory(unit=UnitFactory())
    inspection = InspectionFactory(enterprise=enterprise, officers=[a, b], conclusion="compliant")

    with pytest.raises(ValidationError):  # the enterprise is not in the stranger's jurisdiction
        services.inspection_create(enterprise=enterprise, kind="routine", start_date=dt.date(2024, 3, 1),
                                   by=stranger)
    with pytest.raises(PermissionDenied):
        services.inspection_create(enterprise=enterprise, kind="routine", start_date=dt.date(2024, 3, 1),
                                   unit=unit, by=stranger)
    with pytest.raises(PermissionDenied):
        services.inspection_update(inspection=inspection, conclusion="non_compliant", by=stranger)
    with pytest.raises(PermissionDenied):
        services.inspection_finalise(inspection=inspection, by=stranger)

    inspection.refresh_from_db()
    assert inspection.conclusion == "compliant"
    assert inspection.status == InspectionStatus.DRAFT
    assert Inspection.objects.count() == 1


def test_set_officers_keeps_two_officer_rule_effective():
    unit, enterprise, (a, b) = station_with_staff()
    inspection = InspectionFactory(enterprise=enterprise, officers=[a, b], staff_count=2)

    services.inspection_set_officers(inspection=inspection, officers=[OfficerInput(user=a)], by=a)

    inspection.refresh_from_db()
    assert inspection.staff_count == 1
    with pytest.raises(ValidationError):
        services.inspection_finalise(inspection=inspection, by=a)


def test_duplicate_officer_refused():
    unit, enterprise, (a, b) = station_with_staff()
    inspection = InspectionFactory(enterprise=enterprise)
    OfficerFactory(inspection=inspection, user=b)

    with pytest.raises(ValidationError):
        services.inspection_set_officers(inspection=inspection, officers=[OfficerInput(user=a), OfficerInput(user=a)],
                                         by=a)

    assert list(inspection.officers.values_list("user_id", flat=True)) == [b.pk]


def test_future_date_refused():
    unit, enterprise, (a, b) = station_with_staff()
    from django.utils import timezone

    with pytest.raises(ValidationError) as exc:
        services.inspection_create(enterprise=enterprise, kind="routine",
                                   start_date=timezone.localdate() + dt.timedelta(days=1), by=a)
    assert exc.value.message_dict == {"start_date": ["检查日期不能晚于今天"]}


def test_create_refuses_a_plan_item_of_another_units_plan_for_the_same_enterprise():
    from inspections.models import InspectionPlan, PlanItem

    unit, enterprise, (a, b) = station_with_staff()
    other_plan = InspectionPlan.objects.create(unit=UnitFactory(), year=2024, kind="routine")
    foreign_item = PlanItem.objects.create(plan=other_plan, enterprise=enterprise, kind="routine")
    own_item = PlanItem.objects.create(plan=InspectionPlan.objects.create(unit=unit, year=2024, kind="routine"),
                                       enterprise=enterprise, kind="routine")

    with pytest.raises(ValidationError) as refused:
        services.inspection_create(enterprise=enterprise, kind=InspectionKind.ROUTINE, start_date=dt.date(2024, 5, 1),
                                   by=a, officers=[OfficerInput(user=a), OfficerInput(user=b)],
                                   plan_item=foreign_item)
    created = services.inspection_create(enterprise=enterprise, kind=InspectionKind.ROUTINE,
                                         start_date=dt.date(2024, 5, 1), by=a, plan_item=own_item,
                                         officers=[OfficerInput(user=a), OfficerInput(user=b)])

    assert refused.value.message_dict == {"plan_item": ["计划项属于其他单位的检查计划，不能由本次检查完成"]}
    assert list(Inspection.objects.filter(plan_item=foreign_item)) == []
    assert created.plan_item == own_item


def test_update_to_another_enterprise_keeps_the_plan_item_rule():
    from inspections.models import InspectionPlan, PlanItem

    unit, enterprise, (a, b) = station_with_staff()
    item = PlanItem.objects.create(plan=InspectionPlan.objects.create(unit=unit, year=2024, kind="routine"),
                                   enterprise=enterprise, kind="routine")
    inspection = InspectionFactory(enterprise=enterprise, officers=[a, b], status=InspectionStatus.DRAFT,
                                   plan_item=item)
    second = InspectionFactory(enterprise__subdistrict__unit=unit).enterprise

    with pytest.raises(ValidationError) as refused:
        services.inspection_update(inspection=inspection, by=a, enterprise=second)

    assert refused.value.message_dict == {"plan_item": ["计划项的企业与被检查企业不一致"]}
    inspection.refresh_from_db()
    assert inspection.enterprise == enterprise
