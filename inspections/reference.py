"""Checklist templates as data, loaded by ``manage.py load_reference`` (idempotent).

Items follow the structure of the GSP (经营质量管理规范现场检查指导原则), GMP (生产质量管理规范现场检查
指导原则) and 使用质量监督管理办法 checklists: key items are marked ※. Codes are stable identifiers;
a reload updates text and order but never deletes an item that answers refer to.
"""

from __future__ import annotations

from django.db import transaction

from inspections.choices import InspectionKind
from inspections.models import ChecklistItem, ChecklistTemplate

ROUTINE_KINDS = ",".join([
    InspectionKind.ROUTINE, InspectionKind.FULL, InspectionKind.FLIGHT, InspectionKind.RANDOM,
    InspectionKind.SPECIAL, InspectionKind.FOLLOW_UP, InspectionKind.FOR_CAUSE, InspectionKind.JOINT,
    InspectionKind.POST_FILING, InspectionKind.LICENSING,
])

# (code, name, link, [(item code, key?, text)])
TEMPLATES: list[tuple[str, str, str, list[tuple[str, bool, str]]]] = [
    ("gsp-routine", "经营企业 GSP 日常检查", "operation", [
        ("1.1", True, "企业持有有效的医疗器械经营许可证或备案凭证，经营范围、经营场所、库房地址与许可（备案）一致"),
        ("1.2", False, "企业法定代表人、企业负责人、质量负责人与许可（备案）信息一致，变更已按规定办理"),
        ("2.1", True, "质量负责人具备相应资质，在职在岗，能独立履行质量管理职责"),
        ("2.2", False, "建立覆盖采购、验收、贮存、销售、运输、售后服务全过程的质量管理制度并有效执行"),
        ("2.3", False, "按规定对质量管理、验收、养护等岗位人员开展培训并建立培训记录"),
        ("2.4", False, "按规定开展年度自查并于每年3月31日前提交年度自查报告"),
        ("3.1", False, "经营场所与经营规模相适应，库房满足贮存条件，分区（待验、合格、不合格、退货）明显"),
        ("3.2", True, "对温湿度有特殊要求的产品配备温湿度监测设备并按规定记录，冷链产品有冷藏设施和验证"),
        ("4.1", True, "从具有资质的生产、经营企业购进医疗器械，审核并留存供货者资质和产品注册（备案）证明"),
        ("4.2", True, "经营的医疗器械均已取得注册证或备案凭证，无过期、失效、淘汰及无合格证明文件的产品"),
        ("4.3", False, "建立并执行进货查验记录制度，记录真实、完整、可追溯"),
        ("4.4", False, "第三类医疗器械批发企业和从事贮存配送的企业建立销售记录制度"),
        ("5.1", False, "按说明书和标签标示的要求运输、贮存医疗器械"),
        ("5.2", False, "不合格品和退货产品按规定处置并有记录"),
        ("6.1", False, "建立并执行售后服务、质量投诉、不良事件监测和召回配合制度"),
        ("6.2", False, "开展网络销售的，已按规定备案并在网站首页显著位置展示许可（备案）信息"),
        ("7.1", True, "计算机信息管理系统满足经营全过程管理和质量控制要求（第三类、贮存配送企业）"),
    ]),
    ("gmp-routine", "生产企业 GMP 日常检查", "manufacture", [
        ("1.1", True, "生产许可（备案）有效，生产地址、生产范围与许可（备案）一致，产品已注册（备案）"),
        ("1.2", False, "委托生产的，注册人与受托企业签订委托协议和质量协议并报告"),
        ("2.1", True, "企业负责人、管理者代表、生产和质量负责人在职在岗，具备相应能力"),
        ("2.2", False, "从事影响产品质量工作的人员经过培训并有记录"),
        ("3.1", True, "厂房与设施满足产品生产要求，洁净室（区）按规定监测并有记录（无菌、植入产品）"),
        ("3.2", False, "生产设备、检验仪器按规定维护、校准并有记录"),
        ("4.1", False, "质量管理体系文件受控，记录清晰、完整、可追溯"),
        ("5.1", False, "设计变更经过评审、验证和确认，涉及注册事项的变更已办理"),
        ("6.1", True, "对供应商进行审核评价，采购物品符合规定的质量要求并有采购记录"),
        ("7.1", True, "按经注册（备案）的产品技术要求组织生产，关键工序、特殊过程经确认"),
        ("7.2", False, "每批（台）产品有生产记录，满足可追溯要求"),
        ("8.1", True, "按产品技术要求进行出厂检验，检验合格后放行，检验记录完整"),
        ("9.1", False, "建立并执行不良事件监测、产品召回和售后服务制度"),
        ("10.1", False, "对不合格品进行标识、记录、隔离和评审，采取纠正措施"),
        ("11.1", False, "按规定开展管理评审和内部审核，并按期提交年度自查报告"),
        ("11.2", False, "生产条件发生重大变化或停产后复产已按规定报告"),
    ]),
    ("use-quality", "使用环节 质量管理检查", "use", [
        ("1.1", False, "设置或配备医疗器械质量管理机构或人员，建立覆盖质量管理全过程的使用质量管理制度"),
        ("2.1", True, "从具有资质的生产经营企业购进医疗器械，索取、查验并留存供货者资质和产品证明文件"),
        ("2.2", True, "使用的医疗器械均已注册（备案），无使用过期、失效、淘汰或无合格证明文件的医疗器械"),
        ("2.3", False, "建立并执行医疗器械进货查验记录制度，记录保存期限符合规定"),
        ("3.1", False, "贮存场所和条件符合产品说明书、标签标示要求，有温湿度控制和记录"),
        ("3.2", True, "一次性使用的医疗器械未重复使用，使用后按规定销毁并有记录"),
        ("4.1", False, "植入和介入类医疗器械使用记录可追溯，相关信息记载于病历"),
        ("5.1", False, "大型医疗器械建立使用档案，按规定开展检查、检验、校准、保养、维护并记录"),
        ("5.2", False, "在用医疗设备的维修维护由具备能力的人员或机构承担"),
        ("6.1", False, "集中带量采购中选产品验收、贮存、使用环节质量管理到位"),
        ("7.1", False, "按规定开展医疗器械不良事件监测并报告"),
        ("7.2", False, "配合产品召回，发现质量安全隐患立即停止使用并通知供货者"),
    ]),
]


@transaction.atomic
def load_reference() -> str:
    items_total = 0
    for code, name, link, items in TEMPLATES:
        template, _created = ChecklistTemplate.objects.update_or_create(
            code=code, defaults={"name": name, "link": link, "inspection_kinds": ROUTINE_KINDS, "is_active": True}
        )
        for order, (item_code, is_key, text) in enumerate(items, start=1):
            ChecklistItem.objects.update_or_create(
                template=template, code=item_code,
                defaults={"text": text, "is_key": is_key, "sort_order": order * 10},
            )
        items_total += len(items)
    return f"{len(TEMPLATES)} 个检查表、{items_total} 个检查项目"


def default_template_code(enterprise) -> str:
    """The checklist a fresh inspection of ``enterprise`` starts with (manufacture → GMP, use → 使用环节)."""
    if enterprise.is_manufacturer or enterprise.is_registrant or enterprise.is_contract_manufacturer:
        return "gmp-routine"
    if enterprise.is_user_unit and not enterprise.is_operator:
        return "use-quality"
    return "gsp-routine"
