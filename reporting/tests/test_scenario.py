"""Every cell of both forms for a hand-built district, worked out by hand (see scenario.py).

Cut-off 2023-09-30, campaign 2023-04-01 … 2023-12-31. Excluded on purpose: an inspection before the
start, one after the cut-off, a draft, one of another campaign, a case filed after the cut-off, a
police referral before the start, a rectification completed after the cut-off, and E6 (cancelled
before the cut-off). E1 sits in four rows; case K1 has two referrals (公安 + 卫生); unit A inspects
unit B's hospital E3; both units interview E1 (the district counts E1 once).
"""

import datetime as dt
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from reporting.models import Return

from .scenario import build

CUTOFF = dt.date(2023, 9, 30)
Z1 = [0, 0, 0, 0, 0, 0, D("0.00"), 0, 0, 0, 0, 0]
Z2 = [0, 0, 0, 0, 0, 0, 0, D("0.00"), 0, D("0.00"), 0, 0, 0, 0, 0, 0, 0, 0]

# 统计表一 columns: 企业总数 出动人次 检查家次 责令改正 约谈 案件 罚没款 责任人 停产停业 吊销 移送公安 移交卫生
T1_A = [
    [1, 5, 2, 2, 1, 1, D("2.50"), 2, 1, 0, 1, 1],  # 医用口罩生产企业: E1 (I1 3人+I2 2人, K1, R1, R2)
    Z1, Z1, Z1, Z1,  # ECMO, 呼吸机, 制氧机, 血氧仪
    Z1, Z1,  # 集采 生产, 配送
    [0, 2, 1, 0, 0, 0, D("0.00"), 0, 0, 0, 0, 0],  # 集采 使用: E3 inspected by A (I10); E3 is B's
    [1, 5, 2, 2, 1, 1, D("2.50"), 2, 1, 0, 1, 1],  # 无菌植入 生产: E1
    Z1,  # 无菌植入 经营
    [0, 2, 1, 0, 0, 0, D("0.00"), 0, 0, 0, 0, 0],  # 无菌植入 使用: E3 (I10)
    Z1, Z1, Z1, Z1,  # 注册人, 受托, 创新, 义齿
]
T1_B = [
    [1, 0, 0, 0, 1, 0, D("0.00"), 0, 0, 0, 0, 0],  # 口罩: E5 active at cut-off (E6 not); B interviewed E1
    Z1, Z1, Z1, Z1,
    Z1, Z1,
    [1, 4, 1, 0, 0, 0, D("0.00"), 0, 0, 0, 0, 0],  # 集采 使用: E3 (I8 4人)
    [0, 0, 0, 0, 1, 0, D("0.00"), 0, 0, 0, 0, 0],  # 无菌植入 生产: B's interview of E1
    Z1,
    [1, 4, 1, 0, 0, 0, D("0.00"), 0, 0, 0, 0, 0],  # 无菌植入 使用: E3
    Z1, Z1, Z1, Z1,
]
T1_DISTRICT = [
    [2, 5, 2, 2, 1, 1, D("2.50"), 2, 1, 0, 1, 1],  # E1 + E5; E1 interviewed by A and B counts once
    Z1, Z1, Z1, Z1,
    Z1, Z1,
    [1, 6, 2, 0, 0, 0, D("0.00"), 0, 0, 0, 0, 0],
    [1, 5, 2, 2, 1, 1, D("2.50"), 2, 1, 0, 1, 1],
    Z1,
    [1, 6, 2, 0, 0, 0, D("0.00"), 0, 0, 0, 0, 0],
    Z1, Z1, Z1, Z1,
]

# 统计表二 columns: 企业总数 出动人次 检查家次 责令改正 完成整改 约谈 案件 罚没款 责任人 人员罚款 停产停业 吊销
#                   重失单 移送公安 移交卫生 移交通信 移交海关 移交纪检
E1_A = [1, 5, 2, 2, 1, 1, 1, D("2.50"), 2, D("1.50"), 1, 0, 1, 1, 1, 0, 0, 0]
E2_A = [1, 2, 1, 1, 0, 0, 1, D("0.33"), 0, D("0.00"), 0, 1, 0, 0, 0, 1, 0, 0]
E4_B = [1, 2, 1, 1, 1, 1, 1, D("0.02"), 0, D("0.00"), 0, 0, 0, 0, 0, 0, 1, 1]
E1_BY_B = [0, 0, 0, 0, 0, 1, 0, D("0.00"), 0, D("0.00"), 0, 0, 0, 0, 0, 0, 0, 0]
T2_A = [
    Z2, Z2, Z2,  # 新冠检测试剂 生产 经营 使用
    Z2, Z2, Z2, Z2, Z2, Z2, Z2, Z2, Z2,  # 核酸, 抗体, 抗原
    Z2,  # 其他疫情防控 经营
    E1_A, Z2, Z2,  # 医美 生产 经营 使用
    E1_A, Z2, Z2,  # 透明质酸钠 生产 经营 使用
    Z2, Z2, Z2, Z2, Z2, Z2,  # 射频, 其他产品
    Z2, E2_A,  # 青少年近视 生产 经营
    Z2, E2_A,  # 彩色隐形眼镜 生产 经营
    Z2, Z2, Z2,  # 辅助生殖
    E2_A,  # 网络销售企业
    Z2, E2_A, E2_A, Z2,  # 网络销售: 疫情防控, 青少年近视, 彩色隐形眼镜, 医美
    Z2,  # 第三方平台
]
T2_B = [
    Z2, E4_B, Z2,
    Z2, Z2, Z2, Z2, Z2, Z2, Z2, E4_B, Z2,
    Z2,
    E1_BY_B, Z2, Z2,
    E1_BY_B, Z2, Z2,
    Z2, Z2, Z2, Z2, Z2, Z2,
    Z2, Z2,
    Z2, Z2,
    Z2, Z2, Z2,
    Z2,
    Z2, Z2, Z2, Z2,
    Z2,
]
T2_DISTRICT = [
    Z2, E4_B, Z2,
    Z2, Z2, Z2, Z2, Z2, Z2, Z2, E4_B, Z2,
    Z2,
    E1_A, Z2, Z2,
    E1_A, Z2, Z2,
    Z2, Z2, Z2, Z2, Z2, Z2,
    Z2, E2_A,
    Z2, E2_A,
    Z2, Z2, Z2,
    E2_A,
    Z2, E2_A, E2_A, Z2,
    Z2,
]


def stored(ret: Return, key: str = "total") -> list[list]:
    grid = ret.data["total"] if key == "total" else ret.data["units"][key]
    out = []
    for row in ret.template.rows.order_by("order"):
        values = []
        for column in ret.template.columns.order_by("order"):
            value = grid[row.key][column.metric]
            values.append(D(value) if column.decimals else value)
        out.append(values)
    return out


def sheet_values(ws, label_columns: int, rows: int, columns: int) -> list[list]:
    out = []
    for r in range(4, 4 + rows):
        values = []
        for c in range(label_columns + 1, label_columns + 1 + columns):
            value = ws.cell(r, c).value
            values.append(D(str(value)).quantize(D("0.01")) if isinstance(value, float) else value)
        out.append(values)
    return out


def as_written(expected):
    return [[D(str(v)).quantize(D("0.01")) if isinstance(v, D) else v for v in row] for row in expected]


@pytest.mark.parametrize(("code", "unit_key", "expected"), [
    ("统计表一", "unit_a", T1_A), ("统计表一", "unit_b", T1_B),
    ("统计表二", "unit_a", T2_A), ("统计表二", "unit_b", T2_B),
])
def test_unit_return_every_cell(forms, file_return, code, unit_key, expected):
    s = build(forms)
    user = s["user_a"] if unit_key == "unit_a" else s["user_b"]

    ret = file_return(campaign=s["campaign"], template=forms[code], unit=s[unit_key], cutoff=CUTOFF, by=user)

    ret.refresh_from_db()
    assert stored(ret) == expected
    job = ret.jobs.get()
    ws = load_workbook(job.xlsx.path).worksheets[0]
    template = forms[code]
    assert sheet_values(ws, template.label_columns, len(expected), len(expected[0])) == as_written(expected)


@pytest.mark.parametrize(("code", "expected_total", "expected_a", "expected_b"), [
    ("统计表一", T1_DISTRICT, T1_A, T1_B),
    ("统计表二", T2_DISTRICT, T2_A, T2_B),
])
def test_district_return_every_cell_and_a_sheet_per_unit(forms, file_return, code, expected_total, expected_a, expected_b):
    s = build(forms)

    ret = file_return(campaign=s["campaign"], template=forms[code], unit=None, cutoff=CUTOFF, by=s["section"])

    ret.refresh_from_db()
    assert stored(ret) == expected_total
    assert stored(ret, str(s["unit_a"].pk)) == expected_a
    assert stored(ret, str(s["unit_b"].pk)) == expected_b
    workbook = load_workbook(ret.jobs.get().xlsx.path)
    assert workbook.sheetnames == ["全区", "五马所", "大南所", "校验提示"]
    template = forms[code]
    n, m = len(expected_total), len(expected_total[0])
    assert sheet_values(workbook["全区"], template.label_columns, n, m) == as_written(expected_total)
    assert sheet_values(workbook["五马所"], template.label_columns, n, m) == as_written(expected_a)
    assert sheet_values(workbook["大南所"], template.label_columns, n, m) == as_written(expected_b)


def test_cases_counted_at_decision_date_when_the_template_says_so(forms, file_return):
    s = build(forms)
    template = forms["统计表一"]
    template.case_count_date = "decided_on"
    template.save()

    ret = file_return(campaign=s["campaign"], template=template, unit=s["unit_a"], cutoff=CUTOFF, by=s["user_a"])

    ret.refresh_from_db()
    # K1 (filed 05-15) was decided 06-20; E2's case (filed and decided 09-30) is in other rows.
    mask = ret.data["total"]["medical_mask_manufacturers"]
    assert (mask["cases_investigated"], mask["enterprise_fines_confiscations"], mask["cases_to_police"]) == (
        1, "2.50", 1)


def test_interviews_counted_as_times_when_the_template_says_so(forms, file_return):
    s = build(forms)
    template = forms["统计表一"]
    template.interview_count_mode = "times"
    template.save()

    ret = file_return(campaign=s["campaign"], template=template, unit=s["unit_a"], cutoff=CUTOFF, by=s["user_a"])

    ret.refresh_from_db()
    assert ret.data["total"]["medical_mask_manufacturers"]["enterprises_interviewed"] == 2  # V1 + V2 of E1


def test_forms_longer_than_one_row_mask_give_the_same_cells(forms, file_return, monkeypatch):
    import reporting.metrics

    monkeypatch.setattr(reporting.metrics, "MASK_BITS", 5)  # 38 rows -> 8 chunks per source
    s = build(forms)

    ret = file_return(campaign=s["campaign"], template=forms["统计表二"], unit=None, cutoff=CUTOFF, by=s["section"])

    assert stored(ret) == T2_DISTRICT
    assert stored(ret, str(s["unit_b"].pk)) == T2_B
