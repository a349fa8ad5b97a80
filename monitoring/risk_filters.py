"""FilterSets of the consultation pages, shared by the pages, the API and the register's export."""

from __future__ import annotations

import django_filters as filters
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.models import Unit
from monitoring import risk_selectors as selectors
from monitoring.choices import RiskLevel, RiskSource, RiskStatus
from monitoring.models import Risk, RiskMeeting

ALL = _("全部")
YES_NO = forms.Select(choices=[("", ALL), ("true", _("是")), ("false", _("否"))])
DATE = forms.DateInput(attrs={"type": "date"})
QUARTERS = [(q, f"第{q}季度") for q in (1, 2, 3, 4)]
YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


class MeetingFilterSet(filters.FilterSet):
    year = filters.NumberFilter(label=_("年度"), validators=YEAR_VALIDATORS)
    quarter = filters.ChoiceFilter(label=_("季度"), choices=QUARTERS, empty_label=ALL)

    class Meta:
        model = RiskMeeting
        fields: list[str] = []


class RiskFilterSet(filters.FilterSet):
    """年度/季度 select the quarter's register: its new risks and those carried over into it (结转)."""

    q = filters.CharFilter(label=_("风险点/企业/产品"), method="filter_q")
    year = filters.NumberFilter(label=_("年度"), method="filter_period", validators=YEAR_VALIDATORS)
    quarter = filters.ChoiceFilter(label=_("季度"), choices=QUARTERS, empty_label=ALL, method="filter_period")
    status = filters.ChoiceFilter(label=_("状态"), choices=RiskStatus.choices, empty_label=ALL)
    level = filters.ChoiceFilter(label=_("风险等级"), choices=RiskLevel.choices, empty_label=ALL)
    source_kind = filters.ChoiceFilter(label=_("风险来源"), choices=RiskSource.choices, empty_label=ALL)
    owner_unit = filters.ModelChoiceFilter(label=_("责任单位"), queryset=Unit.objects.order_by("sort_order", "code"),
                                           empty_label=ALL)
    escalated = filters.BooleanFilter(label=_("上报一级"), widget=YES_NO)
    overdue = filters.BooleanFilter(label=_("逾期"), method="filter_overdue", widget=YES_NO)
    carried = filters.BooleanFilter(label=_("结转"), method="filter_carried", widget=YES_NO)
    # Dated questions of the register (the cockpit's risk figures drill here).
    meeting_year = filters.NumberFilter(label=_("纳入会商年度"), field_name="meeting__year", validators=YEAR_VALIDATORS)
    closed_from = filters.DateFilter(label=_("销号日期自"), field_name="closed_on", lookup_expr="gte", widget=DATE)
    closed_to = filters.DateFilter(label=_("销号日期至"), field_name="closed_on", lookup_expr="lte", widget=DATE)
    open_on = filters.DateFilter(label=_("截至该日未销号"), method="filter_open_on", widget=DATE)
    overdue_on = filters.DateFilter(label=_("截至该日逾期未销号"), method="filter_overdue_on", widget=DATE)

    class Meta:
        model = Risk
        fields: list[str] = []

    def _period(self) -> tuple[int | None, int | None]:
        data = getattr(self.form, "cleaned_data", {})
        quarter = data.get("quarter")
        return data.get("year"), int(quarter) if quarter else None

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(Q(risk_point__icontains=value) | Q(enterprise__name__icontains=value)
                               | Q(product__icontains=value) | Q(source_label__icontains=value))

    def filter_period(self, queryset, name, value):
        if name == "quarter":  # applied once, from the year's filter (or here without a year)
            year, quarter = self._period()
            if year is not None or quarter is None:
                return queryset
            return queryset.filter(meeting__quarter=quarter)
        year, quarter = self._period()
        if year is None:
            return queryset
        year = int(year)
        if quarter is None:
            return queryset.filter(Q(meeting__year=year) | Q(pk__in=selectors.risks_carried_into(
                Risk.objects.all(), year=year, quarter=1).values("pk")))
        return selectors.risks_in_quarter(queryset, year=year, quarter=quarter)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = selectors.risks_overdue(Risk.objects.all(), today=timezone.localdate()).values("pk")
        return queryset.filter(pk__in=late) if value else queryset.exclude(pk__in=late)

    def filter_open_on(self, queryset, name, value):
        return selectors.risks_open_at(queryset, day=value) if value else queryset

    def filter_overdue_on(self, queryset, name, value):
        return selectors.risks_overdue_at(queryset, day=value) if value else queryset

    def filter_carried(self, queryset, name, value):
        """结转: into the selected quarter (year + quarter given), else as of today."""
        if value is None:
            return queryset
        year, quarter = self._period()
        if year is not None and quarter is not None:
            carried = selectors.risks_carried_into(Risk.objects.all(), year=int(year), quarter=quarter)
        else:
            carried = selectors.risks_carried_now(Risk.objects.all(), today=timezone.localdate())
        ids = carried.values("pk")
        return queryset.filter(pk__in=ids) if value else queryset.exclude(pk__in=ids)
