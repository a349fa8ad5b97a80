"""Who hears of monitoring's events (the one place monitoring chooses notification recipients)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from regsys.choices import NotificationKind
from regsys.notifications import notify_reviewers, notify_unit
from regsys.scoping import APPROVER_ROLES


def risk_closure_requested_notify(*, risk, by) -> None:
    """待我审批: a unit asks to close (销号) a risk; the approvers hear of it."""
    notify_reviewers(
        roles=APPROVER_ROLES, kind=NotificationKind.APPROVAL_WAITING, actor=by,
        url=reverse("monitoring:risk_detail", args=[risk.pk]),
        title=_("风险销号待审批：%(r)s") % {"r": risk},
        body=_("%(unit)s 的 %(who)s 申请销号：%(n)s") % {
            "unit": risk.owner_unit, "who": by.display_name, "n": risk.closure_note},
    )


def evaluations_opened_notify(*, evaluations) -> None:
    """不良事件待评价: each newly opened evaluation goes to the users of its evaluating unit (药械科)."""
    for evaluation in evaluations:
        notify_unit(
            unit_id=evaluation.unit_id, kind=NotificationKind.EVALUATION, key=f"evaluation_opened:{evaluation.pk}",
            url=reverse("monitoring:evaluation_detail", args=[evaluation.pk]),
            title=_("不良事件待评价：%(r)s") % {"r": evaluation.primary_report},
            body=_("评价期限：%(d)s") % {"d": evaluation.due_on.strftime("%Y-%m-%d")},
        )


def lead_assigned_notify(*, lead, by) -> None:
    """线索分派: the users of the unit the lead was routed to."""
    notify_unit(
        unit_id=lead.unit_id, kind=NotificationKind.LEAD_ASSIGNED, actor=by,
        url=reverse("monitoring:lead_detail", args=[lead.pk]),
        title=_("网络销售线索已分派：%(l)s") % {"l": lead},
        body=_("处置期限：%(d)s") % {"d": lead.deadline.strftime("%Y-%m-%d")},
    )
