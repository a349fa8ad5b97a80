"""Paging of the HTML lists: the total is exact up to a cap, so a page costs the same at any data size.

A list's total is counted as ``COUNT(*) FROM (… LIMIT cap + 1)``: up to ``LIST_COUNT_CAP`` rows it is the exact
figure; beyond it the page says "1,000 条以上" and links to ``?count=exact`` (统计全部), which counts every row.
Paging beyond the cap still works: each page reads one row more than it shows to know whether a next page
exists.

The API's ``count`` stays exact (its contract): ``ApiPagination`` counts every row, and keeps the figure
until the next write (``kept_count``), so a client paging through a district's lists pays for the count
once per change, not on every page.
"""

from __future__ import annotations

from functools import cached_property

from django.core.exceptions import EmptyResultSet
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from rest_framework.pagination import PageNumberPagination

from regsys import page_parts

LIST_COUNT_CAP = 1000
EXACT_COUNT_PARAM = "count"
EXACT_COUNT_VALUE = "exact"


class CappedPage(Page):
    """A page of a capped list: whether a next page exists comes from the extra row read."""

    def __init__(self, object_list, number, paginator, *, has_more: bool):
        super().__init__(object_list, number, paginator)
        self._has_more = has_more

    def has_next(self) -> bool:
        return self._has_more

    def end_index(self) -> int:
        return self.start_index() + len(self.object_list) - 1 if self.object_list else 0


class CappedPaginator(Paginator):
    """A Paginator whose ``count`` stops at ``cap + 1`` unless ``exact``; ``capped`` says it stopped."""

    def __init__(self, object_list, per_page, *, cap: int | None = None, exact: bool = False, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = LIST_COUNT_CAP if cap is None else cap
        self.exact = exact

    @cached_property
    def count(self) -> int:
        if not hasattr(self.object_list, "order_by"):
            return super().count
        if self.exact:
            return kept_count(self.object_list)
        # Neither the order nor the annotations change how many rows there are: count bare ids.
        return self.object_list.order_by().values("pk")[: self.cap + 1].count()

    @cached_property
    def capped(self) -> bool:
        """More rows than the cap (and the exact figure was not asked for)."""
        return not self.exact and self.count > self.cap

    @property
    def cap_display(self) -> str:
        return f"{self.cap:,}"

    @cached_property
    def num_pages(self) -> int:
        """The pages within the cap when capped (more may follow: the page knows whether it has a next)."""
        if self.capped:
            return -(-self.cap // self.per_page)
        return super().num_pages

    def validate_number(self, number):
        if not self.capped:
            return super().validate_number(number)
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError) as exc:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from exc
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def get_page(self, number):
        """As Paginator.get_page; a page beyond the last row shows the last page within the cap."""
        try:
            return super().get_page(number)
        except EmptyPage:
            return self.page(self.num_pages)

    def page(self, number):
        if not self.capped:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom: bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        return CappedPage(rows[: self.per_page], number, self, has_more=len(rows) > self.per_page)


def list_paginator(request, object_list, per_page: int) -> CappedPaginator:
    """The paginator of an HTML list: capped total unless the request asks ``?count=exact``."""
    exact = request.GET.get(EXACT_COUNT_PARAM) == EXACT_COUNT_VALUE
    return CappedPaginator(object_list, per_page, exact=exact)


def kept_count(queryset) -> int:
    """``queryset.count()``, kept until the next write (``regsys.page_parts``) and shared by every request that
    asks for the same statement: its SQL holds the scope (the unit's ids), the filters and the user where
    they matter."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # a filter no row can match (a year out of range): Django answers 0 without a query
        return queryset.count()
    return page_parts.kept("count", queryset.count, vary=(sql, repr(params)))


class KeptCountPaginator(Paginator):
    """Django's Paginator with the exact count of ``kept_count``."""

    @cached_property
    def count(self) -> int:
        if hasattr(self.object_list, "query"):
            return kept_count(self.object_list)
        return super().count


class ApiPagination(PageNumberPagination):
    """The API's page-number paging (``?page=``, ``count``/``next``/``previous``/``results``); exact counts, kept."""

    django_paginator_class = KeptCountPaginator
