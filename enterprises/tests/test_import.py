"""Excel import: template, good file, bad rows change nothing, re-import updates, scoping."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from enterprises.importers import COLUMNS, enterprises_import
from enterprises.models import Enterprise

from .factories import EnterpriseFactory, TagFactory, make_credit_code

pytestmark = pytest.mark.django_db

HEADERS = [c.header for c in COLUMNS]


def xlsx(rows: list[dict], headers: list[str] = HEADERS) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.title = "企业"
    ws.append(headers)
    for row in rows:
        ws.append([row.get(h, "") for h in headers])
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer


def row(n: int, **overrides) -> dict:
    values = {
        "统一社会信用代码": make_credit_code(n), "企业名称": f"导入企业{n}", "所在街道/镇": "五马街道",
        "企业类别": "经营企业、第二类经营备案", "经营方式": "零售", "联系电话": "0577-1",
        "成立/登记日期": datetime.date(2020, 5, 18),
    }
    values.update(overrides)
    return values


def test_template_has_headers_example_and_instructions(client, district):
    TagFactory(name="无菌")
    client.force_login(district.inspector_a)

    response = client.get(reverse("enterprises:import_template"))

    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["企业", "许可证备案", "说明"]
    ws = wb["企业"]
    assert [c.value for c in ws[1]][:4] == ["统一社会信用代码*", "企业名称*", "所在街道/镇*", "企业类别*"]
    example = [c.value for c in ws[2]]
    assert example[2] == "五马街道"
    licences = wb["许可证备案"]
    assert [c.value for c in licences[1]] == ["统一社会信用代码*", "证照类型*", "证照编号*", "发证机关", "发证日期",
                                              "有效期至", "许可/备案范围", "状态"]
    licence_example = [c.value for c in licences[2]]
    assert licence_example[0] == example[0]  # the example licence belongs to the example enterprise
    assert licence_example[1] == "第二类医疗器械经营备案"
    notes = [r[0] for r in wb["说明"].iter_rows(values_only=True)]
    assert {"企业类别可选值", "证照类型可选值", "状态可选值", "“许可证备案”表的列"} <= set(notes)


def test_the_templates_example_row_is_refused_so_no_made_up_enterprise_enters_the_registry(client, district):
    TagFactory(name="无菌")
    client.force_login(district.section_user)
    template = client.get(reverse("enterprises:import_template")).content

    result = enterprises_import(file=io.BytesIO(template), by=district.section_user)

    assert [(e.sheet, e.row, e.column, e.message) for e in result.errors] == [
        ("企业", 2, "统一社会信用代码", "这是导入模板中的示例行，请删除该行或改成真实企业的信息"),
        ("许可证备案", 2, "统一社会信用代码", "这是导入模板中的示例行，请删除该行或改成真实证照的信息"),
    ]
    assert Enterprise.objects.count() == 0


def test_the_template_imports_once_the_example_is_replaced_by_a_real_firm(client, district):
    TagFactory(name="无菌")
    client.force_login(district.section_user)
    wb = load_workbook(io.BytesIO(client.get(reverse("enterprises:import_template")).content))
    wb["企业"]["A2"] = make_credit_code(4242)
    wb["企业"]["B2"] = "温州实有医疗器械有限公司"
    wb["许可证备案"]["A2"] = make_credit_code(4242)
    wb["许可证备案"]["C2"] = "浙温药监械经营备20204242号"
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)

    result = enterprises_import(file=buffer, by=district.section_user)

    assert result.ok, result.errors
    enterprise = Enterprise.objects.get()
    assert enterprise.name == "温州实有医疗器械有限公司"
    assert [(lic.kind, lic.number, lic.issued_on, lic.status) for lic in enterprise.licences.all()] == [
        ("operation_filing", "浙温药监械经营备20204242号", datetime.date(2020, 6, 1), "valid")]


def test_good_file_imports_every_row(district):
    tag = TagFactory(name="角膜接触镜")
    file = xlsx([
        row(1, 产品领域="角膜接触镜"),
        row(2, 企业类别="使用单位", 机构类型="诊所", 经营方式=""),
    ])

    result = enterprises_import(file=file, by=district.inspector_a)

    assert result.ok, result.errors
    assert (result.rows, result.created, result.updated) == (2, 2, 0)
    first = Enterprise.objects.get(credit_code=make_credit_code(1))
    assert first.is_operator and first.operates_class2 and not first.is_user_unit
    assert first.operation_mode == "retail"
    assert first.established_on == datetime.date(2020, 5, 18)
    assert first.owning_unit == district.station_a
    assert list(first.tags.all()) == [tag]
    second = Enterprise.objects.get(credit_code=make_credit_code(2))
    assert (second.is_user_unit, second.institution_type) == (True, "clinic")
    assert first.history.earliest().history_user == district.inspector_a


def test_bad_rows_change_nothing_and_are_reported_with_row_and_column(district):
    existing = EnterpriseFactory(name="原名", subdistrict=district.sub_a, credit_code=make_credit_code(10))
    bad_code = make_credit_code(12)[:17] + ("0" if make_credit_code(12)[17] != "0" else "1")
    file = xlsx([
        row(10, 企业名称="新名"),                                       # row 2: fine (an update)
        row(11),                                                      # row 3: fine (new)
        row(12, 统一社会信用代码=bad_code),                             # row 4
        row(13, **{"所在街道/镇": "不存在街道"}),                        # row 5
        row(14, 企业类别="经营企业、卖菜"),                              # row 6
        row(15, 企业名称=""),                                          # row 7
        row(16, **{"成立/登记日期": "去年"}),                            # row 8
        row(11),                                                      # row 9: duplicate of row 3
        row(17, 企业类别="使用单位", 经营方式=""),                       # row 10: service rule
    ])

    result = enterprises_import(file=file, by=district.inspector_a)

    assert not result.ok
    assert [(e.row, e.column) for e in result.errors] == [
        (4, "统一社会信用代码"),
        (5, "所在街道/镇"),
        (6, "企业类别"),
        (7, "企业名称"),
        (8, "成立/登记日期"),
        (9, "统一社会信用代码"),
        (10, "机构类型"),
    ]
    messages = {e.row: e.message for e in result.errors}
    assert messages[5] == "系统中没有名为“不存在街道”的街道/镇"
    assert messages[6] == "无法识别的企业类别“卖菜”"
    assert messages[7] == "必填，不能为空"
    assert messages[9] == "与第3行重复"
    assert messages[10] == "使用单位须选择机构类型"
    assert Enterprise.objects.count() == 1
    existing.refresh_from_db()
    assert existing.name == "原名"


def test_reimport_updates_and_never_duplicates(district):
    enterprises_import(file=xlsx([row(1), row(2)]), by=district.inspector_a)

    result = enterprises_import(file=xlsx([row(1, 联系电话="0577-9"), row(2)]), by=district.inspector_a)

    assert (result.created, result.updated) == (0, 2)
    assert Enterprise.objects.count() == 2
    assert Enterprise.objects.get(credit_code=make_credit_code(1)).phone == "0577-9"


def test_station_user_cannot_import_enterprises_of_another_unit(district):
    theirs = EnterpriseFactory(name="藤桥药房", subdistrict=district.sub_b, credit_code=make_credit_code(30))
    file = xlsx([
        row(30, 企业名称="被改名", **{"所在街道/镇": "五马街道"}),  # another 所's enterprise
        row(31, **{"所在街道/镇": "藤桥镇"}),                     # would belong to 藤桥所
        row(32, 企业类别="生产企业", 经营方式=""),                 # would belong to 药械科
        row(33),                                                   # fine on its own
    ])

    result = enterprises_import(file=file, by=district.inspector_a)

    assert [(e.row, e.column) for e in result.errors] == [(2, "统一社会信用代码"), (3, "整行"), (4, "整行")]
    assert result.errors[0].message == "该企业由藤桥市场监管所监管，你无权修改"
    assert Enterprise.objects.count() == 1
    theirs.refresh_from_db()
    assert theirs.name == "藤桥药房"


def test_missing_required_header_is_reported(district):
    file = xlsx([row(1)], headers=[h for h in HEADERS if h != "企业类别"])

    result = enterprises_import(file=file, by=district.inspector_a)

    assert [(e.row, e.column) for e in result.errors] == [(1, "企业类别")]
    assert Enterprise.objects.count() == 0


def test_unreadable_file_is_reported(district):
    result = enterprises_import(file=io.BytesIO(b"not an excel file"), by=district.inspector_a)

    assert result.errors[0].message == "无法读取该文件，请使用下载的导入模板（.xlsx）填写"


def test_import_page_refuses_non_xlsx(client, district):
    client.force_login(district.inspector_a)

    response = client.post(reverse("enterprises:import"),
                           {"file": SimpleUploadedFile("a.csv", b"a,b")})

    assert response.context["form"].errors["file"] == ["请上传 .xlsx 格式的Excel文件（可先下载导入模板）"]
