"""The suspension list's filters, shared by the page, its export and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enterprises.filters import _StyledFilterSet
from enterprises.models import ProductionSuspension, SuspensionKind, Unit

STATE_CHOICES = [("open", _("停产中")), ("closed", _("已复产"))]


class SuspensionFilterSet(_StyledFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="filter_q")
    unit = django_filters.ModelChoiceFilter(label=_("监管单位"), field_name="enterprise__owning_unit",
                                            queryset=Unit.objects.all(), empty_label=_("全部单位"))
    kind = django_filters.ChoiceFilter(label=_("停产类型"), choices=SuspensionKind.choices, empty_label=_("全部类型"))
    state = django_filters.ChoiceFilter(label=_("状态"), method="filter_state", choices=STATE_CHOICES,
                                        empty_label=_("全部"))

    class Meta:
        model = ProductionSuspension
        fields = ["q", "unit", "kind", "state"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(enterprise__name__icontains=value) | Q(enterprise__credit_code__icontains=value)
                               | Q(reason__icontains=value) | Q(source_label__icontains=value))

    def filter_state(self, queryset, name, value):
        return queryset.filter(resumed_on__isnull=(value == "open"))
