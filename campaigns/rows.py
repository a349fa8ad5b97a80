"""Which enterprises belong to a form row, and which records fall in a campaign's scope.

A row selects enterprises by its link (``enterprises.links.link_q``) and its tags. A record (an
inspection, 约谈, 移交 or case) is in a campaign's scope when its enterprise belongs to any row of the
campaign's forms and its date lies inside the campaign's window. Defined once here; the metrics and the
校验提示 (reporting), the campaign pre-selection on record entry and the demo linking all use it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet

from campaigns.models import Campaign, FormRow
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


def campaign_enterprises_q(campaign: Campaign, tags: TagIndex | None = None, enterprise_path: str = "") -> Q:
    """Records (or enterprises, with an empty path) whose enterprise belongs to a row of the campaign's forms.

    A campaign without forms selects nothing; a row without link or tags selects every enterprise.
    """
    tags = tags or TagIndex()
    rows = FormRow.objects.filter(template__in=campaign.forms.all()).order_by("template_id", "order")
    conditions = [row_q(row, tags, enterprise_path) for row in rows]
    if not conditions:
        return Q(**{f"{enterprise_path}pk__in": []})
    if any(not condition for condition in conditions):  # an empty Q selects everything
        return Q()
    return reduce(or_, conditions)


def in_campaign_scope(
    queryset: QuerySet, *, campaign: Campaign, date_field: str, enterprise_path: str = "enterprise__",
    tags: TagIndex | None = None,
) -> QuerySet:
    """The records of ``queryset`` in the campaign's scope: enterprise in its rows, date in its window.

    Linked or not: callers narrow further (e.g. ``.exclude(campaigns=campaign)`` for the unlinked ones).
    """
    return queryset.filter(
        campaign_enterprises_q(campaign, tags, enterprise_path),
        **{f"{date_field}__gte": campaign.start_date, f"{date_field}__lte": campaign.end_date},
    )


def campaigns_covering(enterprise: Enterprise | int, on_date: dt.date) -> list[Campaign]:
    """Running campaigns whose window contains ``on_date`` and whose form rows contain the enterprise.

    What a record of that enterprise on that day should be linked to (pre-selected on entry; listed in
    the return's 校验提示 when it is not). One query per running campaign of that day (a handful).
    """
    pk = enterprise.pk if isinstance(enterprise, Enterprise) else enterprise
    candidates = Campaign.objects.filter(is_active=True, start_date__lte=on_date, end_date__gte=on_date)
    tags = TagIndex()
    return [
        campaign for campaign in candidates.order_by("start_date", "pk")
        if Enterprise.objects.filter(campaign_enterprises_q(campaign, tags), pk=pk).exists()
    ]
