"""Unscheduled (临时报送) returns: a year-end or ad-hoc cut-off, in the model, the list, the files and the calendar."""

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook
from rest_framework.test import APIClient

from enterprises.tests.factories import UnitFactory
from reporting.models import ReportingSettings, Return
from reporting.selectors import calendar
from reporting.services import return_request, return_submit

from .factories import DueDateFactory
from .scenario import build

YEAR_END = dt.date(2023, 12, 31)  # after the campaign's last due date (12-25)


@pytest.fixture
def s(forms):
    data = build(forms)
    data["t1"], data["t2"] = forms["统计表一"], forms["统计表二"]
    return data


def test_a_cutoff_after_the_last_due_date_makes_an_unscheduled_return(s, file_return):
    ret = file_return(campaign=s["campaign"], template=s["t1"], unit=s["unit_a"], cutoff=YEAR_END, by=s["user_a"])

    assert (ret.unscheduled, ret.due_date, ret.version, ret.computed_at is not None) == (True, None, 1, True)
    job = ret.jobs.get()
    assert Path(job.xlsx.name).name == "2023统计表一_五马所_20231231_临时报送_v1.xlsx"
    assert Path(job.docx.name).name == "2023统计表一_五马所_20231231_临时报送_v1.docx"
    assert load_workbook(job.xlsx.path).worksheets[0]["A1"].value == \
        "2023年医疗器械质量安全专项整治工作情况统计表一（临时报送）"
    assert Document(job.docx.path).paragraphs[0].text == "2023年医疗器械质量安全专项整治工作情况统计表一（临时报送）"
    assert job.title.endswith("截至2023-12-31 临时报送 v1")

    return_submit(ret=ret, by=s["user_a"])  # no due date to be closed
    ret.refresh_from_db()
    assert (ret.status, ret.submitted_on_time) == ("submitted", None)


def test_an_ad_hoc_return_inside_a_period_and_inside_a_closed_one(s, file_return):
    mid = file_return(campaign=s["campaign"], template=s["t1"], unit=s["unit_a"], cutoff=dt.date(2023, 8, 15),
                      by=s["user_a"], unscheduled=True)
    closed_period = file_return(campaign=s["campaign"], template=s["t1"], unit=s["unit_a"],
                                cutoff=dt.date(2023, 6, 20), by=s["user_a"], unscheduled=True)

    assert [(r.unscheduled, r.due_date) for r in (mid, closed_period)] == [(True, None), (True, None)]
    again = file_return(campaign=s["campaign"], template=s["t1"], unit=s["unit_a"], cutoff=dt.date(2023, 8, 15),
                        by=s["user_a"])  # a new version keeps its chain's kind
    assert (again.version, again.unscheduled) == (2, True)


def test_unscheduled_refused_on_a_cutoff_that_already_has_a_scheduled_return(s, file_return):
    scheduled = file_return(campaign=s["campaign"], template=s["t1"], unit=s["unit_a"], cutoff=dt.date(2023, 9, 30),
                            by=s["user_a"])

    with pytest.raises(ValidationError) as info:
        return_request(campaign=s["campaign"], template=s["t1"], unit=s["unit_a"], cutoff=dt.date(2023, 9, 30),
                       by=s["user_a"], unscheduled=True)

    assert info.value.message_dict == {"unscheduled": ["该截止日期已有按期报表（报送期限 2023-12-25），请在该报表页面重新计算"]}
    assert list(Return.objects.values_list("pk", "unscheduled", "is_current")) == [(scheduled.pk, False, True)]


def test_the_calendar_lists_unscheduled_returns_apart_and_never_overdue(s, file_return):
    ret = file_return(campaign=s["campaign"], template=s["t1"], unit=s["unit_a"], cutoff=YEAR_END, by=s["user_a"])
    district = file_return(campaign=s["campaign"], template=s["t1"], unit=None, cutoff=YEAR_END, by=s["section"])

    blocks = calendar(s["campaign"], s["section"], today=dt.date(2024, 1, 10))

    scheduled = [b for b in blocks if not b.get("unscheduled")]
    extra = [b for b in blocks if b.get("unscheduled")]
    assert len(scheduled) == 6  # 2 forms x 3 due dates, as before
    assert all(c["ret"] is None for b in scheduled for c in b["cells"])  # the year-end return fills no period
    assert [(b["template"], [(c["unit"], c["ret"], c["state"]) for c in b["cells"]], b["missing"]) for b in extra] == [
        (s["t1"], [(s["unit_a"], ret, "unscheduled"), (None, district, "unscheduled")], 0)]
    assert [[c["ret"] for c in b["cells"]] for b in calendar(s["campaign"], s["user_b"]) if b.get("unscheduled")] \
        == []  # another 所 sees neither
    assert [[c["ret"] for c in b["cells"]] for b in calendar(s["campaign"], s["user_a"]) if b.get("unscheduled")] \
        == [[ret]]


def test_pages_mark_unscheduled_returns(client, s, file_return, export_file):
    ret = file_return(campaign=s["campaign"], template=s["t1"], unit=s["unit_a"], cutoff=YEAR_END, by=s["user_a"])
    client.force_login(s["user_a"])

    listing = client.get(reverse("reporting:return_list")).content.decode()
    detail = client.get(reverse("reporting:return_detail", args=[ret.pk])).content.decode()
    cal = client.get(reverse("reporting:calendar"), {"campaign": s["campaign"].pk}).content.decode()
    only = client.get(reverse("reporting:return_list"), {"unscheduled": "true"})
    export = export_file(client, reverse("reporting:return_list"), {"export": "xlsx"})

    assert "临时报送</span>" in listing
    assert "临时报送</span>" in detail and "报送期限 " not in detail
    assert cal.count("临时报送 <span class=\"badge text-bg-info\">不定期</span>") == 1 and cal.count("data-unscheduled") == 1
    assert [r.pk for r in only.context["page"]] == [ret.pk]
    rows = list(export.active.values)
    assert (rows[0][4], rows[1][4]) == ("报送期限", "临时报送")


def test_the_form_files_an_unscheduled_return_and_defaults_the_cutoff_to_the_next_due_date(client, s):
    DueDateFactory(campaign=s["campaign"], due_on=dt.date.today() + dt.timedelta(days=40))
    soon = DueDateFactory(campaign=s["campaign"], due_on=dt.date.today() + dt.timedelta(days=10))
    client.force_login(s["user_a"])
    url = reverse("reporting:return_create")

    blank = client.get(url, {"campaign": s["campaign"].pk})
    response = client.post(url, {"campaign": s["campaign"].pk, "template": s["t2"].pk, "unit": s["unit_a"].pk,
                                 "cutoff": "2023-08-15", "unscheduled": "on"})

    assert blank.context["form"]["cutoff"].value() == soon.due_on
    assert f'value="{soon.due_on:%Y-%m-%d}"' in blank.content.decode()
    assert f'"{s["campaign"].pk}": "{soon.due_on:%Y-%m-%d}"' in blank.content.decode().replace("&quot;", '"')
    ret = Return.objects.get()
    assert response.status_code == 302 and (ret.unscheduled, ret.cutoff) == (True, dt.date(2023, 8, 15))


def test_api_files_an_unscheduled_return(s):
    api = APIClient()
    api.force_authenticate(s["user_a"])

    response = api.post("/api/returns/", {"campaign": s["campaign"].pk, "template": s["t1"].pk,
                                          "unit": s["unit_a"].pk, "cutoff": "2023-12-31"}, format="json")

    assert response.status_code == 201, response.content
    assert (response.json()["unscheduled"], response.json()["due_on"]) == (True, None)


def test_build_return_for_a_year_end_district_file_uses_the_bureau_contact(s, tmp_path):
    UnitFactory(kind="bureau", name="温州市鹿城区市场监督管理局", phone="0577-88300000")
    ReportingSettings.objects.create(district_filled_by="陈药械")
    out = StringIO()

    call_command("build_return", "--campaign", s["campaign"].pk, "--template", "统计表一", "--unit", "district",
                 "--cutoff", "2023-12-31", "--out", str(tmp_path), stdout=out)

    xlsx, docx = (Path(p) for p in out.getvalue().split())
    assert xlsx.name == "2023统计表一_全区_20231231_临时报送.xlsx"
    preamble = "填报单位（盖章）：温州市鹿城区市场监督管理局    填报人：陈药械    联系方式：0577-88300000"
    assert load_workbook(xlsx)["全区"]["A2"].value == preamble  # the phone: the bureau's (settings left blank)
    assert Document(docx).paragraphs[1].text == preamble
    assert load_workbook(xlsx)["全区"]["A1"].value.endswith("（临时报送）")

    ReportingSettings.objects.update(district_contact="0577-88300101")
    call_command("build_return", "--campaign", s["campaign"].pk, "--template", "统计表一", "--unit", "district",
                 "--cutoff", "2023-09-30", "--out", str(tmp_path), stdout=StringIO())
    scheduled = load_workbook(tmp_path / "2023统计表一_全区_20230930.xlsx")["全区"]
    assert scheduled["A2"].value.endswith("填报人：陈药械    联系方式：0577-88300101")
    assert scheduled["A1"].value == "2023年医疗器械质量安全专项整治工作情况统计表一"
