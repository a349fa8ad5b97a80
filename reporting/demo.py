"""Demo returns for ``manage.py seed_demo``: the 2023 history and this year's filings up to ``ctx.today``.

Runs after the campaign, inspection and planning seeders. Uses the real services (the 所 files, the
药械科 approves or sends back), builds each return at once, and dates each filing back to the day it
was made, so that its times, its workflow records and its history agree.

- 2023 (the historical campaign): a few units filed, one late, one sent back, the others missing.
- The current year: for every due date already past, every unit filed both forms (most on time, one
  late the first time, one 统计表一 sent back and filed again before the due date; those of a due date
  that passed only days ago still wait for review) and the 药械科 compiled the district return of the
  latest; for the next due date, when it is near, one 所 has computed a first draft. The calendar then
  shows no 逾期未报 for this year, however the date moves.
- The cockpit: this year's ended quarters frozen, as beat does the night after each quarter's end.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from campaigns.demo import HISTORY_DOC, current_campaign
from campaigns.models import Campaign, CampaignDueDate
from campaigns.services import campaign_due_date_close, campaign_due_date_reopen
from enterprises.choices import Role, UnitKind
from enterprises.models import User
from reporting import demo_annex
from reporting.cockpit.base import Period, quarter_end
from reporting.cockpit.service import snapshot_current, snapshot_take
from reporting.demo_filing import _backdate, _file, _Opened
from reporting.models import QuarterSnapshot, ReportingSettings
from reporting.services import (
    return_approve,
    return_send_back,
    return_submit,
    units_return_data,
)


def _at(day: dt.date, hour: int = 10):
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def seed(ctx) -> str:
    _seed_settings()
    history = _seed_2023(ctx)
    current = _seed_current(ctx)
    annex = demo_annex.seed(ctx)
    snapshots = _seed_snapshots(ctx)
    return f"{history}；{current}；{annex}；{snapshots}"


def _seed_settings() -> None:
    """The bureau's reporting contact (系统管理 → 报表设置): the 药械科 chief, on the section's phone."""
    if ReportingSettings.objects.exists():
        return
    chief = User.objects.filter(role=Role.LEADER, unit__kind=UnitKind.SECTION).select_related("unit") \
        .order_by("pk").first()
    if chief is not None:
        ReportingSettings.objects.create(district_filled_by=chief.display_name, district_contact=chief.unit.phone)


def _seed_2023(ctx) -> str:
    campaign = Campaign.objects.filter(year=2023, doc_number=HISTORY_DOC).first()
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
        numbers = {t.pk: units_return_data(campaign=campaign, template=t, units=stations, cutoff=cutoff) for t in forms}
        for index, unit in enumerate(stations):
            user = members.get(unit.pk)
            if user is None:
                continue
            if due == dues[1] and index == len(stations) - 1:
                continue  # one 所 has not filed for September: shows as missing
            for template in forms:
                ret = _file(campaign=campaign, template=template, unit=unit, cutoff=cutoff, by=user,
                            numbers=numbers[template.pk])
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
            _backdate(ret, None, computed=_at(dt.date(2023, 9, 26), 17))
        campaign_due_date_close(due=dues[1], by=chief)
    return f"2023 年专项报表 {filed} 份（含退回 1 份、逾期、未报），全区汇总 {district} 份"


SEND_BACK_COMMENT = "请核实无菌和植入性医疗器械经营企业的检查家次，与检查记录不一致"
REVIEW_DAYS = 7  # the 药械科 reviews a period's returns within a week of its due date
DRAFT_WINDOW_DAYS = 30  # within a month of the next due date the first 所 computes a draft


def _seed_current(ctx) -> str:
    """This year's filings: every past due date filed by every unit, the next one open."""
    campaign = current_campaign(ctx)
    chief = User.objects.filter(role=Role.LEADER, unit__kind=UnitKind.SECTION).order_by("pk").first()
    reviewer = User.objects.filter(role=Role.SECTION_STAFF).order_by("pk").first() or chief
    if campaign is None or reviewer is None:
        return "没有本年度专项，跳过"
    rng = ctx.rng("reporting")
    today = ctx.today
    filers = [u for u in campaign.units.order_by("sort_order", "code") if u.kind != UnitKind.SECTION]
    members = {u.pk: User.objects.filter(unit=u, role=Role.STATION_STAFF).order_by("pk").first() for u in filers}
    filers = [u for u in filers if members[u.pk] is not None]
    if ctx.scale:
        filers = filers[:3]
    forms = list(campaign.forms.order_by("code"))
    dues = list(campaign.due_dates.order_by("due_on"))
    past = [d for d in dues if d.due_on < today]
    counts = {"filed": 0, "late": 0, "returned": 0, "pending": 0, "district": 0, "draft": 0}
    for number, due in enumerate(past):
        cutoff = due.due_on - dt.timedelta(days=5)
        reviewing = (today - due.due_on).days <= REVIEW_DAYS  # the latest period may still wait for review
        late_unit = filers[-1] if number == 0 and (today - due.due_on).days > 4 else None
        sent_back = filers[1] if number == len(past) - 1 and len(filers) > 1 else None
        with _Opened(due):
            numbers = {t.pk: units_return_data(campaign=campaign, template=t, units=filers, cutoff=cutoff)
                       for t in forms}
            for index, unit in enumerate(filers):
                user = members[unit.pk]
                if unit == late_unit:
                    day = due.due_on + dt.timedelta(days=rng.randint(2, 4))
                    counts["late"] += 1
                elif unit == sent_back:  # filed early, sent back, corrected and approved before the due date
                    day = due.due_on - dt.timedelta(days=rng.randint(6, 8))
                else:
                    day = due.due_on - dt.timedelta(days=rng.randint(0, 4))
                for template in forms:
                    ret = _file(campaign=campaign, template=template, unit=unit, cutoff=cutoff, by=user,
                                numbers=numbers[template.pk])
                    return_submit(ret=ret, by=user)
                    submitted = ctx.at(day, 9 + index % 6)
                    review_day = min(max(day, due.due_on) + dt.timedelta(days=rng.randint(1, 3)), today)
                    if reviewing and index >= len(filers) - 2 and unit != sent_back:
                        counts["pending"] += 1  # 已上报，待药械科审核
                        _backdate(ret, submitted)
                    elif unit == sent_back and template == forms[0]:
                        return_send_back(ret=ret, by=reviewer, comment=SEND_BACK_COMMENT)
                        _backdate(ret, submitted, reviewed=ctx.at(day + dt.timedelta(days=1), 15))
                        counts["returned"] += 1
                        again = _file(campaign=campaign, template=template, unit=unit, cutoff=cutoff, by=user,
                                      numbers=numbers[template.pk])
                        return_submit(ret=again, by=user)
                        return_approve(ret=again, by=reviewer, comment="")
                        _backdate(again, ctx.at(day + dt.timedelta(days=2), 11),
                                  reviewed=ctx.at(day + dt.timedelta(days=3), 10))
                    else:
                        return_approve(ret=ret, by=reviewer, comment="")
                        _backdate(ret, submitted, reviewed=ctx.at(review_day, 16))
                    counts["filed"] += 1
            if number == len(past) - 1 and not ctx.scale:
                compiled = min(due.due_on + dt.timedelta(days=REVIEW_DAYS), today)
                for template in forms:
                    ret = _file(campaign=campaign, template=template, unit=None, cutoff=cutoff, by=reviewer)
                    _backdate(ret, None, computed=ctx.at(compiled, 17))
                    counts["district"] += 1
        if late_unit is not None:  # the chief reopened the period for the late 所; the record says so
            CampaignDueDate.objects.filter(pk=due.pk).update(
                reopened_by=chief, reopened_at=ctx.at(due.due_on + dt.timedelta(days=1), 9))
    upcoming = next((d for d in dues if d.due_on >= today), None)
    if upcoming is not None and filers and (upcoming.due_on - today).days <= DRAFT_WINDOW_DAYS:
        cutoff = min(upcoming.due_on - dt.timedelta(days=5), today - dt.timedelta(days=1))
        if cutoff >= campaign.start_date:
            unit = next((u for u in filers if u.kind == UnitKind.STATION), filers[0])
            with _Opened(upcoming):
                ret = _file(campaign=campaign, template=forms[0], unit=unit, cutoff=cutoff, by=members[unit.pk])
            _backdate(ret, None, computed=ctx.at(cutoff + dt.timedelta(days=1), 15))
            counts["draft"] += 1
    return (f"{campaign.year} 年专项报表 {counts['filed']} 份（{len(past)} 个已过报送期限；逾期上报 {counts['late']} 个单位、"
            f"退回 {counts['returned']} 份、待审核 {counts['pending']} 份），全区汇总 {counts['district']} 份，"
            f"下一期草稿 {counts['draft']} 份")


def _seed_snapshots(ctx) -> str:
    """The cockpit's quarter snapshots of this year's ended quarters, as beat takes them the night after."""
    taken = []
    for quarter in (1, 2, 3, 4):
        if not Period(ctx.year, quarter, ctx.today).ended or snapshot_current(ctx.year, quarter) is not None:
            continue
        snapshot = snapshot_take(year=ctx.year, quarter=quarter, today=ctx.today)
        night = _at(quarter_end(ctx.year, quarter) + dt.timedelta(days=1), hour=1)
        QuarterSnapshot.objects.filter(pk=snapshot.pk).update(taken_at=night)
        taken.append(quarter)
    return f"驾驶舱季度快照 {len(taken)} 个"
