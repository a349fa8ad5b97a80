"""Online-sales leads in the work lists (我的待办, 本单位待办与逾期) and as risk candidates (风险会商).

Registered in ``MonitoringConfig.ready()``. A lead waits on its unit until feedback; the district's queue
(leads with no unit) waits on the 药械科. 我的待办 lists those due within ``DUE_SOON_DAYS`` or overdue; the
unit list every open one. A substantiated (属实) lead checked in the quarter is a candidate of source
``online``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from enterprises.choices import UnitKind
from inspections.work_sources import WorkItem, WorkSection
from monitoring.leads_choices import LeadResult
from monitoring.leads_selectors import leads_waiting
from monitoring.models import OnlineLead
from monitoring.risk_sources import Candidate
from monitoring.services.leads import lead_due_by, lead_overdue


def lead_work(user, *, unit, personal: bool, due_by: date | None, today: date) -> WorkSection | None:
    if personal and unit is None:
        return None
    if personal and due_by is not None:
        due_by = max(due_by, lead_due_by(today))
    elif personal:
        due_by = lead_due_by(today)
    sections: list[OnlineLead] = []
    if unit is not None:
        sections.extend(leads_waiting(user=user, unit_id=unit.pk, due_by=due_by).select_related("unit")[:50])
    if unit is None or unit.kind == UnitKind.SECTION:  # the queue waits on the 药械科
        sections.extend(leads_waiting(user=user, unit_id=None, due_by=due_by)[:50])
    items = [
        WorkItem(
            title=f"{lead.platform} · {lead.shop_name}", url=reverse("monitoring:lead_detail", args=[lead.pk]),
            due_on=lead.deadline, overdue=lead_overdue(deadline=lead.deadline, feedback_on=None, today=today),
            detail=(_("线索编号 %(c)s") % {"c": lead.code}) + ("" if lead.unit_id else _("（待分派）")),
        )
        for lead in sections
    ]
    if not items:
        return None
    return WorkSection(key="online-leads", title=_("网络销售线索待处置"), items=items)


def lead_candidates(*, start: date, end: date, today: date) -> Iterable[Candidate]:
    """Substantiated leads whose 核查 falls in the quarter (the feedback date when no 核查日期 was recorded)."""
    leads = (OnlineLead.objects.filter(result=LeadResult.SUBSTANTIATED)
             .exclude(checked_on__isnull=True, feedback_on__isnull=True).select_related("enterprise", "unit"))
    for lead in leads:
        on = lead.checked_on or lead.feedback_on
        if not (start <= on <= end):
            continue
        yield Candidate(
            source_kind="online", source=lead, occurred_on=on,
            title=_("网络销售违法违规：%(s)s（%(p)s）") % {"s": lead.enterprise.name if lead.enterprise_id
                                                       else lead.shop_name, "p": lead.platform},
            url=reverse("monitoring:lead_detail", args=[lead.pk]), enterprise_id=lead.enterprise_id,
            unit_id=lead.unit_id, product=lead.product, detail=lead.problem,
        )


def register() -> None:
    """Called once from ``MonitoringConfig.ready()``."""
    from inspections.work_sources import register_work_source
    from monitoring.risk_sources import register_risk_source

    register_work_source(lead_work)
    register_risk_source("online", lead_candidates)
