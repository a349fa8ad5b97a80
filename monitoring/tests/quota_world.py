"""A small district with hand-counted AE figures for the quota tests (2024, a leap year of 366 days).

甲所: 街道 A 800,000 + 街道 B 400,000 = 1,200,000 people; 乙所: 街道 C 50,000. District 1,250,000.

Counted reports (reporting unit in the district), all dated on the 10th of the month:

    month    Jan Feb Mar Apr May Jun | Jul
    甲所      25  25  20  20  20  20 |  3   (130 by 30 June; Jul by hospital H1)
    乙所       4   4   2   4   3   3 |  -   (20 by 30 June)
    district  29  29  22  24  23  23 |  3   (150 by 30 June: Q1 80, Q2 70)

Kinds by 30 June: 甲 use 100, operation 20, manufacture 10; 乙 use 15, individual 5.
Not counted: 5 reports of 2024-03-10 with neither a matched reporter nor a 街道/镇 (outside the district
under the default rule), 2 reports of 2023.

二级以上 hospitals: H1 甲 三甲 (reports in 2024), H2 甲 二级 (one report, 2023-11-20), H3 乙 二乙 (reports in
2024), H4 乙 三级 (never reported). Not counted: H6 甲 一级, a clinic, H7 甲 三甲 cancelled.

Registrants: R1 甲 registered 2023-05-01; R2 甲 no record; R3 乙 record, unregistered; R4 乙 registered
2024-08-01; R5 甲 registered, no date; R7 甲 registered 2024-03-01; R6 甲 cancelled (not counted).
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from enterprises.choices import EnterpriseStatus, HospitalGrade, InstitutionType
from enterprises.tests.factories import EnterpriseFactory, SubdistrictFactory, UnitFactory
from monitoring.choices import EventOutcome, ReporterKind
from monitoring.models import AdverseEventReport, PopulationFigure, RegistrantRegistration

YEAR = 2024
AS_OF = dt.date(2024, 6, 30)

JIA_MONTHS = {1: 25, 2: 25, 3: 20, 4: 20, 5: 20, 6: 20}
YI_MONTHS = {1: 4, 2: 4, 3: 2, 4: 4, 5: 3, 6: 3}


def _hospital(sd, name, grade, **extra):
    return EnterpriseFactory(subdistrict=sd, name=name, is_operator=False, is_user_unit=True,
                             institution_type=InstitutionType.HOSPITAL, hospital_grade=grade, **extra)


def _registrant(sd, name, **extra):
    return EnterpriseFactory(subdistrict=sd, name=name, is_operator=False, is_manufacturer=True,
                             is_registrant=True, **extra)


def build_quota_district() -> SimpleNamespace:
    jia = UnitFactory(name="甲市场监管所", short_name="甲所", sort_order=1)
    yi = UnitFactory(name="乙市场监管所", short_name="乙所", sort_order=2)
    sd_a = SubdistrictFactory(name="甲一街道", unit=jia)
    sd_b = SubdistrictFactory(name="甲二街道", unit=jia)
    sd_c = SubdistrictFactory(name="乙一街道", unit=yi)
    for sd, people in ((sd_a, 800_000), (sd_b, 400_000), (sd_c, 50_000)):
        PopulationFigure.objects.create(year=YEAR, subdistrict=sd, population=people, source="统计年鉴")
    PopulationFigure.objects.create(year=YEAR - 1, subdistrict=sd_a, population=790_000, source="统计年鉴")

    h1 = _hospital(sd_a, "甲区人民医院", HospitalGrade.GRADE_3A)
    h2 = _hospital(sd_b, "甲区第二医院", HospitalGrade.GRADE_2)
    h3 = _hospital(sd_c, "乙镇中心医院", HospitalGrade.GRADE_2B)
    h4 = _hospital(sd_c, "乙镇骨科医院", HospitalGrade.GRADE_3)
    h6 = _hospital(sd_a, "甲区社区医院", HospitalGrade.GRADE_1)
    h7 = _hospital(sd_a, "甲区已注销医院", HospitalGrade.GRADE_3A, status=EnterpriseStatus.CANCELLED)
    clinic = EnterpriseFactory(subdistrict=sd_a, name="甲区诊所", is_operator=False, is_user_unit=True,
                               institution_type=InstitutionType.CLINIC)

    r1 = _registrant(sd_a, "甲注册人一")
    r2 = _registrant(sd_a, "甲注册人二")
    r3 = _registrant(sd_c, "乙注册人三")
    r4 = _registrant(sd_c, "乙注册人四")
    r5 = _registrant(sd_b, "甲注册人五")
    r6 = _registrant(sd_a, "甲注册人六（注销）", status=EnterpriseStatus.CANCELLED)
    r7 = _registrant(sd_b, "甲注册人七")
    RegistrantRegistration.objects.create(enterprise=r1, registered=True, registered_on=dt.date(2023, 5, 1))
    RegistrantRegistration.objects.create(enterprise=r3, registered=False)
    RegistrantRegistration.objects.create(enterprise=r4, registered=True, registered_on=dt.date(2024, 8, 1))
    RegistrantRegistration.objects.create(enterprise=r5, registered=True)
    RegistrantRegistration.objects.create(enterprise=r6, registered=False)
    RegistrantRegistration.objects.create(enterprise=r7, registered=True, registered_on=dt.date(2024, 3, 1))

    reports = []
    serial = iter(range(1, 10_000))

    def add(on, *, unit=None, sd=None, kind=ReporterKind.USE, reporter=None):
        reports.append(AdverseEventReport(
            code=f"AE{next(serial):05d}", reported_on=on, reporter_kind=kind, reporter=reporter,
            reporter_name=reporter.name if reporter else "", outcome=EventOutcome.OTHER, product_name="一次性输液器",
            subdistrict=sd, unit=unit))

    # 甲所: the first 100 (by month order) are 使用单位 reports, then 20 经营, then 10 生产; H1 files one a month.
    jia_kinds = [ReporterKind.USE] * 100 + [ReporterKind.OPERATION] * 20 + [ReporterKind.MANUFACTURE] * 10
    i = 0
    for month, n in JIA_MONTHS.items():
        for k in range(n):
            add(dt.date(YEAR, month, 10), unit=jia, sd=sd_a, kind=jia_kinds[i], reporter=h1 if k == 0 else None)
            i += 1
    # 乙所: 15 使用单位 then 5 个人; H3 files the first of each month.
    yi_kinds = [ReporterKind.USE] * 15 + [ReporterKind.INDIVIDUAL] * 5
    i = 0
    for month, n in YI_MONTHS.items():
        for k in range(n):
            add(dt.date(YEAR, month, 10), unit=yi, sd=sd_c, kind=yi_kinds[i], reporter=h3 if k == 0 else None)
            i += 1
    for _ in range(3):
        add(dt.date(YEAR, 7, 10), unit=jia, sd=sd_a, reporter=h1)
    for _ in range(5):
        add(dt.date(YEAR, 3, 10), kind=ReporterKind.OTHER)
    add(dt.date(2023, 11, 20), unit=jia, sd=sd_b, reporter=h2)
    add(dt.date(2023, 12, 31), unit=yi, sd=sd_c)
    AdverseEventReport.objects.bulk_create(reports)
    return SimpleNamespace(jia=jia, yi=yi, sd_a=sd_a, sd_b=sd_b, sd_c=sd_c, h1=h1, h2=h2, h3=h3, h4=h4, h6=h6,
                           h7=h7, clinic=clinic, r1=r1, r2=r2, r3=r3, r4=r4, r5=r5, r6=r6, r7=r7)
