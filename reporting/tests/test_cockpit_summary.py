"""The quarterly work summary (季度工作总结, Word) built into the download centre from the cockpit's figures.

The indicators are defined here (the registry's modules are filled by other work): an inspection count and a
count of overdue rectifications computed from records, a district-only rate given per period, and one that
is not configured. Every printed value below is worked out by hand from the scenario.

2024 Q2: as-of 2024-06-30, 182 of 366 days elapsed: pro-rata of 20 = floor(9.94…) = 9, of 10 = floor(4.97…) = 4.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import pytest
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn

from conftest import skip_or_fail
from enterprises.choices import Role
from enterprises.tests.conftest import district  # noqa: F401 - the fixture, shared
from enterprises.tests.factories import EnterpriseFactory, UserFactory
from inspections.choices import InspectionStatus
from inspections.models import Inspection, Rectification
from inspections.tests.factories import InspectionFactory, RectificationFactory
from monitoring.choices import RiskStatus, SampleStepKind
from monitoring.tests.factories import RiskFactory, SampleFactory
from reporting.cockpit import base
from reporting.cockpit.base import Figure, Indicator, Period, by_deadline, not_configured, pro_rata
from reporting.cockpit.service import snapshot_take
from reporting.cockpit.summary import format_delta, format_number
from reporting.models import ExportJob

pytestmark = pytest.mark.django_db


# ------------------------------------------------------------------ the test indicators

def _inspections(period: Period, units: list) -> dict:
    counts = dict(Inspection.objects.filter(start_date__gte=period.start, start_date__lte=period.as_of)
                  .values_list("unit").annotate(n=Count("pk")))
    figures = {None: Figure(actual=sum(counts.values()), target=20, expected=pro_rata(20, period, integer=True))}
    for unit in units:
        figures[unit.pk] = Figure(actual=counts.get(unit.pk, 0), target=10, expected=pro_rata(10, period, integer=True))
    return figures


def _overdue_rectifications(period: Period, units: list) -> dict:
    late = Q(deadline__lt=period.as_of) & (Q(completed_on__isnull=True) | Q(completed_on__gt=period.as_of))
    counts = dict(Rectification.objects.filter(late).values_list("inspection__unit").annotate(n=Count("pk")))
    figures = {None: Figure(actual=sum(counts.values()), target=0)}
    figures.update({u.pk: Figure(actual=counts.get(u.pk, 0), target=0) for u in units})
    return figures


def _self_reports(period: Period, units: list) -> dict:
    from decimal import Decimal

    actual = Decimal("92.5") if period.as_of >= dt.date(period.year, 4, 1) else Decimal("80.0")
    return {None: Figure(actual=actual, target=100, expected=by_deadline(100, period, dt.date(period.year, 3, 31)))}


def _udi(period: Period, units: list) -> dict:
    figures = {None: not_configured("未导入三甲医院名单")}
    figures.update({u.pk: not_configured("未导入三甲医院名单") for u in units})
    return figures


INDICATORS = [
    Indicator(code="inspections", section="监督检查", name="日常检查家次", unit_label="家次", compute=_inspections),
    Indicator(code="late_rectifications", section="监督检查", name="逾期未完成整改", unit_label="件",
              compute=_overdue_rectifications, higher_is_better=False),
    Indicator(code="self_reports", section="自查与分级", name="自查报告提交率", unit_label="%", compute=_self_reports,
              per_unit=False),
    Indicator(code="udi", section="信息化追溯", name="三甲医院实施唯一标识", unit_label="家", compute=_udi),
]


@pytest.fixture(autouse=True)
def _indicators(monkeypatch):
    monkeypatch.setattr(base, "INDICATOR_MODULES", (__name__,))


@pytest.fixture
def scenario(district):  # noqa: F811 - the shared fixture
    """五马所: 6 inspections in 2024 H1 (2 in Q1, 2 finalised and not entered), one in July; an open rectification
    due 2024-06-10; an overdue risk. 藤桥所: 3 inspections (1 in Q1, 1 finalised not entered), a completed
    rectification, an overdue sampling step, a closed risk."""
    d = district
    wuma = EnterpriseFactory(name="温州五马医疗器械有限公司", subdistrict=d.sub_a)
    tengqiao = EnterpriseFactory(name="温州藤桥眼镜经营部", subdistrict=d.sub_b)
    a_days = [dt.date(2024, 1, 15), dt.date(2024, 3, 20), dt.date(2024, 4, 8), dt.date(2024, 5, 6),
              dt.date(2024, 5, 28), dt.date(2024, 6, 30)]
    a = [InspectionFactory(enterprise=wuma, start_date=day) for day in a_days]
    for inspection in a[2:4]:
        inspection.status = InspectionStatus.FINALISED
        inspection.save()
    InspectionFactory(enterprise=wuma, start_date=dt.date(2024, 7, 1))  # after the quarter: never counted
    b = [InspectionFactory(enterprise=tengqiao, start_date=day)
         for day in (dt.date(2024, 2, 2), dt.date(2024, 4, 20), dt.date(2024, 6, 3))]
    b[1].status = InspectionStatus.FINALISED
    b[1].save()
    RectificationFactory(inspection=a[3], deadline=dt.date(2024, 6, 10))
    RectificationFactory(inspection=b[2], deadline=dt.date(2024, 6, 20), completed_on=dt.date(2024, 6, 18))
    SampleFactory(enterprise=tengqiao, sample_no="CJ2024-00077", product_name="医用外科口罩",
                  next_step=SampleStepKind.REPORT_DELIVERED, next_due_on=dt.date(2024, 6, 12))
    SampleFactory(enterprise=wuma, sample_no="CJ2024-00078", next_step="", next_due_on=None)
    RiskFactory(enterprise=wuma, risk_point="注射器抽检不合格批次仍在流通", due_on=dt.date(2024, 7, 31))
    RiskFactory(enterprise=tengqiao, risk_point="已销号的风险", due_on=dt.date(2024, 6, 30),
                status=RiskStatus.CLOSED, closed_on=dt.date(2024, 6, 28))
    return d


# ------------------------------------------------------------------ helpers

def _build(client, capture, user, data) -> ExportJob:
    client.force_login(user)
    before = set(ExportJob.objects.values_list("pk", flat=True))
    with capture(execute=True):
        response = client.post(reverse("reporting:cockpit_summary"), {**data, "next": "/reporting/"})
    assert (response.status_code, response["Location"]) == (302, "/reporting/")
    [job] = ExportJob.objects.exclude(pk__in=before)
    assert (job.kind, job.status, job.progress, job.error) == ("cockpit_summary", "success", 100, "")
    return job


def _document(job: ExportJob):
    with job.docx.open("rb") as handle:
        return Document(io.BytesIO(handle.read()))


def _rows(table) -> list[tuple[str, ...]]:
    return [tuple(cell.text for cell in row.cells) for row in table.rows]


def _texts(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def _table_after(document, caption: str):
    """The first table after the paragraph that reads ``caption``."""
    body = document.element.body
    [paragraph] = [p for p in body.iterchildren(qn("w:p"))
                   if "".join(t.text or "" for t in p.iter(qn("w:t"))) == caption]
    following = paragraph.getnext()
    while following.tag != qn("w:tbl"):
        following = following.getnext()
    return next(t for t in document.tables if t._tbl is following)


def _images(document) -> int:
    return len(document.inline_shapes)


TODAY = timezone.localdate()


def _days(day: dt.date) -> str:
    return str((TODAY - day).days)


# ------------------------------------------------------------------ the district's summary

def test_district_summary_figures_units_charts_overdue_and_lagging(client, scenario,
                                                                   django_capture_on_commit_callbacks):
    job = _build(client, django_capture_on_commit_callbacks, scenario.section_user, {"year": 2024, "quarter": 2})
    assert job.title == "2024年第二季度医疗器械监管工作总结（全区）"
    assert job.unit is None
    assert job.docx.name.endswith("2024年第二季度医疗器械监管工作总结_全区.docx")
    document = _document(job)
    texts = _texts(document)

    assert texts[0] == "2024年第二季度医疗器械监管工作总结（全区）"
    assert "统计期间：2024年第二季度（2024年1月1日至2024年6月30日）" in texts
    assert "统计范围：全区" in texts
    assert "数据来源：实时数据（该季度尚未冻结）" in texts
    assert f"生成日期：{TODAY.year}年{TODAY.month}月{TODAY.day}日" in texts

    assert _rows(_table_after(document, "表1  主要指标完成情况")) == [
        ("类别", "指标", "实际", "目标", "按进度应达", "状态", "较上季度"),
        # 6 + 3 inspections by 6-30 (not the July one); Q1: 2 + 1 = 3
        ("监督检查", "日常检查家次（家次）", "9", "20", "9", "进度正常", "+6"),
        # the rectification due 6-10 is open on 6-30; on 3-31 nothing was due yet
        ("监督检查", "逾期未完成整改（件）", "1", "0", "—", "滞后", "+1"),
        # 92.5 < 100 (due in full by 3-31) but ≥ 90: 略滞后; Q1 80.0
        ("自查与分级", "自查报告提交率（%）", "92.5", "100", "100", "略滞后", "+12.5"),
        ("信息化追溯", "三甲医院实施唯一标识（家）", "未配置", "—", "—", "未配置", "—"),
    ]
    assert "注：以下指标未配置，未列数据：三甲医院实施唯一标识（未导入三甲医院名单）。" in texts

    assert "二、各监管所完成情况" in texts
    assert _rows(_table_after(document, "表2  各监管所完成情况（1）")) == [
        ("监管所", "日常检查家次（家次）", "逾期未完成整改（件）", "三甲医院实施唯一标识（家）"),
        ("五马所", "6/10\n进度正常", "1/0\n滞后", "未配置"),  # 6 ≥ 4 due
        ("藤桥所", "3/10\n滞后", "0/0\n已达标", "未配置"),  # 3 < 4 × 0.9
    ]

    assert "三、图表" in texts
    assert _images(document) == 3  # completion, statuses, per-所 completion
    assert "图1  全区各项指标完成进度（条形为实际完成占全年目标的比例，竖线为按进度应达）" in texts
    assert "图2  全区指标状态分布" in texts
    assert "图3  各监管所监督检查指标完成率（占本所目标的比例）" in texts

    assert "四、逾期事项" in texts
    assert "（一）检查结束满一个月仍未录入省局系统：共3项。" in texts
    provincial = _table_after(document, "（一）检查结束满一个月仍未录入省局系统：共3项。")
    assert _rows(provincial) == [
        ("序号", "企业", "监管所", "检查日期", "应录入日期", "逾期天数"),
        ("1", "温州五马医疗器械有限公司", "五马所", "2024-04-08", "2024-05-08", _days(dt.date(2024, 5, 8))),
        ("2", "温州藤桥眼镜经营部", "藤桥所", "2024-04-20", "2024-05-20", _days(dt.date(2024, 5, 20))),
        ("3", "温州五马医疗器械有限公司", "五马所", "2024-05-06", "2024-06-06", _days(dt.date(2024, 6, 6))),
    ]
    assert _rows(_table_after(document, "（二）逾期未完成的整改：共1项。"))[1] == (
        "1", "温州五马医疗器械有限公司", "五马所", "2024-05-06", "2024-06-10", _days(dt.date(2024, 6, 10)))
    assert _rows(_table_after(document, "（三）监督抽检逾期环节：共1项。"))[1] == (
        "1", "医用外科口罩（CJ2024-00077）", "藤桥所", "检验报告书送达", "2024-06-12", _days(dt.date(2024, 6, 12)))
    assert _rows(_table_after(document, "（四）超过完成时限未销号的风险：共1项。"))[1] == (
        "1", "注射器抽检不合格批次仍在流通", "五马所", "管控中", "2024-07-31", _days(dt.date(2024, 7, 31)))

    assert "五、滞后指标" in texts
    lagging = texts[texts.index("五、滞后指标") + 1:texts.index("五、滞后指标") + 3]
    assert lagging == [
        "“逾期未完成整改”实际为1件，目标为不超过0件，超出1件，滞后。其中进度滞后的监管所：五马所。",
        "“自查报告提交率”实际完成92.5%，全年目标100%，按进度应达100%，差7.5%，略滞后。",
    ]


def test_document_sets_east_asian_fonts_and_a4(client, scenario, django_capture_on_commit_callbacks):
    document = _document(_build(client, django_capture_on_commit_callbacks, scenario.section_user,
                                {"year": 2024, "quarter": 2}))
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    title_run = document.paragraphs[0].runs[0]
    assert title_run._element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
    cell_run = document.tables[0].rows[1].cells[1].paragraphs[0].runs[0]
    assert cell_run._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"
    assert document.tables[0].rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_summary_reports_the_snapshot_and_notes_later_changes(client, scenario, django_capture_on_commit_callbacks):
    snapshot_take(year=2024, quarter=2, today=TODAY)
    InspectionFactory(enterprise=EnterpriseFactory(subdistrict=scenario.sub_b), start_date=dt.date(2024, 6, 15))

    document = _document(_build(client, django_capture_on_commit_callbacks, scenario.section_user,
                                {"year": 2024, "quarter": 2}))
    texts = _texts(document)

    assert any(t.startswith("数据来源：2024年第二季度季末快照（冻结于") and t.endswith("数据截至2024年6月30日）")
               for t in texts)
    rows = _rows(_table_after(document, "表1  主要指标完成情况"))
    assert rows[1] == ("监督检查", "日常检查家次（家次）", "9", "20", "9", "进度正常", "+6")  # frozen, not 10
    assert _rows(_table_after(document, "表2  各监管所完成情况（1）"))[2][1] == "3/10\n滞后"  # not 4
    assert "冻结后补录的数据使以下指标的实时数有变动（本总结仍按冻结数报告）：日常检查家次实时为10（+1）。" in texts


# ------------------------------------------------------------------ a 所's summary and the boundaries

def test_station_summary_holds_only_its_own_unit(client, scenario, django_capture_on_commit_callbacks):
    job = _build(client, django_capture_on_commit_callbacks, scenario.inspector_a, {"year": 2024, "quarter": 2})
    assert job.title == "2024年第二季度医疗器械监管工作总结（五马所）"
    assert job.unit == scenario.station_a
    document = _document(job)
    texts = _texts(document)
    everything = "\n".join(texts + [c.text for t in document.tables for r in t.rows for c in r.cells])

    assert "统计范围：五马所" in texts
    assert "各监管所完成情况" not in everything
    assert "藤桥" not in everything
    assert _rows(_table_after(document, "表1  主要指标完成情况"))[1:] == [
        ("监督检查", "日常检查家次（家次）", "6", "10", "4", "进度正常", "+4"),
        ("监督检查", "逾期未完成整改（件）", "1", "0", "—", "滞后", "+1"),
        ("信息化追溯", "三甲医院实施唯一标识（家）", "未配置", "—", "—", "未配置", "—"),
    ]
    assert "二、图表" in texts and "三、逾期事项" in texts and "四、滞后指标" in texts
    assert _images(document) == 2
    assert "（一）检查结束满一个月仍未录入省局系统：共2项。" in texts
    assert "（三）监督抽检逾期环节：共0项。" in texts
    assert "（四）超过完成时限未销号的风险：共1项。" in texts


def test_auditor_is_refused_and_nothing_is_filed(client, scenario):
    client.force_login(scenario.auditor)
    response = client.post(reverse("reporting:cockpit_summary"), {"year": 2024, "quarter": 2})
    assert response.status_code == 403
    assert ExportJob.objects.count() == 0


def test_summary_page_needs_login_and_post(client, scenario):
    url = reverse("reporting:cockpit_summary")
    assert client.post(url, {"year": 2024, "quarter": 2})["Location"].startswith("/accounts/login/")
    client.force_login(scenario.section_user)
    assert client.get(url).status_code == 405
    assert ExportJob.objects.count() == 0


@pytest.mark.parametrize(("data", "message"), [
    ({"year": TODAY.year + 1, "quarter": 1}, f"{TODAY.year + 1}年第一季度尚未开始，不能生成工作总结"),
    ({"year": 2024, "quarter": 7}, "季度：选择一个有效的选项。 7 不在可用的选项中。"),
    ({"year": "", "quarter": 2}, "年度：该字段是必填项。"),
])
def test_bad_input_is_refused_with_a_chinese_message(client, scenario, data, message):
    client.force_login(scenario.section_user)
    response = client.post(reverse("reporting:cockpit_summary"), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.context["summary_error"] == message
    assert message in response.content.decode()
    assert ExportJob.objects.count() == 0


def test_another_user_cannot_download_or_poll_the_job(client, scenario, django_capture_on_commit_callbacks):
    job = _build(client, django_capture_on_commit_callbacks, scenario.section_user, {"year": 2024, "quarter": 2})
    assert client.get(reverse("reporting:job_file", args=[job.pk, "docx"])).status_code == 200
    colleague = UserFactory(unit=scenario.section, role=Role.LEADER)
    for user in (scenario.inspector_a, colleague):
        client.force_login(user)
        assert client.get(reverse("reporting:job_file", args=[job.pk, "docx"])).status_code == 404
        assert client.get(reverse("reporting:job_row", args=[job.pk])).status_code == 404


def test_htmx_request_answers_the_panel_with_the_new_build(client, scenario, django_capture_on_commit_callbacks):
    client.force_login(scenario.inspector_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:cockpit_summary"), {"year": 2024, "quarter": ""},
                               HTTP_HX_REQUEST="true")
    [job] = ExportJob.objects.all()
    assert job.title == "2024年截至12月31日医疗器械监管工作总结（五马所）"  # 截至今日 of a past year: its last day
    content = response.content.decode()
    assert response.context["summary_message"] == f"已加入下载中心：{job.title}，生成后可在此处或下载中心下载"
    assert f'id="job-{job.pk}" hx-get="{reverse("reporting:job_row", args=[job.pk])}"' in content  # polls
    job.refresh_from_db()
    assert job.status == "success"
    row = client.get(reverse("reporting:job_row", args=[job.pk])).content.decode()
    assert reverse("reporting:job_file", args=[job.pk, "docx"]) in row


def _panel(user, period):
    request = RequestFactory().get("/reporting/cockpit/")
    request.user = user
    return render_to_string("reporting/cockpit/_summary.html", {"period": period, "user": user}, request=request)


def test_panel_is_hidden_from_the_auditor_and_shows_each_user_its_own_builds(client, scenario,
                                                                            django_capture_on_commit_callbacks):
    period = Period(2024, 2, TODAY)
    assert "cockpit-summary" not in _panel(scenario.auditor, period)
    _build(client, django_capture_on_commit_callbacks, scenario.section_user, {"year": 2024, "quarter": 2})

    district_panel = _panel(scenario.section_user, period)
    assert "生成全区的季度工作总结（Word）" in district_panel
    assert '<option value="2" selected>第二季度</option>' in district_panel
    assert "2024年第二季度医疗器械监管工作总结（全区）" in district_panel

    station_panel = _panel(scenario.inspector_a, period)
    assert "生成五马所的季度工作总结（Word）" in station_panel
    assert "医疗器械监管工作总结（全区）" not in station_panel
    assert "还没有生成过工作总结。" in station_panel


def test_numbers_are_printed_without_noise():
    from decimal import Decimal

    assert [format_number(v) for v in (None, 12, Decimal("15.0"), Decimal("33.333"), Decimal("0.05"), Decimal("100"))] \
        == ["—", "12", "15", "33.3", "0.1", "100"]
    assert [format_delta(v) for v in (None, 0, 3, Decimal("-1.25"))] == ["—", "持平", "+3", "-1.3"]


def test_summary_opens_in_libreoffice_with_chinese_text(client, scenario, tmp_path,
                                                        django_capture_on_commit_callbacks):
    if not shutil.which("soffice") or not shutil.which("pdftotext"):
        skip_or_fail("LibreOffice (soffice) or pdftotext is not installed")
    job = _build(client, django_capture_on_commit_callbacks, scenario.section_user, {"year": 2024, "quarter": 2})
    (tmp_path / "summary.docx").write_bytes(job.docx.read())

    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(tmp_path / "summary.docx")],
                   check=True, capture_output=True, timeout=180)

    text = subprocess.run(["pdftotext", str(tmp_path / "summary.pdf"), "-"], check=True, capture_output=True,
                          text=True).stdout.replace(" ", "").replace("\n", "")
    assert "2024年第二季度医疗器械监管工作总结（全区）" in text
    assert "表1主要指标完成情况" in text
    assert "温州五马医疗器械有限公司" in text
