"""FilterSet of online-sales leads, shared by the list page, the counts page, the API and the Excel export."""

from __future__ import annotations

import django_filters as filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.models import Unit
from inspections.filters import ScopedUnitsMixin
from monitoring.filters import ALL, QUARTERS, YES_NO
from monitoring.leads_choices import LeadResult, LeadStatus
from monitoring.models import OnlineLead
from monitoring.services.leads import overdue_q
from regsys.filters import IntegerFilter
from regsys.validators import MAX_YEAR, MIN_YEAR

RESULTS = [*LeadResult.choices, ("none", _("未核查"))]


class OnlineLeadFilterSet(ScopedUnitsMixin, filters.FilterSet):
    q = filters.CharFilter(label=_("搜索"), method="filter_q", help_text=_("线索编号、店铺、经营主体、产品或涉嫌问题"))
    year = IntegerFilter(label=_("年度"), field_name="pushed_on__year", min_value=MIN_YEAR, max_value=MAX_YEAR)
    quarter = filters.ChoiceFilter(label=_("季度"), choices=QUARTERS, method="filter_quarter", empty_label=ALL)
    platform = filters.CharFilter(label=_("平台"), field_name="platform")
    status = filters.ChoiceFilter(label=_("状态"), choices=LeadStatus.choices, empty_label=ALL)
    result = filters.ChoiceFilter(label=_("核查结果"), choices=RESULTS, method="filter_result", empty_label=ALL)
    unit = filters.ModelChoiceFilter(label=_("承办单位"), queryset=Unit.objects.all(), empty_label=ALL)
    overdue = filters.ChoiceFilter(label=_("逾期未反馈"), choices=YES_NO, method="filter_overdue", empty_label=ALL)

    class Meta:
        model = OnlineLead
        fields = ["q", "year", "quarter", "platform", "status", "result", "unit", "overdue"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(Q(code__icontains=value) | Q(shop_name__icontains=value)
                               | Q(operator_name__icontains=value) | Q(product__icontains=value)
                               | Q(problem__icontains=value))

    def filter_quarter(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        first = (int(value) - 1) * 3 + 1
        return queryset.filter(pushed_on__month__gte=first, pushed_on__month__lte=first + 2)

    def filter_result(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "none":
            return queryset.filter(result="")
        return queryset.filter(result=value) if value else queryset

    def filter_overdue(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        overdue = overdue_q(timezone.localdate())
        if value == "yes":
            return queryset.filter(overdue)
        if value == "no":
            return queryset.exclude(overdue)
        return queryset
