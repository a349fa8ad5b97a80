"""build_return from the command line, and the bounded number of queries of a computation."""

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from docx import Document
from openpyxl import load_workbook

from enterprises.tests.factories import UnitFactory
from reporting.metrics import Period, compute

from .factories import InspectionFactory
from .scenario import build

CUTOFF = dt.date(2023, 9, 30)


def test_build_return_writes_xlsx_and_docx_and_prints_their_paths(forms, tmp_path):
    s = build(forms)
    UnitFactory(kind="bureau", name="温州市鹿城区市场监督管理局")
    out = StringIO()

    call_command("build_return", "--campaign", s["campaign"].pk, "--template", "统计表二", "--unit", "district",
                 "--cutoff", "2023-09-30", "--out", str(tmp_path / "out"), stdout=out)

    paths = [Path(p) for p in out.getvalue().split()]
    assert [p.suffix for p in paths] == [".xlsx", ".docx"]
    assert all(p.exists() for p in paths)
    workbook = load_workbook(paths[0])
    assert workbook.sheetnames == ["全区", "五马所", "大南所", "校验提示"]
    assert workbook["全区"]["A42"].value == "备注：本统计报表内数据应为专项整治工作开展以来截至2023年9月30日的累计数。"
    assert workbook["全区"]["D14"].value == 1  # 抗原 经营: E4
    assert Document(paths[1]).paragraphs[0].text == "2023年医疗器械质量安全专项整治工作情况统计表二"
    assert Document(paths[1]).paragraphs[1].text.startswith("填报单位（盖章）：温州市鹿城区市场监督管理局")  # not 全区


def test_build_return_for_one_unit_and_bad_arguments(forms, tmp_path):
    s = build(forms)
    out = StringIO()
    call_command("build_return", "--campaign", s["campaign"].pk, "--template", "统计表一", "--unit", s["unit_a"].pk,
                 "--cutoff", "2023-09-30", "--out", str(tmp_path), stdout=out)
    xlsx = Path(out.getvalue().split()[0])
    assert xlsx.name == "2023统计表一_五马所_20230930.xlsx"
    assert load_workbook(xlsx).active["A2"].value.startswith("填报单位（盖章）：五马市场监管所    填报人：张所员")

    with pytest.raises(CommandError, match="专项整治期间"):
        call_command("build_return", "--campaign", s["campaign"].pk, "--template", "统计表一", "--unit", "district",
                     "--cutoff", "2022-09-30", "--out", str(tmp_path))
    with pytest.raises(CommandError, match="不报送"):
        call_command("build_return", "--campaign", s["campaign"].pk, "--template", "统计表九", "--unit", "district",
                     "--cutoff", "2023-09-30", "--out", str(tmp_path))


def _queries_for(forms, s, django_assert_max_num_queries, limit):
    period = Period(campaign=s["campaign"], cutoff=CUTOFF, unit_ids=(s["unit_a"].pk, s["unit_b"].pk))
    with django_assert_max_num_queries(limit):
        compute(template=forms["统计表二"], period=period, by_unit=True)


def test_the_number_of_queries_does_not_grow_with_the_data(forms, django_assert_max_num_queries):
    s = build(forms)
    # 2 (rows, columns) + 1 (tags) + 6 sources (enterprise, inspection, interview, case, person, referral)
    # + 1 SET LOCAL work_mem on PostgreSQL
    _queries_for(forms, s, django_assert_max_num_queries, 10)
    for _ in range(30):
        InspectionFactory(enterprise=s["e4"], unit=s["unit_b"], campaigns=[s["campaign"]])

    _queries_for(forms, s, django_assert_max_num_queries, 10)
    period = Period(campaign=s["campaign"], cutoff=CUTOFF, unit_ids=(s["unit_b"].pk,))
    grid = compute(template=forms["统计表二"], period=period)[None]
    assert grid["covid_antigen_test_reagents.operation"]["enterprises_inspected"] == 31
