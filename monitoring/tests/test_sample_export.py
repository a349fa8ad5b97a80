"""``manage.py ae_sample_export``: a national-system export for the demo district, reopened with openpyxl."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from enterprises import demo as enterprises_demo
from enterprises.models import Enterprise, Subdistrict
from enterprises.reference import load_reference
from monitoring import demo as monitoring_demo
from monitoring.models import AdverseEventReport, ImportProfile
from monitoring.reference import COLUMNS, VALUES
from monitoring.sample_export import SUPPLEMENT
from regsys.bootstrap import DemoContext

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 9, 28)
HEADERS = [names[0] for names in COLUMNS.values()]


@pytest.fixture
def district():
    ctx = DemoContext(scale=0, seed=20240319, out=io.StringIO(), today=TODAY)
    load_reference()
    enterprises_demo.seed(ctx)
    monitoring_demo.seed(ctx)


def export(tmp_path, name: str, *args: str) -> list[dict]:
    out = tmp_path / name
    call_command("ae_sample_export", "--out", str(out), "--today", TODAY.isoformat(), *args, stdout=io.StringIO())
    sheet = load_workbook(out).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    return [dict(zip(COLUMNS, row, strict=True)) for row in rows[1:]]


def test_the_sample_has_the_default_headers_and_realistic_new_rows(district, tmp_path):
    rows = export(tmp_path, "first.xlsx")

    assert len(rows) == 30
    codes = [r["code"] for r in rows]
    assert all(isinstance(c, str) and len(c) == 17 and c.startswith("3303022026") for c in codes)  # text, not a number
    assert len(set(codes)) == 30
    assert not AdverseEventReport.objects.filter(code__in=codes).exists()
    assert all(TODAY - dt.timedelta(days=20) <= r["reported_on"].date() <= TODAY for r in rows)
    assert all(r["learned_on"].date() <= r["reported_on"].date() for r in rows)
    assert {r["reporter_kind"] for r in rows} <= set(VALUES["reporter_kind"])
    assert {r["outcome"] for r in rows} <= set(VALUES["outcome"])
    assert "使用单位" in {r["reporter_kind"] for r in rows}
    streets = set(Subdistrict.objects.values_list("name", flat=True))
    assert {r["subdistrict"] for r in rows if r["subdistrict"]} <= streets
    by_code = dict(Enterprise.objects.values_list("credit_code", "name"))
    with_code = [r for r in rows if r["reporter_credit_code"]]
    assert len(with_code) > 15
    assert all(by_code[r["reporter_credit_code"]] == r["reporter_name"] for r in with_code)
    names = set(by_code.values())
    assert sum(1 for r in rows if r["reporter_kind"] != "个人" and r["reporter_name"] not in names) == 1  # unmatched
    assert all(r["product_name"] and r["registration_number"] and r["batch"] and r["description"] for r in rows)
    # the same command again gives the same rows (a second import of the file changes nothing)
    assert export(tmp_path, "again.xlsx") == rows


def test_the_changed_sample_repeats_the_rows_with_changes_adds_new_ones_and_supplements_seeded_reports(
        district, tmp_path):
    first = export(tmp_path, "first.xlsx")
    second = export(tmp_path, "second.xlsx", "--changed")

    assert len(second) == 30 + 8 + 6
    first_by_code = {r["code"]: r for r in first}
    repeated = [r for r in second if r["code"] in first_by_code]
    assert len(repeated) == 30
    changed = [r for r in repeated if r != first_by_code[r["code"]]]
    assert len(changed) == 7  # every fourth row: rows 4, 8, … 28
    for row in changed:
        differing = {k for k in COLUMNS if row[k] != first_by_code[row["code"]][k]}
        assert differing and differing <= {"outcome", "description", "model_spec", "batch"}, differing
    seeded = {r.code: r for r in AdverseEventReport.objects.filter(code__in=[r["code"] for r in second])}
    assert len(seeded) == 6
    for code, report in seeded.items():
        row = next(r for r in second if r["code"] == code)
        assert row["description"] == report.description + SUPPLEMENT
        assert (row["product_name"], row["batch"], row["reported_on"].date()) == (
            report.product_name, report.batch, report.reported_on)
    new = [r for r in second if r["code"] not in first_by_code and r["code"] not in seeded]
    assert len(new) == 8
    assert export(tmp_path, "second-again.xlsx", "--changed") == second


def test_a_past_year_and_the_profile_headers(district, tmp_path):
    ImportProfile.objects.update(is_default=False)  # the administrator makes the changed export the default
    profile = ImportProfile.objects.create(name="改版导出", is_default=True, sheet_name="报告", header_row=2,
                                           columns={**COLUMNS, "code": ["报告编号"], "batch": ["生产批号"]})
    out = tmp_path / "old.xlsx"

    call_command("ae_sample_export", "--out", str(out), "--year", "2025", "--today", TODAY.isoformat(),
                 stdout=io.StringIO())

    book = load_workbook(out)
    assert book.sheetnames == [profile.sheet_name]
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][0] == "国家医疗器械不良事件监测信息系统 报告导出"
    header = list(rows[1])
    assert header[0] == "报告编号" and "生产批号" in header and "产品批号" not in header
    dates = [r[1].date() for r in rows[2:]]
    assert len(dates) == 30 and all(dt.date(2025, 12, 11) <= d <= dt.date(2025, 12, 31) for d in dates)


def test_the_command_refuses_an_empty_registry_a_future_year_and_a_file_that_is_not_xlsx(tmp_path):
    with pytest.raises(CommandError, match="seed_demo"):
        call_command("ae_sample_export", "--out", str(tmp_path / "a.xlsx"), stdout=io.StringIO())
    with pytest.raises(CommandError, match="晚于"):
        call_command("ae_sample_export", "--out", str(tmp_path / "a.xlsx"), "--year", "2999", stdout=io.StringIO())
    with pytest.raises(CommandError, match=r"\.xlsx"):
        call_command("ae_sample_export", "--out", str(tmp_path / "a.csv"), stdout=io.StringIO())
    assert list(tmp_path.iterdir()) == []
