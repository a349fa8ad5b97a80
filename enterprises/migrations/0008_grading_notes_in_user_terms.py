"""The grading defaults' 依据 texts and the scheme note say what a user needs: a plain citation, and
"默认值，未经本局确认，可在系统管理中修改" where the bureau has not confirmed the default (they used to carry
developer marks such as [R]/[C] and source notes). Only rows whose text is still the old default change;
a text an administrator edited is kept.
"""

from django.db import migrations

OLD_NOTE = "默认值取自 domain.md §8.2：多数等级划分和频次未经原文核实，请按上级文件调整。"
NEW_NOTE = "多数等级划分和检查频次为默认值，未经本局确认，可在系统管理中按上级文件修改。"

# (level code, old basis, new basis)
LEVEL_BASIS = [
    (
        "p4",
        "生产办法第49条：重点监管品种目录产品企业每年至少检查1次[C]；等级划分为回忆[R]",
        "生产办法第49条：重点监管品种目录产品企业每年至少检查1次；等级划分为默认值，未经本局确认，可在系统管理中修改",
    ),
    (
        "p3",
        "2022年分级监管指导意见（原文未获取）",
        "参照2022年医疗器械分级监管指导意见；默认值，未经本局确认，可在系统管理中修改",
    ),
    (
        "p2",
        "2022年分级监管指导意见（原文未获取）",
        "参照2022年医疗器械分级监管指导意见；默认值，未经本局确认，可在系统管理中修改",
    ),
    (
        "p1",
        "抽查比例为回忆[R]；备案后3个月内现场检查[C]",
        "新备案企业3个月内现场检查；抽查比例为默认值，未经本局确认，可在系统管理中修改",
    ),
    (
        "o3",
        "2022年分级监管指导意见（原文未获取）；辽宁2015先例[S]",
        "参照2022年医疗器械分级监管指导意见和辽宁省2015年分级监管做法；默认值，未经本局确认，可在系统管理中修改",
    ),
    ("o2", "辽宁2015先例[S]", "参照辽宁省2015年分级监管做法；默认值，未经本局确认，可在系统管理中修改"),
    ("o1", "覆盖年限未核实", "覆盖年限为默认值，未经本局确认，可在系统管理中修改"),
    (
        "u2",
        "国家无使用环节分级方案；本系统默认[R]",
        "国家未规定使用环节分级方案；默认值，未经本局确认，可在系统管理中修改",
    ),
    (
        "u1",
        "鹿城计划：无菌和植入性器械使用单位检查率≥15%[C]，推广到一般使用单位为默认[R]",
        "鹿城计划：无菌和植入性器械使用单位检查率不低于15%；推广到一般使用单位为默认值，未经本局确认，可在系统管理中修改",
    ),
]

# (criterion code, old basis, new basis)
CRITERION_BASIS = [
    (
        "p-key-catalogue",
        "生产办法第48、49条[C]；定为四级为回忆[R]",
        "生产办法第48、49条；定为四级为默认值，未经本局确认，可在系统管理中修改",
    ),
    (
        "p-entrusted",
        "2022年指导意见：跨区域委托生产的注册人上调等级（flcube摘要）",
        "参照2022年医疗器械分级监管指导意见：跨区域委托生产的注册人上调等级；默认值，未经本局确认，可在系统管理中修改",
    ),
    (
        "p-contract-only",
        "2022年指导意见：仅受托生产企业上调等级（flcube摘要）",
        "参照2022年医疗器械分级监管指导意见：仅受托生产企业上调等级；默认值，未经本局确认，可在系统管理中修改",
    ),
    (
        "o-logistics",
        "经营办法第52条列为重点检查对象[C]；定为三级为回忆[R]",
        "经营办法第52条列为重点检查对象；定为三级为默认值，未经本局确认，可在系统管理中修改",
    ),
    (
        "o-remote-warehouse",
        "2022年指导意见：异地设库经营企业上调等级（flcube摘要）",
        "参照2022年医疗器械分级监管指导意见：异地设库经营企业上调等级；默认值，未经本局确认，可在系统管理中修改",
    ),
    (
        "u-sterile-implant",
        "鹿城计划重点检查无菌和植入类[C]",
        "鹿城计划重点检查无菌和植入类；定为重点为默认值，未经本局确认，可在系统管理中修改",
    ),
    ("u-vbp", "鹿城计划[C]", "鹿城计划；定为重点为默认值，未经本局确认，可在系统管理中修改"),
]


def _rewrite(apps, *, forward: bool) -> None:
    GradingScheme = apps.get_model("enterprises", "GradingScheme")
    GradeLevel = apps.get_model("enterprises", "GradeLevel")
    GradingCriterion = apps.get_model("enterprises", "GradingCriterion")
    note_from, note_to = (OLD_NOTE, NEW_NOTE) if forward else (NEW_NOTE, OLD_NOTE)
    GradingScheme.objects.filter(note=note_from).update(note=note_to)
    for model, table in ((GradeLevel, LEVEL_BASIS), (GradingCriterion, CRITERION_BASIS)):
        for code, old, new in table:
            text_from, text_to = (old, new) if forward else (new, old)
            model.objects.filter(code=code, basis=text_from).update(basis=text_to)


def forwards(apps, schema_editor):
    _rewrite(apps, forward=True)


def backwards(apps, schema_editor):
    _rewrite(apps, forward=False)


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0007_confidence_in_user_terms"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
