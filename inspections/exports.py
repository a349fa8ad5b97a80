"""Excel exports of the filtered lists: column definitions (data) and a sheet of them (rows streamed out)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from inspections.choices import Conclusion, InspectionKind, InspectionStatus
from inspections.deadlines import provincial_entry_late, rectification_overdue
from regsys.exports import CHUNK, Sheet

Column = tuple[str, Callable[[object], object], int]


def _d(value: date | None) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


def _rect_state(inspection, today: date) -> str:
    rect = getattr(inspection, "rectification", None)
    if rect is None:
        return ""
    if rect.completed_on:
        return f"已完成（{rect.completed_on:%Y-%m-%d}）"
    if rectification_overdue(deadline=rect.deadline, completed_on=None, today=today):
        return f"逾期（期限{rect.deadline:%Y-%m-%d}）"
    return f"整改中（期限{rect.deadline:%Y-%m-%d}）"


def _labels(choices) -> dict[str, str]:
    """Choice value → label, translated once per export (``get_FOO_display`` per row costs seconds)."""
    return {value: str(label) for value, label in choices.choices}


def inspection_columns(today: date) -> list[Column]:
    kinds, conclusions, statuses = _labels(InspectionKind), _labels(Conclusion), _labels(InspectionStatus)
    return [
        ("检查日期", lambda i: _d(i.start_date), 12),
        ("被检查企业", lambda i: i.enterprise.name, 32),
        ("统一社会信用代码", lambda i: i.enterprise.credit_code, 21),
        ("检查单位", lambda i: i.unit.display_name, 14),
        ("检查类型", lambda i: kinds.get(i.kind, i.kind), 16),
        ("预先告知", lambda i: "是" if i.announced else "否", 8),
        ("出动人员人次", lambda i: i.staff_count, 10),
        ("缺陷数", lambda i: getattr(i, "finding_count", None), 8),
        ("检查结论", lambda i: conclusions.get(i.conclusion, i.conclusion or ""), 10),
        ("责令改正", lambda i: _rect_state(i, today), 24),
        ("状态", lambda i: statuses.get(i.status, i.status), 8),
        ("录入省局期限", lambda i: _d(i.provincial_due), 12),
        ("录入省局日期", lambda i: _d(i.provincial_entry_date), 12),
        ("录入逾期", lambda i: "是" if provincial_entry_late(
            due=i.provincial_due, entered_on=i.provincial_entry_date, today=today)
            and i.status == "finalised" else "", 8),
        ("检查人员", lambda i: "、".join(f"{o.name}（{o.cert_no}）" for o in i.officers.all()), 36),
    ]


CASE_COLUMNS: list[Column] = [
    ("案件编号", lambda c: c.number, 24),
    ("当事企业", lambda c: c.enterprise.name, 32),
    ("办案单位", lambda c: c.unit.display_name, 14),
    ("立案日期", lambda c: _d(c.filed_on), 12),
    ("程序", lambda c: c.get_procedure_display(), 10),
    ("违法事实", lambda c: c.violation, 40),
    ("处罚依据", lambda c: c.legal_basis, 30),
    ("状态", lambda c: c.get_status_display(), 8),
    ("决定日期", lambda c: _d(c.decided_on), 12),
    ("结案日期", lambda c: _d(c.closed_on), 12),
    ("罚款（元）", lambda c: c.fine_amount, 12),
    ("没收（元）", lambda c: c.confiscation_amount, 12),
    ("处罚责任人", lambda c: "、".join(p.name for p in c.penalised_persons.all()), 16),
    ("责任人罚款（元）", lambda c: sum((p.fine_amount for p in c.penalised_persons.all()), Decimal("0")), 14),
    ("责令停产停业", lambda c: "是" if c.suspension_ordered else "", 10),
    ("吊销许可证", lambda c: str(c.revoked_licence) if c.revoked_licence_id else "", 24),
    ("列入严重违法失信名单", lambda c: "是" if c.listed_serious_dishonest else "", 12),
]

INTERVIEW_COLUMNS: list[Column] = [
    ("约谈日期", lambda i: _d(i.held_on), 12),
    ("企业", lambda i: i.enterprise.name, 32),
    ("约谈单位", lambda i: i.unit.display_name, 14),
    ("被约谈人员", lambda i: i.persons, 20),
    ("约谈记录", lambda i: i.record, 40),
]

REFERRAL_COLUMNS: list[Column] = [
    ("移送日期", lambda r: _d(r.referred_on), 12),
    ("企业", lambda r: r.enterprise.name, 32),
    ("移送单位", lambda r: r.unit.display_name, 14),
    ("移送对象", lambda r: r.get_target_display(), 14),
    ("案件编号", lambda r: r.case.number if r.case_id else "", 24),
    ("移送内容", lambda r: r.note, 40),
]


def rectification_columns(today: date) -> list[Column]:
    return [
        ("企业", lambda r: r.inspection.enterprise.name, 32),
        ("检查日期", lambda r: _d(r.inspection.start_date), 12),
        ("责令改正日期", lambda r: _d(r.ordered_on), 12),
        ("整改期限", lambda r: _d(r.deadline), 12),
        ("整改内容", lambda r: r.requirements, 40),
        ("完成整改日期", lambda r: _d(r.completed_on), 12),
        ("逾期", lambda r: "是" if r.is_overdue_on(today) else "", 6),
    ]


def column_sheet(*, title: str, columns: list[Column], queryset) -> Sheet:
    """One sheet of ``queryset`` (streamed in chunks, its prefetches per chunk) in the given columns."""

    def rows():
        for obj in queryset.iterator(chunk_size=CHUNK):
            yield [getter(obj) for _name, getter, _width in columns]

    return Sheet(title=title, headers=[name for name, _g, _w in columns], rows=rows(), total=queryset.count(),
                 widths=[width for _n, _g, width in columns])
