"""The FilterSet of complaints and public opinion, shared by the page, the API and the export."""

from __future__ import annotations

import django_filters as filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enterprises.models import Unit
from monitoring.choices import ComplaintKind
from monitoring.models import Complaint
from regsys.scoping import referable

ALL = _("全部")
DATE = forms.DateInput(attrs={"type": "date"})
SUBSTANTIATED = [("", ALL), ("true", _("属实")), ("false", _("不属实")), ("unknown", _("未核查"))]


def _units(request):
    user = getattr(request, "user", None)
    return referable(Unit.objects.order_by("sort_order", "code"), user)


class ComplaintFilterSet(filters.FilterSet):
    q = filters.CharFilter(label=_("企业/产品/摘要/编号"), method="filter_q")
    kind = filters.ChoiceFilter(label=_("类别"), choices=ComplaintKind.choices, empty_label=ALL)
    unit = filters.ModelChoiceFilter(label=_("承办单位"), queryset=_units, empty_label=ALL)
    received_from = filters.DateFilter(label=_("受理日期自"), field_name="received_on", lookup_expr="gte",
                                       widget=DATE)
    received_to = filters.DateFilter(label=_("受理日期至"), field_name="received_on", lookup_expr="lte", widget=DATE)
    substantiated = filters.ChoiceFilter(label=_("核查结论"), choices=SUBSTANTIATED[1:], empty_label=ALL,
                                         method="filter_substantiated")
    open = filters.BooleanFilter(label=_("办理状态"), method="filter_open", widget=forms.Select(
        choices=[("", ALL), ("true", _("办理中")), ("false", _("已办结"))]))
    enterprise = filters.NumberFilter(label=_("涉及企业"), field_name="enterprise_id")

    class Meta:
        model = Complaint
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(subject_name__icontains=value) | Q(enterprise__name__icontains=value) | Q(product__icontains=value)
            | Q(summary__icontains=value) | Q(reference__icontains=value) | Q(source__icontains=value))

    def filter_substantiated(self, queryset, name, value):
        if value == "unknown":
            return queryset.filter(substantiated__isnull=True)
        if value in ("true", "false"):
            return queryset.filter(substantiated=(value == "true"))
        return queryset

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(handled_on__isnull=value)
