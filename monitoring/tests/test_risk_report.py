"""The quarterly risk-consultation report (Word) to the city bureau: built through the download-centre job,
reopened with python-docx; every table row and count below is worked out by hand from the scenario."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn
from rest_framework.test import APIClient

from conftest import skip_or_fail
from enterprises.tests.factories import EnterpriseFactory
from monitoring import risk_sources
from monitoring.choices import RiskLevel, RiskSource, RiskStatus
from monitoring.risk_sources import Candidate
from reporting.models import ExportJob

from .factories import RiskFactory, RiskMeetingFactory

pytestmark = pytest.mark.django_db

NEW_CAPTION, OPEN_CAPTION, CLOSED_CAPTION = "表1  本季度新增风险", "表2  季末在控风险（含以前季度结转）", "表3  本季度销号风险"


@pytest.fixture
def scenario(district, monkeypatch):
    """2024: Q1 and Q2 meetings, eight risks (new / carried / closed in and out of Q2), seven candidates."""
    d = district
    wuma = EnterpriseFactory(name="温州五马医疗器械有限公司", subdistrict=d.sub_a)
    tengqiao = EnterpriseFactory(name="温州藤桥眼镜经营部", subdistrict=d.sub_b)
    q1 = RiskMeetingFactory(year=2024, quarter=1, held_on=dt.date(2024, 3, 28), chair="王副局长")
    q2 = RiskMeetingFactory(year=2024, quarter=2, held_on=dt.date(2024, 6, 27), chair="李局长",
                            other_participants="区卫生健康局",
                            summary="会议通报了第二季度监督抽检、不良事件监测和网络销售监测发现的风险信号。",
                            next_steps="开展无菌和植入性医疗器械专项检查\n加强角膜接触镜网络销售监测")
    q2.units.set([d.section, d.station_a, d.station_b])
    q3 = RiskMeetingFactory(year=2024, quarter=3, held_on=dt.date(2024, 9, 26), chair="李局长")
    r = {}
    r[1] = RiskFactory(meeting=q1, source_kind=RiskSource.SAMPLING, enterprise=wuma, product="一次性使用无菌注射器",
                       risk_point="注射器抽检不合格批次仍在流通", level=RiskLevel.HIGH,
                       measures="督促企业召回，下游暂停销售使用", due_on=dt.date(2024, 5, 31))
    r[2] = RiskFactory(meeting=q1, source_kind=RiskSource.ADVERSE_EVENT, enterprise=tengqiao, product="角膜接触镜",
                       risk_point="角膜接触镜聚集性不良事件", level=RiskLevel.MEDIUM, measures="约谈经营企业",
                       due_on=dt.date(2024, 6, 15), status=RiskStatus.CLOSED, closed_on=dt.date(2024, 6, 10))
    r[3] = RiskFactory(meeting=q1, source_kind=RiskSource.COMPLAINT, enterprise=wuma, product="",
                       risk_point="投诉反映标签不全", level=RiskLevel.LOW, measures="责令改正",
                       due_on=dt.date(2024, 3, 31), status=RiskStatus.CLOSED, closed_on=dt.date(2024, 3, 30))
    r[4] = RiskFactory(meeting=q2, source_kind=RiskSource.ONLINE, enterprise=tengqiao, product="彩色平光隐形眼镜",
                       risk_point="网店无证销售彩色平光隐形眼镜", level=RiskLevel.MEDIUM,
                       measures="责令下架并立案调查", due_on=dt.date(2024, 9, 30), escalated=True,
                       escalated_on=dt.date(2024, 6, 28))
    r[5] = RiskFactory(meeting=q2, source_kind=RiskSource.INSPECTION, enterprise=wuma, product="",
                       risk_point="洁净车间环境监测记录缺失", level=RiskLevel.HIGH, measures="停产整改",
                       due_on=dt.date(2024, 6, 25), status=RiskStatus.CLOSED, closed_on=dt.date(2024, 6, 20),
                       key_supervision=True)
    r[6] = RiskFactory(meeting=q2, source_kind=RiskSource.OPINION, enterprise=wuma, product="医用冷敷贴",
                       risk_point="网络舆情反映冷敷贴夸大宣传", level=RiskLevel.LOW, measures="核查宣传材料",
                       due_on=dt.date(2024, 8, 31), status=RiskStatus.CLOSED, closed_on=dt.date(2024, 7, 15))
    r[7] = RiskFactory(meeting=q3, source_kind=RiskSource.NOTICE, enterprise=tengqiao, product="",
                       risk_point="第三季度通报的风险", level=RiskLevel.LOW, measures="排查",
                       due_on=dt.date(2024, 10, 31))
    r[8] = RiskFactory(meeting=q2, source_kind=RiskSource.NOTICE, enterprise=None, owner_unit=d.station_b,
                       product="医用防护口罩", risk_point="市局通报防护口罩过滤效率不合格", level=RiskLevel.MEDIUM,
                       measures="排查辖区经营使用单位", due_on=dt.date(2024, 7, 31), status=RiskStatus.CLOSING,
                       closure_requested_on=dt.date(2024, 6, 28))
    r[1].follow_ups.create(on=dt.date(2024, 4, 12), text="企业已召回库存98盒")
    r[1].follow_ups.create(on=dt.date(2024, 7, 2), text="第三季度的进展不写入第二季度报告")

    def provider(kind, units):
        def propose(*, start, end, today):
            assert (start, end) == (dt.date(2024, 4, 1), dt.date(2024, 6, 30))
            return [Candidate(source_kind=kind, source=None, title=f"信号{i}", occurred_on=start, unit_id=unit.pk,
                              key=f"{kind}:{i}") for i, unit in enumerate(units)]
        return propose

    monkeypatch.setattr(risk_sources, "_PROVIDERS", {
        RiskSource.INSPECTION: [provider(RiskSource.INSPECTION, [d.station_a])],
        RiskSource.SAMPLING: [provider(RiskSource.SAMPLING, [d.station_a, d.station_a, d.station_b])],
        RiskSource.ADVERSE_EVENT: [provider(RiskSource.ADVERSE_EVENT, [d.station_b, d.station_b])],
        RiskSource.ONLINE: [provider(RiskSource.ONLINE, [d.station_b])],
    })
    return r


def _build(client, django_capture_on_commit_callbacks, user, data) -> ExportJob:
    client.force_login(user)
    before = set(ExportJob.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("monitoring:risk_report"), data)
    assert (response.status_code, response["Location"]) == (302, reverse("monitoring:risk_report"))
    [job] = ExportJob.objects.exclude(pk__in=before)
    assert (job.kind, job.status, job.progress, job.error) == ("risk_report", "success", 100, "")
    return job


def _document(job: ExportJob):
    with job.docx.open("rb") as handle:
        return Document(io.BytesIO(handle.read()))


def _rows(table) -> list[tuple[str, ...]]:
    return [tuple(cell.text for cell in row.cells) for row in table.rows]


def _texts(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def _register(document, caption: str):
    """The table that follows ``caption`` (None when the caption is followed by 本季度无。)."""
    body = document.element.body
    captions = [p for p in body.iterchildren(qn("w:p")) if "".join(t.text or "" for t in p.iter(qn("w:t"))) == caption]
    assert len(captions) == 1, caption
    following = captions[0].getnext()
    if following.tag != qn("w:tbl"):
        return None
    return next(t for t in document.tables if t._tbl is following)


HEADER = ("序号", "风险点", "来源", "涉及企业/产品", "等级", "责任单位", "管控措施", "时限", "状态")


def test_district_report_tables_and_counts(client, district, scenario, django_capture_on_commit_callbacks):
    job = _build(client, django_capture_on_commit_callbacks, district.section_user,
                 {"year": 2024, "quarter": 2, "unit": ""})

    assert job.unit_id is None
    assert job.title == "2024年第二季度风险会商情况报告（全区）"
    assert job.docx.name.endswith("/2024年第二季度风险会商情况报告_全区.docx")
    document = _document(job)
    texts = _texts(document)
    assert texts[0] == "测试区市场监督管理局2024年第二季度医疗器械质量安全风险会商情况报告"
    assert texts[1] == "市市场监督管理局："  # the test bureau's name names no city
    assert [t for t in texts if t[:2] in {"一、", "二、", "三、", "四、", "五、"}] == [
        "一、基本情况", "二、风险信号来源", "三、风险清单", "四、主要管控措施", "五、下一步工作"]
    assert "2024年6月27日，召开本季度医疗器械质量安全风险会商会，会议由李局长主持，药械科、五马所、藤桥所、区卫生健康局参加。" in texts
    assert "会议通报了第二季度监督抽检、不良事件监测和网络销售监测发现的风险信号。" in texts
    assert ("本季度共召开风险会商会1次。截至2024年6月30日，各渠道共收集风险线索和信号7条；经会商新增纳入风险清单4项"
            "（高风险1项、中风险2项、低风险1项）；在控风险4项（其中以前季度结转1项，逾期未完成1项）；本季度销号2项。"
            "新增风险中上报市局1项，会商点名、企业列入重点监管1项。") in texts

    # 二、风险信号来源: candidates per source, new (high), open at quarter end, closed in the quarter
    assert _rows(document.tables[0]) == [
        ("风险来源", "线索/信号数", "新增风险", "其中高风险", "季末在控", "本季度销号"),
        ("监督检查", "1", "1", "1", "0", "1"),
        ("抽检", "3", "0", "0", "1", "0"),
        ("不良事件", "2", "0", "0", "0", "1"),
        ("网络监测", "1", "1", "0", "1", "0"),
        ("投诉举报", "0", "0", "0", "0", "0"),
        ("舆情", "0", "1", "0", "1", "0"),
        ("上级通报", "0", "1", "0", "1", "0"),
        ("其他", "0", "0", "0", "0", "0"),
        ("合计", "7", "4", "1", "4", "2"),
    ]
    # 三、风险清单
    assert _rows(_register(document, NEW_CAPTION)) == [
        HEADER,
        ("1", "网店无证销售彩色平光隐形眼镜", "网络监测", "温州藤桥眼镜经营部\n彩色平光隐形眼镜", "中", "藤桥所",
         "责令下架并立案调查", "2024-09-30", "管控中；已上报市局"),
        ("2", "洁净车间环境监测记录缺失", "监督检查", "温州五马医疗器械有限公司", "高", "五马所", "停产整改",
         "2024-06-25", "已销号（2024-06-20）；企业列入重点监管"),
        ("3", "网络舆情反映冷敷贴夸大宣传", "舆情", "温州五马医疗器械有限公司\n医用冷敷贴", "低", "五马所",
         "核查宣传材料", "2024-08-31", "管控中"),
        ("4", "市局通报防护口罩过滤效率不合格", "上级通报", "医用防护口罩", "中", "藤桥所", "排查辖区经营使用单位",
         "2024-07-31", "销号待审批"),
    ]
    assert _rows(_register(document, OPEN_CAPTION)) == [
        HEADER,
        ("1", "注射器抽检不合格批次仍在流通", "抽检", "温州五马医疗器械有限公司\n一次性使用无菌注射器", "高", "五马所",
         "督促企业召回，下游暂停销售使用", "2024-05-31", "管控中，已逾期（2024年第一季度结转）"),
        ("2", "网店无证销售彩色平光隐形眼镜", "网络监测", "温州藤桥眼镜经营部\n彩色平光隐形眼镜", "中", "藤桥所",
         "责令下架并立案调查", "2024-09-30", "管控中；已上报市局"),
        ("3", "网络舆情反映冷敷贴夸大宣传", "舆情", "温州五马医疗器械有限公司\n医用冷敷贴", "低", "五马所",
         "核查宣传材料", "2024-08-31", "管控中"),
        ("4", "市局通报防护口罩过滤效率不合格", "上级通报", "医用防护口罩", "中", "藤桥所", "排查辖区经营使用单位",
         "2024-07-31", "销号待审批"),
    ]
    assert _rows(_register(document, CLOSED_CAPTION)) == [
        HEADER,
        ("1", "角膜接触镜聚集性不良事件", "不良事件", "温州藤桥眼镜经营部\n角膜接触镜", "中", "藤桥所", "约谈经营企业",
         "2024-06-15", "已销号（2024-06-10）"),
        ("2", "洁净车间环境监测记录缺失", "监督检查", "温州五马医疗器械有限公司", "高", "五马所", "停产整改",
         "2024-06-25", "已销号（2024-06-20）；企业列入重点监管"),
    ]
    # 四、主要管控措施: the new and carried risks once each, with the quarter's follow-ups only
    measures = texts[texts.index("四、主要管控措施") + 1: texts.index("五、下一步工作")]
    assert measures == [
        "1. 注射器抽检不合格批次仍在流通（温州五马医疗器械有限公司）：督促企业召回，下游暂停销售使用。"
        "本季度进展：4月12日企业已召回库存98盒。",
        "2. 网店无证销售彩色平光隐形眼镜（温州藤桥眼镜经营部）：责令下架并立案调查。",
        "3. 洁净车间环境监测记录缺失（温州五马医疗器械有限公司）：停产整改。",
        "4. 网络舆情反映冷敷贴夸大宣传（温州五马医疗器械有限公司）：核查宣传材料。",
        "5. 市局通报防护口罩过滤效率不合格：排查辖区经营使用单位。",
    ]
    next_steps = texts[texts.index("五、下一步工作") + 1:]
    signed = timezone.localdate()
    assert [t for t in next_steps if t] == [
        "1. 开展无菌和植入性医疗器械专项检查。",
        "2. 加强角膜接触镜网络销售监测。",
        "3. 对尚未销号的4项风险，结转至2024年第三季度继续管控，责任单位按时限落实管控措施并报送进展；"
        "其中1项已超过完成时限，督促责任单位限期完成。",
        "测试区市场监督管理局",
        f"{signed.year}年{signed.month}月{signed.day}日",
    ]


def test_document_layout_fonts_and_repeated_header(client, district, scenario, django_capture_on_commit_callbacks):
    job = _build(client, django_capture_on_commit_callbacks, district.section_user,
                 {"year": 2024, "quarter": 2, "unit": ""})
    document = _document(job)

    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert round(section.top_margin.cm, 1) == 3.7 and round(section.left_margin.cm, 1) == 2.6
    fonts = {}
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            if run.text:
                fonts.setdefault(paragraph.text, run._element.rPr.rFonts.get(qn("w:eastAsia")))
    assert fonts[document.paragraphs[0].text] == "宋体"
    assert fonts["一、基本情况"] == "黑体"
    assert fonts["2. 加强角膜接触镜网络销售监测。"] == "仿宋"
    assert len(document.tables) == 4
    for table in document.tables:
        first = table.rows[0]._tr.trPr
        assert first.find(qn("w:tblHeader")).get(qn("w:val")) == "true"
        borders = table._tbl.tblPr.find(qn("w:tblBorders"))
        assert [b.get(qn("w:val")) for b in borders] == ["single"] * 6
        cell_font = table.rows[1].cells[1].paragraphs[0].runs[0]._element.rPr.rFonts.get(qn("w:eastAsia"))
        assert cell_font == "仿宋"
    footer = section.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer


def test_unit_report_holds_its_own_risks_and_candidates(client, district, scenario,
                                                        django_capture_on_commit_callbacks):
    job = _build(client, django_capture_on_commit_callbacks, district.inspector_a,
                 {"year": 2024, "quarter": 2, "unit": district.station_a.pk})

    assert job.unit == district.station_a
    document = _document(job)
    assert _texts(document)[:2] == ["五马市场监管所2024年第二季度医疗器械质量安全风险会商情况报告", "药械科："]
    assert [row[0] + row[1] for row in _rows(_register(document, NEW_CAPTION))[1:]] == [
        "1洁净车间环境监测记录缺失", "2网络舆情反映冷敷贴夸大宣传"]
    assert [row[0] + row[1] for row in _rows(_register(document, OPEN_CAPTION))[1:]] == [
        "1注射器抽检不合格批次仍在流通", "2网络舆情反映冷敷贴夸大宣传"]
    assert [row[0] + row[1] for row in _rows(_register(document, CLOSED_CAPTION))[1:]] == ["1洁净车间环境监测记录缺失"]
    assert _rows(document.tables[0])[-1] == ("合计", "3", "2", "1", "2", "1")
    assert _rows(document.tables[0])[1:3] == [("监督检查", "1", "1", "1", "0", "1"), ("抽检", "2", "0", "0", "1", "0")]


def test_quarter_without_a_meeting_says_so(client, district, scenario, django_capture_on_commit_callbacks,
                                           monkeypatch):
    monkeypatch.setattr(risk_sources, "_PROVIDERS", {})
    job = _build(client, django_capture_on_commit_callbacks, district.section_user,
                 {"year": 2024, "quarter": 4, "unit": ""})
    document = _document(job)
    texts = _texts(document)

    basics = texts[texts.index("一、基本情况") + 1: texts.index("二、风险信号来源")]
    assert basics == [
        "本季度未召开风险会商会，风险清单未新增风险。截至2024年12月31日，各渠道共收集风险线索和信号0条；"
        "经会商新增纳入风险清单0项（高风险0项、中风险0项、低风险0项）；在控风险4项（其中以前季度结转4项，"
        "逾期未完成4项）；本季度销号0项。"]
    assert _register(document, NEW_CAPTION) is None
    assert _register(document, CLOSED_CAPTION) is None
    # carried over: risks 1 (Q1), 4 and 8 (Q2), 7 (Q3); all overdue at 2024-12-31
    assert [row[1] for row in _rows(_register(document, OPEN_CAPTION))[1:]] == [
        "注射器抽检不合格批次仍在流通", "网店无证销售彩色平光隐形眼镜", "市局通报防护口罩过滤效率不合格", "第三季度通报的风险"]


# ----- who may build and download -----


def test_station_user_cannot_build_the_district_or_another_units_report(client, district, scenario):
    client.force_login(district.inspector_a)
    before = ExportJob.objects.count()

    district_wide = client.post(reverse("monitoring:risk_report"), {"year": 2024, "quarter": 2, "unit": ""})
    other = client.post(reverse("monitoring:risk_report"),
                        {"year": 2024, "quarter": 2, "unit": district.station_b.pk})

    assert district_wide.status_code == other.status_code == 200
    assert district_wide.context["form"].errors == {"unit": ["监管所只能生成本所的报告，请选择本所"]}
    assert list(other.context["form"].errors) == ["unit"]
    assert "选择一个有效的选项" in other.context["form"].errors["unit"][0]
    assert ExportJob.objects.count() == before
    # the 所's form offers its own unit only
    page = client.get(reverse("monitoring:risk_report"))
    assert list(page.context["form"].fields["unit"].queryset) == [district.station_a]


def test_auditor_and_future_quarter_are_refused_with_a_message(client, district, scenario):
    client.force_login(district.auditor)
    refused = client.post(reverse("monitoring:risk_report"), {"year": 2024, "quarter": 2, "unit": ""})
    client.force_login(district.section_user)
    future = client.post(reverse("monitoring:risk_report"), {"year": timezone.localdate().year + 1, "quarter": 1,
                                                              "unit": ""})

    assert refused.context["form"].non_field_errors() == ["只读账号不能生成报告"]
    assert future.context["form"].non_field_errors() == [f"{timezone.localdate().year + 1}年第一季度尚未开始，不能生成报告"]
    assert ExportJob.objects.count() == 0


def test_downloads_stay_within_the_unit(client, district, scenario, django_capture_on_commit_callbacks):
    district_job = _build(client, django_capture_on_commit_callbacks, district.section_user,
                          {"year": 2024, "quarter": 2, "unit": ""})
    wuma_job = _build(client, django_capture_on_commit_callbacks, district.inspector_a,
                      {"year": 2024, "quarter": 2, "unit": district.station_a.pk})

    def fetch(user, job):
        client.force_login(user)
        return client.get(reverse("reporting:job_file", args=[job.pk, "docx"])).status_code

    assert fetch(district.inspector_b, district_job) == 404
    assert fetch(district.inspector_b, wuma_job) == 404
    assert fetch(district.inspector_a, district_job) == 404
    assert fetch(district.inspector_a, wuma_job) == 200
    assert fetch(district.section_user, wuma_job) == 200  # the 药械科 reads every unit's report
    client.force_login(district.inspector_b)
    assert list(client.get(reverse("monitoring:risk_report")).context["builds"]) == []
    client.force_login(district.inspector_a)
    assert list(client.get(reverse("monitoring:risk_report")).context["builds"]) == [wuma_job]
    client.force_login(district.auditor)
    page = client.get(reverse("monitoring:risk_report"))
    assert list(page.context["builds"]) == [wuma_job, district_job]
    assert "生成报告" not in page.content.decode()


def test_api_starts_the_report_and_refuses_other_units(district, scenario, django_capture_on_commit_callbacks):
    api = APIClient()
    api.force_authenticate(district.inspector_a)
    url = "/api/export-jobs/risk-report/"

    refused_district = api.post(url, {"year": 2024, "quarter": 2}, format="json")
    refused_other = api.post(url, {"year": 2024, "quarter": 2, "unit": district.station_b.pk}, format="json")
    bad_quarter = api.post(url, {"year": 2024, "quarter": 5, "unit": district.station_a.pk}, format="json")
    assert ExportJob.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        accepted = api.post(url, {"year": 2024, "quarter": 2, "unit": district.station_a.pk}, format="json")

    assert refused_district.status_code == 403
    assert refused_other.status_code == 400 and list(refused_other.json()) == ["unit"]
    assert bad_quarter.status_code == 400 and list(bad_quarter.json()) == ["quarter"]
    assert accepted.status_code == 201
    job = ExportJob.objects.get(pk=accepted.json()["id"])
    assert (job.kind, job.unit, job.status) == ("risk_report", district.station_a, "success")
    auditor = APIClient()
    auditor.force_authenticate(district.auditor)
    assert auditor.post(url, {"year": 2024, "quarter": 2}, format="json").status_code == 403


def test_report_opens_in_libreoffice_with_chinese_title_and_register(client, district, scenario, tmp_path,
                                                                     django_capture_on_commit_callbacks):
    if not shutil.which("soffice") or not shutil.which("pdftotext"):
        skip_or_fail("LibreOffice (soffice) or pdftotext is not installed")
    job = _build(client, django_capture_on_commit_callbacks, district.section_user,
                 {"year": 2024, "quarter": 2, "unit": ""})
    (tmp_path / "risk_report.docx").write_bytes(job.docx.read())

    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(tmp_path / "risk_report.docx")],
                   check=True, capture_output=True, timeout=180)

    text = subprocess.run(["pdftotext", str(tmp_path / "risk_report.pdf"), "-"], check=True, capture_output=True,
                          text=True).stdout.replace(" ", "").replace("\n", "")
    assert "测试区市场监督管理局2024年第二季度医疗器械质量安全风险会商情况报告" in text
    assert "表2季末在控风险（含以前季度结转）" in text
    assert "注射器抽检不合格批次仍在流通" in text
    assert "销号待审批" in text  # a register cell (longer cells wrap, and pdftotext interleaves wrapped columns)
    assert "合计74142" in text  # the sources table's last row


def test_city_bureau_is_named_from_the_district_bureau(district):
    from monitoring.services.risk_report import addressee

    district.bureau.name = "温州市鹿城区市场监督管理局"
    district.bureau.save()

    assert addressee(None) == "温州市市场监督管理局"
