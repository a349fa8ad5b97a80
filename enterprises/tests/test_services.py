"""Registry services: validation, scoping, status history, licences, audit trail."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from enterprises.choices import EnterpriseStatus, InstitutionType, LicenceKind, LicenceStatus, Role
from enterprises.models import Enterprise, EnterpriseStatusChange, Licence
from enterprises.selectors import _display
from enterprises.services import (
    enterprise_change_status,
    enterprise_create,
    enterprise_delete,
    enterprise_update,
    licence_create,
    licence_number_warning,
    licence_update,
)

from .factories import EnterpriseFactory, LicenceFactory, TagFactory, UserFactory, make_credit_code

pytestmark = pytest.mark.django_db


def test_create_normalises_the_credit_code_and_records_who(district):
    tag = TagFactory(name="无菌")

    enterprise = enterprise_create(
        by=district.inspector_a, name=" 五马大药房 ", credit_code=make_credit_code(1).lower(),
        subdistrict=district.sub_a, is_operator=True, tags=[tag],
    )

    enterprise.refresh_from_db()
    assert enterprise.name == "五马大药房"
    assert enterprise.credit_code == make_credit_code(1)
    assert enterprise.status == EnterpriseStatus.ACTIVE
    assert list(enterprise.tags.all()) == [tag]
    assert enterprise.history.earliest().history_user == district.inspector_a


def test_create_refuses_a_bad_credit_code_in_chinese(district):
    code = make_credit_code(2)
    bad = code[:17] + ("0" if code[17] != "0" else "1")

    with pytest.raises(ValidationError) as excinfo:
        enterprise_create(by=district.inspector_a, name="错误代码企业", credit_code=bad,
                          subdistrict=district.sub_a, is_operator=True)

    assert excinfo.value.message_dict["credit_code"][0].startswith("统一社会信用代码校验位错误")
    assert Enterprise.objects.count() == 0


def test_create_refuses_a_duplicate_credit_code(district):
    existing = EnterpriseFactory(subdistrict=district.sub_a)

    with pytest.raises(ValidationError) as excinfo:
        enterprise_create(by=district.section_user, name="另一家", credit_code=existing.credit_code,
                          subdistrict=district.sub_a, is_operator=True)

    assert "credit_code" in excinfo.value.message_dict
    assert Enterprise.objects.count() == 1


def test_create_needs_a_role_and_consistent_use_unit_fields(district):
    with pytest.raises(ValidationError) as excinfo:
        enterprise_create(by=district.section_user, name="无类别", credit_code=make_credit_code(3),
                          subdistrict=district.sub_a, hospital_grade="3a")

    errors = excinfo.value.message_dict
    assert errors["is_operator"] == ["请至少选择一种企业类别（生产、经营、使用、网络销售等）"]
    assert errors["hospital_grade"] == ["只有医院才填写医院等级"]
    assert Enterprise.objects.count() == 0


def test_station_user_cannot_create_an_enterprise_for_another_station(district):
    with pytest.raises(PermissionDenied):
        enterprise_create(by=district.inspector_a, name="藤桥药店", credit_code=make_credit_code(4),
                          subdistrict=district.sub_b, is_operator=True)

    assert Enterprise.objects.count() == 0


def test_station_user_cannot_create_a_manufacturer(district):
    with pytest.raises(PermissionDenied):
        enterprise_create(by=district.inspector_a, name="五马器械厂", credit_code=make_credit_code(5),
                          subdistrict=district.sub_a, is_manufacturer=True)

    assert Enterprise.objects.count() == 0


def test_auditor_cannot_create(district):
    with pytest.raises(PermissionDenied):
        enterprise_create(by=district.auditor, name="审计新增", credit_code=make_credit_code(6),
                          subdistrict=district.sub_a, is_operator=True)

    assert Enterprise.objects.count() == 0


def test_update_by_another_station_is_refused_and_changes_nothing(district):
    enterprise = EnterpriseFactory(subdistrict=district.sub_a, phone="0577-1")

    with pytest.raises(PermissionDenied):
        enterprise_update(enterprise=enterprise, by=district.inspector_b, phone="0577-2")

    enterprise.refresh_from_db()
    assert enterprise.phone == "0577-1"


def test_station_user_cannot_move_own_enterprise_out_of_their_unit(district):
    enterprise = EnterpriseFactory(subdistrict=district.sub_a)

    with pytest.raises(PermissionDenied):
        enterprise_update(enterprise=enterprise, by=district.inspector_a, subdistrict=district.sub_b)

    enterprise.refresh_from_db()
    assert enterprise.subdistrict == district.sub_a
    assert enterprise.owning_unit == district.station_a


def test_update_records_old_and_new_in_history(district):
    enterprise = EnterpriseFactory(subdistrict=district.sub_a, phone="0577-1")

    enterprise_update(enterprise=enterprise, by=district.inspector_a, phone="0577-2")

    latest = enterprise.history.latest()
    delta = latest.diff_against(latest.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("phone", "0577-1", "0577-2")]
    assert latest.history_user == district.inspector_a


def test_update_refuses_inconsistent_use_unit(district):
    enterprise = EnterpriseFactory(subdistrict=district.sub_a)

    with pytest.raises(ValidationError) as excinfo:
        enterprise_update(enterprise=enterprise, by=district.inspector_a, is_user_unit=True)

    assert excinfo.value.message_dict == {"institution_type": ["使用单位须选择机构类型"]}
    enterprise.refresh_from_db()
    assert enterprise.is_user_unit is False


def test_change_status_writes_a_dated_reasoned_row(district):
    enterprise = EnterpriseFactory(subdistrict=district.sub_a)
    day = timezone.localdate() - datetime.timedelta(days=3)

    change = enterprise_change_status(enterprise=enterprise, by=district.inspector_a,
                                      to_status=EnterpriseStatus.BUSINESS_SUSPENDED,
                                      reason="店面装修", effective_on=day)

    enterprise.refresh_from_db()
    assert enterprise.status == EnterpriseStatus.BUSINESS_SUSPENDED
    assert enterprise.status_since == day
    assert (change.from_status, change.to_status, change.reason, change.changed_by) == (
        EnterpriseStatus.ACTIVE, EnterpriseStatus.BUSINESS_SUSPENDED, "店面装修", district.inspector_a)


@pytest.mark.parametrize(
    ("to_status", "reason", "field"),
    [
        (EnterpriseStatus.CANCELLED, "  ", "reason"),
        (EnterpriseStatus.ACTIVE, "仍在营业", "to_status"),
    ],
)
def test_change_status_refusals_change_nothing(district, to_status, reason, field):
    enterprise = EnterpriseFactory(subdistrict=district.sub_a)

    with pytest.raises(ValidationError) as excinfo:
        enterprise_change_status(enterprise=enterprise, by=district.inspector_a, to_status=to_status,
                                 reason=reason)

    assert field in excinfo.value.message_dict
    enterprise.refresh_from_db()
    assert enterprise.status == EnterpriseStatus.ACTIVE
    assert EnterpriseStatusChange.objects.count() == 0


def test_change_status_refuses_a_future_date(district):
    enterprise = EnterpriseFactory(subdistrict=district.sub_a)

    with pytest.raises(ValidationError) as excinfo:
        enterprise_change_status(enterprise=enterprise, by=district.inspector_a,
                                 to_status=EnterpriseStatus.CANCELLED, reason="注销登记",
                                 effective_on=timezone.localdate() + datetime.timedelta(days=1))

    assert excinfo.value.message_dict == {"effective_on": ["生效日期不能晚于今天"]}
    assert EnterpriseStatusChange.objects.count() == 0


def test_change_status_by_another_station_is_refused(district):
    enterprise = EnterpriseFactory(subdistrict=district.sub_a)

    with pytest.raises(PermissionDenied):
        enterprise_change_status(enterprise=enterprise, by=district.inspector_b,
                                 to_status=EnterpriseStatus.CANCELLED, reason="注销")

    enterprise.refresh_from_db()
    assert enterprise.status == EnterpriseStatus.ACTIVE
    assert EnterpriseStatusChange.objects.count() == 0


def test_delete_removes_an_enterprise_without_records(district):
    enterprise = EnterpriseFactory(subdistrict=district.sub_a)
    administrator = UserFactory(unit=district.bureau, role=Role.ADMIN)

    enterprise_delete(enterprise=enterprise, by=administrator)

    assert Enterprise.objects.count() == 0


@pytest.mark.parametrize(
    ("number", "warns"),
    [
        ("浙温药监械经营备20240001号", False),
        ("浙温食药监械经营许20150100号", False),
        ("浙药监械生产许20210001", False),
        ("京丰食药监械经营许20150100号", False),
        ("鄂汉食药监械经营备2018H006号", False),
        ("ZJ-2024-001", True),
        ("浙温药监械经营备2024001号", True),
    ],
)
def test_licence_number_pattern_is_lenient(number, warns):
    assert bool(licence_number_warning(number)) is warns


def test_licence_with_an_unusual_number_is_saved(district):
    enterprise = EnterpriseFactory(subdistrict=district.sub_a)

    licence = licence_create(enterprise=enterprise, by=district.inspector_a,
                             kind=LicenceKind.OPERATION_FILING, number="温备-0001")

    assert Licence.objects.get().number == "温备-0001"
    assert licence_number_warning(licence.number) != ""


def test_licence_dates_must_be_in_order(district):
    enterprise = EnterpriseFactory(subdistrict=district.sub_a)

    with pytest.raises(ValidationError) as excinfo:
        licence_create(enterprise=enterprise, by=district.inspector_a, kind=LicenceKind.OPERATION_LICENCE,
                       number="浙温药监械经营许20240001号", issued_on=datetime.date(2024, 5, 1),
                       expires_on=datetime.date(2024, 4, 30))

    assert excinfo.value.message_dict == {"expires_on": ["有效期至不能早于发证日期"]}
    assert Licence.objects.count() == 0


def test_licence_duplicate_kind_and_number_is_refused(district):
    existing = LicenceFactory(enterprise__subdistrict=district.sub_a)

    with pytest.raises(ValidationError):
        licence_create(enterprise=existing.enterprise, by=district.inspector_a, kind=existing.kind,
                       number=existing.number)

    assert Licence.objects.count() == 1


def test_licence_of_another_station_cannot_be_added_or_changed(district):
    licence = LicenceFactory(enterprise__subdistrict=district.sub_a, issuer="温州市局")

    with pytest.raises(PermissionDenied):
        licence_create(enterprise=licence.enterprise, by=district.inspector_b,
                       kind=LicenceKind.ONLINE_SALES_FILING, number="浙温药监械经营备20240002号")
    with pytest.raises(PermissionDenied):
        licence_update(licence=licence, by=district.inspector_b, issuer="别的局")

    licence.refresh_from_db()
    assert licence.issuer == "温州市局"
    assert Licence.objects.count() == 1


def test_licence_update_keeps_history(district):
    licence = LicenceFactory(enterprise__subdistrict=district.sub_a, status=LicenceStatus.VALID)

    licence_update(licence=licence, by=district.inspector_a, status=LicenceStatus.CANCELLED)

    latest = licence.history.latest()
    assert latest.status == LicenceStatus.CANCELLED
    assert latest.history_user == district.inspector_a


def test_hospital_grade_allowed_for_hospitals(district):
    enterprise = enterprise_create(
        by=district.section_user, name="区人民医院", credit_code=make_credit_code(7),
        subdistrict=district.sub_a, is_user_unit=True, institution_type=InstitutionType.HOSPITAL,
        hospital_grade="3a",
    )

    assert enterprise.hospital_grade == "3a"


def test_update_without_changes_writes_no_history(district):
    enterprise = EnterpriseFactory(subdistrict=district.sub_a, phone="0577-1")
    records = enterprise.history.count()

    enterprise_update(enterprise=enterprise, by=district.inspector_a, phone="0577-1")

    assert enterprise.history.count() == records


def test_history_shows_a_timestamp_in_local_time_to_the_minute():
    utc_evening = datetime.datetime(2024, 1, 31, 16, 30, 12, 345678, tzinfo=datetime.UTC)

    assert _display(Enterprise, "updated_at", utc_evening, {}) == "2024-02-01 00:30"
