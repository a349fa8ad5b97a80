"""Demo returns for ``manage.py seed_demo``: a few 2023 returns filed, approved, late and missing.

Runs after campaigns.demo. Uses the real services (the chief reopens the closed 2023 periods, the 所
files and the 药械科 approves), builds each return at once, then closes the periods again and dates
the filings back to 2023 so the calendar shows on-time, late and missing units.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from campaigns.models import Campaign
from campaigns.services import campaign_due_date_close, campaign_due_date_reopen
from enterprises.choices import Role, UnitKind
from enterprises.models import User
from reporting.choices import ReturnAction
from reporting.models import Return, ReturnEvent
from reporting.services import (
    return_approve,
    return_build_inline,
    return_request,
    return_send_back,
    return_submit,
)


def _at(day: dt.date, hour: int = 10):
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def _file(*, campaign, template, unit, cutoff, by):
    ret = return_request(campaign=campaign, template=template, unit=unit, cutoff=cutoff, by=by)
    return_build_inline(job=ret.jobs.get())
    ret.refresh_from_db()
    return ret


def _backdate(ret: Return, submitted: dt.datetime) -> None:
    """Date a demo filing back to 2023: its times, its workflow records and its history agree."""
    reviewed = submitted + dt.timedelta(days=1)
    computed = submitted - dt.timedelta(hours=1)
    Return.objects.filter(pk=ret.pk).update(created_at=computed, computed_at=computed, submitted_at=submitted,
                                            reviewed_at=reviewed)
    at = {ReturnAction.COMPUTE: computed, ReturnAction.SUBMIT: submitted}
    for event in ret.events.all():
        ReturnEvent.objects.filter(pk=event.pk).update(at=at.get(event.action, reviewed))
    records = list(ret.history.order_by("history_date", "history_id"))
    for record, when in zip(records, [computed, computed, submitted, reviewed], strict=False):
        type(record).objects.filter(pk=record.pk).update(history_date=when)
    ret.jobs.update(created_at=computed, started_at=computed, finished_at=computed)


def seed(ctx) -> str:
    campaign = Campaign.objects.filter(year=2023, doc_number="永市场监管药械〔2023〕3号").first()
    chief = User.objects.filter(role=Role.LEADER, unit__kind=UnitKind.SECTION).order_by("pk").first()
    reviewer = User.objects.filter(role=Role.SECTION_STAFF).order_by("pk").first() or chief
    if campaign is None or chief is None:
        return "没有 2023 年专项或科长账号，跳过"
    stations = [u for u in campaign.units.order_by("sort_order", "code") if u.kind == UnitKind.STATION]
    stations = stations[:3] if ctx.scale else stations[:4]  # the others show as missing in the calendar
    members = {u.pk: User.objects.filter(unit=u, role=Role.STATION_STAFF).order_by("pk").first() for u in stations}
    forms = list(campaign.forms.order_by("code"))
    dues = list(campaign.due_dates.order_by("due_on"))
    filed = 0
    for due, cutoff in ((dues[0], dt.date(2023, 6, 20)), (dues[1], dt.date(2023, 9, 20))):
        campaign_due_date_reopen(due=due, by=chief)
        for index, unit in enumerate(stations):
            user = members.get(unit.pk)
            if user is None:
                continue
            if due == dues[1] and index == len(stations) - 1:
                continue  # one 所 has not filed for September: shows as missing
            for template in forms:
                ret = _file(campaign=campaign, template=template, unit=unit, cutoff=cutoff, by=user)
                return_submit(ret=ret, by=user)
                late = due == dues[1] and index == 0
                submitted = _at(due.due_on + dt.timedelta(days=3 if late else -2))
                if due == dues[1] and index == 1 and template == forms[0]:
                    return_send_back(ret=ret, by=reviewer, comment="请核实无菌和植入性医疗器械经营行的检查家次")
                else:
                    return_approve(ret=ret, by=reviewer, comment="")
                _backdate(ret, submitted)
                filed += 1
        campaign_due_date_close(due=due, by=chief)
    district = 0
    if not ctx.scale:
        campaign_due_date_reopen(due=dues[1], by=chief)
        for template in forms:
            ret = _file(campaign=campaign, template=template, unit=None, cutoff=dt.date(2023, 9, 20), by=reviewer)
            district += 1
            Return.objects.filter(pk=ret.pk).update(created_at=_at(dt.date(2023, 9, 26)))
        campaign_due_date_close(due=dues[1], by=chief)
    return f"2023 年专项报表 {filed} 份（含退回 1 份、逾期、未报），全区汇总 {district} 份"
