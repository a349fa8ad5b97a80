"""Who hears of a return's workflow (the one place reporting chooses notification recipients).

``REVIEWER_ROLES`` (who may approve or send back a return) lives here so the workflow service and the
notifications read the same rule.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from enterprises.choices import Role
from regsys.choices import NotificationKind
from regsys.notifications import notifications_resolve, notify, role_users

REVIEWER_ROLES = {Role.ADMIN, Role.LEADER, Role.SECTION_STAFF}


def return_reviewers():
    """The active users who may review a return (药械科 staff, 局领导/科长, administrators)."""
    return role_users(REVIEWER_ROLES)


def _filers(ret) -> list:
    """The users who filed the return: its submitter and its creator, if still in the return's unit."""
    users = [u for u in (ret.submitted_by, ret.created_by) if u is not None]
    return [u for u in users if ret.unit_id is None or u.unit_id == ret.unit_id]


def _url(ret) -> str:
    return reverse("reporting:return_detail", args=[ret.pk])


def _name(ret) -> str:
    return f"{ret.campaign.name} · {ret}"


def _waiting_key(ret) -> str:
    return f"return_waiting:{ret.pk}:"


def return_submitted_notify(*, ret, by) -> None:
    """待我审批: a return was filed; every reviewer hears of it (not the one who filed it)."""
    notify(users=return_reviewers(), kind=NotificationKind.APPROVAL_WAITING, actor=by, url=_url(ret),
           key=f"{_waiting_key(ret)}{ret.submitted_at:%Y%m%d%H%M%S%f}",
           title=_("报表待审核：%(r)s") % {"r": _name(ret)},
           body=_("%(who)s 于 %(at)s 上报，请审核。") % {"who": by.display_name, "at": ret.submitted_at.strftime("%Y-%m-%d %H:%M")})


def return_sent_back_notify(*, ret, by) -> None:
    """报表退回: the filers hear of it, with the reviewer's comment; the reviewers' 待我审批 is dealt with."""
    notifications_resolve(key_prefix=_waiting_key(ret))
    notify(users=_filers(ret), kind=NotificationKind.RETURN_SENT_BACK, actor=by, url=_url(ret),
           title=_("报表被退回：%(r)s") % {"r": _name(ret)},
           body=_("退回人：%(who)s\n退回意见：%(c)s") % {"who": by.display_name, "c": ret.review_comment})


def return_approved_notify(*, ret, by) -> None:
    """报表审核通过: the filers hear of it (with the comment, if any); the reviewers' 待我审批 is dealt with."""
    notifications_resolve(key_prefix=_waiting_key(ret))
    body = _("审核人：%(who)s") % {"who": by.display_name}
    if ret.review_comment:
        body += "\n" + _("审核意见：%(c)s") % {"c": ret.review_comment}
    notify(users=_filers(ret), kind=NotificationKind.RETURN_APPROVED, actor=by, url=_url(ret),
           title=_("报表审核通过：%(r)s") % {"r": _name(ret)}, body=body)
