"""Licences (许可证/备案凭证) imported with their enterprises: the 许可证备案 sheet, all-or-nothing with the
enterprises, row-level Chinese errors, re-import updates by type and number, and the unit boundary."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from enterprises.choices import LicenceKind, LicenceStatus
from enterprises.importers import COLUMNS, LICENCE_COLUMNS, enterprises_import
from enterprises.models import Enterprise, ImportJob, Licence

from .factories import EnterpriseFactory, LicenceFactory, make_credit_code
from .test_import import row

pytestmark = pytest.mark.django_db

LICENCE_HEADERS = [c.header for c in LICENCE_COLUMNS]


def licence(n: int, **overrides) -> dict:
    values = {
        "统一社会信用代码": make_credit_code(n), "证照类型": "第二类医疗器械经营备案",
        "证照编号": f"浙温药监械经营备2024{n:04d}号", "发证机关": "温州市市场监督管理局",
        "发证日期": datetime.date(2024, 3, 1), "许可/备案范围": "第二类医疗器械（不含体外诊断试剂）",
    }
    values.update(overrides)
    return values


def workbook(enterprises: list[dict], licences: list[dict]) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.title = "企业"
    headers = [c.header for c in COLUMNS]
    ws.append(headers)
    for values in enterprises:
        ws.append([values.get(h, "") for h in headers])
    sheet = wb.create_sheet("许可证备案")
    sheet.append(LICENCE_HEADERS)
    for values in licences:
        sheet.append([values.get(h, "") for h in LICENCE_HEADERS])
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer


def licences_of(enterprise: Enterprise) -> list[tuple]:
    return [(lic.kind, lic.number, lic.issuer, lic.issued_on, lic.expires_on, lic.scope, lic.status)
            for lic in enterprise.licences.order_by("kind", "number")]


def test_licences_are_created_with_their_enterprises(district):
    # given two new enterprises with three licences, and a licence for an enterprise already registered
    registered = EnterpriseFactory(subdistrict=district.sub_a, credit_code=make_credit_code(9))
    file = workbook([row(1), row(2)], [
        licence(1),
        licence(1, 证照类型="第三类经营许可证", 证照编号="浙温药监械经营许20240001号", 发证日期="2024年1月5日",
                有效期至="2029-01-04", 状态="有效"),
        licence(2, 证照类型="医疗器械网络销售备案", 证照编号="（浙）网械备字〔2024〕第00002号", 发证机关="",
                发证日期="", **{"许可/备案范围": ""}),
        licence(9, 证照编号="浙温药监械经营备20240009号"),
    ])

    # when a 所 user imports the file
    result = enterprises_import(file=file, by=district.inspector_a)

    # then every enterprise and licence is there, with the cells as typed
    assert result.ok, result.errors
    assert (result.rows, result.created, result.updated, result.licences_created, result.licences_updated) == (
        6, 2, 0, 4, 0)
    first = Enterprise.objects.get(credit_code=make_credit_code(1))
    assert licences_of(first) == [
        ("operation_filing", "浙温药监械经营备20240001号", "温州市市场监督管理局", datetime.date(2024, 3, 1), None,
         "第二类医疗器械（不含体外诊断试剂）", "valid"),
        ("operation_licence", "浙温药监械经营许20240001号", "温州市市场监督管理局", datetime.date(2024, 1, 5),
         datetime.date(2029, 1, 4), "第二类医疗器械（不含体外诊断试剂）", "valid"),
    ]
    second = Enterprise.objects.get(credit_code=make_credit_code(2))
    assert [(lic.kind, lic.number, lic.issuer, lic.issued_on) for lic in second.licences.all()] == [
        ("online_sales_filing", "（浙）网械备字〔2024〕第00002号", "", None)]
    assert [lic.number for lic in registered.licences.all()] == ["浙温药监械经营备20240009号"]
    assert first.licences.first().history.earliest().history_user == district.inspector_a


def test_a_bad_licence_row_blocks_the_whole_import_with_a_row_message(district):
    # given good enterprise rows and licence rows of which some are wrong
    file = workbook([row(1), row(2), row(3, 企业名称="")], [
        licence(1),                                                          # row 2: fine
        licence(2, 证照类型="营业执照"),                                       # row 3: not a licence type
        licence(2, 证照编号="浙温药监械经营备20249999号", 发证日期="去年"),        # row 4: bad date
        licence(2, 证照编号="浙温药监械经营备20248888号", 有效期至="2020-01-01"),  # row 5: expires before issued
        licence(1),                                                          # row 6: same licence as row 2
        licence(7),                                                          # row 7: no such enterprise
        licence(3, 证照编号="浙温药监械经营备20240003号"),                       # row 8: its enterprise row fails
        licence(2, 证照编号=""),                                               # row 9: number missing
    ])

    # when imported
    result = enterprises_import(file=file, by=district.inspector_a)

    # then nothing is saved, and each bad row says where and why, in Chinese
    assert not result.ok
    assert [(e.sheet, e.row, e.column, e.message) for e in result.errors] == [
        ("企业", 4, "企业名称", "必填，不能为空"),
        ("许可证备案", 3, "证照类型", "“营业执照”不是可选值（可选：" + "、".join(map(str, LicenceKind.labels)) + "）"),
        ("许可证备案", 4, "发证日期", "“去年”不是有效日期，请填写如 2024-03-01"),
        ("许可证备案", 5, "有效期至", "有效期至不能早于发证日期"),
        ("许可证备案", 6, "证照编号", "与本表第2行的证照重复"),
        ("许可证备案", 7, "统一社会信用代码", f"“企业”表和系统中都没有统一社会信用代码为“{make_credit_code(7)}”的企业"),
        ("许可证备案", 8, "统一社会信用代码", "该企业在“企业”表第4行有错误，未能导入，请先更正该行"),
        ("许可证备案", 9, "证照编号", "必填，不能为空"),
    ]
    assert (Enterprise.objects.count(), Licence.objects.count()) == (0, 0)
    assert (result.created, result.updated, result.licences_created, result.licences_updated) == (0, 0, 0, 0)


def test_one_bad_licence_row_alone_still_blocks_the_good_enterprises(district):
    file = workbook([row(1), row(2)], [licence(1), licence(2, 状态="作废")])

    result = enterprises_import(file=file, by=district.inspector_a)

    assert [(e.sheet, e.row, e.column) for e in result.errors] == [("许可证备案", 3, "状态")]
    assert (Enterprise.objects.count(), Licence.objects.count()) == (0, 0)


def test_reimport_updates_the_licence_of_the_same_type_and_number_and_keeps_its_status(district):
    enterprise = EnterpriseFactory(subdistrict=district.sub_a, credit_code=make_credit_code(1))
    held = LicenceFactory(enterprise=enterprise, kind=LicenceKind.OPERATION_FILING,
                          number="浙温药监械经营备20240001号", issuer="旧发证机关", status=LicenceStatus.SUSPENDED)

    result = enterprises_import(file=workbook([row(1)], [licence(1, 发证机关="温州市市场监督管理局")]),
                                by=district.inspector_a)

    assert result.ok, result.errors
    assert (result.updated, result.licences_created, result.licences_updated) == (1, 0, 1)
    held.refresh_from_db()
    assert (held.issuer, held.issued_on, held.status) == (
        "温州市市场监督管理局", datetime.date(2024, 3, 1), LicenceStatus.SUSPENDED)
    assert Licence.objects.count() == 1


def test_a_licence_number_held_by_another_enterprise_is_refused(district):
    other = EnterpriseFactory(subdistrict=district.sub_a)
    LicenceFactory(enterprise=other, kind=LicenceKind.OPERATION_FILING, number="浙温药监械经营备20240001号")

    result = enterprises_import(file=workbook([row(1)], [licence(1)]), by=district.inspector_a)

    assert [(e.sheet, e.row, e.column, e.message) for e in result.errors] == [
        ("许可证备案", 2, "证照编号", "该证照编号已登记在其他企业名下，请核对证照类型和编号")]
    assert Enterprise.objects.filter(credit_code=make_credit_code(1)).count() == 0
    assert Licence.objects.count() == 1


def test_a_station_user_cannot_add_a_licence_to_another_units_enterprise(district):
    theirs = EnterpriseFactory(subdistrict=district.sub_b, credit_code=make_credit_code(5))

    result = enterprises_import(file=workbook([row(1)], [licence(5)]), by=district.inspector_a)

    assert [(e.sheet, e.row, e.column, e.message) for e in result.errors] == [
        ("许可证备案", 2, "统一社会信用代码", f"该企业由{theirs.owning_unit}监管，你无权为其登记证照")]
    assert (Enterprise.objects.count(), Licence.objects.count()) == (1, 0)


def test_a_file_without_the_licence_sheet_still_imports(district):
    wb = Workbook()
    ws = wb.active
    ws.title = "企业"
    headers = [c.header for c in COLUMNS]
    ws.append(headers)
    ws.append([row(1).get(h, "") for h in headers])
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)

    result = enterprises_import(file=buffer, by=district.inspector_a)

    assert result.ok and (result.created, result.licences_created) == (1, 0)


def test_the_job_page_names_the_sheet_of_each_error_and_counts_licences(
    client, district, django_capture_on_commit_callbacks
):
    client.force_login(district.inspector_a)
    bad = workbook([row(1)], [licence(1, 发证日期="去年")]).getvalue()
    good = workbook([row(2)], [licence(2)]).getvalue()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("enterprises:import"), {"file": SimpleUploadedFile("bad.xlsx", bad)})
        client.post(reverse("enterprises:import"), {"file": SimpleUploadedFile("good.xlsx", good)})

    failed, succeeded = ImportJob.objects.order_by("pk")
    failed_page = client.get(reverse("enterprises:import_job", args=[failed.pk])).content.decode()
    assert failed.errors == [{"sheet": "许可证备案", "row": 2, "column": "发证日期",
                              "message": "“去年”不是有效日期，请填写如 2024-03-01"}]
    assert "<td class=\"text-nowrap\">许可证备案</td><td class=\"text-nowrap\">第 2 行</td>" in failed_page
    succeeded_page = client.get(reverse("enterprises:import_job", args=[succeeded.pk])).content.decode()
    assert "导入成功：共 2 行，新增 1 家，更新 0 家；许可证/备案凭证新增 1 个，更新 0 个。" in succeeded_page
