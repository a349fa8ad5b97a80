"""The quarterly written risk-consultation report (风险会商情况报告) to the city bureau.

``risk_report_check`` says who may build which report; ``risk_report_data`` gathers the report's content
(through ``monitoring.risk_report_selectors``) as plain data; ``risk_report_document`` turns it into the
Word file (``monitoring.risk_report_docx``). The download-centre job that runs it lives in the reporting
app (``reporting.risk_report``), which reads across the apps.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from enterprises.choices import UnitKind
from enterprises.models import Unit
from monitoring.choices import RiskLevel, RiskSource, RiskStatus
from monitoring.models import Risk
from monitoring.risk_report_docx import risk_report_docx
from monitoring.risk_report_selectors import (
    candidate_counts,
    closed_risks,
    new_risks,
    open_risks,
    quarter_bounds,
    quarter_follow_ups,
    quarter_meetings,
    report_date,
)
from regsys.scoping import scope_for

QUARTER_NAMES = {1: "一", 2: "二", 3: "三", 4: "四"}
FIRST_YEAR = 2000


@dataclass(frozen=True)
class RegisterRow:
    """One line of a register table (序号, 风险点, 来源, 涉及企业/产品, 等级, 责任单位, 管控措施, 时限, 状态)."""

    number: int
    risk_point: str
    source: str
    subject: str
    level: str
    owner_unit: str
    measures: str
    due_on: str
    status: str

    def cells(self) -> tuple[str, ...]:
        return (str(self.number), self.risk_point, self.source, self.subject, self.level, self.owner_unit,
                self.measures, self.due_on, self.status)


@dataclass(frozen=True)
class SourceRow:
    """One source's line of 二、风险信号来源."""

    source: str
    signals: int  # 线索/信号数: candidates proposed from the source this quarter
    new: int
    new_high: int
    open: int
    closed: int

    def cells(self) -> tuple[str, ...]:
        return (self.source, str(self.signals), str(self.new), str(self.new_high), str(self.open), str(self.closed))


@dataclass(frozen=True)
class MeetingInfo:
    held_on: dt.date
    chair: str
    participants: str
    summary: str
    next_steps: str


@dataclass
class RiskReportData:
    """Everything the written report says, as plain data (the .docx writer reads nothing else)."""

    title: str
    issuer: str
    addressee: str
    year: int
    quarter: int
    report_on: dt.date  # the register is read at this date (quarter end, or today while it runs)
    signed_on: dt.date
    meetings: list[MeetingInfo]
    overview: str
    sources: list[SourceRow]
    total: SourceRow
    new: list[RegisterRow]
    open: list[RegisterRow]
    closed: list[RegisterRow]
    measures: list[str] = field(default_factory=list)
    next_steps: list[str] = field(default_factory=list)


def bureau_name() -> str:
    """The district bureau's name (the 监管单位 of kind 区局), as the returns use it."""
    return (Unit.objects.filter(kind=UnitKind.BUREAU).order_by("pk").values_list("name", flat=True).first()
            or _("区市场监督管理局"))


def addressee(unit: Unit | None) -> str:
    """Whom the report goes to: the city bureau (from the bureau's name, 温州市鹿城区… → 温州市市场监督管理局) for the
    district's report, the 药械科 for a 所's."""
    if unit is not None:
        return (Unit.objects.filter(kind=UnitKind.SECTION).order_by("pk").values_list("name", flat=True).first()
                or _("药械科"))
    name = bureau_name()
    city = name[: name.index("市") + 1] if "市" in name[: name.find("区") if "区" in name else len(name)] else ""
    return f"{city}市场监督管理局" if city else _("市市场监督管理局")


def cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def quarter_label(year: int, quarter: int) -> str:
    return _("%(year)s年第%(q)s季度") % {"year": year, "q": QUARTER_NAMES[quarter]}


def risk_report_title(*, year: int, quarter: int, unit: Unit | None) -> str:
    issuer = unit.name if unit is not None else bureau_name()
    return _("%(issuer)s%(quarter)s医疗器械质量安全风险会商情况报告") % {
        "issuer": issuer, "quarter": quarter_label(year, quarter)}


def risk_report_check(*, user, year: int, quarter: int, unit: Unit | None, today: dt.date) -> None:
    """A district user builds the district's report or a 所's; a 所 user only its own unit's; read-only users none.

    The quarter must have begun.
    """
    scope = scope_for(user)
    if not scope.can_write:
        raise PermissionDenied(_("只读账号不能生成报告"))
    if not scope.district_wide and (unit is None or unit.pk != scope.unit_id):
        raise PermissionDenied(_("监管所只能生成本所的风险管控情况报告，全区报告由药械科生成"))
    if quarter not in QUARTER_NAMES or year < FIRST_YEAR:
        raise ValidationError(_("请选择正确的年度和季度"))
    if quarter_bounds(year, quarter)[0] > today:
        raise ValidationError(_("%(quarter)s尚未开始，不能生成报告") % {"quarter": quarter_label(year, quarter)})


def status_on(risk: Risk, on: dt.date) -> str:
    """The risk's state at the report date, in the register's words (逾期 marked)."""
    if risk.status == RiskStatus.CLOSED and risk.closed_on and risk.closed_on <= on:
        return _("已销号（%(d)s）") % {"d": f"{risk.closed_on:%Y-%m-%d}"}
    if risk.closure_requested_on and risk.closure_requested_on <= on and risk.status != RiskStatus.OPEN:
        label = str(RiskStatus.CLOSING.label)
    else:
        label = str(RiskStatus.OPEN.label)
    if risk.due_on < on:
        label += _("，已逾期")
    return label


def _subject(risk: Risk) -> str:
    parts = [risk.enterprise.name if risk.enterprise_id else "", risk.product]
    return "\n".join(p for p in parts if p) or "—"


def _register(risks, on: dt.date, *, carried_from: tuple[int, int] | None = None) -> list[RegisterRow]:
    rows = []
    for number, risk in enumerate(risks, start=1):
        source = risk.get_source_kind_display()
        status = status_on(risk, on)
        if carried_from and (risk.meeting.year, risk.meeting.quarter) < carried_from:
            status += _("（%(q)s结转）") % {"q": quarter_label(risk.meeting.year, risk.meeting.quarter)}
        marks = [m for m, flag in ((_("已上报市局"), risk.escalated), (_("企业列入重点监管"), risk.key_supervision))
                 if flag]
        if marks:
            status += "；" + "；".join(marks)
        rows.append(RegisterRow(
            number=number, risk_point=risk.risk_point, source=source, subject=_subject(risk),
            level=risk.get_level_display(), owner_unit=risk.owner_unit.display_name, measures=risk.measures,
            due_on=f"{risk.due_on:%Y-%m-%d}", status=status,
        ))
    return rows


def _sources(*, signals, new, open_, closed) -> tuple[list[SourceRow], SourceRow]:
    rows = []
    for kind, label in RiskSource.choices:
        rows.append(SourceRow(
            source=str(label), signals=signals.get(kind, 0),
            new=sum(1 for r in new if r.source_kind == kind),
            new_high=sum(1 for r in new if r.source_kind == kind and r.level == RiskLevel.HIGH),
            open=sum(1 for r in open_ if r.source_kind == kind),
            closed=sum(1 for r in closed if r.source_kind == kind),
        ))
    total = SourceRow(source=_("合计"), signals=sum(r.signals for r in rows), new=sum(r.new for r in rows),
                      new_high=sum(r.new_high for r in rows), open=sum(r.open for r in rows),
                      closed=sum(r.closed for r in rows))
    return rows, total


def _participants(meeting) -> str:
    names = [u.display_name for u in meeting.units.all()]
    if meeting.other_participants:
        names.append(meeting.other_participants)
    return "、".join(names)


def _overview(*, year, quarter, meetings, issuer, total, new, open_, overdue, on) -> str:
    levels = {label: sum(1 for r in new if r.level == value) for value, label in RiskLevel.choices}
    level_text = "、".join(f"{label}风险{n}项" for label, n in levels.items())
    carried = sum(1 for r in open_ if (r.meeting.year, r.meeting.quarter) < (year, quarter))
    parts = []
    if meetings:
        parts.append(_("本季度共召开风险会商会%(n)s次。") % {"n": len(meetings)})
    else:
        parts.append(_("本季度未召开风险会商会，风险清单未新增风险。") if not new
                     else _("本季度未召开风险会商会。"))
    parts.append(_(
        "截至%(on)s，各渠道共收集风险线索和信号%(signals)s条；经会商新增纳入风险清单%(new)s项（%(levels)s）；"
        "在控风险%(open)s项（其中以前季度结转%(carried)s项，逾期未完成%(overdue)s项）；本季度销号%(closed)s项。"
    ) % {"on": cn_date(on), "signals": total.signals, "new": len(new), "levels": level_text,
         "open": len(open_), "carried": carried, "overdue": len(overdue), "closed": total.closed})
    escalated = sum(1 for r in new if r.escalated)
    key = sum(1 for r in new if r.key_supervision)
    flagged = [text for n, text in (
        (escalated, _("上报市局%(n)s项") % {"n": escalated}),
        (key, _("会商点名、企业列入重点监管%(n)s项") % {"n": key}),
    ) if n]
    if flagged:
        parts.append(_("新增风险中") + "，".join(flagged) + "。")
    return "".join(parts)


def _measures(risks) -> list[str]:
    """Each new or open risk's measures with the quarter's follow-up entries (四、主要管控措施)."""
    lines = []
    for number, risk in enumerate(risks, start=1):
        who = f"（{risk.enterprise.name}）" if risk.enterprise_id else ""
        line = _("%(n)s. %(point)s%(who)s：%(measures)s") % {
            "n": number, "point": risk.risk_point, "who": who, "measures": risk.measures.rstrip("。；;")}
        entries = getattr(risk, "quarter_follow_ups", [])
        if entries:
            line += _("。本季度进展：") + "；".join(f"{e.on.month}月{e.on.day}日{e.text.rstrip('。；;')}" for e in entries)
        lines.append(line + "。")
    return lines


def _next_steps(*, meetings, open_, overdue, year, quarter) -> list[str]:
    lines = []
    for meeting in meetings:
        lines.extend(line.strip().rstrip("。；;") + "。" for line in meeting.next_steps.splitlines() if line.strip())
    if open_:
        following = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
        text = _("对尚未销号的%(n)s项风险，结转至%(next)s继续管控，责任单位按时限落实管控措施并报送进展") % {
            "n": len(open_), "next": quarter_label(*following)}
        if overdue:
            text += _("；其中%(n)s项已超过完成时限，督促责任单位限期完成") % {"n": len(overdue)}
        lines.append(text + "。")
    return [f"{n}. {line}" for n, line in enumerate(lines, start=1)]


def risk_report_data(*, year: int, quarter: int, unit: Unit | None, today: dt.date) -> RiskReportData:
    """The report's content for the quarter and the unit (``None``: the district), read at ``report_date``."""
    on = report_date(year, quarter, today)
    meetings = quarter_meetings(year, quarter)
    new = list(new_risks(year, quarter, unit))
    open_qs = open_risks(year, quarter, unit, today)
    open_ = list(open_qs)
    closed = list(closed_risks(year, quarter, unit, today))
    overdue = [r for r in open_ if r.due_on < on]
    sources, total = _sources(signals=candidate_counts(year, quarter, unit, today), new=new, open_=open_,
                              closed=closed)
    issuer = unit.name if unit is not None else bureau_name()
    # 四、主要管控措施: the quarter's new risks and those carried over, once each
    in_measures = quarter_follow_ups(
        (new_risks(year, quarter, unit) | open_qs).distinct(), year, quarter, today)
    return RiskReportData(
        title=risk_report_title(year=year, quarter=quarter, unit=unit),
        issuer=issuer, addressee=addressee(unit), year=year, quarter=quarter, report_on=on, signed_on=today,
        meetings=[MeetingInfo(held_on=m.held_on, chair=m.chair, participants=_participants(m), summary=m.summary,
                              next_steps=m.next_steps) for m in meetings],
        overview=_overview(year=year, quarter=quarter, meetings=meetings, issuer=issuer, total=total, new=new,
                           open_=open_, overdue=overdue, on=on),
        sources=sources, total=total,
        new=_register(new, on),
        open=_register(open_, on, carried_from=(year, quarter)),
        closed=_register(closed, on),
        measures=_measures(in_measures),
        next_steps=_next_steps(meetings=meetings, open_=open_, overdue=overdue, year=year, quarter=quarter),
    )


def risk_report_filename(*, year: int, quarter: int, unit: Unit | None) -> str:
    who = unit.display_name if unit is not None else _("全区")
    return _("%(quarter)s风险会商情况报告_%(who)s.docx") % {"quarter": quarter_label(year, quarter), "who": who}


def risk_report_document(*, year: int, quarter: int, unit: Unit | None, today: dt.date) -> tuple[str, bytes]:
    """The report as (file name, .docx bytes)."""
    data = risk_report_data(year=year, quarter=quarter, unit=unit, today=today)
    return risk_report_filename(year=year, quarter=quarter, unit=unit), risk_report_docx(data)
