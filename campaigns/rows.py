"""Which enterprises belong to a form row: the row's link (``enterprises.links.link_q``) and its tags.

Defined once here; the metrics (reporting) and the demo linking (campaigns.demo) both use it, and so
does the default campaign of a new record (``campaigns_covering``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import reduce
from operator import or_

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When

from campaigns.models import Campaign, CampaignKind, FormRow, FormTemplate
from enterprises.links import link_q
from enterprises.models import Enterprise, Tag


class TagIndex:
    """Tag codes → ids including descendants; loaded with one query (the tag table is small)."""

    def __init__(self) -> None:
        tags = list(Tag.objects.values_list("id", "code", "parent_id"))
        self._id = {code: pk for pk, code, _parent in tags}
        self._children: dict[int, list[int]] = {}
        for pk, _code, parent in tags:
            if parent:
                self._children.setdefault(parent, []).append(pk)

    def ids(self, codes: Iterable[str]) -> list[int]:
        found: list[int] = []
        stack = [self._id[c] for c in codes if c in self._id]
        while stack:
            pk = stack.pop()
            if pk not in found:
                found.append(pk)
                stack.extend(self._children.get(pk, []))
        return sorted(found)


def row_q(row: FormRow, tags: TagIndex, enterprise_path: str = "") -> Q:
    """Records (or enterprises, with an empty path) whose enterprise belongs to ``row``."""
    through = Enterprise.tags.through
    id_lookup = f"{enterprise_path}id__in" if enterprise_path else "id__in"
    q = link_q(row.link, prefix=enterprise_path)
    if row.tag_codes:
        ids = tags.ids(row.tag_codes)
        q &= Q(**{id_lookup: through.objects.filter(tag_id__in=ids).values("enterprise_id")})
    if row.exclude_tag_codes:
        ids = tags.ids(row.exclude_tag_codes)
        q &= ~Q(**{id_lookup: through.objects.filter(tag_id__in=ids).values("enterprise_id")})
    return q


def campaigns_covering(enterprise: Enterprise, on_date: dt.date) -> list[Campaign]:
    """Running campaigns whose window contains ``on_date`` and whose form rows contain ``enterprise``.

    The one rule for linking a record to a campaign by default (quick entry, the full form, the API,
    interviews and referrals): a record of such an enterprise on such a day counts in the campaign's
    returns only when linked. Five queries whatever the number of campaigns and rows.
    """
    running = list(
        Campaign.objects.filter(is_active=True, start_date__lte=on_date, end_date__gte=on_date)
        .exclude(kind=CampaignKind.ANNUAL)  # an annual data return counts every record: nothing to link
        .prefetch_related("forms__rows").order_by("start_date", "pk")
    )
    rows_of = {c.pk: [row for form in c.forms.all() for row in form.rows.all()] for c in running}
    running = [c for c in running if rows_of[c.pk]]
    if not running:
        return []
    tags = TagIndex()
    flags = {}
    for c in running:
        conditions = [row_q(row, tags) for row in rows_of[c.pk]]
        # a row without link or tags selects every enterprise
        flags[f"c{c.pk}"] = (Value(True) if not all(conditions) else Case(
            When(reduce(or_, conditions), then=Value(True)), default=Value(False), output_field=BooleanField()))
    found = Enterprise.objects.filter(pk=enterprise.pk).annotate(**flags).values(*flags).first() or {}
    return [c for c in running if found.get(f"c{c.pk}")]


# --- the same rule for many records at once (the return's 校验提示 lists in-scope records not linked) ---

def campaign_enterprises_q(
    campaign: Campaign, tags: TagIndex | None = None, enterprise_path: str = "", template: FormTemplate | None = None,
) -> Q:
    """Records (or enterprises, with an empty path) whose enterprise belongs to a row of the campaign's forms
    (of ``template`` alone when given: what one form counts).

    As in ``campaigns_covering``: a campaign without form rows selects nothing; a row without link or
    tags selects every enterprise.
    """
    tags = tags or TagIndex()
    forms = [template] if template is not None else campaign.forms.all()
    rows = FormRow.objects.filter(template__in=forms).order_by("template_id", "order")
    conditions = [row_q(row, tags, enterprise_path) for row in rows]
    if not conditions:
        return Q(**{f"{enterprise_path}pk__in": []})
    if not all(conditions):  # an empty Q selects everything
        return Q()
    return reduce(or_, conditions)


def in_campaign_scope(
    queryset: QuerySet, *, campaign: Campaign, date_field: str, enterprise_path: str = "enterprise__",
    tags: TagIndex | None = None, template: FormTemplate | None = None,
) -> QuerySet:
    """The records of ``queryset`` in the campaign's scope: enterprise in its rows (of ``template`` alone when
    given), date in its window.

    Linked or not (and whether the campaign is still running): callers narrow further, e.g.
    ``.exclude(campaigns=campaign)`` for the records that look in scope but are not linked.
    """
    return queryset.filter(
        campaign_enterprises_q(campaign, tags, enterprise_path, template),
        **{f"{date_field}__gte": campaign.start_date, f"{date_field}__lte": campaign.end_date},
    )
