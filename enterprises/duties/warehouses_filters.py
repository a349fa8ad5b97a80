"""FilterSets of the 委托生产 pairs and the 异地设库 warehouses, shared by the list pages, their exports and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from enterprises.filters import _StyledFilterSet
from enterprises.models import ContractManufacturing, Subdistrict, Unit, Warehouse

YES_NO = (("yes", _("是")), ("no", _("否")))
STATE_CHOICES = (("active", _("有效")), ("ended", _("已终止")))


def _yes(value: str) -> bool:
    return value == "yes"


class PairFilterSet(_StyledFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="filter_q", help_text=_("企业名称、产品或注册证编号"))
    unit = django_filters.ModelChoiceFilter(label=_("监管单位"), queryset=Unit.objects.all(), method="filter_unit",
                                            empty_label=_("全部单位"))
    state = django_filters.ChoiceFilter(label=_("委托关系"), choices=STATE_CHOICES, method="filter_state",
                                        empty_label=_("全部"))
    cross_region = django_filters.ChoiceFilter(label=_("跨区域委托"), choices=YES_NO, method="filter_cross",
                                               empty_label=_("全部"))

    class Meta:
        model = ContractManufacturing
        fields = ["q", "unit", "state", "cross_region"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(registrant_name__icontains=value) | Q(manufacturer_name__icontains=value)
                               | Q(product__icontains=value) | Q(registration_number__icontains=value))

    def filter_unit(self, queryset: QuerySet, name: str, value: Unit) -> QuerySet:
        return queryset.filter(Q(registrant__owning_unit=value) | Q(manufacturer__owning_unit=value))

    def filter_state(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(is_active=value == "active") if value else queryset

    def filter_cross(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(cross_region=_yes(value)) if value else queryset


class WarehouseFilterSet(_StyledFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="filter_q", help_text=_("设库企业、库房地址或许可编号"))
    unit = django_filters.ModelChoiceFilter(label=_("日常监管单位"), field_name="daily_unit",
                                            queryset=Unit.objects.all(), empty_label=_("全部单位"))
    subdistrict = django_filters.ModelChoiceFilter(label=_("街道/镇"), queryset=Subdistrict.objects.all(),
                                                   empty_label=_("全部街道/镇"))
    monitoring = django_filters.ChoiceFilter(label=_("计算机远程监控"), choices=YES_NO, method="filter_monitoring",
                                             empty_label=_("全部"))
    accepted = django_filters.ChoiceFilter(label=_("药械科验收"), choices=YES_NO, method="filter_accepted",
                                           empty_label=_("全部"))
    active = django_filters.ChoiceFilter(label=_("在用"), choices=YES_NO, method="filter_active", empty_label=_("全部"))

    class Meta:
        model = Warehouse
        fields = ["q", "unit", "subdistrict", "monitoring", "accepted", "active"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(home_name__icontains=value) | Q(address__icontains=value)
                               | Q(home_licence_no__icontains=value) | Q(enterprise__name__icontains=value))

    def filter_monitoring(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(remote_monitoring=_yes(value)) if value else queryset

    def filter_accepted(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(accepted_on__isnull=not _yes(value)) if value else queryset

    def filter_active(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(is_active=_yes(value)) if value else queryset


def filtered(request, *, queryset: QuerySet, filterset_class):
    """The FilterSet and its rows: all when unfiltered, none when a filter is invalid (page and export alike)."""
    filterset = filterset_class(request.GET or None, queryset=queryset, request=request)
    if not filterset.is_bound:
        return filterset, queryset
    return filterset, (filterset.qs if filterset.is_valid() else queryset.none())
