"""Demo complaints and public opinion (投诉举报、舆情) for ``manage.py seed_demo``: about fifteen records over
the last two quarters, most about registry enterprises (retail pharmacies, optical shops, aesthetic
clinics, hospitals), a few about online shops outside the registry; several still being handled.
Written through the service, as a 所 inspector or the 药械科 would, and dated back to when they happened.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from enterprises.choices import ACTIVE_STATUSES, InstitutionType, OperationMode, Role, UnitKind
from enterprises.models import Enterprise, Unit, User

from .choices import ComplaintKind
from .models import Complaint
from .services.complaints import ComplaintInput, complaint_create

CP, OP = ComplaintKind.COMPLAINT, ComplaintKind.OPINION

# (kind, days ago, source, enterprise pick, outside subject, product, summary, handling, substantiated, days to close)
RECORDS = [
    (CP, 150, "12315平台", "retail", "", "电子血压计", "消费者反映在该药房购买的电子血压计测量值偏差大，怀疑为翻新机，要求退货。",
     "现场检查，该批次血压计进货票据齐全、产品注册证有效，系消费者操作不当，已调解退货。", False, 12),
    (CP, 132, "12345热线", "optical", "", "角膜接触镜（彩色平光）", "举报该眼镜店向未成年人销售彩色隐形眼镜且未查验验光处方。",
     "现场核实店内有彩色隐形眼镜销售记录，未建立验配记录，已责令改正并约谈负责人。", True, 20),
    (CP, 118, "来信来访", "aesthetic", "", "注射用透明质酸钠凝胶", "投诉人称在该机构注射玻尿酸后面部红肿，怀疑产品来源不明。",
     "查验采购票据，发现一批次产品无合法来源证明，已扣押并立案调查。", True, 30),
    (OP, 110, "网络媒体报道", None, "某短视频平台“家用制氧机”直播间", "家用制氧机", "短视频平台流传“家用制氧机可治疗肺病”的宣传视频，点击量较高，涉及本区一家经营企业。",
     "已会同网监部门核查，涉事直播间非本区企业开设，已移交属地处理。", False, 25),
    (CP, 96, "12315平台", "online", "", "医用外科口罩", "消费者反映网购的医用外科口罩包装无注册证编号，怀疑为假冒产品。",
     "核查该企业网店，发现所售口罩为非医用口罩却标注“医用”，已责令下架并立案。", True, 18),
    (OP, 88, "微信公众号", "hospital", "", "一次性使用输液器", "本地自媒体称某医院输液器“漏液”，引发患者担忧。",
     "现场检查医院库存及使用记录，调取该批次检验报告，未发现质量问题，已督促医院做好解释。", False, 10),
    (CP, 75, "12315平台", "retail", "", "医用退热贴", "投诉该药房将第一类医疗器械退热贴宣传为“药品”，夸大疗效。",
     "现场核实宣传海报确有“治疗发烧”字样，已责令撤下并批评教育。", True, 9),
    (CP, 61, "来电", "wholesale", "", "一次性使用无菌注射器", "举报该批发企业向无资质诊所销售无菌注射器。",
     "核查销售记录，购货单位均持有医疗机构执业许可证，举报不属实。", False, 21),
    (OP, 52, "市局转办舆情", None, "外地“神奇理疗仪”销售团伙", "磁疗理疗仪", "老年人群体中流传某“神奇理疗仪”包治百病，有销售人员在本区社区开展会销。",
     "", None, None),
    (CP, 40, "12315平台", "optical", "", "角膜塑形镜", "消费者反映在该店验配的角膜塑形镜未由具备资质的医师验配。",
     "已现场检查，正在调取验配记录。", None, None),
    (CP, 33, "来信来访", "aesthetic", "", "射频治疗仪", "举报该机构使用未经注册的射频美容仪器开展医美项目。",
     "现场检查发现一台射频治疗仪无注册证，已扣押，正在调查来源。", True, None),
    (OP, 26, "网络论坛", "hospital", "", "血糖试纸", "本地论坛帖子称某医院周边药房出售的血糖试纸“过期改标”。",
     "", None, None),
    (CP, 19, "12345热线", "retail", "", "家用雾化器", "投诉购买的家用雾化器使用一次即损坏，商家拒绝退换。",
     "", None, None),
    (CP, 12, "12315平台", "online", "", "医用冷敷贴", "举报网店销售的“医用冷敷贴”宣称祛痘美白。",
     "", None, None),
    (OP, 6, "新闻报道", None, "多地“隐形眼镜护理液”召回", "隐形眼镜护理液", "媒体报道某品牌隐形眼镜护理液在外省抽检不合格并召回，本区有经营企业在售。",
     "", None, None),
]


def _pickers() -> dict[str, list[Enterprise]]:
    active = Enterprise.objects.filter(status__in=ACTIVE_STATUSES).select_related("owning_unit").order_by("pk")
    return {
        "retail": list(active.filter(operation_mode=OperationMode.RETAIL, is_user_unit=False)[:200]),
        "wholesale": list(active.filter(operation_mode=OperationMode.WHOLESALE)[:100]),
        "optical": list(active.filter(Q(name__contains="眼镜") | Q(name__contains="视光"))[:100]),
        "aesthetic": list(active.filter(institution_type=InstitutionType.AESTHETIC)[:100]),
        "hospital": list(active.filter(institution_type=InstitutionType.HOSPITAL)[:20]),
        "online": list(active.filter(is_online_seller=True)[:100]),
    }


def seed(ctx) -> int:
    """Create the demo records; returns how many."""
    rng = ctx.rng("monitoring-complaints")
    section = Unit.objects.filter(kind=UnitKind.SECTION).order_by("sort_order", "pk").first()
    clerk = User.objects.filter(role=Role.SECTION_STAFF, unit=section).order_by("username").first()
    pickers = _pickers()
    stations = list(Unit.objects.filter(kind=UnitKind.STATION).order_by("sort_order", "code"))
    created = 0
    for n, (kind, ago, source, pick, outside, product, summary, handling, substantiated, close) in enumerate(RECORDS):
        received = ctx.today - dt.timedelta(days=ago)
        enterprise = None
        if pick is not None:
            pool = pickers.get(pick) or pickers["retail"]
            if not pool:
                continue
            # spread the records over the 所: the n-th record goes to the n-th 所 when the pool has one of it
            station = stations[n % len(stations)] if stations else None
            local = [e for e in pool if e.owning_unit_id == getattr(station, "pk", None)]
            enterprise = (local or pool)[rng.randrange(len(local or pool))]
        unit = enterprise.owning_unit if enterprise is not None and enterprise.owning_unit_id else section
        officer = User.objects.filter(unit=unit, is_active=True).order_by("username").first() or clerk
        handled_on = received + dt.timedelta(days=close) if close is not None else None
        if handled_on is not None and handled_on > ctx.today:
            handled_on = None
        data = ComplaintInput(
            kind=kind, received_on=received, source=source, summary=summary,
            reference=f"{received:%Y%m%d}{n + 1:03d}" if source.startswith(("123", "来信")) else "",
            enterprise=enterprise, subject_name=outside, product=product, handling=handling,
            substantiated=substantiated, handled_on=handled_on)
        complaint = complaint_create(data=data, unit=unit, by=clerk if unit == section else officer)
        moment = ctx.at(received, 10)
        Complaint.objects.filter(pk=complaint.pk).update(created_at=moment, updated_at=moment)
        complaint.history.all().update(history_date=moment)
        created += 1
    return created
