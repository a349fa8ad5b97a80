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
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.models import Campaign
from campaigns.rows import campaigns_covering
from enterprises.models import Enterprise, User
from inspections.models import Inspection, Interview, Referral
from regsys.scoping import referable, require_edit
from regsys.versioning import version_lock

from ._common import save_with_history


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
RECORD_DATE_LABELS = {Inspection: gettext_lazy("检查日期"), Interview: gettext_lazy("约谈日期"),
                      Referral: gettext_lazy("移送日期")}
REASON_MAX = 100  # django-simple-history keeps the change reason in 100 characters


def _names(campaigns) -> str:
    return "、".join(c.name for c in campaigns) or _("无")


def _relink_reason(old: list[Campaign], new: list[Campaign]) -> str:
    """“所属专项整治：旧 → 新”, each side shortened evenly when the names do not fit the history row."""
    prefix, arrow = _("所属专项整治："), " → "
    before, after = _names(old), _names(new)
    room = REASON_MAX - len(prefix) - len(arrow)
    if len(before) + len(after) > room:
        half = room // 2
        before = before if len(before) <= half else before[: half - 1] + "…"
        after = after if len(after) <= room - len(before) else after[: room - len(before) - 1] + "…"
    return f"{prefix}{before}{arrow}{after}"


@transaction.atomic
def campaigns_relink(
    *, record: Inspection | Interview | Referral, campaigns: list[Campaign], by: User, version: int | None = None,
) -> Inspection | Interview | Referral:
    """Set the campaigns a saved inspection (locked or not), 约谈 or 移送/移交 is linked to.

    The link decides which returns count the record; it changes none of the record's facts, so a
    finalised inspection needs no 更正: whoever may edit the record (``regsys.scoping.require_edit``)
    may relink it. A campaign whose window does not contain the record's date is refused; a linked
    campaign the user may not name (``referable``) stays linked. The change is kept in the record's
    history (who, when, old → new). Unchanged links write nothing. ``version``: a stale one raises
    ``EditConflict`` (records without a version are only locked).
    """
    require_edit(by, record)
    model = type(record)
    has_version = hasattr(record, "version")
    record = version_lock(record, version=version if has_version else None)
    on_date = getattr(record, RECORD_DATE_FIELDS[model])
    old = sorted(record.campaigns.all(), key=lambda c: (c.start_date, c.pk))
    chosen = {c.pk: c for c in campaigns}
    check_campaign_windows(list(chosen.values()), on_date, str(RECORD_DATE_LABELS[model]))
    nameable = set(referable(Campaign.objects.filter(pk__in=[c.pk for c in old]), by).values_list("pk", flat=True))
    for campaign in old:
        if campaign.pk not in nameable:
            chosen.setdefault(campaign.pk, campaign)
    new = sorted(chosen.values(), key=lambda c: (c.start_date, c.pk))
    if [c.pk for c in new] == [c.pk for c in old]:
        return record
    record.campaigns.set(new)
    save_with_history(record, by=by, reason=_relink_reason(old, new),
                      update_fields=["version"] if has_version else None)
    return record


def record_warnings(record: Inspection | Interview | Referral) -> list[str]:
    """``campaign_link_warnings`` of a saved inspection, interview or referral."""
    on_date = getattr(record, RECORD_DATE_FIELDS[type(record)])
    return campaign_link_warnings(enterprise=record.enterprise, on_date=on_date, campaigns=record.campaigns.all())
