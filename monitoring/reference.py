"""Default column mapping of the national AE monitoring system's Excel export (data, 默认值，可修改).

Each report field lists the header names it may carry; the first header found in the sheet is used.
``VALUES`` maps the export's wording of coded columns to our choices. The loader writes these as the
default ``ImportProfile``; an administrator edits the profile when the export changes.
"""

DEFAULT_PROFILE_NAME = "国家医疗器械不良事件监测信息系统导出（默认）"

COLUMNS: dict[str, list[str]] = {
    "code": ["报告编码", "报告编号"],
    "reported_on": ["报告日期"],
    "occurred_on": ["事件发生日期", "发生日期"],
    "learned_on": ["获知日期", "发现或获知日期"],
    "reporter_kind": ["报告来源", "报告人类别"],
    "reporter_name": ["报告单位名称", "报告单位"],
    "reporter_credit_code": ["报告单位统一社会信用代码", "统一社会信用代码"],
    "subdistrict": ["所在街道/镇", "街道/镇"],
    "outcome": ["事件后果", "伤害程度"],
    "product_name": ["产品名称"],
    "registration_number": ["注册证编号/备案编号", "注册证编号"],
    "registrant_name": ["注册人/备案人名称", "注册人名称", "生产企业名称"],
    "model_spec": ["型号规格", "型号"],
    "batch": ["产品批号", "批号"],
    "description": ["事件陈述", "事件描述"],
}

REQUIRED = ("code", "reported_on", "reporter_kind", "outcome", "product_name")

VALUES: dict[str, dict[str, str]] = {
    "reporter_kind": {
        "生产企业": "manufacture", "注册人": "manufacture", "持有人": "manufacture", "生产": "manufacture",
        "经营企业": "operation", "经营": "operation",
        "使用单位": "use", "医疗机构": "use", "使用": "use",
        "个人": "individual",
        "其他": "other",
    },
    "outcome": {
        "死亡": "death",
        "严重伤害": "serious", "可能导致或已经导致严重伤害": "serious",
        "其他": "other", "其它": "other", "一般": "other",
    },
}
