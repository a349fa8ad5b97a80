"""Who hears of a plan's workflow (the one place planning chooses notification recipients)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from regsys.notifications import notify_reviewers
from regsys.scoping import APPROVER_ROLES


def plan_submitted_notify(*, plan, by) -> None:
    """待我审批: a unit submitted its plan; the approvers (局领导/科长, administrators) hear of it."""
    notify_reviewers(
        roles=APPROVER_ROLES, actor=by, url=reverse("planning:plan_detail", args=[plan.pk]),
        title=_("检查计划待审批：%(p)s") % {"p": plan},
        body=_("%(unit)s 的 %(who)s 提交了计划，请审批。") % {"unit": plan.unit, "who": by.display_name},
    )
