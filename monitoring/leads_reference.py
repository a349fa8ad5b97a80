"""Default column mapping of the national online-sales monitoring platform's lead list (data, 默认值，可修改).

Each lead field lists the header names it may carry; the first header found in the sheet is used. The
loader writes these as the default lead ``ImportProfile``; an administrator edits the profile when the
platform's export changes.
"""

DEFAULT_PROFILE_NAME = "全国医疗器械网络销售监测平台线索清单（默认）"

COLUMNS: dict[str, list[str]] = {
    "code": ["线索编号", "线索编码"],
    "platform": ["平台名称", "电商平台", "平台"],
    "shop_name": ["店铺名称", "网店名称"],
    "operator_name": ["经营主体名称", "企业名称", "店铺经营者"],
    "operator_credit_code": ["统一社会信用代码", "经营主体统一社会信用代码"],
    "link": ["链接", "商品链接", "店铺链接"],
    "product": ["涉及产品", "产品名称"],
    "problem": ["涉嫌问题", "问题描述", "违法违规情形"],
    "pushed_on": ["推送日期", "推送时间"],
    "deadline": ["处置期限", "办结期限", "反馈期限"],
}

REQUIRED = ("code", "platform", "shop_name", "problem", "pushed_on", "deadline")
