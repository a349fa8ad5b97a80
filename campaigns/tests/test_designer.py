"""The form designer: derived label cells, code rules, the structure lock, activation and who may design."""

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from campaigns import designer
from campaigns.models import Campaign, CellKind, FormCell, FormColumn, FormRow, FormTemplate
from enterprises.choices import Role, UnitKind
from enterprises.tests.factories import UnitFactory, UserFactory

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "forms" / "2023_table1.json"


@pytest.fixture
def section(db):
    return UserFactory(unit=UnitFactory(kind=UnitKind.SECTION, name="药械科"), role=Role.SECTION_STAFF)


@pytest.fixture
def station_user(db):
    return UserFactory(unit=UnitFactory(), role=Role.STATION_STAFF)


@pytest.fixture
def template(section):
    return designer.template_settings_save(template=FormTemplate(), by=section, values={
        "code": "测试表", "year": 2024, "title_template": "{year}年测试表", "header_label": "项目",
        "footer_template": "截至{year}年{month}月{day}日", "record_scope": "all", "is_active": False})


def _row(template, by, key, path, **extra):
    return designer.row_save(template=template, row=None, by=by, values={"key": key, "path": path, **extra})


def _column(template, by, key, **values):
    values.setdefault("label", key)
    return designer.column_save(template=template, column=None, by=by, values={"key": key, **values})


def test_label_cells_from_paths_match_the_2023_table_one_as_printed():
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    cells, depth = designer.label_cells_from_paths([row["path"] for row in data["rows"]])

    assert depth == data["label_columns"] == 2
    assert cells == [row["label_cells"] for row in data["rows"]]


def test_label_cells_span_rows_sharing_a_level_and_columns_left_over():
    cells, depth = designer.label_cells_from_paths([["甲"], ["乙", "子", "一"], ["乙", "子", "二"], ["乙", "丑"], ["丙", "寅"]])

    assert depth == 3
    assert cells == [
        [{"text": "甲", "col": 0, "colspan": 3, "rowspan": 1}],
        [{"text": "乙", "col": 0, "colspan": 1, "rowspan": 3}, {"text": "子", "col": 1, "colspan": 1, "rowspan": 2},
         {"text": "一", "col": 2, "colspan": 1, "rowspan": 1}],
        [{"text": "二", "col": 2, "colspan": 1, "rowspan": 1}],
        [{"text": "丑", "col": 1, "colspan": 2, "rowspan": 1}],
        [{"text": "丙", "col": 0, "colspan": 1, "rowspan": 1}, {"text": "寅", "col": 1, "colspan": 2, "rowspan": 1}],
    ]


@pytest.mark.parametrize("text, expected", [
    ("生产", ["生产"]), (" 集中带量采购中选产品 / 生产 ", ["集中带量采购中选产品", "生产"]), ("甲／乙/丙", ["甲", "乙", "丙"]),
])
def test_path_from_text(text, expected):
    assert designer.path_from_text(text) == expected


@pytest.mark.parametrize("text", ["", "甲 / / 乙", "甲/乙/丙/丁"])
def test_path_from_text_refuses(text):
    with pytest.raises(ValidationError):
        designer.path_from_text(text)


@pytest.mark.parametrize("key", ["sc", "row_1", "a-b", "生产", "生产2"])
def test_key_rules_accept(key):
    designer.key_check(key)


@pytest.mark.parametrize("key", ["", "a.b", "{a}", "a b", "a/b"])
def test_key_rules_refuse(key):
    with pytest.raises(ValidationError):
        designer.key_check(key)


def test_rows_derive_label_cells_and_label_columns_and_keys_are_unique(template, section):
    _row(template, section, "vbp_m", ["集采", "生产"])
    _row(template, section, "vbp_u", ["集采", "使用"])
    total = _row(template, section, "total", ["合计"])
    template.refresh_from_db()

    assert template.label_columns == 2
    assert total.label_cells == [{"text": "合计", "col": 0, "colspan": 2, "rowspan": 1}]
    assert template.rows.get(key="vbp_m").label_cells[0] == {"text": "集采", "col": 0, "colspan": 1, "rowspan": 2}
    with pytest.raises(ValidationError) as exc:
        _row(template, section, "total", ["再来"])
    assert "已有代码" in exc.value.message_dict["key"][0]
    with pytest.raises(ValidationError):
        _row(template, section, "a.b", ["点"])

    designer.item_move(item=total, up=True, by=section)
    assert list(template.rows.values_list("key", flat=True)) == ["vbp_m", "total", "vbp_u"]
    assert template.rows.get(key="vbp_u").label_cells[0]["text"] == "集采"  # no longer merged with vbp_m
    designer.row_delete(row=template.rows.get(key="vbp_m"), by=section)
    assert list(template.rows.values_list("key", "order")) == [("total", 1), ("vbp_u", 2)]


def test_a_bad_formula_is_a_field_error_and_saves_nothing(template, section):
    with pytest.raises(ValidationError) as exc:
        _column(template, section, "sum", kind=CellKind.FORMULA, formula="{.a} +")
    assert "公式写法有误" in exc.value.message_dict["formula"][0]
    with pytest.raises(ValidationError) as exc:
        _column(template, section, "jc", kind=CellKind.COMPUTED, metric="no_such_metric")
    assert "不存在" in exc.value.message_dict["metric"][0]
    assert not template.columns.exists()


def test_activation_is_blocked_while_problems_remain(template, section):
    row = _row(template, section, "sc", ["生产"])
    _column(template, section, "sd", kind=CellKind.MANUAL, required=True, min_value=Decimal(0))
    _column(template, section, "hj", kind=CellKind.FORMULA, formula="{.sd} + {.missing}")
    values = {"code": template.code, "year": template.year, "title_template": template.title_template,
              "header_label": "项目", "footer_template": template.footer_template, "record_scope": "all",
              "is_active": True}

    with pytest.raises(ValidationError) as exc:
        designer.template_settings_save(template=FormTemplate.objects.get(pk=template.pk), values=values, by=section)
    assert "不能启用" in exc.value.message_dict["is_active"][0]
    assert "missing" in exc.value.message_dict["is_active"][0]
    assert not FormTemplate.objects.get(pk=template.pk).is_active

    column = template.columns.get(key="hj")
    designer.column_save(template=template, column=column, by=section,
                         values={"key": "hj", "label": "合计", "kind": CellKind.FORMULA, "formula": "{.sd} * 2"})
    designer.cell_save(row=row, column=column, by=section, values={"kind": CellKind.NONE, "note": "不适用"})
    saved = designer.template_settings_save(template=FormTemplate.objects.get(pk=template.pk), values=values,
                                            by=section)
    assert saved.is_active
    assert FormCell.objects.get().kind == CellKind.NONE
    designer.cell_reset(row=row, column=column, by=section)
    assert not FormCell.objects.exists()


def test_manual_column_keeps_only_what_its_kind_uses(template, section):
    column = _column(template, section, "sd", kind=CellKind.MANUAL, formula="{.x}", metric="enterprises_inspected",
                     min_value=Decimal(0), required=True)
    assert (column.formula, column.metric, column.min_value, column.required) == ("", "", Decimal(0), True)


def test_a_template_with_returns_keeps_its_structure(template, section, client):
    from reporting.models import Return

    row = _row(template, section, "sc", ["生产"])
    column = _column(template, section, "sd", kind=CellKind.MANUAL)
    campaign = Campaign.objects.create(name="专项", year=2024, start_date=dt.date(2024, 1, 1),
                                       end_date=dt.date(2024, 12, 31))
    Return.objects.create(campaign=campaign, template=template, cutoff=dt.date(2024, 3, 15), unscheduled=True)

    for action in (
        lambda: _row(template, section, "jy", ["经营"]),
        lambda: designer.row_delete(row=row, by=section),
        lambda: _column(template, section, "x", kind=CellKind.MANUAL),
        lambda: designer.column_delete(column=column, by=section),
        lambda: designer.item_move(item=row, up=False, by=section),
        lambda: designer.cell_save(row=row, column=column, by=section, values={"kind": CellKind.NONE}),
    ):
        with pytest.raises(ValidationError, match="复制为新版本"):
            action()
    assert (FormRow.objects.count(), FormColumn.objects.count(), FormCell.objects.count()) == (1, 1, 0)

    client.force_login(section)
    page = client.get(reverse("campaigns:template_design", args=[template.pk]))
    assert "复制为新版本" in page.content.decode() and "添加行" not in page.content.decode()
    response = client.post(reverse("campaigns:design_row_create", args=[template.pk]), {"key": "jy", "path_text": "经营"})
    assert response.status_code == 302 and FormRow.objects.count() == 1


def _designer_urls(template, row, column):
    return [
        ("get", reverse("campaigns:template_create")),
        ("get", reverse("campaigns:template_design", args=[template.pk])),
        ("get", reverse("campaigns:template_settings", args=[template.pk])),
        ("get", reverse("campaigns:design_row_create", args=[template.pk])),
        ("get", reverse("campaigns:design_row_edit", args=[template.pk, row.pk])),
        ("get", reverse("campaigns:design_column_create", args=[template.pk])),
        ("get", reverse("campaigns:design_column_edit", args=[template.pk, column.pk])),
        ("get", reverse("campaigns:design_cell_edit", args=[template.pk, row.pk, column.pk])),
        ("post", reverse("campaigns:design_cell_edit", args=[template.pk, row.pk, column.pk])),
        ("post", reverse("campaigns:design_item_action", args=[template.pk, "rows", row.pk, "delete"])),
        ("post", reverse("campaigns:design_item_action", args=[template.pk, "columns", column.pk, "up"])),
    ]


def test_a_station_user_gets_403_on_every_designer_page_and_a_district_user_gets_them(
        client, template, section, station_user):
    row = _row(template, section, "sc", ["生产"])
    column = _column(template, section, "sd", kind=CellKind.MANUAL)
    urls = _designer_urls(template, row, column)

    client.force_login(station_user)
    for method, url in urls:
        assert getattr(client, method)(url, {"key": "x", "path_text": "y", "kind": "none"}).status_code == 403, url
    assert client.get(reverse("campaigns:template_detail", args=[template.pk])).status_code == 200
    assert "设计" not in client.get(reverse("campaigns:template_detail", args=[template.pk])).content.decode()
    assert (FormRow.objects.count(), FormColumn.objects.count(), FormCell.objects.count()) == (1, 1, 0)

    client.force_login(section)
    for _method, url in urls[:8]:
        assert client.get(url).status_code == 200, url
    assert "设计" in client.get(reverse("campaigns:template_detail", args=[template.pk])).content.decode()


def test_pages_save_through_the_designer(client, template, section):
    client.force_login(section)
    response = client.post(reverse("campaigns:design_column_create", args=[template.pk]), {
        "key": "hj", "label": "合计", "decimals": 0, "width": 10, "kind": "formula", "formula": "{.a} + ("})
    assert response.status_code == 200
    assert "公式写法有误" in response.content.decode() and not FormColumn.objects.exists()

    response = client.post(reverse("campaigns:design_row_create", args=[template.pk]),
                           {"key": "sc", "path_text": "集采 / 生产", "link": "manufacture"})
    assert response.status_code == 302
    row = FormRow.objects.get()
    assert (row.path, row.link) == (["集采", "生产"], "manufacture")

    response = client.post(reverse("campaigns:template_settings", args=[template.pk]), {
        "code": "测试表", "year": 2024, "title_template": "t", "header_label": "项目", "footer_template": "f",
        "record_scope": "all", "case_count_date": "filed_on", "interview_count_mode": "distinct", "is_active": "on"})
    assert response.status_code == 200 and "不能启用" in response.content.decode()
    assert not FormTemplate.objects.get(pk=template.pk).is_active


def test_the_api_reads_column_keys_cell_definitions_and_cells(client, template, section, station_user):
    row = _row(template, section, "sc", ["生产"])
    column = _column(template, section, "xc", kind=CellKind.MANUAL, required=True, min_value=Decimal(0))
    designer.cell_save(row=row, column=column, by=section, values={"kind": CellKind.NONE, "note": "不适用"})

    client.force_login(station_user)
    data = client.get(f"/api/form-templates/{template.pk}/").json()

    assert data["record_scope"] == "all"
    [col] = data["columns"]
    assert (col["key"], col["kind"], col["required"], Decimal(col["min_value"])) == ("xc", "manual", True, Decimal(0))
    assert data["cells"] == [{"row": "sc", "column": "xc", "kind": "none", "metric": "", "formula": "",
                              "min_value": None, "max_value": None, "required": False, "note": "不适用"}]
