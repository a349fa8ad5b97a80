"""FilterSets of the sampling lists, shared by the pages, the API and the exports."""

from __future__ import annotations

import django_filters as filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.filters import limit_choices
from enterprises.models import Unit
from inspections.filters import ScopedUnitsMixin
from monitoring.choices import SampleConclusion, SampleStepKind, SamplingLevel
from monitoring.models import Sample, SamplingTask
from monitoring.sampling_selectors import overdue_q, samples_with_late_steps, task_choices
from regsys.filters import IntegerFilter

ALL = _("全部")
YES_NO = [("", ALL), ("true", _("是")), ("false", _("否"))]
DATE = forms.DateInput(attrs={"type": "date"})
YEAR_RANGE = {"min_value": 2000, "max_value": 2100}


class SamplingTaskFilterSet(filters.FilterSet):
    year = IntegerFilter(label=_("计划年度"), field_name="year", **YEAR_RANGE)
    level = filters.ChoiceFilter(label=_("抽检级别"), choices=SamplingLevel.choices, empty_label=ALL)

    class Meta:
        model = SamplingTask
        fields: list[str] = []


class SampleFilterSet(ScopedUnitsMixin, filters.FilterSet):
    q = filters.CharFilter(label=_("抽样单号/产品/企业/批号"), method="filter_q")
    year = IntegerFilter(label=_("计划年度"), field_name="task__year", **YEAR_RANGE)
    level = filters.ChoiceFilter(label=_("抽检级别"), field_name="task__level", choices=SamplingLevel.choices,
                                 empty_label=ALL)
    task = filters.ModelChoiceFilter(label=_("抽检任务"), queryset=SamplingTask.objects.all(), empty_label=ALL)
    unit = filters.ModelChoiceFilter(label=_("抽样单位"), queryset=Unit.objects.all(), empty_label=ALL)
    conclusion = filters.ChoiceFilter(label=_("检验结论"), choices=SampleConclusion.choices, empty_label=ALL)
    next_step = filters.ChoiceFilter(label=_("待办环节"), choices=SampleStepKind.choices, empty_label=ALL)
    overdue = filters.BooleanFilter(label=_("逾期"), method="filter_overdue", widget=forms.Select(choices=YES_NO))
    # Samples with a step not done on time, due within the dates (the cockpit's 抽检环节按时完成率 drills here).
    late_from = filters.DateFilter(label=_("未按时完成环节期限自"), method="filter_late", widget=DATE)
    late_to = filters.DateFilter(label=_("未按时完成环节期限至"), method="filter_late", widget=DATE)

    class Meta:
        model = Sample
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = kwargs.get("request")
        if request is not None and request.user.is_authenticated:
            limit_choices(self, "task", task_choices(request.user))

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(Q(sample_no__icontains=value) | Q(product_name__icontains=value)
                               | Q(enterprise__name__icontains=value) | Q(batch__icontains=value)
                               | Q(registrant_name__icontains=value))

    def filter_late(self, queryset, name, value):
        data = getattr(self.form, "cleaned_data", {})
        start, end = data.get("late_from"), data.get("late_to")
        if name == "late_from" and end is not None:
            return queryset  # applied once, from the end date's filter
        if start is None and end is None:
            return queryset
        return samples_with_late_steps(queryset, start=start, end=end or timezone.localdate())

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = overdue_q(timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)
