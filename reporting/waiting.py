"""等待我处理: what waits for the user's decision (approvals), gathered from every app for the cockpit and
the landing pages. One section per kind of decision; each lists the records and links to where the
decision is taken (a return can also be approved straight from the list).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

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


def waiting_for(user, *, limit: int = 10) -> list[WaitingSection]:
    """The sections that have something waiting for ``user`` (empty sections are left out)."""
    sections: list[WaitingSection] = []
    returns = returns_awaiting_review(user)
    total = returns.count()
    if total:
        sections.append(WaitingSection(
            key="returns", title=_("报表待审核"), total=total,
            list_url=reverse("reporting:return_list") + f"?status={ReturnStatus.SUBMITTED}",
            items=[WaitingItem(
                title=f"{r.template} · {r.unit.display_name if r.unit_id else _('全区')}",
                url=reverse("reporting:return_detail", args=[r.pk]),
                detail=_("截止%(day)s") % {"day": f"{r.cutoff:%Y-%m-%d}"}, since=r.submitted_at, obj=r,
            ) for r in returns[:limit]],
        ))
    return sections
