"""Default grading table (domain.md §8.2): data only; ``loader`` applies it for ``manage.py load_reference``.

These are the defaults for a year that has no scheme yet. Most level definitions and frequencies are
unconfirmed recollections of the 2022 NMPA guideline ([R]); the pages show each mark. Admins change a
year's scheme in the admin; a reload never overwrites an existing year.
"""

from __future__ import annotations

# (sector, code, name, rank, interval_months, sample_ratio, is_key, frequency_text, confidence, basis)
LEVELS: list[tuple] = [
    ("production", "p4", "四级", 4, 12, None, True, "全项目检查每年不少于1次", "R",
     "生产办法第49条：重点监管品种目录产品企业每年至少检查1次；等级划分为默认值，未经本局确认，可在系统管理中修改"),
    ("production", "p3", "三级", 3, 12, None, False, "每年不少于1次，其中每2年至少1次全项目检查", "R",
     "参照2022年医疗器械分级监管指导意见；默认值，未经本局确认，可在系统管理中修改"),
    ("production", "p2", "二级", 2, 24, None, False, "原则上每2年不少于1次", "R",
     "参照2022年医疗器械分级监管指导意见；默认值，未经本局确认，可在系统管理中修改"),
    ("production", "p1", "一级", 1, None, "0.25", False, "每年随机抽查不少于25%（新备案3个月内现场检查）", "R",
     "新备案企业3个月内现场检查；抽查比例为默认值，未经本局确认，可在系统管理中修改"),
    ("operation", "o3", "三级", 3, 12, None, True, "每年不少于1次（全覆盖）", "R",
     "参照2022年医疗器械分级监管指导意见和辽宁省2015年分级监管做法；默认值，未经本局确认，可在系统管理中修改"),
    ("operation", "o2", "二级", 2, 24, None, False, "每2年不少于1次", "R", "参照辽宁省2015年分级监管做法；默认值，未经本局确认，可在系统管理中修改"),
    ("operation", "o1", "一级", 1, None, "0.25", False, "每年随机抽查不少于25%，约4年全覆盖", "R",
     "覆盖年限为默认值，未经本局确认，可在系统管理中修改"),
    ("use", "u2", "重点", 2, 12, None, True, "每年不少于1次", "R",
     "国家未规定使用环节分级方案；默认值，未经本局确认，可在系统管理中修改"),
    ("use", "u1", "一般", 1, None, "0.15", False, "每年随机抽查不少于15%", "R",
     "鹿城计划：无菌和植入性器械使用单位检查率不低于15%；推广到一般使用单位为默认值，未经本局确认，可在系统管理中修改"),
]

# (code, name, sector ("" = all), rule, param, effect, level code, confidence, basis)
CRITERIA: list[tuple] = [
    ("p-key-catalogue", "生产重点监管品种目录产品", "production", "product_tags", "key-catalogue", "set", "p4",
     "R", "生产办法第48、49条；定为四级为默认值，未经本局确认，可在系统管理中修改"),
    ("p-class3", "生产第三类医疗器械", "production", "device_class", "3", "set", "p3", "R", ""),
    ("p-sterile-implant", "生产无菌、植入性医疗器械", "production", "product_tags", "sterile,implant", "set",
     "p3", "R", ""),
    ("p-class2", "生产第二类医疗器械", "production", "device_class", "2", "set", "p2", "R", ""),
    ("p-class1", "第一类医疗器械备案人及其受托生产企业", "production", "device_class", "1", "set", "p1",
     "R", ""),
    ("p-entrusted", "注册人委托生产", "production", "entrusts_production", "", "raise", None, "S",
     "参照2022年医疗器械分级监管指导意见：跨区域委托生产的注册人上调等级；默认值，未经本局确认，可在系统管理中修改"),
    ("p-contract-only", "仅从事受托生产", "production", "contract_only", "", "raise", None, "S",
     "参照2022年医疗器械分级监管指导意见：仅受托生产企业上调等级；默认值，未经本局确认，可在系统管理中修改"),
    ("o-key-products", "经营重点监管品种（重点目录、冷链、植入）", "operation", "product_tags",
     "key-catalogue,cold-chain,implant", "set", "o3", "R", ""),
    ("o-logistics", "为其他企业提供贮存配送服务", "operation", "logistics", "", "set", "o3", "R",
     "经营办法第52条列为重点检查对象；定为三级为默认值，未经本局确认，可在系统管理中修改"),
    ("o-contact-lens", "角膜接触镜经营企业", "operation", "product_tags", "contact-lens", "set", "o3", "C",
     "鹿城计划：全年检查不少于1次"),
    ("o-vbp", "集采中选品种配送单位", "operation", "vbp_distributor", "", "set", "o3", "C",
     "鹿城计划：全年检查不少于1次"),
    ("o-wholesale-class3", "第三类医疗器械批发", "operation", "wholesale_class3", "", "set", "o2", "R", ""),
    ("o-sterile", "经营无菌医疗器械", "operation", "product_tags", "sterile", "set", "o2", "R", ""),
    ("o-remote-warehouse", "异地设库", "operation", "remote_warehouse", "", "raise", None, "S",
     "参照2022年医疗器械分级监管指导意见：异地设库经营企业上调等级；默认值，未经本局确认，可在系统管理中修改"),
    ("u-sterile-implant", "使用无菌和植入性医疗器械", "use", "product_tags", "sterile,implant", "set", "u2",
     "R", "鹿城计划重点检查无菌和植入类；定为重点为默认值，未经本局确认，可在系统管理中修改"),
    ("u-vbp", "使用集采中选品种", "use", "product_tags", "vbp", "set", "u2", "R", "鹿城计划；定为重点为默认值，未经本局确认，可在系统管理中修改"),
    ("u-hospital-2plus", "二级以上医院", "use", "hospital_grade", "2,2a,2b,3,3a,3b", "set", "u2", "R", ""),
    ("c-penalty", "上年度受到行政处罚", "", "penalty_last_year", "", "key", None, "C",
     "鹿城计划二（四）3；经营办法第52条"),
    ("c-rectification", "整改不到位（整改期限已过未完成）", "", "unfinished_rectification", "", "key", None,
     "C", "鹿城计划二（四）3"),
    ("c-bad-credit", "不良监管信用记录", "", "bad_credit", "", "key", None, "C",
     "鹿城计划二（四）3；条例第78条"),
]

QUALIFYING_KINDS = "routine,full,flight,random,special,licensing,joint"
DUE_SOON_DAYS = 30
TOLERANCE_DAYS = 30
