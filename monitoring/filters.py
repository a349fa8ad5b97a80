"""FilterSets of AE reports, shared by the list page, the API and the Excel export."""

from __future__ import annotations

import django_filters as filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from enterprises.models import Unit
from inspections.filters import ScopedUnitsMixin
from monitoring.choices import EventOutcome, ReporterKind, ReporterMatch
from monitoring.models import AdverseEventReport
from regsys.filters import IntegerFilter
from regsys.validators import MAX_YEAR, MIN_YEAR

ALL = _("全部")
QUARTERS = [("1", _("第一季度")), ("2", _("第二季度")), ("3", _("第三季度")), ("4", _("第四季度"))]
MATCHED = [("matched", _("已匹配或无需匹配")), ("unmatched", _("未匹配"))]
YES_NO = [("yes", _("是")), ("no", _("否"))]


class AEReportFilterSet(ScopedUnitsMixin, filters.FilterSet):
    """Search and filter AE reports (page, API and export use this one class)."""

    q = filters.CharFilter(label=_("搜索"), method="filter_q",
                           help_text=_("报告编码、产品名称、报告单位、注册人、注册证编号或批号"))
    year = IntegerFilter(label=_("年度"), field_name="reported_on__year", min_value=MIN_YEAR,
                         max_value=MAX_YEAR)
    quarter = filters.ChoiceFilter(label=_("季度"), choices=QUARTERS, method="filter_quarter", empty_label=ALL)
    unit = filters.ModelChoiceFilter(label=_("所属监管所"), queryset=Unit.objects.all(), empty_label=ALL)
    outcome = filters.ChoiceFilter(label=_("事件后果"), choices=EventOutcome.choices, empty_label=ALL)
    reporter_kind = filters.ChoiceFilter(label=_("报告来源"), choices=ReporterKind.choices, empty_label=ALL)
    matched = filters.ChoiceFilter(label=_("报告单位匹配"), choices=MATCHED, method="filter_matched", empty_label=ALL)
    late = filters.ChoiceFilter(label=_("超时限报告"), choices=YES_NO, method="filter_late", empty_label=ALL)

    class Meta:
        model = AdverseEventReport
        fields = ["q", "year", "quarter", "unit", "outcome", "reporter_kind", "matched", "late"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(code__icontains=value) | Q(product_name__icontains=value) | Q(reporter_name__icontains=value)
            | Q(registrant_name__icontains=value) | Q(registration_number__icontains=value)
            | Q(batch__icontains=value)
        )

    def filter_quarter(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        first = (int(value) - 1) * 3 + 1
        return queryset.filter(reported_on__month__gte=first, reported_on__month__lte=first + 2)

    def filter_matched(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "unmatched":
            return queryset.filter(reporter_match=ReporterMatch.UNMATCHED)
        if value == "matched":
            return queryset.exclude(reporter_match=ReporterMatch.UNMATCHED)
        return queryset

    def filter_late(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value in ("yes", "no"):
            return queryset.filter(is_late=value == "yes")
        return queryset
