"""A small hand-built district used by the report tests. Expected numbers are in test_scenario.py."""

import datetime as dt

from enterprises.choices import EnterpriseStatus, Role
from enterprises.models import EnterpriseStatusChange, Tag
from enterprises.tests.factories import (
    EnterpriseFactory,
    LicenceFactory,
    SubdistrictFactory,
    UnitFactory,
    UserFactory,
)
from inspections.choices import CaseProcedure, InspectionStatus, ReferralTarget

from .factories import (
    CampaignFactory,
    CaseFactory,
    DueDateFactory,
    InspectionFactory,
    InterviewFactory,
    PenalisedPersonFactory,
    RectificationFactory,
    ReferralFactory,
)

D = dt.date


def tags(*codes):
    return list(Tag.objects.filter(code__in=codes))


def build(forms) -> dict:
    unit_a = UnitFactory(name="五马市场监管所", short_name="五马所", phone="0577-88001111")
    unit_b = UnitFactory(name="大南市场监管所", short_name="大南所", phone="0577-88002222")
    sub_a, sub_b = SubdistrictFactory(unit=unit_a), SubdistrictFactory(unit=unit_b)
    campaign = CampaignFactory(units=[unit_a, unit_b], forms=list(forms.values()))
    for day in (D(2023, 6, 25), D(2023, 9, 25), D(2023, 12, 25)):
        due = DueDateFactory(campaign=campaign, due_on=day)
    due.reopened = True  # the 12-25 period stays open for these tests (today is after it)
    due.save()
    other = CampaignFactory(name="另一个专项")

    flags = {"is_operator": False}
    # E1: manufacturer in 4 rows (口罩生产, 无菌植入生产, 医美生产, 透明质酸钠生产)
    e1 = EnterpriseFactory(name="E1口罩无菌医美生产", subdistrict=sub_a, is_manufacturer=True, is_registrant=True,
                           tags=tags("mask", "sterile", "aesthetic-ha-gel"), **flags)
    # E2: online operator of coloured contact lenses
    e2 = EnterpriseFactory(name="E2彩色隐形眼镜网店", subdistrict=sub_a, is_operator=True, is_online_seller=True,
                           tags=tags("colored-contact-lens"))
    # E3: hospital using VBP implants (unit B)
    e3 = EnterpriseFactory(name="E3医院", subdistrict=sub_b, is_user_unit=True, tags=tags("vbp", "implant"), **flags)
    # E4: operator of COVID antigen tests (unit B)
    e4 = EnterpriseFactory(name="E4抗原经营", subdistrict=sub_b, is_operator=True, tags=tags("covid-antigen"))
    # E5: cancelled after the cut-off -> still active at the cut-off; E6: cancelled before it
    e5 = EnterpriseFactory(name="E5口罩生产", subdistrict=sub_b, is_manufacturer=True, tags=tags("mask"),
                           status=EnterpriseStatus.CANCELLED, **flags)
    EnterpriseStatusChange.objects.create(enterprise=e5, from_status=EnterpriseStatus.ACTIVE,
                                          to_status=EnterpriseStatus.CANCELLED, effective_on=D(2023, 10, 15),
                                          reason="注销")
    e6 = EnterpriseFactory(name="E6口罩生产", subdistrict=sub_b, is_manufacturer=True, tags=tags("mask"),
                           status=EnterpriseStatus.CANCELLED, **flags)
    EnterpriseStatusChange.objects.create(enterprise=e6, from_status=EnterpriseStatus.ACTIVE,
                                          to_status=EnterpriseStatus.CANCELLED, effective_on=D(2023, 8, 1),
                                          reason="注销")
    c = [campaign]
    i1 = InspectionFactory(enterprise=e1, unit=unit_a, start_date=D(2023, 5, 10), staff_count=3, campaigns=c)
    RectificationFactory(inspection=i1, ordered_on=D(2023, 5, 10), completed_on=D(2023, 6, 1))
    i2 = InspectionFactory(enterprise=e1, unit=unit_a, start_date=D(2023, 7, 1), staff_count=2, campaigns=c)
    RectificationFactory(inspection=i2, ordered_on=D(2023, 7, 1))
    InspectionFactory(enterprise=e1, unit=unit_a, start_date=D(2023, 3, 20), campaigns=c)  # before the start
    InspectionFactory(enterprise=e1, unit=unit_a, start_date=D(2023, 10, 5), campaigns=c)  # after the cut-off
    InspectionFactory(enterprise=e1, unit=unit_a, start_date=D(2023, 6, 1), campaigns=c,
                      status=InspectionStatus.DRAFT)  # not finalised
    InspectionFactory(enterprise=e1, unit=unit_a, start_date=D(2023, 6, 2), campaigns=[other])  # other campaign
    i7 = InspectionFactory(enterprise=e2, unit=unit_a, start_date=D(2023, 8, 8), staff_count=2, campaigns=c)
    RectificationFactory(inspection=i7, ordered_on=D(2023, 8, 8), completed_on=D(2023, 10, 10))
    InspectionFactory(enterprise=e3, unit=unit_b, start_date=D(2023, 5, 5), staff_count=4, campaigns=c)
    i9 = InspectionFactory(enterprise=e4, unit=unit_b, start_date=D(2023, 6, 6), staff_count=2, campaigns=c)
    RectificationFactory(inspection=i9, ordered_on=D(2023, 6, 6), completed_on=D(2023, 6, 20))
    # unit A inspects unit B's hospital: a record of unit A
    InspectionFactory(enterprise=e3, unit=unit_a, start_date=D(2023, 9, 1), staff_count=2, campaigns=c)

    InterviewFactory(enterprise=e1, unit=unit_a, held_on=D(2023, 5, 20), campaigns=c)
    InterviewFactory(enterprise=e1, unit=unit_a, held_on=D(2023, 6, 20), campaigns=c)
    InterviewFactory(enterprise=e4, unit=unit_b, held_on=D(2023, 7, 7), campaigns=c)
    InterviewFactory(enterprise=e1, unit=unit_b, held_on=D(2023, 8, 1), campaigns=c)

    k1 = CaseFactory(enterprise=e1, unit=unit_a, filed_on=D(2023, 5, 15), decided_on=D(2023, 6, 20), fine_amount=20000,
                     confiscation_amount=5000, suspension_ordered=True, listed_serious_dishonest=True, campaigns=c)
    PenalisedPersonFactory(case=k1, fine_amount=10000)
    PenalisedPersonFactory(case=k1, fine_amount=5000)
    ReferralFactory(enterprise=e1, unit=unit_a, case=k1, target=ReferralTarget.POLICE,
                    referred_on=D(2023, 5, 30), campaigns=c)
    ReferralFactory(enterprise=e1, unit=unit_a, case=k1, target=ReferralTarget.HEALTH,
                    referred_on=D(2023, 6, 10), campaigns=c)
    CaseFactory(enterprise=e2, unit=unit_a, filed_on=D(2023, 9, 30), decided_on=D(2023, 9, 30), fine_amount=3333,
                revoked_licence=LicenceFactory(enterprise=e2), campaigns=c)
    CaseFactory(enterprise=e4, unit=unit_b, filed_on=D(2023, 7, 1), decided_on=D(2023, 7, 1),
                procedure=CaseProcedure.SIMPLE, fine_amount=200, campaigns=c)
    CaseFactory(enterprise=e4, unit=unit_b, filed_on=D(2023, 10, 1), fine_amount=99999, campaigns=c)
    ReferralFactory(enterprise=e2, unit=unit_a, target=ReferralTarget.TELECOM, referred_on=D(2023, 8, 9),
                    campaigns=c)
    ReferralFactory(enterprise=e4, unit=unit_b, target=ReferralTarget.CUSTOMS, referred_on=D(2023, 7, 2),
                    campaigns=c)
    ReferralFactory(enterprise=e4, unit=unit_b, target=ReferralTarget.DISCIPLINE, referred_on=D(2023, 6, 15),
                    campaigns=c)
    ReferralFactory(enterprise=e4, unit=unit_b, target=ReferralTarget.POLICE, referred_on=D(2023, 3, 1),
                    campaigns=c)  # before the start

    user_a = UserFactory(unit=unit_a, full_name="张所员", phone="13800000001")
    user_b = UserFactory(unit=unit_b, full_name="李所员")
    district_unit = UnitFactory(name="区局药械科", kind="section")
    section = UserFactory(unit=district_unit, role=Role.SECTION_STAFF, full_name="王科员", phone="0577-88990000")
    chief = UserFactory(unit=district_unit, role=Role.LEADER, full_name="赵科长")
    return {"campaign": campaign, "unit_a": unit_a, "unit_b": unit_b, "user_a": user_a, "user_b": user_b,
            "section": section, "chief": chief, "due": due, "e1": e1, "e4": e4}
