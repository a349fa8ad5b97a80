"""Default annual targets (domain.md §8.3, 鹿城区2024年度计划 [C]).

A year without targets gets these (or a copy of the previous year's) through
``inspections.planning.services.targets_ensure`` (``loader`` applies them for ``load_reference``); the
admin edits them per year.
"""

from __future__ import annotations

# (code, name, kind, links, tag codes, inspection kinds, min_ratio, min_count, district_only, basis)
TARGETS: list[tuple] = [
    ("flight", "飞行检查企业数", "count", "", "", "flight", None, 10, True,
     "鹿城计划二（二）2：安排飞行检查总数不少于10家，覆盖生产经营使用全环节"),
    ("sterile-implant", "无菌和植入性医疗器械经营企业和医疗机构检查率", "coverage", "operation,use",
     "sterile,implant", "", "0.15", None, False, "鹿城计划二（二）1：检查率不少于15%"),
    ("contact-lens", "角膜接触镜经营企业检查", "coverage", "operation", "contact-lens", "", "1", None, False,
     "鹿城计划二（一）2：全年组织检查不少于1次"),
    ("vbp-delivery", "集中带量采购中选品种配送单位检查", "coverage", "delivery", "", "", "1", None, False,
     "鹿城计划二（一）2：全年组织检查不少于1次"),
    ("entrusted", "委托生产注册人及其受托生产企业全覆盖检查", "coverage", "registrant,contract_manufacturer",
     "", "", "1", None, False, "鹿城计划二（二）1：开展全覆盖监督检查"),
]
