"""Who hears of grades waiting for approval (the one place grading chooses notification recipients)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from regsys.choices import NotificationKind
from regsys.notifications import notify_reviewers
from regsys.scoping import APPROVER_ROLES


def grade_changed_notify(*, grade, by) -> None:
    """待我审批: staff changed a grade; it waits for the approvers again."""
    notify_reviewers(
        roles=APPROVER_ROLES, kind=NotificationKind.APPROVAL_WAITING, actor=by,
        url=reverse("grading:grade_detail", args=[grade.pk]),
        title=_("分级调整待审批：%(g)s") % {"g": grade},
        body=_("%(who)s 调整了等级，理由：%(r)s") % {"who": by.display_name, "r": grade.change_reason},
    )


def grades_proposed_notify(*, year: int, unit, count: int, by) -> None:
    """待我审批: a user generated grade proposals; the approvers hear of it once a day per unit."""
    if by is None or count == 0:
        return
    where = unit.display_name if unit is not None else _("全区")
    url = reverse("grading:approve_unit") + (f"?unit={unit.pk}" if unit is not None else "")
    notify_reviewers(
        roles=APPROVER_ROLES, kind=NotificationKind.APPROVAL_WAITING, actor=by, url=url,
        key=f"grades_proposed:{year}:{unit.pk if unit else 0}:{timezone.localdate():%Y%m%d}",
        title=_("%(y)s 年分级建议待审批：%(w)s") % {"y": year, "w": where},
        body=_("%(who)s 生成或更新了 %(n)s 条分级建议。") % {"who": by.display_name, "n": count},
    )
