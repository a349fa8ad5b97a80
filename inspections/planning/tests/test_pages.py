"""Page flows: forms refuse bad input with Chinese messages and change nothing; good input goes through."""

import datetime
import re

import pytest
from django.utils import timezone

from enterprises.choices import OperationMode, Role, UnitKind
from enterprises.grading.choices import GradeStatus
from enterprises.grading.services import grades_propose, scheme_ensure
from enterprises.models import CreditRecord, EnterpriseGrade, GradingScheme
from enterprises.tests.factories import EnterpriseFactory, SubdistrictFactory, UnitFactory, UserFactory
from inspections.models import AnnualTarget, ConflictOfInterest, RandomDraw
from inspections.planning.tests.factories import InspectionFactory

pytestmark = pytest.mark.django_db
YEAR = datetime.date.today().year


@pytest.fixture
def setup():
    sd = SubdistrictFactory()
    enterprises = [EnterpriseFactory(subdistrict=sd, operation_mode=OperationMode.RETAIL) for _ in range(4)]
    staff = [UserFactory(unit=sd.unit) for _ in range(3)]
    scheme_ensure(year=YEAR)
    grades_propose(year=YEAR, unit=sd.unit, by=None)
    return sd.unit, enterprises, staff


def test_grade_change_without_reason_shows_error_and_changes_nothing(client, setup):
    unit, enterprises, staff = setup
    grade = EnterpriseGrade.objects.get(enterprise=enterprises[0])
    o2 = grade.level.scheme.levels.get(code="o2")
    client.force_login(staff[0])

    response = client.post(f"/grading/grades/{grade.pk}/change/", {"level": o2.pk, "reason": ""})

    assert response.status_code == 400
    assert "该字段是必填项" in response.content.decode()
    grade.refresh_from_db()
    assert (grade.level.code, grade.status) == ("o1", GradeStatus.PROPOSED)


def test_grade_change_through_the_page(client, setup):
    unit, enterprises, staff = setup
    grade = EnterpriseGrade.objects.get(enterprise=enterprises[0])
    o2 = grade.level.scheme.levels.get(code="o2")
    client.force_login(staff[0])

    response = client.post(f"/grading/grades/{grade.pk}/change/", {"level": o2.pk, "reason": "多次投诉",
                                                                  "version": grade.version})

    assert response.status_code == 302
    grade.refresh_from_db()
    assert (grade.level.code, grade.status, grade.change_reason) == ("o2", GradeStatus.CHANGED, "多次投诉")
    page = client.get(f"/grading/grades/{grade.pk}/").content.decode()
    assert "多次投诉" in page
    assert "监管等级：经营一级 → 经营二级" in page and "状态：系统建议 → 已调整待审批" in page


def test_credit_record_form_rejects_an_unknown_credit_code(client, setup):
    unit, enterprises, staff = setup
    client.force_login(staff[0])

    response = client.post("/grading/credit/", {"enterprise": "91330302000000000X", "kind": "bad_credit",
                                                "recorded_on": f"{YEAR}-01-05", "reason": "x"})

    assert response.status_code == 400
    assert "没有该信用代码的企业" in response.content.decode()
    assert CreditRecord.objects.count() == 0


def test_credit_record_form_saves(client, setup):
    unit, enterprises, staff = setup
    client.force_login(staff[0])

    response = client.post("/grading/credit/", {"enterprise": enterprises[0].credit_code, "kind": "bad_credit",
                                                "recorded_on": f"{YEAR}-01-05", "reason": "虚假宣传"})

    assert response.status_code == 302
    assert list(CreditRecord.objects.values_list("enterprise", "reason")) == [(enterprises[0].pk, "虚假宣传")]


def test_draw_form_draws_and_shows_seed(client, setup):
    unit, enterprises, staff = setup
    client.force_login(staff[0])

    response = client.post("/planning/draws/", {"unit": unit.pk, "year": YEAR, "name": "一级经营企业", "sector":
                                                "operation", "level_codes": "o1", "ratio": "0.5",
                                                "officers_per_enterprise": 2, "seed": "abc123"})

    draw = RandomDraw.objects.get()
    assert response.status_code == 302
    assert (draw.seed, draw.picks.count()) == ("abc123", 2)
    detail = client.get(f"/planning/draws/{draw.pk}/").content.decode()
    assert "abc123" in detail
    # the level reads in Chinese, never as its code (a word of its own: the page's CSRF token may hold "o1")
    assert "经营，一级，共 4 家" in detail and not re.search(r"\bo1\b", detail.split('id="draw-seed"')[0])
    assert "未公示" in detail
    verify = client.get(f"/planning/draws/{draw.pk}/verify/").content.decode()
    assert "重新运行结果与记录一致" in verify


def test_draw_form_with_one_officer_is_refused(client, setup):
    unit, enterprises, staff = setup
    client.force_login(staff[0])

    response = client.post("/planning/draws/", {"unit": unit.pk, "year": YEAR, "name": "x", "ratio": "0.5",
                                                "officers_per_enterprise": 1})

    assert response.status_code == 400
    assert RandomDraw.objects.count() == 0


def test_conflict_form(client, setup):
    unit, enterprises, staff = setup
    client.force_login(staff[0])

    response = client.post("/planning/conflicts/", {"officer": staff[1].pk, "enterprise": enterprises[2].credit_code,
                                                    "reason": "曾在该企业任职", "declared_on": f"{YEAR}-02-01"})
    again = client.post("/planning/conflicts/", {"officer": staff[1].pk, "enterprise": enterprises[2].credit_code,
                                                 "reason": "重复", "declared_on": f"{YEAR}-02-01"})

    assert (response.status_code, again.status_code) == (302, 400)
    assert "该回避关系已存在" in again.content.decode()
    assert ConflictOfInterest.objects.count() == 1


def test_only_approvers_create_year_configuration(client, setup):
    unit, enterprises, staff = setup
    client.force_login(staff[0])

    assert client.post("/planning/targets/create/", {"year": YEAR + 1}).status_code == 403
    assert client.post("/grading/scheme/create/", {"year": YEAR + 1}).status_code == 403
    assert not AnnualTarget.objects.filter(year=YEAR + 1).exists()
    assert not GradingScheme.objects.filter(year=YEAR + 1).exists()

    chief = UserFactory(unit=UnitFactory(kind=UnitKind.SECTION), role=Role.LEADER)
    client.force_login(chief)
    client.post("/planning/targets/create/", {"year": YEAR + 1})
    client.post("/grading/scheme/create/", {"year": YEAR + 1})
    assert AnnualTarget.objects.filter(year=YEAR + 1).count() == 5
    assert GradingScheme.objects.filter(year=YEAR + 1).exists()


def test_grading_overview_marks_unconfirmed_defaults_and_unit_progress(client, setup):
    unit, enterprises, staff = setup
    client.force_login(staff[0])

    body = client.get("/grading/").content.decode()

    # the unconfirmed defaults say so in a user's terms (p1 is unconfirmed; the contact-lens criterion is confirmed)
    assert '<span class="badge text-bg-warning" title="默认值，未经本局确认，可在系统管理中修改">未经本局确认</span>' in body
    assert '<span class="badge text-bg-success" title="依据已核对原文">已核对</span>' in body
    assert "抽查比例为默认值，未经本局确认，可在系统管理中修改" in body
    assert not [note for note in ("[R]", "[S]", "[C]", "回忆", "domain.md", "flcube") if note in body]
    assert f"{YEAR}年3月31日" in body
    assert unit.display_name in body
    assert "计入频次的检查类型：日常监督检查、全项目检查、飞行检查" in body
    assert "routine" not in body


def test_due_list_status_filter(client, setup):
    unit, enterprises, staff = setup
    client.force_login(staff[0])

    body = client.get(f"/planning/due/?year={YEAR}&status=sampled").content.decode()

    assert all(e.name in body for e in enterprises)
    assert "随机抽查" in body


def test_due_list_sorts_by_last_inspection(client):
    sd = SubdistrictFactory()
    early = EnterpriseFactory(subdistrict=sd, name="早检企业", provides_logistics=True)
    late = EnterpriseFactory(subdistrict=sd, name="晚检企业", provides_logistics=True)
    never = EnterpriseFactory(subdistrict=sd, name="未检企业", provides_logistics=True)
    InspectionFactory(enterprise=early, start_date=datetime.date(YEAR - 1, 2, 1))
    InspectionFactory(enterprise=late, start_date=datetime.date(YEAR - 1, 9, 1))
    scheme_ensure(year=YEAR)
    grades_propose(year=YEAR, unit=sd.unit, by=None)
    client.force_login(UserFactory(unit=sd.unit))

    def order(o):
        body = client.get(f"/planning/due/?year={YEAR}&o={o}").content.decode()
        return sorted((body.index(e.name), e.name) for e in (early, late, never))

    assert [name for _i, name in order("last")] == ["未检企业", "早检企业", "晚检企业"]
    assert [name for _i, name in order("-last")] == ["晚检企业", "早检企业", "未检企业"]


def test_target_page_shows_targets_in_chinese(client, setup):
    unit, enterprises, staff = setup
    from enterprises.tests.factories import TagFactory
    from inspections.planning.services import targets_ensure

    TagFactory(code="sterile", name="无菌")
    TagFactory(code="implant", name="植入")
    targets_ensure(year=YEAR)
    client.force_login(staff[0])

    body = client.get(f"/planning/targets/?year={YEAR}").content.decode()

    assert "经营、使用 · 无菌、植入" in body
    assert "不少于 10 家（全区考核）" in body
    assert "飞行检查" in body


def test_propose_and_approve_a_whole_unit_from_the_overview(client, setup):
    unit, enterprises, staff = setup
    new = EnterpriseFactory(subdistrict=enterprises[0].subdistrict, operation_mode=OperationMode.RETAIL)
    chief = UserFactory(unit=UnitFactory(kind=UnitKind.SECTION), role=Role.LEADER)
    client.force_login(staff[0])

    client.post("/grading/propose/", {"unit": unit.pk, "year": YEAR})
    assert client.post("/grading/approve/", {"unit": unit.pk, "year": YEAR}).status_code == 403

    client.force_login(chief)
    client.post("/grading/approve/", {"unit": unit.pk, "year": YEAR})

    assert EnterpriseGrade.objects.filter(enterprise=new).exists()
    assert set(EnterpriseGrade.objects.values_list("status", flat=True)) == {GradeStatus.APPROVED}
    body = client.get(f"/grading/?year={YEAR}").content.decode()
    assert "已完成" in body


def test_enterprise_detail_loads_the_grade_and_due_panel(client, setup):
    unit, enterprises, staff = setup
    InspectionFactory(enterprise=enterprises[0], start_date=datetime.date(YEAR - 1, 6, 30))
    client.force_login(staff[0])

    detail = client.get(f"/enterprises/{enterprises[0].pk}/").content.decode()
    panel = client.get(f"/planning/enterprises/{enterprises[0].pk}/panel/").content.decode()

    assert f"/planning/enterprises/{enterprises[0].pk}/panel/" in detail
    assert "一级" in panel and f"{YEAR - 1}-06-30" in panel and "随机抽查" in panel


def test_conflict_form_date_is_in_the_html_date_format(client, setup):
    unit, enterprises, staff = setup
    client.force_login(staff[0])

    body = client.get("/planning/conflicts/").content.decode()

    today = timezone.localdate()
    assert f'name="declared_on" value="{today:%Y-%m-%d}"' in body


def test_draw_form_offers_levels_and_tags_by_name_and_refuses_an_unknown_code(client, setup):
    unit, enterprises, staff = setup
    client.force_login(staff[0])

    page = client.get("/planning/draws/").content.decode()
    response = client.post("/planning/draws/", {"unit": unit.pk, "year": YEAR, "name": "x", "level_codes": "zz",
                                                "ratio": "0.5", "officers_per_enterprise": 2})

    assert '<option value="o1">经营一级</option>' in page
    assert response.status_code == 400
    assert "zz 不在可用的选项中" in response.content.decode().replace("\u3000", "")
    assert not RandomDraw.objects.exists()


def test_grade_list_filters_by_named_level_and_yes_no_reads_all(client, setup):
    unit, enterprises, staff = setup
    grade = EnterpriseGrade.objects.get(enterprise=enterprises[0])
    grade.level = grade.level.scheme.levels.get(code="o2")
    grade.save()
    client.force_login(staff[0])

    page = client.get(f"/grading/grades/?year={YEAR}").content.decode()
    filtered = client.get(f"/grading/grades/?year={YEAR}&level=o2&is_key=").content.decode()

    assert '<option value="o2">经营二级</option>' in page
    assert '<option value="" selected>全部</option>' in page and "未知" not in page
    assert enterprises[0].name in filtered and enterprises[1].name not in filtered


def test_due_list_rows_equal_those_computed_from_the_inspections(client):
    """Every order and status filter of the due list gives the rows (and order) that the inspections themselves
    give: the stored last-inspection date is the computed one."""

    from enterprises.grading.choices import DueStatus
    from inspections.choices import InspectionKind, InspectionStatus
    from inspections.planning.due import due_status_q, with_last_inspected
    from inspections.planning.views import DUE_ORDERINGS

    sd = SubdistrictFactory()
    today = timezone.localdate()
    days = [None, today - datetime.timedelta(days=400), today - datetime.timedelta(days=340),
            today - datetime.timedelta(days=200), today - datetime.timedelta(days=20), today]
    for i, day in enumerate(days * 2):
        enterprise = EnterpriseFactory(subdistrict=sd, name=f"企业{i:02d}", provides_logistics=i % 2 == 0,
                                       operation_mode=OperationMode.RETAIL if i % 3 else OperationMode.WHOLESALE)
        if day is not None:
            InspectionFactory(enterprise=enterprise, start_date=day)
            InspectionFactory(enterprise=enterprise, start_date=day + datetime.timedelta(days=1),
                              kind=InspectionKind.FOLLOW_UP)  # does not count
            InspectionFactory(enterprise=enterprise, start_date=day + datetime.timedelta(days=2),
                              status=InspectionStatus.DRAFT)
    scheme, _ = scheme_ensure(year=YEAR)
    grades_propose(year=YEAR, unit=sd.unit, by=None)
    client.force_login(UserFactory(unit=sd.unit))
    # the same grades with the date computed from the inspections (``before`` far ahead: nothing left out)
    computed = with_last_inspected(EnterpriseGrade.objects.filter(year=YEAR), scheme, before=datetime.date(9999, 1, 1))
    assert (computed.count(), computed.filter(last_inspected__isnull=False).count()) == (12, 10)

    for o, order in DUE_ORDERINGS.items():
        for status in ["", *DueStatus.values]:
            rows = client.get(f"/planning/due/?year={YEAR}&o={o}&status={status}").context["rows"]
            expected = computed.filter(due_status_q(status, scheme, today)) if status else computed
            expected = expected.order_by(*order)
            assert [(g.pk, g.last_inspected) for g in rows] == [(g.pk, g.last_inspected) for g in expected], (o, status)
