"""僵尸企业 clean-up: each candidate reason worked out by hand, the workflow, the registry change, the tallies."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from enterprises.choices import EnterpriseStatus, LicenceKind, LicenceStatus
from enterprises.duties.choices import (
    ClearanceKind,
    FilingKind,
    NoticeKind,
    Sector,
    ZombieReason,
    ZombieStage,
)
from enterprises.duties.zombie_rules import candidates
from enterprises.duties.zombie_selectors import zombie_tallies
from enterprises.duties.zombie_services import (
    zombie_case_clear,
    zombie_case_conclude,
    zombie_case_notify,
    zombie_case_start,
    zombie_case_verify,
)
from enterprises.models import AnnualFiling, DutyYear, Enterprise, EnterpriseStatusChange, Licence, ZombieCase

from .factories import EnterpriseFactory, LicenceFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YEAR = TODAY.year
AFTER_DUE = dt.date(YEAR, 4, 1)  # the day after the default 3月31日
OLD = dt.date(2015, 6, 1)  # established long before


def reasons(as_of=AFTER_DUE, year=YEAR) -> dict[str, list[str]]:
    return {c.enterprise.name: c.reasons for c in candidates(year, as_of=as_of)}


def filed(enterprise, year=YEAR, on=dt.date(YEAR, 3, 1)):
    return AnnualFiling.objects.create(enterprise=enterprise, year=year, kind=FilingKind.SELF_REPORT,
                                       sector=Sector.OPERATION, submitted_on=on)


# --- reasons ----------------------------------------------------------------------------------------------

def test_no_self_report_counts_only_owing_enterprises_after_the_due_date(district):
    missing = EnterpriseFactory(name="甲药房", subdistrict=district.sub_a, established_on=OLD)
    filed(EnterpriseFactory(name="乙药房", subdistrict=district.sub_a, established_on=OLD))
    EnterpriseFactory(name="丙诊所", subdistrict=district.sub_a, established_on=OLD, is_operator=False,
                      is_user_unit=True, institution_type="clinic")  # 使用: kept on file, owes nothing here
    EnterpriseFactory(name="丁新开药房", subdistrict=district.sub_a, established_on=dt.date(YEAR, 1, 5))
    EnterpriseFactory(name="戊库房", subdistrict=district.sub_a, established_on=OLD, is_remote_warehouse=True,
                      home_licence_info="杭州")
    filed(EnterpriseFactory(name="己药房", subdistrict=district.sub_a, established_on=OLD), on=None)  # row, no date

    assert reasons() == {"甲药房": [ZombieReason.NO_SELF_REPORT], "己药房": [ZombieReason.NO_SELF_REPORT]}
    assert reasons(as_of=dt.date(YEAR, 3, 31)) == {}  # on the due date nobody is late yet
    assert missing.pk in {c.enterprise.pk for c in candidates(YEAR, as_of=AFTER_DUE)}


def test_no_self_report_follows_the_years_due_date(district):
    EnterpriseFactory(name="甲药房", subdistrict=district.sub_a, established_on=OLD)
    DutyYear.objects.update_or_create(year=YEAR, defaults=dict(
        self_report_due=dt.date(YEAR, 4, 30), responsibility_due=dt.date(YEAR, 3, 31)))
    assert reasons(as_of=dt.date(YEAR, 4, 30)) == {}
    assert reasons(as_of=dt.date(YEAR, 5, 1)) == {"甲药房": [ZombieReason.NO_SELF_REPORT]}


def test_unreachable_is_the_registry_status_abnormal(district):
    e = EnterpriseFactory(name="失联药房", subdistrict=district.sub_a, status=EnterpriseStatus.ABNORMAL,
                          status_since=dt.date(YEAR, 2, 1))
    filed(e)
    [candidate] = candidates(YEAR, as_of=AFTER_DUE)
    assert candidate.reasons == [ZombieReason.UNREACHABLE]
    assert candidate.notes[ZombieReason.UNREACHABLE] == f"企业状态为异常/失联自{YEAR}-02-01起"


def test_premises_mismatch_is_the_latest_answer_of_the_premises_item(district):
    from inspections.models import ChecklistAnswer, ChecklistTemplate
    from inspections.reference import load_reference
    from inspections.tests.factories import InspectionFactory

    load_reference()
    item = ChecklistTemplate.objects.get(code="gsp-routine").items.get(code="1.1")
    other_item = ChecklistTemplate.objects.get(code="gsp-routine").items.get(code="2.1")
    moved = EnterpriseFactory(name="搬迁药房", subdistrict=district.sub_a)
    fixed = EnterpriseFactory(name="已改正药房", subdistrict=district.sub_a)
    draft_only = EnterpriseFactory(name="草稿药房", subdistrict=district.sub_a)
    other = EnterpriseFactory(name="其他缺陷药房", subdistrict=district.sub_a)
    for e in (moved, fixed, draft_only, other):
        filed(e)

    def answer(enterprise, day, result, status="finalised", which=item):
        inspection = InspectionFactory(enterprise=enterprise, start_date=day)
        inspection.status = status
        inspection.save()
        ChecklistAnswer.objects.create(inspection=inspection, item=which, result=result)

    answer(moved, dt.date(YEAR, 2, 10), "no")
    answer(fixed, dt.date(YEAR, 1, 10), "no")
    answer(fixed, dt.date(YEAR, 3, 10), "yes")
    answer(draft_only, dt.date(YEAR, 2, 10), "no", status="draft")
    answer(other, dt.date(YEAR, 2, 10), "no", which=other_item)

    found = candidates(YEAR, as_of=AFTER_DUE)
    assert [(c.enterprise.name, c.reasons) for c in found] == [("搬迁药房", [ZombieReason.PREMISES_MISMATCH])]
    assert found[0].notes[ZombieReason.PREMISES_MISMATCH].startswith(f"{YEAR}-02-10检查")
    # before any inspection nothing was found; between its two inspections 已改正药房 was a candidate
    assert [c.enterprise.name for c in candidates(YEAR, as_of=dt.date(YEAR, 1, 9))] == []
    assert [c.enterprise.name for c in candidates(YEAR, as_of=dt.date(YEAR, 2, 20))] == ["已改正药房", "搬迁药房"]
    assert [c.enterprise.name for c in candidates(YEAR, as_of=dt.date(YEAR, 3, 10))] == ["搬迁药房"]


def test_long_suspension_is_365_days_of_business_or_production_stop(district):
    as_of = AFTER_DUE
    for name, status, days in [("停业满一年", EnterpriseStatus.BUSINESS_SUSPENDED, 365),
                               ("停业未满", EnterpriseStatus.BUSINESS_SUSPENDED, 364),
                               ("停产满一年", EnterpriseStatus.PRODUCTION_STOPPED, 400)]:
        filed(EnterpriseFactory(name=name, subdistrict=district.sub_a, status=status,
                                status_since=as_of - dt.timedelta(days=days)))
    assert reasons(as_of=as_of) == {"停业满一年": [ZombieReason.LONG_SUSPENDED],
                                    "停产满一年": [ZombieReason.LONG_SUSPENDED]}


def test_licence_expired_while_operating_ignores_a_renewed_or_cancelled_one(district):
    as_of = AFTER_DUE
    expired = EnterpriseFactory(name="过期药房", subdistrict=district.sub_a)
    renewed = EnterpriseFactory(name="已延续药房", subdistrict=district.sub_a)
    stopped = EnterpriseFactory(name="停业过期药房", subdistrict=district.sub_a,
                                status=EnterpriseStatus.BUSINESS_SUSPENDED, status_since=as_of - dt.timedelta(days=30))
    cancelled = EnterpriseFactory(name="证已注销药房", subdistrict=district.sub_a)
    for e in (expired, renewed, stopped, cancelled):
        filed(e)
    LicenceFactory(enterprise=expired, kind=LicenceKind.OPERATION_LICENCE, number="浙温药监械经营许20190001号",
                   expires_on=as_of - dt.timedelta(days=1))
    LicenceFactory(enterprise=expired, expires_on=None)  # a filing in force does not cover the licence
    LicenceFactory(enterprise=renewed, kind=LicenceKind.OPERATION_LICENCE, expires_on=dt.date(2020, 1, 1),
                   status=LicenceStatus.EXPIRED)
    LicenceFactory(enterprise=renewed, kind=LicenceKind.OPERATION_LICENCE, expires_on=as_of)  # last day in force
    LicenceFactory(enterprise=stopped, kind=LicenceKind.OPERATION_LICENCE, expires_on=dt.date(2020, 1, 1))
    LicenceFactory(enterprise=cancelled, kind=LicenceKind.OPERATION_LICENCE, expires_on=dt.date(2020, 1, 1),
                   status=LicenceStatus.CANCELLED)

    [candidate] = candidates(YEAR, as_of=as_of)
    assert (candidate.enterprise, candidate.reasons) == (expired, [ZombieReason.LICENCE_EXPIRED])
    expected = f"第三类医疗器械经营许可证浙温药监械经营许20190001号（{as_of - dt.timedelta(days=1):%Y-%m-%d}到期）"
    assert candidate.notes[ZombieReason.LICENCE_EXPIRED] == expected


def test_reasons_add_up_and_cancelled_enterprises_are_never_candidates(district):
    e = EnterpriseFactory(name="多因药房", subdistrict=district.sub_a, established_on=OLD,
                          status=EnterpriseStatus.ABNORMAL, status_since=dt.date(YEAR - 2, 1, 1))
    EnterpriseFactory(name="已注销药房", subdistrict=district.sub_a, established_on=OLD,
                      status=EnterpriseStatus.CANCELLED, status_since=dt.date(YEAR - 2, 1, 1))
    [candidate] = candidates(YEAR, as_of=AFTER_DUE)
    assert candidate.enterprise == e
    assert candidate.reasons == [ZombieReason.NO_SELF_REPORT, ZombieReason.UNREACHABLE]
    assert [code for code, _label, _note in candidate.reason_items] == candidate.reasons


# --- workflow ---------------------------------------------------------------------------------------------

@pytest.fixture
def lost(district):
    """An enterprise of 五马所, 异常/失联 for two years, with a valid filing and this year's self-report."""
    e = EnterpriseFactory(name="失联医疗器械商行", subdistrict=district.sub_a, status=EnterpriseStatus.ABNORMAL,
                          status_since=TODAY - dt.timedelta(days=700))
    LicenceFactory(enterprise=e, number="浙温药监械经营备20200001号")
    filed(e)
    return e


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def test_a_station_works_a_candidate_to_cancellation_and_the_registry_changes(district, lost):
    by = district.inspector_a
    case = zombie_case_start(enterprise=lost, year=YEAR, by=by)
    assert (case.stage, case.reasons, case.unit) == (ZombieStage.VERIFYING, [ZombieReason.UNREACHABLE],
                                                     district.station_a)
    case = zombie_case_verify(case=case, verified_on=days_ago(30), verification="两次上门无人", by=by,
                              version=case.version)
    case = zombie_case_notify(case=case, notice_kind=NoticeKind.PUBLIC, notice_on=days_ago(20),
                              notice_ref="鹿市监械告〔2026〕1号", by=by, version=case.version)
    case = zombie_case_clear(case=case, clearance_kind=ClearanceKind.CANCEL_FILING, decision_no="鹿市监械注〔2026〕1号",
                             decision_on=days_ago(2), by=by, version=case.version)

    lost.refresh_from_db()
    assert (case.stage, lost.status, lost.status_since) == (ZombieStage.CLEARED, EnterpriseStatus.CANCELLED,
                                                           days_ago(2))
    change = EnterpriseStatusChange.objects.get(enterprise=lost)
    assert (change.from_status, change.to_status, change.changed_by) == (
        EnterpriseStatus.ABNORMAL, EnterpriseStatus.CANCELLED, by)
    assert change.reason == "僵尸企业清理：取消备案，决定文号鹿市监械注〔2026〕1号（列为候选原因：检查发现失联）"
    assert list(Licence.objects.filter(enterprise=lost).values_list("status", flat=True)) == [LicenceStatus.CANCELLED]
    assert lost.history.first().status == EnterpriseStatus.CANCELLED
    assert [h.stage for h in case.history.order_by("history_id")] == [
        ZombieStage.VERIFYING, ZombieStage.VERIFYING, ZombieStage.NOTIFIED, ZombieStage.CLEARED]


def test_start_refuses_a_non_candidate_a_second_case_and_another_unit(district, lost):
    fine = EnterpriseFactory(name="正常药房", subdistrict=district.sub_a, established_on=TODAY)
    with pytest.raises(ValidationError, match="不符合僵尸企业候选条件"):
        zombie_case_start(enterprise=fine, year=YEAR, by=district.inspector_a)
    with pytest.raises(ValidationError, match="今年或上一年度"):
        zombie_case_start(enterprise=lost, year=YEAR - 2, by=district.inspector_a)
    with pytest.raises(PermissionDenied):
        zombie_case_start(enterprise=lost, year=YEAR, by=district.inspector_b)
    with pytest.raises(PermissionDenied):
        zombie_case_start(enterprise=lost, year=YEAR, by=district.auditor)
    zombie_case_start(enterprise=lost, year=YEAR, by=district.section_user)
    with pytest.raises(ValidationError, match="已有清理记录"):
        zombie_case_start(enterprise=lost, year=YEAR, by=district.inspector_a)
    assert ZombieCase.objects.count() == 1


def _refused(case, call, message):
    before = ZombieCase.objects.values().get(pk=case.pk)
    with pytest.raises(ValidationError) as exc:
        call()
    assert message in " ".join(exc.value.messages)
    assert ZombieCase.objects.values().get(pk=case.pk) == before


def test_steps_go_in_order_with_dates_that_follow_each_other(district, lost):
    by = district.inspector_a
    case = zombie_case_start(enterprise=lost, year=YEAR, by=by)
    _refused(case, lambda: zombie_case_notify(case=case, notice_kind=NoticeKind.NOTICE, notice_on=days_ago(1),
                                              notice_ref="告1", by=by), "请先登记核查情况")
    _refused(case, lambda: zombie_case_clear(case=case, clearance_kind=ClearanceKind.CANCEL_FILING, decision_no="注1",
                                             decision_on=days_ago(1), by=by), "不能办理此步骤")
    _refused(case, lambda: zombie_case_verify(case=case, verified_on=TODAY + dt.timedelta(days=1),
                                              verification="x", by=by), "日期不能晚于今天")
    case = zombie_case_verify(case=case, verified_on=days_ago(10), verification="上门无人", by=by)
    _refused(case, lambda: zombie_case_notify(case=case, notice_kind=NoticeKind.NOTICE, notice_on=days_ago(11),
                                              notice_ref="告1", by=by), f"日期不能早于核查日期（{days_ago(10)}）")
    case = zombie_case_notify(case=case, notice_kind=NoticeKind.NOTICE, notice_on=days_ago(5), notice_ref="告1", by=by)
    _refused(case, lambda: zombie_case_verify(case=case, verified_on=days_ago(3), verification="改", by=by),
             "核查情况不能再修改")
    _refused(case, lambda: zombie_case_clear(case=case, clearance_kind=ClearanceKind.CANCEL_FILING, decision_no="",
                                             decision_on=days_ago(6), by=by), "请填写决定文号")
    lost.refresh_from_db()
    assert lost.status == EnterpriseStatus.ABNORMAL  # nothing changed in the registry


def test_a_clearance_dated_before_the_current_status_is_refused_and_nothing_changes(district):
    e = EnterpriseFactory(name="近期失联", subdistrict=district.sub_a, status=EnterpriseStatus.ABNORMAL,
                          status_since=days_ago(3))
    by = district.inspector_a
    case = zombie_case_start(enterprise=e, year=YEAR, by=by)
    case = zombie_case_verify(case=case, verified_on=days_ago(9), verification="无人", by=by)
    case = zombie_case_notify(case=case, notice_kind=NoticeKind.NOTICE, notice_on=days_ago(8), notice_ref="告", by=by)
    with pytest.raises(ValidationError) as exc:
        zombie_case_clear(case=case, clearance_kind=ClearanceKind.CANCEL_LICENCE, decision_no="注",
                          decision_on=days_ago(5), by=by)
    assert "decision_on" in exc.value.message_dict
    case.refresh_from_db()
    e.refresh_from_db()
    assert (case.stage, e.status, EnterpriseStatusChange.objects.count()) == (ZombieStage.NOTIFIED,
                                                                            EnterpriseStatus.ABNORMAL, 0)


def test_conclude_regularised_keeps_the_enterprise(district, lost):
    by = district.inspector_a
    case = zombie_case_start(enterprise=lost, year=YEAR, by=by)
    case = zombie_case_verify(case=case, verified_on=days_ago(10), verification="找到负责人", by=by)
    _refused(case, lambda: zombie_case_conclude(case=case, outcome=ZombieStage.REGULARISED, decided_on=days_ago(4),
                                                note=" ", by=by), "请填写处理情况")
    case = zombie_case_conclude(case=case, outcome=ZombieStage.REGULARISED, decided_on=days_ago(4),
                                note="恢复经营并更新联系方式", by=by)
    lost.refresh_from_db()
    assert (case.stage, case.decision_on, case.outcome_note, lost.status) == (
        ZombieStage.REGULARISED, days_ago(4), "恢复经营并更新联系方式", EnterpriseStatus.ABNORMAL)
    _refused(case, lambda: zombie_case_notify(case=case, notice_kind=NoticeKind.NOTICE, notice_on=days_ago(1),
                                              notice_ref="x", by=by), "不能办理此步骤")


# --- tallies ----------------------------------------------------------------------------------------------

def _case(enterprise, stage, decided_on=None):
    return ZombieCase.objects.create(enterprise=enterprise, year=YEAR, unit=enterprise.owning_unit,
                                     reasons=[ZombieReason.UNREACHABLE], stage=stage, decision_on=decided_on)


def test_tallies_per_station_worked_out_by_hand(district):
    def lost(name, sub):
        return EnterpriseFactory(name=name, subdistrict=sub, status=EnterpriseStatus.ABNORMAL,
                                 status_since=days_ago(800), established_on=TODAY)

    a = [lost(f"五马{i}", district.sub_a) for i in range(6)]
    b = [lost(f"藤桥{i}", district.sub_b) for i in range(3)]
    # 五马所: 2 cleared, 1 regularised, 1 upgraded, 1 verifying → 1 open candidate (a[5])
    _case(a[0], ZombieStage.CLEARED, days_ago(3))
    _case(a[1], ZombieStage.CLEARED, days_ago(2))
    _case(a[2], ZombieStage.REGULARISED, days_ago(1))
    _case(a[3], ZombieStage.UPGRADED, days_ago(1))
    _case(a[4], ZombieStage.VERIFYING)
    # 藤桥所: 1 not a zombie → 2 open candidates
    _case(b[0], ZombieStage.NOT_ZOMBIE, days_ago(5))
    Enterprise.objects.filter(pk__in=[a[0].pk, a[1].pk]).update(status=EnterpriseStatus.CANCELLED)
    # an older year's case does not count in this year
    ZombieCase.objects.create(enterprise=b[1], year=YEAR - 1, unit=district.station_b, stage=ZombieStage.CLEARED,
                              decision_on=dt.date(YEAR - 1, 6, 1))

    rows = {(t.unit.short_name if t.unit else "合计"): (t.candidates_open, t.in_progress, t.cleared, t.regularised,
                                                      t.upgraded, t.not_zombie)
            for t in zombie_tallies(YEAR)}
    assert rows == {"药械科": (0, 0, 0, 0, 0, 0), "五马所": (1, 1, 2, 1, 1, 0), "藤桥所": (2, 0, 0, 0, 0, 1),
                    "合计": (3, 1, 2, 1, 1, 1)}
    [only] = zombie_tallies(YEAR, unit=district.station_b)
    assert (only.unit, only.candidates_open, only.not_zombie) == (district.station_b, 2, 1)
    # as of four days ago (cases opened ten days ago), the cases decided since were still in progress
    ZombieCase.objects.update(created_at=timezone.now() - dt.timedelta(days=10))
    [wuma] = [t for t in zombie_tallies(YEAR, as_of=days_ago(4)) if t.unit == district.station_a]
    assert (wuma.candidates_open, wuma.in_progress, wuma.cleared, wuma.regularised, wuma.upgraded) == (1, 5, 0, 0, 0)
    # and before any case was opened, every candidate of the unit was open
    [early] = [t for t in zombie_tallies(YEAR, as_of=days_ago(11)) if t.unit == district.station_a]
    assert (early.candidates_open, early.in_progress) == (4, 0)  # a[0], a[1] are 注销 now: no longer candidates
