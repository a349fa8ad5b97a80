"""Demo disposal of failed samples for ``manage.py seed_demo`` (after the sampling seeder, if there is one).

The failed samples are the sampling seeder's (``monitoring.demo_sampling``); where there are none (a
database seeded without it), two failures of the demo year are created here with their steps: a local
manufacturer's sterile syringes (with an earlier failure of the same enterprise the year before, so the
从严查处 rule applies) and a pharmacy's thermometers. Then, through the disposal services, as the 药械科
would: control measures on the operators and use units that bought the batch, one draft 有因检查 of the
manufacturer, and one open 停产整改 whose cause and rectification are not recorded yet (复产 is refused).
"""

from __future__ import annotations

import datetime as dt

from enterprises.choices import EnterpriseStatus, Role, UnitKind
from enterprises.models import Enterprise, User

from .choices import ControlMeasure, SampleConclusion, SampledLink, SampleStepKind, SamplingLevel
from .models import Sample, SampleStep, SamplingTask
from .services import disposal as services

CONTROL_NOTES = {
    ControlMeasure.STOP_SALE: "责令暂停销售，库存就地封存",
    ControlMeasure.STOP_USE: "通知临床科室暂停使用，已用批次追踪患者",
    ControlMeasure.TRACE: "核查进货查验记录，追溯销售去向",
    ControlMeasure.RECALL: "督促企业按三级召回实施",
}


def _section_user() -> User | None:
    return (User.objects.filter(role=Role.SECTION_STAFF, unit__kind=UnitKind.SECTION, is_active=True)
            .order_by("pk").first())


def _steps(sample: Sample, by: User) -> None:
    days = {SampleStepKind.SAMPLED: 0, SampleStepKind.DATA_ENTERED: 3, SampleStepKind.REPORT_RECEIVED: 38,
            SampleStepKind.REPORT_DELIVERED: 41, SampleStepKind.RECEIPT_UPLOADED: 42,
            SampleStepKind.RETEST_WINDOW: 52, SampleStepKind.CONCLUDED: 53}
    SampleStep.objects.bulk_create([
        SampleStep(sample=sample, step=step, done_on=sample.sampled_on + dt.timedelta(days=offset), done_by=by)
        for step, offset in days.items()
    ])


def _own_failures(ctx, by: User) -> list[Sample]:
    """Two failed samples of the demo year (and one of the year before) when the sampling seeder left none."""
    active = Enterprise.objects.filter(status=EnterpriseStatus.ACTIVE)
    makers = active.filter(is_manufacturer=True).order_by("pk")
    maker = makers.filter(tags__code="sterile").first() or makers.first()
    pharmacy = active.filter(is_operator=True, is_manufacturer=False, owning_unit__kind=UnitKind.STATION).order_by(
        "pk").first()
    if maker is None or pharmacy is None:
        return []
    task = SamplingTask.objects.create(level=SamplingLevel.PROVINCIAL, year=ctx.year, quota=12, unit=None,
                                       name=f"{ctx.year}年浙江省医疗器械监督抽检（第一批）", created_by=by,
                                       plan_document=f"浙药监械〔{ctx.year}〕5号")
    earlier_task = SamplingTask.objects.create(level=SamplingLevel.NATIONAL, year=ctx.year - 1, quota=4,
                                               name=f"{ctx.year - 1}年国家医疗器械抽检", created_by=by)
    start = ctx.today - dt.timedelta(days=75)
    rows = [
        (earlier_task, maker, SampledLink.PRODUCTION, "一次性使用无菌注射器 带针", "2ml", "无菌",
         start.replace(year=start.year - 1), f"GC{ctx.year - 1}3303020007"),
        (task, maker, SampledLink.PRODUCTION, "一次性使用无菌注射器 带针", "5ml", "无菌、环氧乙烷残留量",
         start, f"SC{ctx.year}3303020012"),
        (task, pharmacy, SampledLink.OPERATION, "医用电子体温计", "MT-101", "最大允许误差",
         start + dt.timedelta(days=6), f"SC{ctx.year}3303020019"),
    ]
    samples = []
    for task_, enterprise, link, product, spec, items, sampled_on, number in rows:
        unit = enterprise.owning_unit if enterprise.owning_unit.kind == UnitKind.STATION else pharmacy.owning_unit
        sample = Sample.objects.create(
            task=task_, sample_no=number, enterprise=enterprise, link=link, unit=unit, product_name=product,
            registrant_name=maker.name if enterprise == maker else "深圳市某医疗电子有限公司", model_spec=spec,
            registrant=maker if enterprise == maker else None, batch=f"{sampled_on:%Y%m}{len(samples) + 1:02d}",
            quantity="200支" if enterprise == maker else "10台", sampled_on=sampled_on, lab="浙江省医疗器械检验研究院",
            report_no=f"QW{sampled_on:%Y}-{len(samples) + 31:04d}", conclusion=SampleConclusion.FAILED,
            failed_items=items, created_by=by)
        sample.officers.set(User.objects.filter(unit=unit, is_active=True).order_by("pk")[:2] or [by])
        _steps(sample, by)
        samples.append(sample)
    return samples[1:]


def seed(ctx) -> str:
    by = _section_user()
    if by is None:
        return "没有药械科人员（先运行企业演示数据）"
    failed = list(Sample.objects.filter(conclusion=SampleConclusion.FAILED, sampled_on__year=ctx.year)
                  .select_related("enterprise").order_by("sampled_on", "pk"))
    if not failed:
        failed = _own_failures(ctx, by)
    if not failed:
        return "没有不合格样品"
    rng = ctx.rng("monitoring-disposal")
    buyers = list(Enterprise.objects.filter(status=EnterpriseStatus.ACTIVE, is_manufacturer=False)
                  .filter(is_operator=True).order_by("pk")[:60])
    users = list(Enterprise.objects.filter(status=EnterpriseStatus.ACTIVE, is_user_unit=True).order_by("pk")[:60])
    controls = drafts = suspensions = 0
    for sample in failed:
        concluded = sample.steps.filter(step=SampleStepKind.CONCLUDED).values_list("done_on", flat=True).first()
        on = min(ctx.today, (concluded or sample.sampled_on) + dt.timedelta(days=2))
        picks = [(e, m) for e, m in ((rng.choice(buyers) if buyers else None, ControlMeasure.STOP_SALE),
                                     (rng.choice(users) if users else None, ControlMeasure.STOP_USE),
                                     (sample.enterprise, ControlMeasure.TRACE)) if e is not None]
        for enterprise, measure in picks:
            services.control_add(sample=sample, enterprise=enterprise, measure=measure, done_on=on, by=by,
                                 quantity=f"{rng.randint(5, 60)}{'台' if '体温计' in sample.product_name else '支'}",
                                 note=CONTROL_NOTES[measure])
            controls += 1
        manufacturers = services.local_manufacturers(sample)
        if manufacturers and not drafts:
            services.disposal_inspection_create(sample=sample, enterprise=manufacturers[0], start_date=on, by=by)
            drafts += 1
        if manufacturers and not suspensions and manufacturers[0].status == EnterpriseStatus.ACTIVE:
            services.disposal_suspension_start(sample=sample, enterprise=manufacturers[0], started_on=on, by=by)
            suspensions += 1
        services.disposal_strict_check(sample=sample, by=by)
    strict = Sample.objects.filter(strict=True).count()
    return (f"不合格样品 {len(failed)} 批：控制措施 {controls} 项，有因检查草稿 {drafts} 项，"
            f"停产整改 {suspensions} 家（整改待记录），从严查处 {strict} 批")
