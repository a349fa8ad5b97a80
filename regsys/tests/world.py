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
from enterprises.models import (
    AnnualFiling,
    ContractManufacturing,
    CreditRecord,
    EnterpriseGrade,
    FilingImportJob,
    ImportJob,
    OwnershipRule,
    Unit,
    User,
    Warehouse,
    WarehouseExchange,
    ZombieCase,
)
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
        profile=ImportProfile.objects.get(kind="ae", is_default=True), unit=unit, created_by=user, title=f"{name}不良事件导入",
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
    # online-sales leads (leads): one lead of the side's enterprise and one lead import of the side's user.
    from monitoring.models import LeadImportJob, OnlineLead

    online_lead = OnlineLead.objects.create(
        code=f"{name}-XS-1", platform="淘宝", shop_name=f"{name}器械专营店", operator_name=enterprise.name,
        problem="销售未经注册的第二类医疗器械", pushed_on=dt.date(YEAR, 1, 6), deadline=dt.date(YEAR, 1, 21),
        enterprise=enterprise, match="name", unit=unit, status="open")
    lead_import_job = LeadImportJob.objects.create(
        profile=ImportProfile.objects.get(kind="lead", is_default=True), unit=unit, created_by=user,
        title=f"{name}线索导入", filename="线索.xlsx", file="monitoring/lead-imports/线索.xlsx", status="success",
        progress=100, preview=[{"row": 2, "code": f"{name}-XS-2", "action": "add", "platform": "淘宝",
                                "shop": "某店", "operator": "", "match": "", "matched_to": "", "unmatched": True,
                                "unit": "", "changes": []}])
    # filings: a recorded self-report (with its file) and an import of the side's user
    annual_filing = AnnualFiling.objects.create(
        enterprise=enterprise, year=YEAR, kind="self_report", sector="operation", submitted_on=dt.date(YEAR, 1, 8),
        file=ContentFile(b"%PDF-1.4", name="report.pdf"), created_by=user)
    filing_import_job = FilingImportJob.objects.create(
        unit=unit, created_by=user, year=YEAR, filename="提交名单.xlsx", file="imports/filings/提交名单.xlsx",
        status="success", progress=100)
    # 委托生产 and 异地设库 (enterprises.duties): a pair led by the side's registrant, a warehouse with a log entry.
    contract_pair = ContractManufacturing.objects.create(
        registrant=registrant, registrant_name=registrant.name, manufacturer_name=f"{name}外省受托生产企业",
        product=f"{name}一次性使用无菌注射器", cross_region=True, other_region="江苏省苏州市")
    warehouse_entry = EnterpriseFactory(subdistrict=sd, name=f"{name}医药物流仓库", is_operator=True,
                                        is_remote_warehouse=True)
    warehouse = Warehouse.objects.create(enterprise=warehouse_entry, home_name=f"{name}外地医药有限公司",
                                         home_bureau="杭州市市场监督管理局", address=f"{name}路1号", subdistrict=sd,
                                         daily_unit=unit)
    warehouse_exchange = WarehouseExchange.objects.create(
        warehouse=warehouse, kind="notify", on=dt.date(YEAR, 1, 8), counterpart="杭州市市场监督管理局",
        content="通报库房日常检查情况", file=ContentFile(b"%PDF-1.4", name="tb.pdf"))
    # 僵尸企业 clean-up (zombies): a 失联 enterprise and its case, with an evidence file
    zombie_enterprise = EnterpriseFactory(subdistrict=sd, name=f"{name}失联医疗器械商行", status="abnormal",
                                          status_since=dt.date(YEAR - 2, 1, 1))
    zombie_case = ZombieCase.objects.create(enterprise=zombie_enterprise, year=YEAR, unit=unit,
                                            reasons=["unreachable"], stage="notified",
                                            verified_on=dt.date(YEAR, 1, 2), verification="上门无人",
                                            notice_kind="public", notice_on=dt.date(YEAR, 1, 3), notice_ref="告1")
    zombie_case.evidence.save("决定书.pdf", ContentFile(b"%PDF-1.4", name="z.pdf"), save=True)
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
        "annual_filing": annual_filing, "filing_import_job": filing_import_job,
        "contract_pair": contract_pair, "warehouse": warehouse, "warehouse_exchange": warehouse_exchange,
        "zombie_enterprise": zombie_enterprise, "zombie_case": zombie_case,
        "unit": unit, "subdistrict": sd, "enterprise": enterprise, "licence": licence, "inspection": inspection,
        "finding": finding, "rectification": rectification, "attachment": attachment, "case": case,
        "interview": interview, "referral": referral, "plan": plan, "plan_item": item, "draw": draw,
        "conflict": conflict, "credit_record": credit, "grade": grade, "campaign": campaign, "due_date": due,
        "return": ret, "export_job": job, "import_job": import_job, "user": user, "officer": user,
        "registrant": registrant, "registration": registration, "population": population, "training": training,
        "ae_report": ae_report, "ae_import_job": ae_import_job,
        "online_lead": online_lead, "lead_import_job": lead_import_job,
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
    _disposal(side)


def _disposal(side: Side) -> None:
    """disposal: a failed sample of the side's enterprise with a control measure, and an open 停产整改."""
    from enterprises.models import ProductionSuspension
    from monitoring.models import Sample, SampleControl, SamplingTask

    task = SamplingTask.objects.create(level="provincial", year=YEAR, name=f"{side.unit.short_name}省抽任务")
    sample = Sample.objects.create(
        task=task, sample_no=f"{side.unit.short_name}CJ-0001", enterprise=side["enterprise"], link="operation",
        unit=side.unit, product_name="一次性使用无菌注射器", batch="B1", quantity="200支",
        sampled_on=dt.date(YEAR, 1, 8), conclusion="failed", failed_items="无菌")
    sample.officers.set([side.user, side.colleague])
    control = SampleControl.objects.create(sample=sample, enterprise=side["enterprise"], measure="stop_sale",
                                           done_on=dt.date(YEAR, 1, 9))
    suspension = ProductionSuspension.objects.create(
        enterprise=side["registrant"], kind="ordered", started_on=dt.date(YEAR, 1, 9), reason="抽检不合格")
    side.objects.update(failed_sample=sample, sample_control=control, suspension=suspension)


def _sampling(side: Side, task) -> None:
    """A sample of the side's enterprise taken by its two officers, walked to the uploaded receipt (sampling)."""
    from monitoring.models import Sample, SampleStep

    sample = Sample.objects.create(
        task=task, sample_no=f"{side.unit.short_name}CY-0001", enterprise=side["enterprise"], link="operation",
        unit=side.unit, product_name="一次性使用无菌注射器", batch="20240101", quantity="200支",
        sampled_on=dt.date(YEAR, 1, 2), lab="浙江省医疗器械检验研究院", report_no="QW-1", conclusion="failed",
        failed_items="无菌", next_step="concluded", next_due_on=dt.date(YEAR, 3, 1))
    sample.officers.set([side.user, side.colleague])
    for step, day in (("sampled", 2), ("data_entered", 3), ("report_received", 20), ("report_delivered", 22)):
        SampleStep.objects.create(sample=sample, step=step, done_on=dt.date(YEAR, 1, day), done_by=side.user)
    receipt = SampleStep.objects.create(sample=sample, step="receipt_uploaded", done_on=dt.date(YEAR, 1, 23),
                                        file=ContentFile(b"%PDF-1.4", name="receipt.pdf"))
    SampleStep.objects.create(sample=sample, step="retest_window", due_on=dt.date(YEAR, 2, 2))
    SampleStep.objects.create(sample=sample, step="concluded", due_on=dt.date(YEAR, 3, 1))
    side.objects.update(sample=sample, sample_receipt=receipt)
def _risks(side: Side, quarter: int) -> None:
    """risk: a consultation meeting (read by all) and a risk of the side's enterprise, with its files."""
    from monitoring.models import Risk, RiskFollowUp, RiskMeeting
    from monitoring.models.risks import CandidateDismissal

    pdf = b"%PDF-1.4\n%%EOF\n"
    meeting = RiskMeeting.objects.create(year=YEAR - 1, quarter=quarter, held_on=dt.date(YEAR - 1, 3 * quarter, 25),
                                         chair="王副局长", minutes=ContentFile(pdf, name="m.pdf"))
    risk = Risk.objects.create(
        meeting=meeting, source_kind="notice", risk_point=f"{side.unit.short_name}冷链储存风险", level="high",
        enterprise=side["enterprise"], owner_unit=side.unit, measures="每月检查", due_on=dt.date(YEAR, 12, 31),
        status="closing", closure_note="已整改", closure_requested_on=dt.date(YEAR - 1, 12, 2), closure_evidence=ContentFile(pdf, name="e.pdf"))
    follow_up = RiskFollowUp.objects.create(risk=risk, on=dt.date(YEAR - 1, 12, 1), text="已检查",
                                            file=ContentFile(pdf, name="f.pdf"))
    dismissal = CandidateDismissal.objects.create(meeting=meeting, source_kind="inspection", identity=f"x:{quarter}",
                                                  title="候选", reason="不构成风险")
    side.objects.update(risk_meeting=meeting, risk=risk, risk_follow_up=follow_up, risk_dismissal=dismissal)


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
    from monitoring.models import SamplingTask

    task = SamplingTask.objects.create(level="provincial", year=YEAR, name="省级医疗器械监督抽检", quota=10)
    for side in (mine, other):
        _sampling(side, task)
        side.objects["sampling_task"] = task
    _risks(mine, 1)
    _risks(other, 2)
    from regsys.models import Notification

    for side in (mine, other):  # each side's user has a notification of its own (the centre's own-only rule)
        side.objects["notification"] = Notification.objects.create(
            user=side.user, kind="other", title=f"{side.unit.short_name}通知", url="/notifications/")
    return World(
        mine=mine, other=other,
        district_user=UserFactory(unit=section, role=Role.SECTION_STAFF),
        auditor=UserFactory(unit=bureau, role=Role.AUDITOR), section=section, template=template,
    )
