"""Reference data of the registry, loaded by ``manage.py load_reference`` (idempotent).

Tag codes are stable identifiers: form templates, grading criteria and targets refer to them.
Admins may add more tags; these are never deleted by a reload.
"""

from enterprises.holidays import holidays_load
from enterprises.models import Tag

# (code, name, parent code, description)
TAGS: list[tuple[str, str, str | None, str]] = [
    ("sterile", "无菌", None, "无菌医疗器械"),
    ("implant", "植入", None, "植入性医疗器械（含介入）"),
    ("ivd", "体外诊断试剂", None, ""),
    ("cold-chain", "冷链", None, "需冷链贮存运输的产品"),
    ("contact-lens", "角膜接触镜", None, "含护理产品"),
    ("colored-contact-lens", "彩色隐形眼镜", "contact-lens", "装饰性彩色平光隐形眼镜"),
    ("myopia", "青少年近视防治", None, "眼视光器械、眼用粘弹剂等"),
    ("custom-denture", "定制式义齿", None, ""),
    ("aesthetic", "医疗美容", None, "医疗美容医疗器械"),
    ("aesthetic-ha-gel", "注射用透明质酸钠凝胶", "aesthetic", ""),
    ("aesthetic-rf", "射频（皮肤）治疗仪", "aesthetic", ""),
    ("aesthetic-other", "其他医美产品", "aesthetic", "激光脱毛仪、显微针、皮秒、脉冲光等"),
    ("assisted-reproduction", "辅助生殖", None, ""),
    ("vbp", "集中带量采购中选", None, "国家/省集采中选品种"),
    ("innovative", "创新医疗器械", None, ""),
    ("epidemic", "疫情防控", None, "疫情防控医疗器械"),
    ("mask", "医用口罩", "epidemic", ""),
    ("ecmo", "ECMO", "epidemic", ""),
    ("ventilator", "呼吸机", "epidemic", ""),
    ("oxygen-concentrator", "制氧机", "epidemic", ""),
    ("oximeter", "血氧仪", "epidemic", ""),
    ("covid-reagent", "新冠病毒检测试剂", "epidemic", ""),
    ("covid-nucleic", "新冠病毒核酸检测试剂", "covid-reagent", ""),
    ("covid-antibody", "新冠病毒抗体检测试剂", "covid-reagent", ""),
    ("covid-antigen", "新冠病毒抗原检测试剂", "covid-reagent", ""),
    ("protective", "医用防护", None, "防护服、隔离衣等"),
    ("condom", "避孕套", None, ""),
    ("key-catalogue", "重点监管品种目录产品", None, "列入国家或省重点监管品种目录"),
]


def load_reference() -> str:
    created = 0
    by_code: dict[str, Tag] = {}
    for order, (code, name, parent, description) in enumerate(TAGS, start=1):
        tag, was_created = Tag.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "parent": by_code.get(parent) if parent else None,
                "description": description,
                "sort_order": order * 10,
            },
        )
        by_code[code] = tag
        created += was_created
    holidays = holidays_load()
    return f"{len(TAGS)} 个产品领域标签（新增 {created}）；节假日与调休默认值新增 {holidays} 天"
