"""Importing the national system's export through the pages: preview, confirm, re-import, bad files."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from enterprises.choices import InstitutionType
from enterprises.tests.factories import EnterpriseFactory
from monitoring.choices import EventOutcome, ReporterKind, ReporterMatch
from monitoring.models import AdverseEventReport, AEImportJob, ImportProfile, ReporterAlias

from .exports import HEADERS, export_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def firms(district):
    hospital = EnterpriseFactory(name="温州市第九人民医院", subdistrict=district.sub_a, is_operator=False,
                                 is_user_unit=True, institution_type=InstitutionType.HOSPITAL,
                                 owning_unit=district.station_a)
    shop = EnterpriseFactory(name="温州康复医疗器械(藤桥)有限公司", subdistrict=district.sub_b,
                             owning_unit=district.station_b)
    maker = EnterpriseFactory(name="温州安瑞医疗科技有限公司", subdistrict=district.sub_b, is_manufacturer=True,
                              is_registrant=True, owning_unit=district.section)
    return hospital, shop, maker


def _first_export(hospital) -> list[dict]:
    return [
        {"报告编码": "AE2025001", "报告日期": dt.date(2025, 3, 12), "事件发生日期": dt.date(2025, 3, 1),
         "获知日期": dt.date(2025, 3, 2), "报告来源": "使用单位", "报告单位名称": "温州市第九人民医院（旧名）",
         "报告单位统一社会信用代码": hospital.credit_code, "事件后果": "死亡", "产品名称": "一次性使用输液器",
         "注册证编号": "浙械注准20192140001", "注册人名称": "温州安瑞医疗科技有限公司", "型号规格": "0.7mm",
         "产品批号": "B2401", "事件陈述": "输液中出现过敏反应"},
        {"报告编码": "AE2025002", "报告日期": "2025-04-08", "获知日期": "2025/4/1", "报告来源": "经营企业",
         "报告单位名称": "温州康复医疗器械（藤桥）有限公司", "事件后果": "其他", "产品名称": "电子血压计",
         "注册人名称": "外省某医疗器械有限公司", "产品批号": "C100"},
        {"报告编码": "AE2025003", "报告日期": "2025年5月6日", "获知日期": "2025-04-01 09:30:00",
         "报告来源": "医疗机构", "报告单位名称": "鹿城某某诊所", "所在街道/镇": "五马街道",
         "事件后果": "严重伤害", "产品名称": "医用口罩"},
        {"报告编码": "AE2025004", "报告日期": dt.date(2025, 6, 1), "报告来源": "个人", "事件后果": "其他",
         "产品名称": "血糖试纸"},
    ]


@pytest.fixture
def jobs(django_capture_on_commit_callbacks):
    """Upload and confirm through the pages; the worker runs each job once the request commits."""

    class Jobs:
        @staticmethod
        def upload(client, rows, **kwargs) -> AEImportJob:
            with django_capture_on_commit_callbacks(execute=True):
                response = client.post(reverse("monitoring:report_import"), {"file": export_file(rows, **kwargs)})
            assert response.status_code == 302, response.content.decode()[:2000]
            return AEImportJob.objects.order_by("-pk").first()

        @staticmethod
        def confirm(client, job) -> AEImportJob:
            with django_capture_on_commit_callbacks(execute=True):
                response = client.post(reverse("monitoring:import_confirm", args=[job.pk]))
            assert response.status_code == 302
            job.refresh_from_db()
            return job

    return Jobs


def test_the_default_profile_exists_after_migrate():
    profile = ImportProfile.objects.get(kind="ae", is_default=True)

    assert profile.columns["code"] == ["报告编码", "报告编号"]
    assert profile.values["reporter_kind"]["医疗机构"] == "use"


def test_load_reference_keeps_an_edited_default_profile():
    from monitoring.loader import load_reference

    profile = ImportProfile.objects.get(kind="ae", is_default=True)
    profile.columns["code"].append("编码")
    profile.save()

    message = load_reference()

    assert message == "默认导入列对应方案：已存在，保持不变；网络销售线索导入列对应方案：已存在，保持不变"
    assert ImportProfile.objects.get(kind="ae", is_default=True).columns["code"] == ["报告编码", "报告编号", "编码"]
    ImportProfile.objects.all().delete()
    assert load_reference() == "默认导入列对应方案：已新建；网络销售线索导入列对应方案：已新建"
    assert set(ImportProfile.objects.filter(is_default=True).values_list("kind", flat=True)) == {"ae", "lead"}
    assert ImportProfile.objects.get(kind="ae", is_default=True).values["outcome"]["死亡"] == "death"


def test_a_first_import_previews_then_adds_every_report(client, district, firms, jobs):
    hospital, shop, maker = firms
    client.force_login(district.section_user)

    job = jobs.upload(client, _first_export(hospital))

    # The preview: counted, listed, nothing written.
    assert (job.stage, job.status) == ("preview", "success")
    assert (job.rows, job.created, job.updated, job.unchanged, job.unmatched) == (4, 4, 0, 0, 1)
    assert [(r["row"], r["code"], r["action"], r["unmatched"]) for r in job.preview] == [
        (2, "AE2025001", "add", False), (3, "AE2025002", "add", False), (4, "AE2025003", "add", True),
        (5, "AE2025004", "add", False),
    ]
    assert AdverseEventReport.objects.count() == 0
    page = client.get(reverse("monitoring:import_job", args=[job.pk])).content.decode()
    assert 'id="count-add">4<' in page and 'id="import-confirm"' in page

    job = jobs.confirm(client, job)

    assert (job.stage, job.status, job.created, job.unmatched) == ("apply", "success", 4, 1)
    assert job.applied_at is not None
    death = AdverseEventReport.objects.get(code="AE2025001")
    assert (death.reporter, death.reporter_match, death.unit) == (hospital, ReporterMatch.CREDIT_CODE,
                                                                  district.station_a)
    assert (death.outcome, death.reporter_kind, death.batch) == (EventOutcome.DEATH, ReporterKind.USE, "B2401")
    assert death.registrant == maker
    assert death.is_late is True  # learned 3-2, reported 3-12: 10 days > 7
    other = AdverseEventReport.objects.get(code="AE2025002")
    assert (other.reporter, other.reporter_match, other.unit) == (shop, ReporterMatch.NAME, district.station_b)
    assert (other.learned_on, other.registrant) == (dt.date(2025, 4, 1), None)
    clinic = AdverseEventReport.objects.get(code="AE2025003")
    assert (clinic.reporter, clinic.reporter_match, clinic.unit) == (None, ReporterMatch.UNMATCHED,
                                                                    district.station_a)
    assert (clinic.reported_on, clinic.learned_on, clinic.is_late) == (dt.date(2025, 5, 6), dt.date(2025, 4, 1),
                                                                        True)
    person = AdverseEventReport.objects.get(code="AE2025004")
    assert (person.reporter_match, person.unit) == (ReporterMatch.NOT_APPLICABLE, None)
    assert death.history.first().history_change_reason == "导入 国家系统导出.xlsx"


def test_a_second_import_updates_the_changed_rows_and_adds_the_new_ones(client, district, firms, jobs):
    hospital, _shop, _maker = firms
    client.force_login(district.section_user)
    first = _first_export(hospital)
    jobs.confirm(client, jobs.upload(client, first))
    changed = [dict(row) for row in first]
    changed[1].update({"事件后果": "严重伤害", "产品批号": "C101"})  # AE2025002 changes two cells
    changed.append({"报告编码": "AE2025005", "报告日期": "2025-07-01", "报告来源": "生产企业",
                    "报告单位名称": "温州安瑞医疗科技有限公司", "事件后果": "其他", "产品名称": "医用胶带"})

    job = jobs.upload(client, changed, name="第二次导出.xlsx")

    assert (job.created, job.updated, job.unchanged, job.unmatched) == (1, 1, 3, 1)
    by_code = {r["code"]: r for r in job.preview}
    assert by_code["AE2025002"]["action"] == "update"
    assert by_code["AE2025002"]["changes"] == ["事件后果", "批号"]
    assert by_code["AE2025005"]["action"] == "add"
    assert [by_code[c]["action"] for c in ("AE2025001", "AE2025003", "AE2025004")] == ["unchanged"] * 3
    assert AdverseEventReport.objects.get(code="AE2025002").outcome == EventOutcome.OTHER  # preview only
    page = client.get(reverse("monitoring:import_job", args=[job.pk]) + "?show=update").content.decode()
    assert "AE2025002" in page and "AE2025001" not in page

    job = jobs.confirm(client, job)

    assert (job.status, job.created, job.updated, job.unchanged) == ("success", 1, 1, 3)
    assert AdverseEventReport.objects.count() == 5
    updated = AdverseEventReport.objects.get(code="AE2025002")
    assert (updated.outcome, updated.batch, updated.version) == (EventOutcome.SERIOUS, "C101", 2)
    assert updated.history.count() == 2
    assert AdverseEventReport.objects.get(code="AE2025001").history.count() == 1  # unchanged: no new history
    assert AdverseEventReport.objects.get(code="AE2025005").reporter_match == ReporterMatch.NAME


def _snapshot() -> list:
    return sorted(AdverseEventReport.objects.values_list("code", "outcome", "batch", "reported_on", "version"))


def test_a_bad_file_changes_nothing_and_lists_every_row_error(client, district, firms, jobs):
    hospital, _shop, _maker = firms
    client.force_login(district.section_user)
    first = _first_export(hospital)
    jobs.confirm(client, jobs.upload(client, first))
    before = _snapshot()
    rows = [dict(row) for row in first]
    rows[0]["产品批号"] = "B2402"  # a valid change that must not be applied either
    rows[1]["报告日期"] = "2025-13-45"
    rows[2]["报告来源"] = "药店"
    rows.append(dict(rows[3]))  # AE2025004 twice
    rows.append({"报告编码": "AE2025009", "报告日期": "2025-08-01", "报告来源": "个人", "事件后果": "其他",
                 "产品名称": "体温计"})

    job = jobs.upload(client, rows, formulas={(5, "产品名称"): "=CONCATENATE(\"体\",\"温计\")"})

    assert job.status == "failed" and job.stage == "preview"
    assert [(e["row"], e["column"], e["message"]) for e in job.errors] == [
        (3, "报告日期", "“2025-13-45”不是有效日期，请填写如 2024-03-01"),
        (4, "报告来源", "“药店”无法识别（可填：生产企业、经营企业、使用单位、个人、其他、持有人、注册人、生产、经营、"
                        "使用、医疗机构）"),
        (6, "报告编码", "与第5行的报告编码重复"),
        (7, "产品名称", "该单元格是公式，请改为直接填写内容（可复制后“选择性粘贴”为数值）"),
    ]
    assert (job.created, job.updated, job.preview) == (0, 0, [])
    assert _snapshot() == before
    page = client.get(reverse("monitoring:import_job", args=[job.pk])).content.decode()
    assert "第 4 行" in page and "“药店”无法识别" in page and 'id="import-confirm"' not in page
    assert f'<a href="{reverse("monitoring:report_import")}">重新上传</a>' in page
    assert client.post(reverse("monitoring:import_confirm", args=[job.pk])).status_code == 302
    job.refresh_from_db()
    assert job.stage == "preview" and _snapshot() == before


def test_a_file_without_a_required_column_is_refused_at_the_header(client, district, firms, jobs):
    hospital, _shop, _maker = firms
    client.force_login(district.section_user)
    headers = [h for h in HEADERS if h != "事件后果"]

    job = jobs.upload(client, _first_export(hospital), headers=headers)

    assert job.status == "failed"
    assert [(e["row"], e["column"], e["message"]) for e in job.errors] == [
        (1, "事件后果、伤害程度",
         "表头缺少必填列（可用的列名：事件后果、伤害程度），请核对导出文件或导入列对应方案"),
    ]
    assert AdverseEventReport.objects.count() == 0


def test_a_renamed_column_needs_only_a_profile_edit(client, district, firms, jobs):
    hospital, _shop, _maker = firms
    profile = ImportProfile.objects.get(kind="ae", is_default=True)
    profile.columns["outcome"] = [*profile.columns["outcome"], "伤害后果"]
    profile.values["outcome"]["导致死亡"] = "death"
    profile.save()
    client.force_login(district.section_user)
    rows = _first_export(hospital)[:1]
    rows[0]["伤害后果"] = "导致死亡"

    job = jobs.confirm(client, jobs.upload(client, rows, headers=[h if h != "事件后果" else "伤害后果" for h in HEADERS]))

    assert job.status == "success"
    assert AdverseEventReport.objects.get(code="AE2025001").outcome == EventOutcome.DEATH


def test_resolving_an_unmatched_unit_fixes_its_reports_and_the_next_import(client, district, firms, jobs):
    hospital, _shop, _maker = firms
    clinic = EnterpriseFactory(name="鹿城区某某诊所", subdistrict=district.sub_a, is_operator=False,
                               is_user_unit=True, institution_type=InstitutionType.CLINIC)
    client.force_login(district.section_user)
    rows = _first_export(hospital)
    rows.append({"报告编码": "AE2025006", "报告日期": "2025-05-20", "报告来源": "使用单位",
                 "报告单位名称": "鹿城某某诊所", "事件后果": "其他", "产品名称": "医用棉签"})
    jobs.confirm(client, jobs.upload(client, rows))
    queue = client.get(reverse("monitoring:unmatched")).content.decode()
    assert "鹿城某某诊所" in queue
    report = AdverseEventReport.objects.get(code="AE2025003")

    response = client.post(reverse("monitoring:unmatched_resolve", args=[report.pk]), {"enterprise": clinic.pk})

    assert response.status_code == 302
    assert ReporterAlias.objects.get(name="鹿城某某诊所").enterprise == clinic
    assert sorted(AdverseEventReport.objects.filter(reporter=clinic).values_list("code", "reporter_match")) == [
        ("AE2025003", ReporterMatch.MANUAL), ("AE2025006", ReporterMatch.ALIAS)]
    assert AdverseEventReport.objects.get(code="AE2025006").unit == clinic.owning_unit
    assert "所有报告单位均已匹配" in client.get(reverse("monitoring:unmatched")).content.decode()

    rows.append({"报告编码": "AE2025007", "报告日期": "2025-09-20", "报告来源": "使用单位",
                 "报告单位名称": "鹿城某某诊所", "事件后果": "其他", "产品名称": "医用纱布"})
    job = jobs.upload(client, rows)

    assert (job.created, job.updated, job.unchanged, job.unmatched) == (1, 0, 5, 0)
    assert {r["code"]: r["match"] for r in job.preview}["AE2025007"] == "按已确认的对应关系匹配"


def test_only_the_district_imports_and_sees_the_unmatched_queue(client, district):
    client.force_login(district.inspector_a)

    assert client.get(reverse("monitoring:report_import")).status_code == 403
    assert client.post(reverse("monitoring:report_import"), {"file": export_file([])}).status_code == 403
    assert client.get(reverse("monitoring:unmatched")).status_code == 403
    assert AEImportJob.objects.count() == 0


def test_the_sweeper_runs_an_upload_whose_dispatch_was_lost(district, firms):
    from datetime import timedelta

    from django.utils import timezone

    from monitoring.importers import ae_import_job_create
    from reporting.services import jobs_sweep

    hospital, _shop, _maker = firms
    job = ae_import_job_create(file=export_file(_first_export(hospital)), by=district.section_user)  # no commit
    AEImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(seconds=31))

    counts = jobs_sweep()

    job.refresh_from_db()
    assert counts["AEImportJob"] == {"dispatched": 1, "requeued": 0, "failed": 0}
    assert (job.status, job.stage, job.created, AdverseEventReport.objects.count()) == ("success", "preview", 4, 0)
