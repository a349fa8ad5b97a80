"""Demo sampling: the year's 国抽/省抽/区抽 tasks and about twenty samples across the 所, at every step.

Samples are written through ``monitoring.services.sampling`` (so due dates, the 复检 window and the next
step are what the pages would compute). Most steps are done on time; two samples are left overdue,
two failed (one at a local manufacturer, sampled by the 药械科). Deterministic for a seed and a date.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from enterprises.choices import Role, UnitKind
from enterprises.models import Enterprise, Unit, User

from .choices import SampleStepKind, SamplingLevel
from .models import SamplingTask
from .services import sampling as services

Step = SampleStepKind
LABS = ["浙江省医疗器械检验研究院", "浙江省医疗器械检验研究院（宁波）", "温州市食品药品检验科学研究院"]


@dataclass(frozen=True)
class Product:
    name: str
    registrant: str
    number: str
    spec: str
    quantity: str
    failed_items: str


PRODUCTS = [
    Product("一次性使用无菌注射器 带针", "浙江康康医疗器械有限公司", "浙械注准20162140567", "5ml 0.6×25TWLB", "200支",
            "无菌；环氧乙烷残留量"),
    Product("一次性使用输液器 带针", "山东威高集团医用高分子制品股份有限公司", "国械注准20153141234", "0.7×25TWLB", "300套",
            "微粒污染指数"),
    Product("医用外科口罩", "温州市瓯海医疗用品有限公司", "浙械注准20202140898", "17.5cm×9.5cm", "500只",
            "细菌过滤效率；通气阻力"),
    Product("医用一次性防护服", "浙江蓝禾医疗用品有限公司", "浙械注准20202140921", "175/XL", "20件", "抗渗水性"),
    Product("电子体温计", "深圳市捷美瑞科技有限公司", "粤械注准20182070417", "MT-101", "10支", "最大允许误差"),
    Product("医用电子血压计", "欧姆龙健康医疗（中国）有限公司", "国械注准20182070562", "HEM-7124", "3台", "示值误差"),
    Product("天然胶乳橡胶避孕套", "青岛双蝶集团股份有限公司", "国械注准20153180002", "52mm", "144只", "爆破体积和压力"),
    Product("一次性使用医用橡胶检查手套", "中红普林医疗用品股份有限公司", "冀械注准20182140045", "M", "200只",
            "不透水性"),
    Product("医用脱脂棉签", "温州市鹿城卫生材料厂", "浙温械备20180012号", "10cm", "100支", "初始污染菌"),
    Product("角膜接触镜护理液", "博士伦（上海）眼睛护理产品有限公司", "国械注准20163160091", "355ml", "6瓶",
            "抑菌效果"),
]

# (steps done after sampling, days ago sampled) — the spread of a year's samples. Each step is done a day
# or so before its due date, so these land on time; the last two are left overdue (their next step's due
# date has passed).
PLAN = [
    (6, 170), (6, 150), (6, 140), (6, 120), (5, 48), (4, 44), (3, 38), (3, 36), (2, 30), (2, 20),
    (1, 12), (1, 6), (0, 3), (0, 2), (6, 110), (6, 95), (1, 45), (0, 12),
]
FAILED_INDEX = 3  # an ordinary sample that fails (operation link)


def _officers(unit: Unit) -> list[User]:
    users = list(User.objects.filter(unit=unit, is_active=True).exclude(role=Role.AUDITOR)
                 .exclude(enforcement_cert_no="", inspector_cert_no="").order_by("username"))
    return users[:2]


def _walk(sample, *, steps: int, by: User, rng: random.Random, failed: bool, product: Product,
          today: dt.date) -> None:
    """Record ``steps`` steps after 抽样, each done on or a day before its due date (never after today)."""
    for _index in range(steps):
        sample.refresh_from_db()
        step = sample.next_step
        if not step:
            return
        base = sample.steps.exclude(done_on=None).order_by("-done_on", "-id").first().done_on
        due = sample.next_due_on or base
        day = min(today, max(base, due - dt.timedelta(days=rng.randint(0, 1))))
        extra = {}
        if step == Step.REPORT_RECEIVED:
            extra = {"lab": rng.choice(LABS), "report_no": f"QW{today.year}-{rng.randint(100, 999)}",
                     "conclusion": "failed" if failed else "passed",
                     "failed_items": product.failed_items if failed else ""}
        if step == Step.RECEIPT_UPLOADED:
            from django.core.files.uploadedfile import SimpleUploadedFile

            extra = {"file": SimpleUploadedFile("送达回执.pdf", b"%PDF-1.4\n% demo receipt\n",
                                                content_type="application/pdf")}
        if step == Step.CONCLUDED:
            window = sample.steps.get(step=Step.RETEST_WINDOW).due_on
            if window >= today:
                return  # the 复检 window is still open: the conclusion waits
            day = min(today, window + dt.timedelta(days=rng.randint(1, 3)))
        services.sample_step_record(sample=sample, step=step, done_on=day, by=by, **extra)


def seed(ctx) -> str:
    """Seed the year's tasks and samples; returns a summary line (nothing when there are no 所)."""
    rng = ctx.rng("sampling")
    today, year = ctx.today, ctx.year
    stations = list(Unit.objects.filter(kind=UnitKind.STATION).order_by("sort_order", "code"))
    section = Unit.objects.filter(kind=UnitKind.SECTION).order_by("sort_order", "pk").first()
    chief = User.objects.filter(unit=section, role__in=(Role.SECTION_STAFF, Role.LEADER)).order_by("username").first()
    if not stations or section is None or chief is None:
        return "抽检：没有监管所或药械科人员，未生成"
    tasks = {
        SamplingLevel.NATIONAL: SamplingTask.objects.create(
            level=SamplingLevel.NATIONAL, year=year, name=f"{year}年国家医疗器械抽检（鹿城区承担部分）", quota=4,
            plan_document=f"国家药监局综合司关于印发{year}年国家医疗器械抽检产品检验方案的通知", created_by=chief),
        SamplingLevel.PROVINCIAL: SamplingTask.objects.create(
            level=SamplingLevel.PROVINCIAL, year=year, name=f"{year}年浙江省医疗器械质量监督抽检", quota=12,
            plan_document=f"{year}年浙江省医疗器械质量监督抽检计划", created_by=chief),
        SamplingLevel.DISTRICT: SamplingTask.objects.create(
            level=SamplingLevel.DISTRICT, year=year, name=f"{year}年区级医疗器械监督抽检", quota=6,
            plan_document=f"鹿城区{year}年度医疗器械监管工作计划", created_by=chief),
    }
    levels = [SamplingLevel.PROVINCIAL, SamplingLevel.PROVINCIAL, SamplingLevel.NATIONAL, SamplingLevel.DISTRICT]
    made, failed = 0, 0
    for index, (steps, ago) in enumerate(PLAN):
        station = stations[index % len(stations)]
        officers = _officers(station)
        shop = (Enterprise.objects.filter(owning_unit=station, status="active", is_operator=True)
                .order_by("pk")[index // len(stations):index // len(stations) + 1].first())
        if len(officers) < 2 or shop is None:
            continue
        product = PRODUCTS[index % len(PRODUCTS)]
        made += 1
        sample = services.sample_create(
            by=officers[0], officers=officers, task=tasks[levels[index % len(levels)]],
            sample_no=f"LC{year}CJ{index + 1:04d}", enterprise=shop, link="operation",
            product_name=product.name, registrant_name=product.registrant, registration_number=product.number,
            model_spec=product.spec, batch=f"{year - 1}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}",
            quantity=product.quantity, sampled_on=today - dt.timedelta(days=ago))
        is_failed = index == FAILED_INDEX
        failed += is_failed
        _walk(sample, steps=steps, by=officers[0], rng=rng, failed=is_failed, product=product, today=today)
    maker = (Enterprise.objects.filter(is_manufacturer=True, status="active", owning_unit=section).order_by("pk")
             .first())
    section_officers = _officers(section)
    if maker is not None and len(section_officers) >= 2:
        product = PRODUCTS[8]
        sample = services.sample_create(
            by=section_officers[0], officers=section_officers, task=tasks[SamplingLevel.PROVINCIAL],
            sample_no=f"LC{year}CJ0101", enterprise=maker, link="production", product_name=product.name,
            registrant_name=maker.name, registration_number=product.number, model_spec=product.spec,
            batch=f"{year - 1}1108", quantity=product.quantity, sampled_on=today - dt.timedelta(days=130))
        _walk(sample, steps=6, by=section_officers[0], rng=rng, failed=True, product=product, today=today)
        made += 1
        failed += 1
    return f"抽检任务 {len(tasks)} 项；样品 {made} 批（不合格 {failed} 批）"
