"""A district with two 监管所, each owning one of every kind of record, for the access matrix and the
payload-tampering suite: every URL kwarg and every related id can be filled with the other unit's object.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.files.base import ContentFile

from campaigns.models import Campaign, CampaignDueDate, FormTemplate
from enterprises.choices import OperationMode, OwnerRuleRole, OwnerTarget, Role, UnitKind
from enterprises.grading.services import grades_propose, scheme_ensure
from enterprises.models import CreditRecord, EnterpriseGrade, ImportJob, OwnershipRule, Unit, User
from enterprises.tests.factories import (
    EnterpriseFactory,
    LicenceFactory,
    SubdistrictFactory,
    UnitFactory,
    UserFactory,
)
from inspections.choices import ReferralTarget
from inspections.models import (
    Attachment,
    ChecklistTemplate,
    InspectionPlan,
    Interview,
    PlanItem,
    Referral,
)
from inspections.planning.generate import plan_generate
from inspections.planning.services import draw_create, targets_ensure
from inspections.planning.tests.factories import ConflictFactory
from inspections.tests.factories import CaseFactory, FindingFactory, InspectionFactory, RectificationFactory
from monitoring.choices import EventOutcome, ReporterKind
from monitoring.models import (
    AdverseEventReport,
    AEImportJob,
    ImportProfile,
    PopulationFigure,
    RegistrantRegistration,
    TrainingAttendance,
    TrainingCourse,
)
from reporting.models import ExportJob, Return

YEAR = dt.date.today().year


@dataclass
class Side:
    """One 所 and one record of every kind it owns (keys are the names used by the matrix)."""

    unit: Unit
    user: User
    colleague: User
    objects: dict = field(default_factory=dict)

    def __getitem__(self, key):
        return self.objects[key]


@dataclass
class World:
    mine: Side
    other: Side
    district_user: User
    auditor: User
    section: Unit
    template: FormTemplate


def _side(name: str, template: FormTemplate, checklist: ChecklistTemplate) -> Side:
    sd = SubdistrictFactory(unit=UnitFactory(name=f"{name}市场监管所", short_name=f"{name}所"))
    unit = sd.unit
    enterprise = EnterpriseFactory(subdistrict=sd, name=f"{name}医疗器械商行", operation_mode=OperationMode.RETAIL)
    second = EnterpriseFactory(subdistrict=sd, name=f"{name}医疗器械商行二", operation_mode=OperationMode.RETAIL)
    user, colleague = UserFactory(unit=unit), UserFactory(unit=unit)
    licence = LicenceFactory(enterprise=enterprise)
    inspection = InspectionFactory(enterprise=enterprise, officers=[user, colleague], conclusion="",
                                   start_date=dt.date(YEAR, 1, 2), checklist=checklist)
    inspection.status = "draft"
    inspection.save()
    finding = FindingFactory(inspection=inspection)
    done = InspectionFactory(enterprise=second, officers=[user, colleague], start_date=dt.date(YEAR, 1, 3))
    rectification = RectificationFactory(inspection=done)
    attachment = Attachment.objects.create(inspection=inspection, kind=Attachment.Kind.PHOTO, original_name="现场.png",
                                           file=ContentFile(b"\x89PNG\r\n\x1a\n", name="a.png"), size=8,
                                           uploaded_by=user)
    case = CaseFactory(enterprise=enterprise, source_inspection=done, unit=unit)
    case.handlers.set([user])
    interview = Interview.objects.create(enterprise=enterprise, unit=unit, held_on=dt.date(YEAR, 1, 4),
                                         persons="张三")
    referral = Referral.objects.create(enterprise=enterprise, unit=unit, case=case, target=ReferralTarget.POLICE,
                                       referred_on=dt.date(YEAR, 1, 5))
    grades_propose(year=YEAR, unit=unit, by=None)
    plan_generate(unit=unit, year=YEAR, by=None, seed="x")
    plan = InspectionPlan.objects.filter(unit=unit).order_by("pk").first()
    item = PlanItem.objects.filter(plan=plan, enterprise=enterprise).first() or PlanItem.objects.create(
        plan=plan, enterprise=enterprise, kind="routine", target_month=6)
    draw = draw_create(unit=unit, year=YEAR, name=f"{name}抽取", ratio="0.5", seed="x", by=None)
    conflict = ConflictFactory(officer=colleague, enterprise=second)
    credit = CreditRecord.objects.create(enterprise=enterprise, kind="bad_credit", recorded_on=dt.date(YEAR, 1, 3),
                                         reason=f"{name}不良记录")
    campaign = Campaign.objects.create(name=f"{name}专项", year=YEAR, start_date=dt.date(YEAR, 1, 1),
                                       end_date=dt.date(YEAR, 12, 31))
    campaign.units.set([unit])
    campaign.forms.set([template])
    due = CampaignDueDate.objects.create(campaign=campaign, due_on=dt.date(YEAR, 6, 25))
    ret = Return.objects.create(campaign=campaign, template=template, unit=unit, cutoff=dt.date(YEAR, 6, 20),
                                due_date=due, data={"total": {}, "units": {}})
    job = ExportJob.objects.create(ret=ret, unit=unit, created_by=user, title=f"{name}报表", status="success",
                                   progress=100)
    job.xlsx.save("r.xlsx", ContentFile(b"PK"), save=False)
    job.docx.save("r.docx", ContentFile(b"PK"), save=True)
    import_job = ImportJob.objects.create(unit=unit, created_by=user, title=f"{name}企业导入", filename="企业.xlsx",
                                          file="imports/企业.xlsx", status="success", progress=100)
    grade = EnterpriseGrade.objects.filter(enterprise=enterprise).first()
    # AE quota inputs (monitoring, registry side): a registrant with its registration, a population figure, a course.
    registrant = EnterpriseFactory(subdistrict=sd, name=f"{name}医疗器械科技有限公司", is_manufacturer=True,
                                   is_registrant=True)
    registration = RegistrantRegistration.objects.create(
        enterprise=registrant, registered=True, registered_on=dt.date(YEAR, 1, 2), evidence_name="注册截图.png",
        evidence=ContentFile(b"\x89PNG\r\n\x1a\n", name="e.png"))
    population = PopulationFigure.objects.create(year=YEAR, subdistrict=sd, population=100000, source="统计年鉴")
    training = TrainingCourse.objects.create(held_on=dt.date(YEAR, 1, 6), topic=f"{name}不良事件监测培训", unit=unit)
    TrainingAttendance.objects.create(course=training, enterprise=registrant, people=2, names="张三、李四")
    ae_report = AdverseEventReport.objects.create(
        code=f"{name}-AE-1", reported_on=dt.date(YEAR, 1, 6), reporter_kind=ReporterKind.USE,
        reporter_name=f"{name}某诊所", outcome=EventOutcome.OTHER, product_name=f"{name}输液器", subdistrict=sd,
        unit=unit)
    ae_import_job = AEImportJob.objects.create(
        profile=ImportProfile.objects.get(is_default=True), unit=unit, created_by=user, title=f"{name}不良事件导入",
        filename="导出.xlsx", file="monitoring/imports/导出.xlsx", status="success", progress=100,
        preview=[{"row": 2, "code": f"{name}-AE-2", "action": "add", "product": "输液器", "reporter": "某诊所",
                  "match": "未匹配", "matched_to": "", "unmatched": True, "unit": "", "changes": []}])
    # complaints: a complaint about the side's enterprise, and a calendar day (district data, changed only by the 药械科)
    from enterprises.models import CalendarDay
    from monitoring.models import Complaint

    complaint = Complaint.objects.create(
        kind="complaint", received_on=dt.date(YEAR, 1, 8), source="12315平台", enterprise=enterprise,
        subject_name=enterprise.name, product="医用口罩", summary=f"{name}消费者反映口罩无中文标签", unit=unit)
    calendar_day = CalendarDay.objects.create(date=dt.date(2099, 1, 2 if name == "甲" else 3), kind="holiday",
                                              name=f"{name}测试假日")
    # UDI rollout: a 三甲 hospital with this year's status (and evidence), a manufacturer's coding record
    from enterprises.models import HospitalUdi, ManufacturerUdi

    udi_hospital = EnterpriseFactory(subdistrict=sd, name=f"{name}区人民医院", is_operator=False, is_user_unit=True,
                                     institution_type="hospital", hospital_grade="3a")
    hospital_udi = HospitalUdi.objects.create(enterprise=udi_hospital, year=YEAR, status="applied",
                                              status_on=dt.date(YEAR, 1, 5),
                                              evidence=ContentFile(b"%PDF-1.4 udi", name="udi.pdf"))
    manufacturer_udi = ManufacturerUdi.objects.create(enterprise=registrant, batch="2", coding="coded",
                                                      products="一次性使用无菌注射器")
    objects = {
        "udi_hospital": udi_hospital, "hospital_udi": hospital_udi, "manufacturer_udi": manufacturer_udi,
        "complaint": complaint, "calendar_day": calendar_day,
        "unit": unit, "subdistrict": sd, "enterprise": enterprise, "licence": licence, "inspection": inspection,
        "finding": finding, "rectification": rectification, "attachment": attachment, "case": case,
        "interview": interview, "referral": referral, "plan": plan, "plan_item": item, "draw": draw,
        "conflict": conflict, "credit_record": credit, "grade": grade, "campaign": campaign, "due_date": due,
        "return": ret, "export_job": job, "import_job": import_job, "user": user, "officer": user,
        "registrant": registrant, "registration": registration, "population": population, "training": training,
        "ae_report": ae_report, "ae_import_job": ae_import_job,
    }
    return Side(unit=unit, user=user, colleague=colleague, objects=objects)


def _monitoring(side: Side, section: Unit) -> None:
    """An AE death report of the side's hospital and the 药械科's evaluation of it."""
    from monitoring.models import AdverseEventReport, Evaluation

    report = AdverseEventReport.objects.create(
        code=f"{side.unit.short_name}AE0001", reported_on=dt.date(YEAR, 1, 6), reporter_kind="use",
        reporter=side["enterprise"], reporter_name=side["enterprise"].name, reporter_match="credit_code",
        outcome="death", product_name="一次性使用输液器", batch="L1", unit=side.unit,
    )
    evaluation = Evaluation.objects.create(trigger="death", primary_report=report, unit=section,
                                           opened_on=dt.date(YEAR, 1, 7), due_on=dt.date(YEAR, 1, 22))
    evaluation.reports.set([report])
    side.objects.update(ae_report=report, ae_evaluation=evaluation)


def build_world() -> World:
    from campaigns.reference import load_reference as load_forms
    from enterprises.reference import load_reference as load_tags
    from monitoring.loader import load_reference as load_import_profile

    load_tags()
    load_forms()
    load_import_profile()
    scheme_ensure(year=YEAR)
    targets_ensure(year=YEAR)
    bureau = UnitFactory(name="测试区市场监督管理局", short_name="区局", kind=UnitKind.BUREAU)
    section = UnitFactory(name="药械科", short_name="药械科", kind=UnitKind.SECTION, parent=bureau)
    template = FormTemplate.objects.filter(is_active=True).order_by("pk").first()
    OwnershipRule.objects.create(priority=10, role=OwnerRuleRole.ANY, target=OwnerTarget.SUBDISTRICT_STATION)
    checklist = ChecklistTemplate.objects.filter(is_active=True).first() or ChecklistTemplate.objects.create(
        code="test", name="测试检查表")
    mine, other = _side("甲", template, checklist), _side("乙", template, checklist)
    for side in (mine, other):
        _monitoring(side, section)
    return World(
        mine=mine, other=other,
        district_user=UserFactory(unit=section, role=Role.SECTION_STAFF),
        auditor=UserFactory(unit=bureau, role=Role.AUDITOR), section=section, template=template,
    )
