"""The register's list export (download centre): the 风险清单 as its page filters it, for the job's user."""

from __future__ import annotations

from django.utils import timezone

from inspections.exports import column_sheet
from inspections.filters import filtered
from monitoring import risk_selectors as selectors
from monitoring.risk_filters import RiskFilterSet
from regsys.exports import ListExport, Sheet, register


def _date(value) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


def risk_columns(today) -> list:
    return [
        ("会商季度", lambda r: f"{r.meeting.year}年第{r.meeting.quarter}季度", 16),
        ("风险点", lambda r: r.risk_point, 40),
        ("风险等级", lambda r: r.get_level_display(), 8),
        ("风险来源", lambda r: r.get_source_kind_display(), 10),
        ("来源摘要", lambda r: r.source_label, 30),
        ("涉及企业", lambda r: r.enterprise.name if r.enterprise_id else "", 28),
        ("涉及产品", lambda r: r.product, 20),
        ("责任单位", lambda r: r.owner_unit.display_name, 14),
        ("管控措施", lambda r: r.measures, 40),
        ("完成时限", lambda r: _date(r.due_on), 12),
        ("状态", lambda r: r.get_status_display(), 12),
        ("逾期", lambda r: "是" if selectors.risk_is_overdue(r, today=today) else "", 6),
        ("结转", lambda r: "是" if selectors.risk_is_carried(r, today=today) else "", 6),
        ("上报一级", lambda r: "是" if r.escalated else "", 8),
        ("列入重点监管", lambda r: "是" if r.key_supervision else "", 10),
        ("销号日期", lambda r: _date(r.closed_on), 12),
    ]


def _risk_sheets(request) -> list[Sheet]:
    _f, qs = filtered(request, queryset=selectors.risks_for(request.user), filterset_class=RiskFilterSet)
    return [column_sheet(title="风险清单", columns=risk_columns(timezone.localdate()), queryset=qs)]


register(ListExport(name="risks", title="风险清单", sheets=_risk_sheets))
