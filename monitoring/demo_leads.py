"""Demo online-sales leads (网络销售监测线索): ~25 leads from 淘宝、京东、拼多多 over the last months, most
matched to registry enterprises (by credit code or name), a few unmatched in the 药械科's queue, some
disposed through the service (one referred to the telecom authority), a couple overdue."""

from __future__ import annotations

import datetime as dt

from enterprises.choices import Role, UnitKind
from enterprises.models import Enterprise, Unit, User
from monitoring.leads_choices import LeadMatch, LeadResult, LeadStatus
from monitoring.models import OnlineLead
from monitoring.services.leads import lead_dispose

PLATFORMS = [("淘宝", "https://item.taobao.com/item.htm?id="), ("京东", "https://item.jd.com/"),
             ("拼多多", "https://mobile.yangkeduo.com/goods.html?goods_id=")]
PROBLEMS = [
    ("医用外科口罩", "销售未取得注册证的第二类医疗器械"),
    ("电子血压计", "产品页面宣称“治愈高血压”，夸大宣传"),
    ("助听器", "未取得第二类医疗器械经营备案从事网络销售"),
    ("血糖试纸", "网页未展示医疗器械经营备案凭证"),
    ("医用冷敷贴", "以“械字号面膜”名义宣称美白祛斑功效"),
    ("一次性使用无菌注射器", "向个人消费者销售无菌注射器，超出经营范围"),
    ("隐形眼镜", "未取得第三类医疗器械经营许可销售角膜接触镜"),
    ("红外体温计", "标签说明书与注册内容不一致"),
]
UNMATCHED = [("小雅生活馆", "李雅（个人）"), ("康乐家居日用", ""), ("优选健康馆", "义乌市优选电子商务商行"),
             ("欣悦母婴用品", "")]
RESULTS = [LeadResult.SUBSTANTIATED, LeadResult.UNSUBSTANTIATED, LeadResult.SUBSTANTIATED, LeadResult.UNVERIFIABLE]


def seed(ctx) -> str:
    rng = ctx.rng("leads")
    today = ctx.today
    stations = list(Unit.objects.filter(kind=UnitKind.STATION).order_by("sort_order", "code"))
    sellers = list(Enterprise.objects.filter(is_operator=True, owning_unit__kind=UnitKind.STATION)
                   .select_related("owning_unit").order_by("pk")[:200])
    if not stations or not sellers:
        return "网络销售监测线索：没有监管所或经营企业，未生成"
    officers = {u.unit_id: u for u in User.objects.filter(unit__in=stations).exclude(role=Role.AUDITOR)
                .order_by("username")}
    chosen = rng.sample(sellers, min(21, len(sellers)))
    created = disposed = 0
    serial = 1
    for index, enterprise in enumerate(chosen):
        product, problem = PROBLEMS[index % len(PROBLEMS)]
        platform, link = PLATFORMS[(index // 2) % len(PLATFORMS)]
        recent = index % 3 == 1  # pushed within the last fortnight: still within its deadline
        pushed = today - dt.timedelta(days=rng.randint(3, 12) if recent else rng.randint(20, 150))
        by_code = index % 3 == 0 or index == 2
        lead = OnlineLead.objects.create(
            code=f"XS{pushed:%Y%m}{serial:04d}", platform=platform,
            shop_name=f"{enterprise.name[:6]}{'官方旗舰店' if platform == '京东' else '医疗器械专营店'}",
            operator_name=enterprise.name, operator_credit_code=enterprise.credit_code if by_code else "",
            link=f"{link}{rng.randint(10**9, 10**10)}", product=product, problem=problem, pushed_on=pushed,
            deadline=pushed + dt.timedelta(days=15), enterprise=enterprise,
            match=LeadMatch.CREDIT_CODE if by_code else LeadMatch.NAME, unit=enterprise.owning_unit,
            status=LeadStatus.OPEN)
        serial += 1
        created += 1
        officer = officers.get(enterprise.owning_unit_id)
        if officer is None or recent:
            continue  # still within its deadline: waiting for the 所
        if index in (5, 9):
            continue  # no feedback after the deadline: overdue
        result = RESULTS[index % len(RESULTS)]
        checked = min(today, pushed + dt.timedelta(days=rng.randint(2, 8)))
        lead_dispose(
            lead=lead, by=officer, version=lead.version, result=result, checked_on=checked,
            check_note="经现场核查及网店页面取证" + ("，情况属实" if result == LeadResult.SUBSTANTIATED else "，未发现所述问题"
                                                 if result == LeadResult.UNSUBSTANTIATED else "，经营者无法联系"),
            correction_ordered_on=checked if result == LeadResult.SUBSTANTIATED else None,
            correction_note="责令立即下架涉案商品并整改网页信息" if result == LeadResult.SUBSTANTIATED else "",
            refer_telecom=index == 2, feedback_on=min(today, checked + dt.timedelta(days=2)))
        disposed += 1
    for shop, operator in UNMATCHED:
        pushed = today - dt.timedelta(days=rng.randint(1, 20))
        platform, link = PLATFORMS[serial % len(PLATFORMS)]
        OnlineLead.objects.create(
            code=f"XS{pushed:%Y%m}{serial:04d}", platform=platform, shop_name=shop, operator_name=operator,
            link=f"{link}{rng.randint(10**9, 10**10)}", product="医用冷敷贴", problem="以“械字号”名义宣称美容功效",
            pushed_on=pushed, deadline=pushed + dt.timedelta(days=15), status=LeadStatus.QUEUED)
        serial += 1
        created += 1
    return f"网络销售监测线索 {created} 条（待分派 {len(UNMATCHED)} 条，已处置反馈 {disposed} 条）"
