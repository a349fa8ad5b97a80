"""The risk consultation's rules: candidates from AE and inspections (and any registered source), accepting into
the register, 重点监管 credit records, follow-ups, 销号 with the chief's approval, 结转, the 待办 entries."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from enterprises.choices import Role
from enterprises.grading.choices import CreditKind
from enterprises.models import CreditRecord
from enterprises.tests.factories import EnterpriseFactory, UserFactory
from inspections.choices import Severity
from inspections.tests.factories import FindingFactory, InspectionFactory, RectificationFactory
from monitoring import risk_selectors as selectors
from monitoring import risk_sources
from monitoring.choices import EvaluationStatus, EventOutcome, RiskLevel, RiskSource, RiskStatus
from monitoring.models import AdverseEventReport, Evaluation, Risk
from monitoring.risk_sources import Candidate
from monitoring.risk_work import risk_work
from monitoring.services import risks as services

from .factories import RiskFactory, RiskMeetingFactory, pdf_upload

pytestmark = pytest.mark.django_db

TODAY = dt.date(2024, 7, 15)


@pytest.fixture
def chief(district):
    return UserFactory(username="kezhang", full_name="科长", unit=district.section, role=Role.LEADER)


@pytest.fixture
def shop(district):
    return EnterpriseFactory(name="五马康宁医疗器械商行", subdistrict=district.sub_a, owning_unit=district.station_a)


def _report(code, outcome, day, **kw):
    return AdverseEventReport.objects.create(code=code, reported_on=day, reporter_kind="use", outcome=outcome,
                                             product_name=kw.pop("product", "一次性使用输液器"), **kw)


def _identities(candidates):
    return [c.identity for c in candidates]


def test_ae_and_inspection_providers_propose_the_quarters_candidates(district, shop):
    death = _report("AE-1", EventOutcome.DEATH, dt.date(2024, 4, 3), reporter=shop, unit=district.station_a)
    serious = _report("AE-2", EventOutcome.SERIOUS, dt.date(2024, 6, 30), product="血糖仪")
    _report("AE-3", EventOutcome.OTHER, dt.date(2024, 5, 1))  # not serious: no candidate
    _report("AE-4", EventOutcome.DEATH, dt.date(2024, 7, 1))  # next quarter
    cluster_report = _report("AE-5", EventOutcome.OTHER, dt.date(2024, 3, 20), batch="B1")
    cluster = Evaluation.objects.create(trigger="cluster", primary_report=cluster_report, unit=district.section,
                                        opened_on=dt.date(2024, 3, 21), due_on=dt.date(2024, 4, 5))
    cluster.reports.set([cluster_report])
    closed = Evaluation.objects.create(trigger="cluster", primary_report=cluster_report, unit=district.section,
                                       opened_on=dt.date(2024, 3, 21), due_on=dt.date(2024, 4, 5),
                                       status=EvaluationStatus.CLOSED)
    serious_check = InspectionFactory(enterprise=shop, start_date=dt.date(2024, 5, 10))
    FindingFactory(inspection=serious_check, severity=Severity.SERIOUS, text="冷链储存温度无记录")
    FindingFactory(inspection=serious_check, severity=Severity.SERIOUS, text="无进货查验记录")
    general_check = InspectionFactory(enterprise=shop, start_date=dt.date(2024, 5, 11))
    FindingFactory(inspection=general_check, severity=Severity.GENERAL)
    late = RectificationFactory(inspection=InspectionFactory(enterprise=shop, start_date=dt.date(2024, 2, 1)),
                                deadline=dt.date(2024, 3, 1))
    RectificationFactory(inspection=InspectionFactory(enterprise=shop, start_date=dt.date(2024, 2, 2)),
                         deadline=dt.date(2024, 3, 1), completed_on=dt.date(2024, 2, 20))
    RectificationFactory(inspection=InspectionFactory(enterprise=shop, start_date=dt.date(2024, 6, 1)),
                         deadline=dt.date(2024, 7, 20))  # not yet due

    found = risk_sources.candidates_for(start=dt.date(2024, 4, 1), end=dt.date(2024, 6, 30), today=TODAY)

    assert _identities(found) == [
        f"inspections.rectification:{late.pk}", f"inspections.inspection:{serious_check.pk}",
        f"monitoring.evaluation:{cluster.pk}", f"monitoring.adverseeventreport:{death.pk}",
        f"monitoring.adverseeventreport:{serious.pk}",
    ]
    by_id = {c.identity: c for c in found}
    assert f"monitoring.evaluation:{closed.pk}" not in by_id
    death_candidate = by_id[f"monitoring.adverseeventreport:{death.pk}"]
    assert (death_candidate.suggested_level, death_candidate.enterprise_id, death_candidate.unit_id) == (
        RiskLevel.HIGH, shop.pk, district.station_a.pk)
    assert by_id[f"monitoring.adverseeventreport:{serious.pk}"].suggested_level == RiskLevel.MEDIUM
    assert by_id[f"inspections.inspection:{serious_check.pk}"].title == "五马康宁医疗器械商行 检查发现严重缺陷2项"
    assert by_id[f"inspections.inspection:{serious_check.pk}"].detail == "冷链储存温度无记录"  # the first one


def test_inspection_candidates_take_one_statement_however_many_inspections(district, shop,
                                                                          django_assert_max_num_queries):
    from monitoring.risk_providers import inspection_candidates

    def serious_inspections(n, day):
        for i in range(n):
            check = InspectionFactory(enterprise=shop, start_date=day + dt.timedelta(days=i))
            FindingFactory(inspection=check, severity=Severity.SERIOUS, text=f"严重缺陷{i}")

    quarter = {"start": dt.date(2024, 4, 1), "end": dt.date(2024, 6, 30), "today": dt.date(2024, 7, 1)}
    serious_inspections(1, dt.date(2024, 4, 2))
    with django_assert_max_num_queries(2):
        assert len(list(inspection_candidates(**quarter))) == 1
    serious_inspections(6, dt.date(2024, 5, 2))
    with django_assert_max_num_queries(2):
        found = list(inspection_candidates(**quarter))
    assert [c.detail for c in found] == ["严重缺陷0"] + [f"严重缺陷{i}" for i in range(6)]


def test_every_registered_source_is_shown_and_identities_deduplicate(district, shop, monkeypatch):
    monkeypatch.setattr(risk_sources, "_PROVIDERS", {})
    meeting = RiskMeetingFactory(year=2024, quarter=2)
    taken = RiskFactory(meeting=meeting, source_key="complaint:taken", enterprise=shop)

    def complaints(*, start, end, today):
        yield Candidate(source_kind=RiskSource.COMPLAINT, source=None, title="投诉：口罩无中文标签",
                        occurred_on=dt.date(2024, 5, 6), key="complaint:1")
        yield Candidate(source_kind=RiskSource.COMPLAINT, source=None, title="投诉：口罩无中文标签（重复推送）",
                        occurred_on=dt.date(2024, 5, 7), key="complaint:1")
        yield Candidate(source_kind=RiskSource.COMPLAINT, source=None, title="已纳入", occurred_on=dt.date(2024, 5, 8),
                        key=taken.source_key)

    def opinion(*, start, end, today):
        yield Candidate(source_kind=RiskSource.OPINION, source=None, title="舆情：某网红直播销售“械字号”面膜",
                        occurred_on=dt.date(2024, 6, 2), key="opinion:7")

    risk_sources.register_risk_source(RiskSource.OPINION, opinion)
    risk_sources.register_risk_source(RiskSource.COMPLAINT, complaints)
    risk_sources.register_risk_source(RiskSource.COMPLAINT, complaints)  # once only

    candidates = selectors.meeting_candidates(meeting, today=TODAY)
    groups = selectors.candidate_groups(candidates)

    assert _identities(candidates) == ["complaint:1", "opinion:7"]
    assert [(g.kind, g.label, len(g.candidates)) for g in groups] == [("complaint", "投诉举报", 1),
                                                                      ("opinion", "舆情", 1)]


def test_accepting_a_candidate_puts_it_in_the_register_once(district, shop):
    meeting = RiskMeetingFactory(year=2024, quarter=2, held_on=dt.date(2024, 7, 5))
    report = _report("AE-9", EventOutcome.DEATH, dt.date(2024, 5, 3), reporter=shop, unit=district.station_a)
    [candidate] = selectors.meeting_candidates(meeting, today=TODAY)

    risk = services.risk_create(
        meeting=meeting, by=district.section_user, candidate=candidate, risk_point=candidate.title,
        level=RiskLevel.HIGH, owner_unit=district.station_a, measures="约谈企业，暂停使用该批次", due_on=dt.date(2024, 9, 30),
        enterprise=shop, product=candidate.product, escalated=True)

    assert (risk.source_kind, risk.source, risk.source_key, risk.status) == (
        RiskSource.ADVERSE_EVENT, report, f"monitoring.adverseeventreport:{report.pk}", RiskStatus.OPEN)
    assert (risk.escalated, risk.escalated_on, risk.key_supervision, risk.credit_record) == (
        True, dt.date(2024, 7, 5), False, None)
    assert selectors.meeting_candidates(meeting, today=TODAY) == []
    with pytest.raises(ValidationError, match="已纳入风险清单"):
        services.risk_create(meeting=meeting, by=district.section_user, candidate=candidate, risk_point="重复",
                             level=RiskLevel.LOW, owner_unit=district.station_a, measures="无",
                             due_on=dt.date(2024, 9, 30))
    assert Risk.objects.count() == 1


def test_a_station_user_cannot_accept_and_bad_input_changes_nothing(district, shop):
    meeting = RiskMeetingFactory(year=2024, quarter=2, held_on=dt.date(2024, 7, 5))
    common = {"meeting": meeting, "risk_point": "上级通报：某品牌注射器召回", "level": RiskLevel.MEDIUM,
              "owner_unit": district.station_a, "measures": "排查辖区经营使用单位", "due_on": dt.date(2024, 8, 31)}
    with pytest.raises(PermissionDenied):
        services.risk_create(by=district.inspector_a, **common)
    with pytest.raises(ValidationError) as refused:
        services.risk_create(by=district.section_user, **{**common, "due_on": dt.date(2024, 6, 1),
                                                          "measures": " "})
    assert set(refused.value.message_dict) == {"due_on", "measures"}
    with pytest.raises(ValidationError) as refused:
        services.risk_create(by=district.section_user, source_kind=RiskSource.SAMPLING, **common)
    assert set(refused.value.message_dict) == {"source_kind"}
    assert Risk.objects.count() == 0

    notice = services.risk_create(by=district.section_user, source_label="温市监械〔2024〕12号", **common)
    assert (notice.source_kind, notice.source_key, notice.source_label) == (RiskSource.NOTICE, "", "温市监械〔2024〕12号")


def test_key_supervision_writes_one_risk_named_credit_record(district, shop):
    meeting = RiskMeetingFactory(year=2024, quarter=2, held_on=dt.date(2024, 7, 5))

    risk = services.risk_create(meeting=meeting, by=district.section_user, risk_point="冷链运输温度记录缺失",
                                level=RiskLevel.HIGH, owner_unit=district.station_a, measures="列入重点监管，每月检查",
                                due_on=dt.date(2024, 12, 31), enterprise=shop, key_supervision=True)
    services.risk_key_supervision(risk=risk, by=district.section_user)  # again: nothing new
    services.risk_update(risk=risk, by=district.section_user, version=risk.version, risk_point=risk.risk_point,
                         level=RiskLevel.MEDIUM, owner_unit=district.station_a, measures=risk.measures,
                         due_on=risk.due_on, enterprise=shop, key_supervision=True)

    [record] = CreditRecord.objects.all()
    risk.refresh_from_db()
    assert risk.credit_record == record
    assert (record.enterprise, record.kind, record.recorded_on, record.reason) == (
        shop, CreditKind.RISK_NAMED, dt.date(2024, 7, 5), "2024年第2季度风险会商点名：冷链运输温度记录缺失")
    with pytest.raises(ValidationError) as refused:
        services.risk_update(risk=risk, by=district.section_user, version=risk.version, risk_point=risk.risk_point,
                             level=risk.level, owner_unit=district.station_a, measures=risk.measures,
                             due_on=risk.due_on, enterprise=shop, key_supervision=False)
    assert set(refused.value.message_dict) == {"key_supervision"}
    with pytest.raises(ValidationError):
        services.risk_create(meeting=meeting, by=district.section_user, risk_point="无企业", level=RiskLevel.LOW,
                             owner_unit=district.station_a, measures="无", due_on=dt.date(2024, 12, 31),
                             key_supervision=True)
    assert CreditRecord.objects.count() == 1


def test_dismissed_candidate_leaves_this_meeting_only(district, shop):
    q2 = RiskMeetingFactory(year=2024, quarter=2, held_on=dt.date(2024, 7, 5))
    q3 = RiskMeetingFactory(year=2024, quarter=3, held_on=dt.date(2024, 10, 8))
    order = RectificationFactory(inspection=InspectionFactory(enterprise=shop, start_date=dt.date(2024, 2, 1)),
                                 deadline=dt.date(2024, 3, 1))
    [candidate] = selectors.meeting_candidates(q2, today=TODAY)

    with pytest.raises(ValidationError):
        services.candidate_dismiss(meeting=q2, candidate=candidate, reason=" ", by=district.section_user)
    dismissal = services.candidate_dismiss(meeting=q2, candidate=candidate, reason="企业已停业，另案处理",
                                           by=district.section_user)

    assert selectors.meeting_candidates(q2, today=TODAY) == []
    assert _identities(selectors.meeting_candidates(q3, today=dt.date(2024, 10, 8))) == [
        f"inspections.rectification:{order.pk}"]
    services.candidate_restore(dismissal=dismissal, by=district.section_user)
    assert _identities(selectors.meeting_candidates(q2, today=TODAY)) == [f"inspections.rectification:{order.pk}"]


def test_follow_up_then_closure_requested_by_the_station_and_approved_by_the_chief(district, shop, chief):
    risk = RiskFactory(meeting=RiskMeetingFactory(held_on=dt.date(2024, 6, 28)), enterprise=shop,
                       owner_unit=district.station_a)
    entry = services.risk_follow_up_add(risk=risk, by=district.inspector_a, on=dt.date(2024, 7, 10),
                                        text="已督促召回", file=pdf_upload("召回记录.pdf"))
    with pytest.raises(ValidationError) as refused:
        services.risk_follow_up_add(risk=risk, by=district.inspector_a, on=dt.date(2024, 6, 1), text="")
    assert set(refused.value.message_dict) == {"on", "text"}
    with pytest.raises(PermissionDenied):
        services.risk_follow_up_add(risk=risk, by=district.inspector_b, on=dt.date(2024, 7, 10), text="越权")
    with pytest.raises(ValidationError) as refused:
        services.risk_closure_request(risk=risk, by=district.inspector_a, version=risk.version, note="已完成",
                                      evidence=None)
    assert set(refused.value.message_dict) == {"closure_evidence"}

    risk = services.risk_closure_request(risk=risk, by=district.inspector_a, version=risk.version,
                                         note="涉及批次已全部召回并销毁", evidence=pdf_upload())
    assert risk.status == RiskStatus.CLOSING
    with pytest.raises(PermissionDenied):
        services.risk_closure_approve(risk=risk, by=district.inspector_a, version=risk.version)
    with pytest.raises(PermissionDenied):
        services.risk_closure_approve(risk=risk, by=district.section_user, version=risk.version)
    risk.refresh_from_db()
    assert (risk.status, risk.closed_on) == (RiskStatus.CLOSING, None)

    services.risk_closure_approve(risk=risk, by=chief, version=risk.version)
    risk.refresh_from_db()
    assert (risk.status, risk.closed_by, risk.closed_on) == (RiskStatus.CLOSED, chief, risk.closure_requested_on)
    with risk.closure_evidence.open("rb") as evidence, entry.file.open("rb") as attached:
        assert evidence.read().startswith(b"%PDF") and attached.read().startswith(b"%PDF")
    with pytest.raises(ValidationError):
        services.risk_follow_up_add(risk=risk, by=district.inspector_a, on=dt.date(2024, 7, 13), text="销号后")


def test_the_chief_sends_a_request_back_with_a_reason(district, shop, chief):
    risk = RiskFactory(enterprise=shop, owner_unit=district.station_a)
    risk = services.risk_closure_request(risk=risk, by=district.inspector_a, version=risk.version,
                                         note="已整改", evidence=pdf_upload())
    with pytest.raises(ValidationError):
        services.risk_closure_return(risk=risk, by=chief, version=risk.version, reason="")

    risk = services.risk_closure_return(risk=risk, by=chief, version=risk.version, reason="佐证材料未体现召回数量")

    assert (risk.status, risk.closure_returned_reason) == (RiskStatus.OPEN, "佐证材料未体现召回数量")
    assert "退回销号申请" in risk.history.first().history_change_reason


def test_carried_over_is_computed_from_the_meeting_quarter_and_closure(district, shop):
    q1 = RiskMeetingFactory(year=2024, quarter=1, held_on=dt.date(2024, 3, 28))
    q2 = RiskMeetingFactory(year=2024, quarter=2, held_on=dt.date(2024, 6, 28))
    still_open = RiskFactory(meeting=q1, enterprise=shop, risk_point="一季度未销号")
    closed_in_q2 = RiskFactory(meeting=q1, enterprise=shop, risk_point="二季度销号", status=RiskStatus.CLOSED,
                               closed_on=dt.date(2024, 5, 20))
    closed_in_q1 = RiskFactory(meeting=q1, enterprise=shop, risk_point="一季度已销号", status=RiskStatus.CLOSED,
                               closed_on=dt.date(2024, 3, 30))
    new_in_q2 = RiskFactory(meeting=q2, enterprise=shop, risk_point="二季度新增")
    qs = Risk.objects.all()

    assert set(selectors.risks_carried_into(qs, year=2024, quarter=2)) == {still_open, closed_in_q2}
    assert set(selectors.risks_carried_into(qs, year=2024, quarter=3)) == {still_open, new_in_q2}
    assert set(selectors.risks_in_quarter(qs, year=2024, quarter=2)) == {still_open, closed_in_q2, new_in_q2}
    assert set(selectors.risks_new_in(qs, year=2024, quarter=1)) == {still_open, closed_in_q2, closed_in_q1}
    assert set(selectors.risks_closed_in(qs, start=dt.date(2024, 4, 1), end=dt.date(2024, 6, 30))) == {closed_in_q2}
    assert set(selectors.risks_open_at(qs, day=dt.date(2024, 4, 1))) == {still_open, closed_in_q2}
    assert set(selectors.risks_carried_now(qs, today=dt.date(2024, 7, 1))) == {still_open, new_in_q2}
    assert [selectors.risk_is_carried(r, today=dt.date(2024, 5, 1)) for r in (still_open, new_in_q2, closed_in_q2)] \
        == [True, False, False]


def test_work_lists_show_due_risks_to_the_owner_and_requests_to_the_chief(district, shop, chief):
    due = RiskFactory(enterprise=shop, owner_unit=district.station_a, due_on=dt.date(2024, 7, 10),
                      risk_point="逾期风险")
    RiskFactory(enterprise=shop, owner_unit=district.station_a, due_on=dt.date(2024, 12, 31), risk_point="远期风险")
    asked = RiskFactory(enterprise=shop, owner_unit=district.station_a, status=RiskStatus.CLOSING,
                        closure_requested_on=dt.date(2024, 7, 12), risk_point="待审批")

    mine = risk_work(district.inspector_a, unit=district.station_a, personal=True, due_by=dt.date(2024, 7, 22),
                     today=TODAY)
    theirs = risk_work(district.inspector_b, unit=district.station_b, personal=True, due_by=dt.date(2024, 7, 22),
                       today=TODAY)
    chiefs = risk_work(chief, unit=district.section, personal=True, due_by=dt.date(2024, 7, 22), today=TODAY)

    assert [(i.title, i.overdue) for i in mine.items] == [(f"高风险 · {due.risk_point}", True)]
    assert theirs is None
    assert [i.title for i in chiefs.items] == [f"销号待审批 · {asked.risk_point}"]
