"""Deadline reminders and overdue notices: the daily scan (reporting reads across every app).

What is due, and whose it is, comes from the existing work lists: a user's 我的待办 (``todo_for``: their
rectifications, follow-ups and provincial entries) and every registered work source (evaluations,
sampling steps, risk follow-ups, leads, licence expiry …), plus the campaign returns a unit still has to
file. Each item is notified 7, 3 and 1 day(s) before its due date (the days each user chose) and once
when overdue. The key ``{kind}:{record}:{days}`` makes a rerun the same day, or the next day, repeat
nothing. Overdue notices look back ``OVERDUE_LOOKBACK_DAYS`` only, so a first run does not bury users
under years of old items.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import CampaignDueDate
from enterprises.choices import Role, UnitKind
from inspections.selectors import todo_for
from inspections.work_sources import extra_work
from regsys.choices import REMINDER_DAYS, NotificationKind
from regsys.notifications import notify, users_wanting_reminder
from reporting.choices import ReturnStatus
from reporting.models import Return
from reporting.selectors import campaign_units

OVERDUE_LOOKBACK_DAYS = 30


@dataclass(frozen=True)
class DueItem:
    """One open item with a due date, for one user."""

    record: str  # identifies the record in the key, e.g. "rectification:12" or a work item's url
    title: str
    url: str
    due_on: datetime.date
    section: str


def _personal_items(user, today: datetime.date) -> list[DueItem]:
    """What 我的待办 lists for ``user`` with a due date (the inspection lists and every work source)."""
    items: list[DueItem] = []
    work = todo_for(user, today=today)
    for rect in work.rectifications:
        items.append(DueItem(f"rectification:{rect.pk}", _("责令改正：%(e)s") % {"e": rect.inspection.enterprise},
                             reverse("inspections:detail", args=[rect.inspection_id]), rect.deadline, _("整改期限")))
    for insp in work.follow_ups:
        items.append(DueItem(f"follow_up:{insp.pk}", _("整改复查：%(e)s") % {"e": insp.enterprise},
                             reverse("inspections:detail", args=[insp.pk]), insp.start_date, _("复查日期")))
    for insp in work.provincial:
        items.append(DueItem(f"provincial:{insp.pk}", _("录入省局系统：%(e)s") % {"e": insp.enterprise},
                             reverse("inspections:detail", args=[insp.pk]), insp.provincial_due, _("省局系统录入期限")))
    for section in extra_work(user, unit=user.unit, personal=True, due_by=today + datetime.timedelta(days=max(REMINDER_DAYS)),
                              today=today):
        for item in section.items:
            if item.due_on is not None:
                items.append(DueItem(f"{section.key}:{item.url}", item.title, item.url, item.due_on, str(section.title)))
    return items


def _return_items(today: datetime.date) -> dict[int, list[DueItem]]:
    """Per unit: the campaign returns it must file by a due date in the window and has not submitted."""
    horizon = today + datetime.timedelta(days=max(REMINDER_DAYS))
    dues = (CampaignDueDate.objects.select_related("campaign")
            .filter(campaign__is_active=True, due_on__gte=today - datetime.timedelta(days=OVERDUE_LOOKBACK_DAYS),
                    due_on__lte=horizon)
            .order_by("due_on", "pk"))
    out: dict[int, list[DueItem]] = {}
    for due in dues:
        campaign = due.campaign
        units = [u for u in campaign_units(campaign) if u.kind != UnitKind.SECTION]
        filed = set(Return.objects.filter(
            campaign=campaign, due_date=due, unit__isnull=False,
            status__in=(ReturnStatus.SUBMITTED, ReturnStatus.APPROVED),
        ).values_list("template_id", "unit_id"))
        for template in campaign.forms.order_by("code"):
            for unit in units:
                if (template.pk, unit.pk) in filed:
                    continue
                out.setdefault(unit.pk, []).append(DueItem(
                    f"return:{campaign.pk}:{template.pk}:{due.pk}:{unit.pk}",
                    _("报送报表：%(c)s %(t)s") % {"c": campaign.name, "t": template.code},
                    reverse("reporting:calendar") + f"?campaign={campaign.pk}", due.due_on, _("报表报送期限"),
                ))
    return out


def _notify_item(user, item: DueItem, today: datetime.date) -> int:
    days = (item.due_on - today).days
    due = item.due_on.strftime("%Y-%m-%d")
    if days < 0:
        if days < -OVERDUE_LOOKBACK_DAYS:
            return 0
        return len(notify(
            users=[user], kind=NotificationKind.OVERDUE, url=item.url, key=f"overdue:{item.record}",
            title=_("已逾期：%(t)s") % {"t": item.title},
            body=_("%(s)s %(d)s，已逾期 %(n)s 天。") % {"s": item.section, "d": due, "n": -days},
        ))
    if days not in REMINDER_DAYS or not users_wanting_reminder([user], days):
        return 0
    return len(notify(
        users=[user], kind=NotificationKind.DEADLINE, url=item.url, key=f"deadline:{item.record}:{days}",
        title=_("%(n)s 天后到期：%(t)s") % {"n": days, "t": item.title},
        body=_("%(s)s %(d)s。") % {"s": item.section, "d": due},
    ))


def notifications_deadlines_scan(*, today: datetime.date | None = None) -> int:
    """Notify every active user of their items due in 7/3/1 days or overdue; returns how many were sent."""
    today = today or timezone.localdate()
    returns_due = _return_items(today)
    sent = 0
    users = (get_user_model().objects.filter(is_active=True, unit__isnull=False)
             .exclude(role=Role.AUDITOR).select_related("unit").order_by("pk"))
    for user in users:
        items = _personal_items(user, today)
        if user.unit.kind == UnitKind.STATION:
            items += returns_due.get(user.unit_id, [])
        seen: set[str] = set()
        for item in items:
            if item.record in seen:
                continue
            seen.add(item.record)
            sent += _notify_item(user, item, today)
    return sent
