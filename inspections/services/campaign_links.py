"""Which campaigns a record (inspection, 约谈, 移送/移交) is linked to, and whether the link can count.

A record counts in a campaign's return only when it is linked to the campaign, dated inside the
campaign's window and its enterprise sits in one of the campaign's form rows (``reporting.metrics``).
So a new record is linked by default to the campaigns ``campaigns.rows.campaigns_covering`` names (the
one rule), plus, for a record made from an inspection or a case, that source's campaigns whose window
contains the record's date. A link dated outside the window is refused (it would never count); a link
whose enterprise is not in the campaign's rows is kept with a warning (``campaign_link_warnings``).
"""

from __future__ import annotations

import enum
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from campaigns.rows import campaigns_covering
from enterprises.models import Enterprise, User
from inspections.models import Inspection, Interview, Referral
from regsys.scoping import referable


class ByRule(enum.Enum):
    """The caller named no campaigns: link the record to the default ones (``campaigns_default``)."""

    BY_RULE = "by_rule"


BY_RULE = ByRule.BY_RULE

# What a service accepts for ``campaigns``: BY_RULE (the default), None or [] (no campaign), or a list.
CampaignsArg = list[Campaign] | None | ByRule


def in_window(campaign: Campaign, on_date: date) -> bool:
    return campaign.start_date <= on_date <= campaign.end_date


def campaigns_default(
    *, enterprise: Enterprise, on_date: date, by: User, source=None,
) -> list[Campaign]:
    """The campaigns a new record of ``enterprise`` dated ``on_date`` is linked to unless the user says otherwise.

    ``source`` is the inspection or case the record is made from (its campaigns are kept when the
    date is inside their window). Only campaigns ``by`` may name (``regsys.scoping.referable``).
    """
    chosen = {c.pk: c for c in campaigns_covering(enterprise, on_date)}
    if source is not None:
        for campaign in source.campaigns.all():
            if in_window(campaign, on_date):
                chosen.setdefault(campaign.pk, campaign)
    if not chosen:
        return []
    allowed = set(referable(Campaign.objects.filter(pk__in=list(chosen)), by).values_list("pk", flat=True))
    return sorted((c for pk, c in chosen.items() if pk in allowed), key=lambda c: (c.start_date, c.pk))


def check_campaign_windows(campaigns, on_date: date, date_label: str) -> None:
    """A record dated outside a linked campaign's window would never count in its returns: refuse it."""
    problems = [
        _("%(label)s%(day)s不在专项整治“%(name)s”的起止日期（%(start)s至%(end)s）内，不会计入其报表，请取消勾选或更正日期")
        % {"label": date_label, "day": on_date.isoformat(), "name": c.name, "start": c.start_date.isoformat(),
           "end": c.end_date.isoformat()}
        for c in campaigns if not in_window(c, on_date)
    ]
    if problems:
        raise ValidationError({"campaigns": problems})


def campaigns_resolve(
    campaigns: CampaignsArg, *, enterprise: Enterprise, on_date: date, by: User, date_label: str, source=None,
) -> list[Campaign]:
    """The campaigns to link a new record to: the default for BY_RULE, none for None, else the list checked."""
    if campaigns is BY_RULE:
        return campaigns_default(enterprise=enterprise, on_date=on_date, by=by, source=source)
    chosen = list(campaigns or [])
    check_campaign_windows(chosen, on_date, date_label)
    return chosen


def campaign_link_warnings(*, enterprise: Enterprise, on_date: date, campaigns) -> list[str]:
    """Warnings for links that stay but will not count: the enterprise is not in a running campaign's rows."""
    linked = [c for c in campaigns if c.is_active and in_window(c, on_date)]
    if not linked:
        return []
    covering = {c.pk for c in campaigns_covering(enterprise, on_date)}
    return [
        _("企业“%(enterprise)s”不在专项整治“%(name)s”报表的整治项目内，该记录不会计入其报表")
        % {"enterprise": enterprise.name, "name": c.name}
        for c in linked if c.pk not in covering
    ]


# The date that puts each kind of record in a campaign's window (as reporting.metrics counts it).
RECORD_DATE_FIELDS = {Inspection: "start_date", Interview: "held_on", Referral: "referred_on"}


def record_warnings(record: Inspection | Interview | Referral) -> list[str]:
    """``campaign_link_warnings`` of a saved inspection, interview or referral."""
    on_date = getattr(record, RECORD_DATE_FIELDS[type(record)])
    return campaign_link_warnings(enterprise=record.enterprise, on_date=on_date, campaigns=record.campaigns.all())
