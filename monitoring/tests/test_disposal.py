"""Disposal of a failed sample (monitoring.services.disposal) and its risk candidates."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from enterprises.choices import EnterpriseStatus
from enterprises.models import CreditRecord, ProductionSuspension
from enterprises.suspensions import production_resume, suspension_record_rectification
from enterprises.tests.factories import EnterpriseFactory, TagFactory
from inspections.models import Case, Inspection
from inspections.tests.factories import CaseFactory
from monitoring.choices import SampleStepKind
from monitoring.disposal_risk import sampling_candidates
from monitoring.models import SampleControl, SampleStep
from monitoring.services import disposal as services
from monitoring.tests.factories import FailedSampleFactory, SampleFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def maker(district):
    """A local manufacturer (supervised by the 药械科) and a failed sample taken there by 五马所."""
    factory_ = EnterpriseFactory(name="温州康宁医疗器械有限公司", subdistrict=district.sub_a, is_manufacturer=True,
                                 is_operator=False, owning_unit=district.section)
    return factory_


@pytest.fixture
def failed(district, maker):
    return FailedSampleFactory(enterprise=maker, unit=district.station_a, link="production",
                               officers=[district.inspector_a, district.section_user])


# --- only failed samples ---------------------------------------------------------------------------------

def test_every_action_refuses_a_sample_that_did_not_fail(district, maker):
    sample = SampleFactory(enterprise=maker, unit=district.station_a, conclusion="passed")
    user = district.section_user
    calls = [
        lambda: services.control_add(sample=sample, enterprise=maker, measure="stop_sale", done_on=TODAY, by=user),
        lambda: services.disposal_inspection_create(sample=sample, enterprise=maker, start_date=TODAY, by=user),
        lambda: services.disposal_suspension_start(sample=sample, enterprise=maker, started_on=TODAY, by=user),
        lambda: services.disposal_case_open(sample=sample, enterprise=maker, filed_on=TODAY, by=user),
    ]
    for call in calls:
        with pytest.raises(ValidationError) as refused:
            call()
        assert refused.value.messages == ["该样品检验结论不是不合格，不能进行不合格处置"]
    sample.refresh_from_db()
    assert (sample.follow_up_inspection, sample.suspension, sample.case) == (None, None, None)
    assert SampleControl.objects.count() == Inspection.objects.count() == ProductionSuspension.objects.count() == 0
    maker.refresh_from_db()
    assert maker.status == EnterpriseStatus.ACTIVE


# --- control measures ------------------------------------------------------------------------------------

def test_district_user_adds_a_control_on_any_units_operator(district, failed):
    shop = EnterpriseFactory(name="藤桥康泰药店", subdistrict=district.sub_b)

    control = services.control_add(sample=failed, enterprise=shop, measure="stop_sale", done_on=TODAY,
                                   quantity="30支", note="就地封存", by=district.section_user)

    assert (control.sample, control.enterprise, control.measure, control.quantity, control.created_by) == (
        failed, shop, "stop_sale", "30支", district.section_user)


def test_station_user_may_name_only_its_own_enterprises(district):
    own_shop = EnterpriseFactory(subdistrict=district.sub_a)
    other_shop = EnterpriseFactory(subdistrict=district.sub_b)
    sample = FailedSampleFactory(enterprise=own_shop, unit=district.station_a)

    with pytest.raises(ValidationError) as refused:
        services.control_add(sample=sample, enterprise=other_shop, measure="seal", done_on=TODAY,
                             by=district.inspector_a)
    services.control_add(sample=sample, enterprise=own_shop, measure="seal", done_on=TODAY, by=district.inspector_a)

    assert list(refused.value.message_dict) == ["enterprise"]
    assert list(SampleControl.objects.values_list("enterprise", flat=True)) == [own_shop.pk]


def test_another_units_user_cannot_add_a_control(district):
    sample = FailedSampleFactory(enterprise=EnterpriseFactory(subdistrict=district.sub_a), unit=district.station_a)

    with pytest.raises(PermissionDenied):
        services.control_add(sample=sample, enterprise=sample.enterprise, measure="seal", done_on=TODAY,
                             by=district.inspector_b)

    assert not SampleControl.objects.exists()


def test_control_dates_and_other_measure_need_care(district, failed):
    with pytest.raises(ValidationError) as refused:
        services.control_add(sample=failed, enterprise=failed.enterprise, measure="other",
                             done_on=failed.sampled_on - dt.timedelta(days=1), by=district.section_user)

    assert refused.value.message_dict == {"done_on": ["实施日期不能早于抽样日期"],
                                          "note": ["措施为“其他”时请在说明中写明具体措施"]}
    assert not SampleControl.objects.exists()


# --- inspection draft ------------------------------------------------------------------------------------

def test_inspection_draft_is_created_through_the_service_and_linked(district, failed):
    inspection = services.disposal_inspection_create(sample=failed, enterprise=failed.enterprise,
                                                     start_date=TODAY, by=district.section_user)

    failed.refresh_from_db()
    assert failed.follow_up_inspection == inspection
    assert (inspection.kind, inspection.status, inspection.unit, inspection.enterprise, inspection.start_date) == (
        "for_cause", "draft", district.station_a, failed.enterprise, TODAY)
    assert sorted(inspection.officers.values_list("user", flat=True)) == sorted(
        [district.inspector_a.pk, district.section_user.pk])
    assert failed.sample_no in inspection.summary
    assert "无菌、细菌内毒素" in inspection.summary


def test_second_draft_and_a_non_local_enterprise_are_refused(district, failed):
    shop = EnterpriseFactory(subdistrict=district.sub_a)
    with pytest.raises(ValidationError) as not_local:
        services.disposal_inspection_create(sample=failed, enterprise=shop, start_date=TODAY,
                                            by=district.section_user)
    services.disposal_inspection_create(sample=failed, enterprise=failed.enterprise, start_date=TODAY,
                                        by=district.section_user, kind="full")
    with pytest.raises(ValidationError) as twice:
        services.disposal_inspection_create(sample=failed, enterprise=failed.enterprise, start_date=TODAY,
                                            by=district.section_user)

    assert not_local.value.message_dict == {"enterprise": ["请选择被抽样的本区生产企业或本区注册人/备案人"]}
    assert twice.value.messages == ["本样品已关联有因/体系检查"]
    assert list(Inspection.objects.values_list("kind", flat=True)) == ["full"]


def test_local_registrant_of_an_operators_sample_is_the_manufacturer(district, maker):
    shop = EnterpriseFactory(subdistrict=district.sub_a)
    sample = FailedSampleFactory(enterprise=shop, registrant=maker, unit=district.station_a)

    assert services.local_manufacturers(sample) == [maker]


# --- 停产整改 ---------------------------------------------------------------------------------------------

def test_suspension_blocks_resume_until_cause_and_rectification_are_recorded(district, failed):
    user = district.section_user
    started = TODAY - dt.timedelta(days=10)

    suspension = services.disposal_suspension_start(sample=failed, enterprise=failed.enterprise, started_on=started,
                                                    by=user)
    failed.refresh_from_db()
    failed.enterprise.refresh_from_db()
    assert failed.suspension == suspension
    assert (suspension.kind, suspension.source, suspension.started_on) == ("ordered", failed, started)
    assert failed.sample_no in suspension.source_label
    assert failed.enterprise.status == EnterpriseStatus.PRODUCTION_STOPPED

    with pytest.raises(ValidationError) as refused:
        production_resume(suspension=suspension, resumed_on=TODAY, by=user)
    suspension.refresh_from_db()
    assert refused.value.message_dict == {"resumed_on": ["责令停产整改尚未记录原因分析和整改情况，不能复产"]}
    assert suspension.resumed_on is None

    suspension_record_rectification(suspension=suspension, cause="灭菌柜温度探头失准", rectification="更换探头并再验证",
                                    by=user)
    production_resume(suspension=suspension, resumed_on=TODAY, by=user)
    suspension.refresh_from_db()
    failed.enterprise.refresh_from_db()
    assert suspension.resumed_on == TODAY
    assert failed.enterprise.status == EnterpriseStatus.ACTIVE


def test_station_user_cannot_suspend_a_manufacturer_of_the_section(district, failed):
    with pytest.raises(ValidationError) as refused:
        services.disposal_suspension_start(sample=failed, enterprise=failed.enterprise, started_on=TODAY,
                                           by=district.inspector_a)

    assert refused.value.message_dict == {"enterprise": ["该企业由药械科监管，请由其监管单位或药械科办理停产整改"]}
    assert not ProductionSuspension.objects.exists()


# --- case ------------------------------------------------------------------------------------------------

def test_case_is_opened_through_the_case_service_or_linked(district, failed):
    case = services.disposal_case_open(sample=failed, enterprise=failed.enterprise, filed_on=TODAY,
                                       by=district.section_user)
    failed.refresh_from_db()
    other = FailedSampleFactory(enterprise=failed.enterprise, unit=district.station_a,
                                sampled_on=dt.date(2020, 1, 1))
    services.disposal_case_link(sample=other, case=case, by=district.section_user)
    foreign = CaseFactory(enterprise=EnterpriseFactory(subdistrict=district.sub_b), unit=district.station_b)
    third = FailedSampleFactory(enterprise=failed.enterprise, unit=district.station_a, sampled_on=dt.date(2019, 1, 1))
    with pytest.raises(ValidationError):
        services.disposal_case_link(sample=third, case=foreign, by=district.section_user)

    other.refresh_from_db()
    third.refresh_from_db()
    assert failed.case == case == other.case
    assert (case.unit, case.status, case.enterprise) == (district.section, "filed", failed.enterprise)
    assert failed.sample_no in case.violation
    assert third.case is None
    assert Case.objects.count() == 2


# --- 从严查处 ---------------------------------------------------------------------------------------------

def test_second_failure_within_two_years_is_strict_with_one_credit_record(district, maker):
    first = FailedSampleFactory(enterprise=maker, unit=district.station_a, sampled_on=dt.date(2023, 3, 1))
    second = FailedSampleFactory(enterprise=maker, unit=district.station_a, sampled_on=dt.date(2025, 2, 28))

    services.disposal_strict_check(sample=second, by=district.section_user)
    services.disposal_strict_check(sample=second, by=district.section_user)  # again: nothing more
    services.disposal_strict_check(sample=first, by=district.section_user)  # the earlier one is not flagged

    first.refresh_from_db()
    second.refresh_from_db()
    [record] = CreditRecord.objects.all()
    assert (second.strict, second.credit_record, first.strict) == (True, record, False)
    assert (record.enterprise, record.kind) == (maker, "bad_credit")
    assert first.sample_no in record.reason and second.sample_no in record.reason


def test_failures_25_months_apart_are_not_strict(district, maker):
    FailedSampleFactory(enterprise=maker, unit=district.station_a, sampled_on=dt.date(2022, 1, 10))
    later = FailedSampleFactory(enterprise=maker, unit=district.station_a, sampled_on=dt.date(2024, 2, 10))
    passed = SampleFactory(enterprise=maker, unit=district.station_a, sampled_on=dt.date(2023, 6, 1),
                           conclusion="passed")

    services.control_add(sample=later, enterprise=maker, measure="recall", done_on=TODAY,
                         by=district.section_user)

    later.refresh_from_db()
    assert (later.strict, later.credit_record) == (False, None)
    assert not services.is_repeat_failure(later)
    assert not CreditRecord.objects.exists()
    assert passed.conclusion == "passed"


def test_any_disposal_action_applies_the_repeat_rule(district, maker):
    FailedSampleFactory(enterprise=maker, unit=district.station_a, sampled_on=dt.date(2024, 1, 10))
    later = FailedSampleFactory(enterprise=maker, unit=district.station_a, sampled_on=dt.date(2024, 9, 10))

    services.control_add(sample=later, enterprise=maker, measure="recall", done_on=TODAY, by=district.section_user)

    later.refresh_from_db()
    assert later.strict is True
    assert CreditRecord.objects.count() == 1


# --- risk candidates ---------------------------------------------------------------------------------------

def _concluded(sample, on):
    SampleStep.objects.create(sample=sample, step=SampleStepKind.CONCLUDED, done_on=on)
    return sample


def test_sampling_candidates_of_the_quarter_with_their_levels(district, maker):
    shop = EnterpriseFactory(name="五马康复器材店", subdistrict=district.sub_a,
                             tags=[TagFactory(code="implant", name="植入")])
    sterile = _concluded(FailedSampleFactory(enterprise=maker, unit=district.station_a,
                                             product_name="一次性使用无菌注射器"), dt.date(2024, 5, 20))
    plain = _concluded(FailedSampleFactory(enterprise=EnterpriseFactory(subdistrict=district.sub_b),
                                           unit=district.station_b, product_name="医用电子体温计"), dt.date(2024, 6, 30))
    tagged = _concluded(FailedSampleFactory(enterprise=shop, unit=district.station_a, product_name="骨科固定板"),
                        dt.date(2024, 4, 1))
    _concluded(FailedSampleFactory(enterprise=maker, unit=district.station_a, sampled_on=dt.date(2024, 1, 5),
                                   product_name="医用口罩"), dt.date(2024, 3, 31))  # previous quarter
    _concluded(SampleFactory(enterprise=maker, unit=district.station_a, conclusion="passed"), dt.date(2024, 5, 1))

    found = list(sampling_candidates(start=dt.date(2024, 4, 1), end=dt.date(2024, 6, 30), today=dt.date(2024, 7, 5)))

    assert [(c.source, c.suggested_level, c.occurred_on) for c in found] == [
        (tagged, "high", dt.date(2024, 4, 1)),
        (sterile, "high", dt.date(2024, 5, 20)),
        (plain, "medium", dt.date(2024, 6, 30)),
    ]
    assert found[2].source_kind == "sampling"
    assert found[2].url == f"/monitoring/sampling/samples/{plain.pk}/disposal/"
    assert found[2].unit_id == district.station_b.pk


def test_repeat_failure_is_a_high_candidate(district):
    shop = EnterpriseFactory(subdistrict=district.sub_a)
    FailedSampleFactory(enterprise=shop, unit=district.station_a, sampled_on=dt.date(2023, 9, 1))
    later = _concluded(FailedSampleFactory(enterprise=shop, unit=district.station_a, sampled_on=dt.date(2024, 4, 2),
                                           product_name="医用电子体温计"), dt.date(2024, 5, 6))

    [candidate] = sampling_candidates(start=dt.date(2024, 4, 1), end=dt.date(2024, 6, 30), today=dt.date(2024, 7, 5))

    assert (candidate.source, candidate.suggested_level) == (later, "high")
