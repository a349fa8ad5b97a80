"""Demo risk consultation: the three quarters before ``ctx.today``'s, each with its meeting and register.

Runs last in ``monitoring.demo.seed`` (after every source's demo records), through the services, so the
meetings take real candidates of their quarter: about four risks a meeting (candidates of several sources
and one 上级通报), all levels; the oldest quarter's risks are mostly closed with the chief's approval (one is
carried over), the middle one has a closure and a request awaiting approval, the latest is under control.
One risk is escalated to the city bureau; two put their enterprise on the key list — the demo's 风险会商点名
credit records arise this way only.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.db.models import Q

from enterprises.choices import Role, UnitKind
from enterprises.models import Enterprise, Unit, User
from monitoring import risk_selectors as selectors
from monitoring.choices import RiskLevel, RiskSource
from monitoring.models import Risk, RiskMeeting
from monitoring.services import risks as services

PER_MEETING = 3  # candidates taken into the register at each meeting (plus one 上级通报)
NOTICES = [
    ("市局通报：某品牌一次性使用无菌注射器（批号2312A）存在针管脱落风险", "温市监械〔{y}〕{n}号",
     "排查辖区经营企业和医疗机构在用库存，督促暂停销售使用并配合召回"),
    ("省局通报：网络销售“械字号”面膜虚假宣传", "浙药监械〔{y}〕{n}号",
     "对辖区网络销售企业开展宣传用语专项检查，发现违规的责令改正"),
    ("市局通报：角膜接触镜经营企业验配人员资质不全", "温市监械〔{y}〕{n}号",
     "对辖区角膜接触镜经营企业逐家核查验配人员资质，年底前全覆盖"),
]
MEASURES = {
    RiskSource.ADVERSE_EVENT: "督促注册人开展调查评价，涉及批次暂停使用，所对使用单位开展跟踪检查",
    RiskSource.INSPECTION: "责令限期整改，所按期开展跟踪检查，整改不到位的移交执法队",
    RiskSource.SAMPLING: "控制不合格产品，督促企业召回并开展体系检查",
    RiskSource.ONLINE: "核查线索，责令下架违规产品，必要时立案查处",
    RiskSource.COMPLAINT: "约谈企业负责人，督促整改并回复投诉人",
    RiskSource.OPINION: "会同宣传部门回应关切，开展专项检查",
}
LEVEL_CYCLE = [None, RiskLevel.MEDIUM, RiskLevel.LOW]  # None: the candidate's suggested level


def _blank_scan() -> bytes:
    """A well-formed one-page A4 PDF (the demo's evidence stands for a scanned page; no PDF library is installed)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _previous_quarters(today: dt.date, count: int = 3) -> list[tuple[int, int]]:
    year, quarter = selectors.quarter_of(today)
    periods = []
    for _ in range(count):
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
        periods.append((year, quarter))
    return list(reversed(periods))


def _diverse(candidates: list, count: int) -> list:
    """Up to ``count`` candidates, one per source first (the most serious of each), then the rest in order."""
    rank = {RiskLevel.HIGH: 0, RiskLevel.MEDIUM: 1, RiskLevel.LOW: 2}
    candidates = sorted(candidates, key=lambda c: rank.get(c.suggested_level, 1))
    picked, kinds = [], set()
    for candidate in candidates:
        if candidate.source_kind not in kinds:
            picked.append(candidate)
            kinds.add(candidate.source_kind)
    picked += [c for c in candidates if c not in picked]
    return picked[:count]


def _station_user(unit: Unit, fallback: User) -> User:
    """Who writes for the owner unit: a staff member of a 所, the 药械科 staff member for the 药械科's risks."""
    if unit.kind != UnitKind.STATION:
        return fallback
    return (User.objects.filter(unit=unit, is_active=True, role=Role.STATION_STAFF).order_by("username").first()
            or fallback)


def _date(value: dt.date, today: dt.date) -> dt.date:
    return min(value, today)


def seed(ctx) -> str:
    section = Unit.objects.filter(kind=UnitKind.SECTION).order_by("sort_order", "code").first()
    staff = User.objects.filter(unit=section, role=Role.SECTION_STAFF).order_by("username").first()
    chief = (User.objects.filter(role=Role.LEADER, unit=section).order_by("username").first()
             or User.objects.filter(role=Role.LEADER).order_by("username").first())
    if section is None or staff is None or chief is None:
        return "风险会商：没有药械科人员或局领导，跳过"
    today = ctx.today
    units = list(Unit.objects.filter(Q(kind=UnitKind.STATION) | Q(kind__in=[UnitKind.SECTION, UnitKind.ENFORCEMENT]))
                 .order_by("sort_order", "code"))
    named = 0
    risks_by_meeting: list[tuple[RiskMeeting, list[Risk]]] = []
    for index, (year, quarter) in enumerate(_previous_quarters(today)):
        _start, end = selectors.quarter_bounds(year, quarter)
        held_on = _date(end + dt.timedelta(days=10), today)
        meeting = services.meeting_save(
            by=staff, year=year, quarter=quarter, held_on=held_on, chair="王建国（分管副局长）", units=units,
            other_participants="区卫生健康局医政科、区医保局",
            summary=f"汇总{year}年第{quarter}季度抽检、不良事件、监督检查、网络监测、投诉举报和舆情信息，逐条研判风险等级，"
                    "明确责任单位和管控时限。",
            next_steps="各责任单位按清单落实管控措施，每月报送进展；高风险事项由药械科跟踪督办。",
        )
        risks = []
        candidates = selectors.meeting_candidates(meeting, today=held_on)
        for n, candidate in enumerate(_diverse(candidates, PER_MEETING)):
            level = LEVEL_CYCLE[n % len(LEVEL_CYCLE)] or candidate.suggested_level
            owner = Unit.objects.filter(pk=candidate.unit_id).first() or section
            key = named < 2 and candidate.enterprise_id is not None and n == 0
            risk = services.risk_create(
                meeting=meeting, by=staff, candidate=candidate, risk_point=candidate.title, level=level,
                owner_unit=owner, measures=MEASURES.get(candidate.source_kind, "落实属地监管责任，跟踪整改到位"),
                due_on=held_on + dt.timedelta(days=60 + 15 * n),
                enterprise=Enterprise.objects.filter(pk=candidate.enterprise_id).first(), product=candidate.product,
                escalated=(index == 0 and n == 0), key_supervision=key)
            named += int(key)
            risks.append(risk)
        point, number, measures = NOTICES[index % len(NOTICES)]
        risks.append(services.risk_create(
            meeting=meeting, by=staff, source_kind=RiskSource.NOTICE, risk_point=point,
            source_label=number.format(y=year, n=10 + 7 * index), level=RiskLevel.MEDIUM, owner_unit=section,
            measures=measures, due_on=held_on + dt.timedelta(days=75)))
        if candidates and len(candidates) > PER_MEETING:
            leftover = [c for c in candidates if c.identity not in {r.source_key for r in risks}][0]
            services.candidate_dismiss(meeting=meeting, candidate=leftover, by=staff,
                                       reason="经会商研判，已按日常监管处置，不列入风险清单")
        risks_by_meeting.append((meeting, risks))
    closed, waiting = _progress(risks_by_meeting, chief=chief, staff=staff, today=today)
    _date_history(ctx, risks_by_meeting)
    total = sum(len(r) for _m, r in risks_by_meeting)
    return (f"风险会商 {len(risks_by_meeting)} 次；风险清单 {total} 项（已销号 {closed} 项、待审批 {waiting} 项、"
            f"列入重点监管 {named} 项）")


def _progress(risks_by_meeting, *, chief: User, staff: User, today: dt.date) -> tuple[int, int]:
    """Follow-ups on every risk; the oldest meeting's closed but one, the middle one's one closed, one waiting."""
    closed = waiting = 0
    for index, (meeting, risks) in enumerate(risks_by_meeting):
        for n, risk in enumerate(risks):
            doer = _station_user(risk.owner_unit, staff)
            first = _date(meeting.held_on + dt.timedelta(days=20 + n), today)
            services.risk_follow_up_add(risk=risk, by=doer, on=first,
                                        text="已按清单落实管控措施，对涉及企业开展现场检查，未发现新的问题。")
            close = (index == 0 and n != 1) or (index == 1 and n == 0)
            ask = close or (index == 1 and n == 1)
            if not ask:
                continue
            evidence = ContentFile(_blank_scan(), name="销号佐证.pdf")
            risk = services.risk_closure_request(risk=risk, by=doer, version=risk.version,
                                                 note="管控措施已全部落实，相关企业整改完毕并经复查确认。",
                                                 evidence=evidence)
            asked_on = _date(meeting.held_on + dt.timedelta(days=40 + n), today)
            Risk.objects.filter(pk=risk.pk).update(closure_requested_on=asked_on)
            if close:
                risk.refresh_from_db()
                services.risk_closure_approve(risk=risk, by=chief, version=risk.version)
                Risk.objects.filter(pk=risk.pk).update(closed_on=_date(asked_on + dt.timedelta(days=3), today))
                closed += 1
            else:
                waiting += 1
    return closed, waiting


def _date_history(ctx, risks_by_meeting) -> None:
    """Date the records and their history rows to the days they stand for (the services stamp the seeding time)."""
    reasons = {"申请销号": "closure_requested_on", "审批同意销号": "closed_on"}
    for meeting, risks in risks_by_meeting:
        held = ctx.at(meeting.held_on, 9)
        RiskMeeting.objects.filter(pk=meeting.pk).update(created_at=held, updated_at=held)
        meeting.history.all().update(history_date=held)
        for risk in Risk.objects.filter(pk__in=[r.pk for r in risks]):
            Risk.objects.filter(pk=risk.pk).update(created_at=ctx.at(meeting.held_on, 10))
            for row in risk.history.all():
                field = next((f for reason, f in reasons.items() if (row.history_change_reason or "").startswith(reason)),
                             None)
                day = getattr(risk, field) if field else meeting.held_on
                row.history_date = ctx.at(day, 15 if field == "closed_on" else 10)
                for name in reasons.values():  # the dates as backdated, so the diffs read true
                    if getattr(row, name) is not None:
                        setattr(row, name, getattr(risk, name))
                row.save(update_fields=["history_date", *reasons.values()])
            for entry in risk.follow_ups.all():
                at = ctx.at(entry.on, 16)
                type(entry).objects.filter(pk=entry.pk).update(created_at=at)
                entry.history.all().update(history_date=at)
