"""The unit boundary on every grading and planning page, export and API endpoint."""

import datetime

import pytest

from enterprises.choices import OperationMode, Role, UnitKind
from enterprises.grading.services import grades_propose, scheme_ensure
from enterprises.models import CreditRecord, EnterpriseGrade
from enterprises.tests.factories import EnterpriseFactory, SubdistrictFactory, UnitFactory, UserFactory
from inspections.models import ConflictOfInterest, InspectionPlan, PlanItem, RandomDraw
from inspections.planning.generate import plan_generate
from inspections.planning.services import draw_create, targets_ensure
from inspections.planning.tests.factories import ConflictFactory, InspectionFactory

pytestmark = pytest.mark.django_db
YEAR = datetime.date.today().year


def build_unit(name):
    sd = SubdistrictFactory(unit=UnitFactory(name=f"{name}市场监管所", short_name=f"{name}所"))
    enterprises = [EnterpriseFactory(subdistrict=sd, name=f"{name}医疗器械商行{i}", provides_logistics=(i == 0),
                                     operation_mode=OperationMode.RETAIL) for i in range(4)]
    officers = [UserFactory(unit=sd.unit) for _ in range(2)]
    InspectionFactory(enterprise=enterprises[0], start_date=datetime.date(YEAR, 1, 2))
    grades_propose(year=YEAR, unit=sd.unit, by=None)
    plan_generate(unit=sd.unit, year=YEAR, by=None, seed="x")
    draw = draw_create(unit=sd.unit, year=YEAR, name=f"{name}抽取", ratio="0.5", seed="x", by=None)
    conflict = ConflictFactory(officer=officers[0], enterprise=enterprises[3])
    CreditRecord.objects.create(enterprise=enterprises[1], kind="bad_credit", recorded_on=datetime.date(YEAR, 1, 3),
                                reason=f"{name}不良记录")
    return {"unit": sd.unit, "enterprises": enterprises, "officers": officers, "draw": draw, "conflict": conflict,
            "grade": EnterpriseGrade.objects.filter(enterprise=enterprises[0]).first(),
            "plan": InspectionPlan.objects.get(unit=sd.unit, kind="routine"),
            "item": PlanItem.objects.filter(plan__unit=sd.unit).first()}


@pytest.fixture
def two_units():
    scheme_ensure(year=YEAR)
    targets_ensure(year=YEAR)
    return build_unit("甲"), build_unit("乙")


LIST_PAGES = ["/grading/", "/grading/grades/", "/grading/credit/", "/planning/", "/planning/due/", "/planning/draws/",
              "/planning/conflicts/", "/planning/progress/", "/planning/targets/"]


@pytest.mark.parametrize("url", LIST_PAGES)
def test_station_list_pages_show_only_own_unit(client, two_units, url):
    mine, other = two_units
    client.force_login(mine["officers"][0])

    body = client.get(url).content.decode()

    assert "乙医疗器械商行" not in body and "乙所" not in body and "乙市场监管所" not in body
    if url not in ("/planning/targets/", "/grading/"):
        assert "甲" in body


def detail_urls(u):
    return [
        f"/grading/grades/{u['grade'].pk}/", f"/planning/plans/{u['plan'].pk}/",
        f"/planning/plans/{u['plan'].pk}/export/", f"/planning/items/{u['item'].pk}/",
        f"/planning/draws/{u['draw'].pk}/", f"/planning/draws/{u['draw'].pk}/verify/",
        f"/planning/draws/{u['draw'].pk}/export/", f"/planning/enterprises/{u['enterprises'][0].pk}/panel/",
        f"/api/grades/{u['grade'].pk}/", f"/api/plans/{u['plan'].pk}/", f"/api/plan-items/{u['item'].pk}/",
        f"/api/draws/{u['draw'].pk}/", f"/api/draws/{u['draw'].pk}/verify/", f"/api/conflicts/{u['conflict'].pk}/",
    ]


def test_station_user_reaches_own_details_but_not_the_other_units(client, two_units):
    mine, other = two_units
    client.force_login(mine["officers"][0])

    plan_export = f"/planning/plans/{mine['plan'].pk}/export/"  # files a job, then the download centre
    assert {url: client.get(url).status_code for url in detail_urls(mine)} == {
        url: 302 if url == plan_export else 200 for url in detail_urls(mine)}
    assert {url: client.get(url).status_code for url in detail_urls(other)} == {url: 404 for url in detail_urls(other)}


def post_urls(u):
    return [
        (f"/grading/grades/{u['grade'].pk}/change/", {"level": u["grade"].level_id, "reason": "x"}),
        (f"/grading/grades/{u['grade'].pk}/approve/", {}),
        ("/grading/propose/", {"unit": u["unit"].pk, "year": YEAR}),
        ("/grading/approve/", {"unit": u["unit"].pk, "year": YEAR}),
        (f"/planning/plans/{u['plan'].pk}/submit/", {}),
        (f"/planning/plans/{u['plan'].pk}/approve/", {}),
        (f"/planning/plans/{u['plan'].pk}/autolink/", {}),
        (f"/planning/plans/{u['plan'].pk}/items/add/", {"enterprise": u["enterprises"][1].credit_code,
                                                       "kind": "routine"}),
        (f"/planning/items/{u['item'].pk}/", {"kind": "full", "target_month": "5"}),
        (f"/planning/items/{u['item'].pk}/delete/", {}),
        (f"/planning/draws/{u['draw'].pk}/publish/", {}),
        (f"/planning/conflicts/{u['conflict'].pk}/deactivate/", {}),
        (f"/api/grades/{u['grade'].pk}/approve/", {}),
        (f"/api/plans/{u['plan'].pk}/approve/", {}),
    ]


def snapshot():
    return (
        list(EnterpriseGrade.objects.order_by("pk").values_list("status", "level_id", "change_reason")),
        list(InspectionPlan.objects.order_by("pk").values_list("status", "generated_at")),
        list(PlanItem.objects.order_by("pk").values_list("kind", "target_month")),
        list(RandomDraw.objects.order_by("pk").values_list("published_at", flat=True)),
        list(ConflictOfInterest.objects.order_by("pk").values_list("is_active", flat=True)),
    )


def test_station_user_changes_nothing_of_another_unit(client, two_units):
    mine, other = two_units
    client.force_login(mine["officers"][0])
    before = snapshot()

    statuses = {url: client.post(url, data).status_code for url, data in post_urls(other)}

    assert statuses == {url: 404 for url, _data in post_urls(other)}
    assert snapshot() == before


def test_station_user_cannot_generate_a_plan_or_draw_for_another_unit(client, two_units):
    mine, other = two_units
    client.force_login(mine["officers"][0])
    before = snapshot()

    client.post("/planning/generate/", {"unit": other["unit"].pk, "year": YEAR})
    response = client.post("/planning/draws/", {"unit": other["unit"].pk, "year": YEAR, "name": "越权",
                                                "ratio": "0.5", "officers_per_enterprise": 2})

    assert response.status_code == 400
    assert snapshot() == before


def test_auditor_sees_both_units_but_changes_nothing(client, two_units):
    mine, other = two_units
    auditor = UserFactory(unit=UnitFactory(kind=UnitKind.BUREAU), role=Role.AUDITOR)
    client.force_login(auditor)
    before = snapshot()

    body = client.get("/grading/grades/").content.decode()
    statuses = {url: client.post(url, data).status_code for url, data in post_urls(other)}

    assert "甲医疗器械商行" in body and "乙医疗器械商行" in body
    assert all(code in (302, 400, 403) for code in statuses.values()), statuses
    assert snapshot() == before


API_LISTS = ["/api/grades/", "/api/credit-records/", "/api/plans/", "/api/plan-items/", "/api/draws/",
             "/api/conflicts/"]


@pytest.mark.parametrize("url", API_LISTS)
def test_api_lists_are_scoped(client, two_units, url):
    mine, other = two_units
    client.force_login(mine["officers"][0])

    data = client.get(url).json()

    rows = data["results"] if isinstance(data, dict) and "results" in data else data
    assert rows
    body = str(rows)
    other_ids = {e.pk for e in other["enterprises"]}
    for row in rows:
        assert row.get("enterprise") not in other_ids
        assert row.get("unit", mine["unit"].pk) == mine["unit"].pk
        assert row.get("plan", mine["plan"].pk) in set(InspectionPlan.objects.filter(unit=mine["unit"])
                                                       .values_list("pk", flat=True))
    assert "乙" not in body


def test_api_targets_report_the_callers_unit(client, two_units):
    mine, _other = two_units
    client.force_login(mine["officers"][0])

    data = client.get(f"/api/targets/?year={YEAR}").json()

    rows = data["results"] if isinstance(data, dict) and "results" in data else data
    assert {r["code"] for r in rows} == {"flight", "sterile-implant", "contact-lens", "vbp-delivery", "entrusted"}
    assert {r["progress"]["unit"] for r in rows} == {mine["unit"].pk}


def test_anonymous_gets_nothing(client, two_units):
    mine, _other = two_units

    assert client.get("/grading/grades/").status_code == 302
    assert client.get("/api/grades/").status_code in (401, 403)
    assert client.get(f"/planning/draws/{mine['draw'].pk}/export/").status_code == 403


def test_grade_export_holds_exactly_the_filtered_rows(client, two_units, export_file):
    mine, _other = two_units
    client.force_login(mine["officers"][0])

    sheet = export_file(client, f"/grading/grades/export/?year={YEAR}&level=o1&o=enterprise").active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("年度", "企业名称", "统一社会信用代码")
    assert [(r[1], r[5]) for r in rows[1:]] == [("甲医疗器械商行1", "一级"), ("甲医疗器械商行2", "一级"),
                                                ("甲医疗器械商行3", "一级")]


def test_progress_export_has_every_sheet(client, two_units, export_file):
    mine, _other = two_units
    chief = UserFactory(unit=UnitFactory(kind=UnitKind.SECTION), role=Role.LEADER)
    client.force_login(chief)

    book = export_file(client, f"/planning/progress/export/?year={YEAR}")

    assert book.sheetnames == ["按月份", "按检查类型", "年度指标", "尚未检查企业", "各单位"]
    # each 所 has its own row with its own plan items (counted here from the rows) and none done yet (no
    # item is linked to an inspection); the chief's own 科 plans nothing
    rows = {row[0]: row[1:3] for row in book["各单位"].iter_rows(min_row=2, values_only=True)}
    expected = {
        side["unit"].short_name: (PlanItem.objects.filter(plan__unit=side["unit"], plan__year=YEAR).count(), 0)
        for side in (mine, _other)
    }
    assert expected["甲所"][0] > 0 and expected["乙所"][0] > 0
    assert {name: rows[name] for name in ("甲所", "乙所")} == expected
    assert rows[chief.unit.short_name] == (0, 0)
    month_total = list(book["按月份"].iter_rows(values_only=True))[-1]
    assert month_total[0] == "合计"
    assert month_total[1] == PlanItem.objects.count()


EXPORTS = [  # (URL, the sheet's header row starts with)
    (f"/grading/grades/export/?year={YEAR}", ("年度", "企业名称", "统一社会信用代码", "监管单位")),
    ("/grading/credit/export/", ("企业名称", "统一社会信用代码", "监管单位", "类型")),
    (f"/planning/export/?year={YEAR}", ("年度", "单位", "计划类型", "状态")),
    ("plan_items", ("企业名称", "统一社会信用代码", "检查类型", "计划时间")),
    (f"/planning/due/export/?year={YEAR}", ("企业名称", "统一社会信用代码", "监管单位", "环节")),
    ("/planning/conflicts/export/", ("检查人员", "所在单位", "企业", "回避理由")),
    (f"/planning/progress/export/?year={YEAR}", ("月份", "计划检查", "按计划完成", "全部已完成检查")),
]


@pytest.mark.parametrize(("url", "header"), EXPORTS)
def test_every_export_is_a_job_of_the_station_holding_only_its_own_rows(client, two_units, export_file, url, header):
    mine, _other = two_units
    user = mine["officers"][0]
    client.force_login(user)
    if url == "plan_items":
        url = f"/planning/plans/{mine['plan'].pk}/export/"

    book = export_file(client, url)

    job = export_file.last_job
    assert (job.created_by, job.unit) == (user, mine["unit"])
    rows = [row for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]
    assert book.worksheets[0].cell(row=1, column=1).font.b
    assert rows[0][: len(header)] == header
    text = repr(rows)
    assert "乙医疗器械商行" not in text and "乙所" not in text and "乙市场监管所" not in text
    if "progress" not in url:
        assert len(book.active["A"]) > 1 and "甲" in text
    messages = [str(m) for m in client.get("/reporting/downloads/").context["messages"]]
    assert messages == [f"已加入下载中心：{job.title}，生成后可在下载中心下载"]


def test_another_units_plan_cannot_be_exported_and_nothing_is_filed(client, two_units):
    from reporting.models import ExportJob

    mine, other = two_units
    client.force_login(mine["officers"][0])

    response = client.get(f"/planning/plans/{other['plan'].pk}/export/")

    assert response.status_code == 404
    assert ExportJob.objects.count() == 0
