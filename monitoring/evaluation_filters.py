"""The FilterSet of the evaluation list, shared by the page and the API."""

from __future__ import annotations

import django_filters as filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from monitoring.choices import Causality, EvaluationStatus, EvaluationTrigger
from monitoring.models import Evaluation

ALL = _("全部")
DATE = forms.DateInput(attrs={"type": "date"})


class EvaluationFilterSet(filters.FilterSet):
    q = filters.CharFilter(label=_("报告编码/产品/批号/企业"), method="filter_q")
    status = filters.ChoiceFilter(label=_("状态"), choices=EvaluationStatus.choices, empty_label=ALL)
    trigger = filters.ChoiceFilter(label=_("触发原因"), choices=EvaluationTrigger.choices, empty_label=ALL)
    causality = filters.ChoiceFilter(label=_("关联性"), choices=Causality.choices, empty_label=ALL)
    overdue = filters.BooleanFilter(label=_("逾期未评价"), method="filter_overdue",
                                    widget=forms.Select(choices=[("", ALL), ("true", _("是")), ("false", _("否"))]))
    opened_from = filters.DateFilter(label=_("立项日期自"), field_name="opened_on", lookup_expr="gte", widget=DATE)
    opened_to = filters.DateFilter(label=_("立项日期至"), field_name="opened_on", lookup_expr="lte", widget=DATE)

    class Meta:
        model = Evaluation
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        match = (Q(reports__code__icontains=value) | Q(reports__product_name__icontains=value)
                 | Q(reports__batch__icontains=value) | Q(reports__reporter_name__icontains=value)
                 | Q(reports__registrant_name__icontains=value))
        return queryset.filter(pk__in=Evaluation.objects.filter(match).values("pk"))

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = Q(status=EvaluationStatus.OPEN, due_on__lt=timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)
