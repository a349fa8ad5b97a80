"""等待我处理: what waits for the user's decision (approvals), gathered from every app for the cockpit and
the landing pages. One section per kind of decision; each lists the records and links to where the
decision is taken (a return can also be approved straight from the list).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Min, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from enterprises.grading.choices import GradeStatus
from enterprises.grading.selectors import grades_for
from enterprises.models import Unit
from inspections.choices import PlanStatus
from inspections.planning.selectors import plans_for
from monitoring.risk_selectors import closures_awaiting
from regsys.scoping import scope_for
from reporting.choices import ReturnStatus
from reporting.models import Return
from reporting.selectors import returns_visible
from reporting.services import require_reviewer


@dataclass
class WaitingItem:
    title: str
    url: str
    detail: str = ""
    since: object = None  # date or datetime the item has waited since
    obj: object = None  # the record (a return for the inline approve form)


@dataclass
class WaitingSection:
    key: str
    title: str
    items: list[WaitingItem] = field(default_factory=list)
    total: int = 0
    list_url: str = ""


def _may_review_returns(user) -> bool:
    try:
        require_reviewer(user)
    except Exception:  # PermissionDenied
        return False
    return True


def returns_awaiting_review(user) -> QuerySet[Return]:
    if not _may_review_returns(user):
        return Return.objects.none()
    return (returns_visible(user).filter(status=ReturnStatus.SUBMITTED, is_current=True)
            .select_related("campaign", "template", "unit").order_by("submitted_at", "pk"))


def plans_awaiting_approval(user) -> QuerySet:
    """Inspection plans submitted for approval, for those who approve plans (局领导/科长)."""
    if not scope_for(user).can_approve:
        return plans_for(user).none()
    return plans_for(user).filter(status=PlanStatus.SUBMITTED).order_by("submitted_at", "pk")


def grades_awaiting_approval(user) -> QuerySet:
    """Grades not yet approved (the system's proposals and manual changes), for those who approve them."""
    if not scope_for(user).can_approve:
        return grades_for(user).none()
    return grades_for(user).exclude(status=GradeStatus.APPROVED)


def risk_closures_awaiting(user) -> QuerySet:
    """销号 requests, for those who approve them (the service's ``require_approver``)."""
    if not scope_for(user).can_approve:
        return closures_awaiting(user).none()
    return closures_awaiting(user).select_related("owner_unit", "enterprise")


def _returns_section(user, limit: int) -> WaitingSection | None:
    returns = returns_awaiting_review(user)
    total = returns.count()
    if not total:
        return None
    return WaitingSection(
        key="returns", title=_("报表待审核"), total=total,
        list_url=reverse("reporting:return_list") + f"?status={ReturnStatus.SUBMITTED}",
        items=[WaitingItem(
            title=f"{r.template} · {r.unit.display_name if r.unit_id else _('全区')}",
            url=reverse("reporting:return_detail", args=[r.pk]),
            detail=_("截止%(day)s") % {"day": f"{r.cutoff:%Y-%m-%d}"}, since=r.submitted_at, obj=r,
        ) for r in returns[:limit]],
    )


def _plans_section(user, limit: int) -> WaitingSection | None:
    plans = plans_awaiting_approval(user)
    total = plans.count()
    if not total:
        return None
    return WaitingSection(
        key="plans", title=_("检查计划待审批"), total=total,
        list_url=reverse("planning:plan_list") + f"?status={PlanStatus.SUBMITTED}",
        items=[WaitingItem(
            title=str(p), url=reverse("planning:plan_detail", args=[p.pk]),
            detail=_("计划项%(n)d项") % {"n": p.item_count}, since=p.submitted_at,
        ) for p in plans[:limit]],
    )


def _grades_section(user, limit: int) -> WaitingSection | None:
    """One item per year and unit: approving is done a unit at a time on the grading overview."""
    groups = list(
        grades_awaiting_approval(user).order_by().values("year", "enterprise__owning_unit")
        .annotate(n=Count("pk"), changed=Count("pk", filter=Q(status=GradeStatus.CHANGED)), since=Min("proposed_at"))
        .order_by("-year", "enterprise__owning_unit__sort_order", "enterprise__owning_unit")
    )
    if not groups:
        return None
    units = Unit.objects.in_bulk({g["enterprise__owning_unit"] for g in groups if g["enterprise__owning_unit"]})
    items = []
    for g in groups[:limit]:
        unit = units.get(g["enterprise__owning_unit"])
        query = f"?year={g['year']}&unit={unit.pk}" if unit else f"?year={g['year']}"
        items.append(WaitingItem(
            title=_("%(year)s年 · %(unit)s") % {"year": g["year"], "unit": unit.display_name if unit else _("未分配单位")},
            url=reverse("grading:grade_list") + query,
            detail=_("待批准%(n)d家，其中人工调整%(c)d家") % {"n": g["n"], "c": g["changed"]}, since=g["since"],
        ))
    return WaitingSection(key="grades", title=_("企业分级待批准"), total=sum(g["n"] for g in groups),
                          list_url=reverse("grading:overview"), items=items)


def _risks_section(user, limit: int) -> WaitingSection | None:
    risks = risk_closures_awaiting(user)
    total = risks.count()
    if not total:
        return None
    return WaitingSection(
        key="risks", title=_("风险待销号审批"), total=total,
        list_url=reverse("monitoring:risk_list") + "?status=closing",
        items=[WaitingItem(
            title=r.risk_point, url=reverse("monitoring:risk_detail", args=[r.pk]),
            detail=r.owner_unit.display_name, since=r.closure_requested_on,
        ) for r in risks[:limit]],
    )


def waiting_for(user, *, limit: int = 10) -> list[WaitingSection]:
    """The sections that have something waiting for ``user``'s decision (empty sections are left out)."""
    sections = (_returns_section(user, limit), _plans_section(user, limit), _grades_section(user, limit),
                _risks_section(user, limit))
    return [s for s in sections if s is not None]
