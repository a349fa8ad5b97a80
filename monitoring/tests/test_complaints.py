"""Complaints and public opinion: the services (rules, units, scoping) and the risk-candidate providers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from enterprises.tests.factories import EnterpriseFactory
from monitoring.choices import ComplaintKind, RiskLevel, RiskSource
from monitoring.complaint_risk import complaint_candidates, opinion_candidates
from monitoring.models import Complaint
from monitoring.risk_sources import candidates_for
from monitoring.services.complaints import (
    ComplaintInput,
    complaint_create,
    complaint_delete,
    complaint_update,
)
from regsys.versioning import EditConflict

from .factories import ComplaintFactory, RiskFactory

pytestmark = pytest.mark.django_db
D = dt.date


def _input(**overrides) -> ComplaintInput:
    values = {"kind": ComplaintKind.COMPLAINT, "received_on": D(2024, 5, 6), "source": "12315平台",
              "summary": "消费者反映购买的血压计示值不准"}
    values.update(overrides)
    return ComplaintInput(**values)


def _rows():
    return sorted(Complaint.objects.values_list())


# ---------------------------------------------------------------- create


def test_station_records_for_its_own_unit(district):
    shop = EnterpriseFactory(name="五马大药房", subdistrict=district.sub_a)

    complaint = complaint_create(data=_input(enterprise=shop, product="电子血压计"), by=district.inspector_a)

    assert (complaint.unit, complaint.subject_name, complaint.created_by) == (
        district.station_a, "五马大药房", district.inspector_a)
    assert complaint.history.count() == 1


def test_section_record_goes_to_the_enterprises_station_by_default(district):
    shop = EnterpriseFactory(subdistrict=district.sub_b)

    complaint = complaint_create(data=_input(enterprise=shop), by=district.section_user)
    outside = complaint_create(data=_input(subject_name="某网店"), by=district.section_user)
    chosen = complaint_create(data=_input(enterprise=shop), unit=district.station_a, by=district.section_user)

    assert complaint.unit == district.station_b
    assert outside.unit == district.section
    assert chosen.unit == district.station_a


def test_station_cannot_record_for_another_unit_or_about_its_enterprise(district):
    other_shop = EnterpriseFactory(subdistrict=district.sub_b)
    before = _rows()

    with pytest.raises(PermissionDenied):
        complaint_create(data=_input(subject_name="某网店"), unit=district.station_b, by=district.inspector_a)
    with pytest.raises(ValidationError) as refused:
        complaint_create(data=_input(enterprise=other_shop), by=district.inspector_a)

    assert refused.value.message_dict == {"enterprise": ["该企业不在你的监管范围内"]}
    assert _rows() == before


def test_auditor_cannot_record(district):
    with pytest.raises(PermissionDenied):
        complaint_create(data=_input(subject_name="某网店"), by=district.auditor)
    assert Complaint.objects.count() == 0


@pytest.mark.parametrize(("overrides", "errors"), [
    ({"source": " ", "summary": ""}, {"source": ["请填写来源渠道"], "summary": ["请填写内容摘要"],
                                       "subject_name": ["请选择涉及企业，或填写涉及单位名称或涉及产品"]}),
    ({"kind": "rumour", "subject_name": "x"}, {"kind": ["请选择类别"]}),
    ({"received_on": dt.date.today() + dt.timedelta(days=1), "product": "口罩"},
     {"received_on": ["受理/发现日期不能晚于今天"]}),
    ({"handled_on": D(2024, 5, 1), "handling": "已处理", "product": "口罩"},
     {"handled_on": ["办结日期不能早于受理/发现日期"]}),
    ({"handled_on": D(2024, 5, 8), "product": "口罩"}, {"handling": ["办结时请填写处理情况"]}),
    ({"substantiated": True, "product": "口罩"}, {"handling": ["填写核查结论时请同时填写处理情况"]}),
])
def test_bad_input_is_refused_in_chinese(district, overrides, errors):
    with pytest.raises(ValidationError) as refused:
        complaint_create(data=_input(**overrides), by=district.inspector_a)

    assert refused.value.message_dict == errors
    assert Complaint.objects.count() == 0


# ---------------------------------------------------------------- update and delete


def test_station_closes_its_complaint_with_version(district):
    complaint = ComplaintFactory(enterprise=EnterpriseFactory(subdistrict=district.sub_a))
    data = _input(enterprise=complaint.enterprise, handling="现场核实属实，已责令改正", substantiated=True,
                  handled_on=D(2024, 5, 20))

    saved = complaint_update(complaint=complaint, data=data, by=district.inspector_a, version=complaint.version)

    assert (saved.substantiated, saved.handled_on, saved.version) == (True, D(2024, 5, 20), 2)
    with pytest.raises(EditConflict):
        complaint_update(complaint=complaint, data=_input(enterprise=complaint.enterprise, summary="改"),
                         by=district.inspector_a, version=1)
    assert Complaint.objects.get(pk=complaint.pk).summary == "消费者反映购买的血压计示值不准"


def test_station_cannot_change_another_units_record(district):
    complaint = ComplaintFactory(enterprise=EnterpriseFactory(subdistrict=district.sub_b))
    before = _rows()

    with pytest.raises(PermissionDenied):
        complaint_update(complaint=complaint, data=_input(subject_name="x"), by=district.inspector_a,
                         version=complaint.version)
    with pytest.raises(PermissionDenied):
        complaint_delete(complaint=complaint, by=district.inspector_a)

    assert _rows() == before


def test_section_hands_a_record_to_another_unit_and_the_station_keeps_its_enterprise(district):
    other_shop = EnterpriseFactory(subdistrict=district.sub_b)
    complaint = complaint_create(data=_input(enterprise=other_shop), unit=district.station_a,
                                 by=district.section_user)

    # the 五马所 handles it: the enterprise of 藤桥所 already on the record stays acceptable
    saved = complaint_update(complaint=complaint, data=_input(enterprise=other_shop, handling="已转交属地核查"),
                             by=district.inspector_a, version=complaint.version)
    moved = complaint_update(complaint=saved, data=_input(enterprise=other_shop, handling="已转交属地核查"),
                             unit=district.station_b, by=district.section_user, version=saved.version)

    assert saved.handling == "已转交属地核查"
    assert moved.unit == district.station_b


def test_delete_refused_once_in_the_register(district):
    complaint = ComplaintFactory(enterprise=EnterpriseFactory(subdistrict=district.sub_a))
    RiskFactory(enterprise=complaint.enterprise, source_kind=RiskSource.COMPLAINT,
                source_type=ContentType.objects.get_for_model(Complaint), source_id=complaint.pk)
    spare = ComplaintFactory(enterprise=complaint.enterprise)

    with pytest.raises(ValidationError) as refused:
        complaint_delete(complaint=complaint, by=district.section_user)
    complaint_delete(complaint=spare, by=district.inspector_a)

    assert refused.value.messages == ["该记录已纳入风险清单，不能删除"]
    assert list(Complaint.objects.values_list("pk", flat=True)) == [complaint.pk]


# ---------------------------------------------------------------- risk candidates


def test_quarter_candidates(district):
    shop = EnterpriseFactory(name="藤桥眼镜店", subdistrict=district.sub_b)
    q2 = (D(2024, 4, 1), D(2024, 6, 30))
    true_complaint = ComplaintFactory(enterprise=shop, received_on=D(2024, 5, 6), substantiated=True,
                                      handling="属实", product="彩色隐形眼镜")
    ComplaintFactory(enterprise=shop, received_on=D(2024, 5, 7), substantiated=False, handling="不属实")
    ComplaintFactory(enterprise=shop, received_on=D(2024, 5, 8))  # not yet checked
    ComplaintFactory(enterprise=shop, received_on=D(2024, 3, 31), substantiated=True, handling="属实")  # Q1
    opinion = ComplaintFactory(kind=ComplaintKind.OPINION, enterprise=None, subject_name="某短视频直播间",
                               unit=district.section, received_on=D(2024, 6, 30), product="制氧机")
    ComplaintFactory(kind=ComplaintKind.OPINION, enterprise=None, subject_name="谣言", unit=district.section,
                     received_on=D(2024, 6, 1), substantiated=False, handling="经核实为谣言")
    ComplaintFactory(kind=ComplaintKind.OPINION, enterprise=None, subject_name="七月", unit=district.section,
                     received_on=D(2024, 7, 1))

    complaints = complaint_candidates(start=q2[0], end=q2[1], today=D(2024, 7, 5))
    opinions = opinion_candidates(start=q2[0], end=q2[1], today=D(2024, 7, 5))

    assert [(c.source, c.title, c.enterprise_id, c.unit_id, c.suggested_level) for c in complaints] == [
        (true_complaint, "投诉举报属实：藤桥眼镜店、彩色隐形眼镜", shop.pk, district.station_b.pk, RiskLevel.MEDIUM)]
    assert complaints[0].url == f"/monitoring/complaints/{true_complaint.pk}/"
    assert complaints[0].identity == f"monitoring.complaint:{true_complaint.pk}"
    assert [(c.source, c.title, c.unit_id, c.suggested_level, c.source_kind) for c in opinions] == [
        (opinion, "舆情：某短视频直播间、制氧机", district.section.pk, RiskLevel.LOW, RiskSource.OPINION)]


def test_providers_are_registered(district):
    shop = EnterpriseFactory(subdistrict=district.sub_a)
    ComplaintFactory(enterprise=shop, received_on=D(2024, 5, 6), substantiated=True, handling="属实")
    ComplaintFactory(kind=ComplaintKind.OPINION, enterprise=shop, received_on=D(2024, 5, 9))

    found = candidates_for(start=D(2024, 4, 1), end=D(2024, 6, 30), today=D(2024, 7, 1))

    mine = [c.source_kind for c in found if c.source_kind in (RiskSource.COMPLAINT, RiskSource.OPINION)]
    assert mine == [RiskSource.COMPLAINT, RiskSource.OPINION]
