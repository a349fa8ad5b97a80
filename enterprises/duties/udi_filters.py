"""FilterSets of the UDI rollout, shared by the list pages, their exports and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.duties.choices import UdiBatch, UdiCoding, UdiStatus
from enterprises.filters import OrderingFilter, _StyledFilterSet
from enterprises.models import Enterprise, ManufacturerUdi, Unit
from regsys.validators import MAX_YEAR, MIN_YEAR


def year_of(params) -> int:
    """The year a UDI list shows (``?year=``; this year when missing or out of range)."""
    try:
        year = int(params.get("year") or "")
    except (TypeError, ValueError):
        return timezone.localdate().year
    return year if MIN_YEAR <= year <= MAX_YEAR else timezone.localdate().year


def year_choices() -> list[tuple[int, str]]:
    this = timezone.localdate().year
    return [(str(y), f"{y}年") for y in range(this + 1, this - 4, -1)]


class HospitalUdiFilterSet(_StyledFilterSet):
    """On :func:`enterprises.duties.udi_selectors.hospitals_with_udi` (the year is read by the caller)."""

    year = django_filters.ChoiceFilter(label=_("年度"), choices=year_choices, method="keep", empty_label=None)
    q = django_filters.CharFilter(label=_("搜索"), method="filter_q", help_text=_("医院名称或统一社会信用代码"))
    unit = django_filters.ModelChoiceFilter(label=_("监管单位"), field_name="owning_unit", queryset=Unit.objects.all(),
                                            empty_label=_("全部单位"))
    status = django_filters.ChoiceFilter(label=_("UDI应用状态"), field_name="udi_status", choices=UdiStatus.choices,
                                         empty_label=_("全部"))
    o = OrderingFilter(
        label=_("排序"), fields=(("name", "name"), ("udi_status_on", "status_on")),
        field_labels={"name": _("医院名称"), "udi_status_on": _("状态日期")},
    )

    class Meta:
        model = Enterprise
        fields = ["year", "q", "unit", "status"]

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.form.fields["year"].initial = str(year_of(data or {}))  # an unbound form shows this year

    def keep(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return queryset

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(credit_code__icontains=value.upper()))


class ManufacturerUdiFilterSet(_StyledFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="filter_q", help_text=_("企业名称、信用代码或产品"))
    unit = django_filters.ModelChoiceFilter(label=_("监管单位"), field_name="enterprise__owning_unit",
                                            queryset=Unit.objects.all(), empty_label=_("全部单位"))
    batch = django_filters.ChoiceFilter(label=_("实施批次"), choices=UdiBatch.choices, empty_label=_("全部"))
    coding = django_filters.ChoiceFilter(label=_("赋码情况"), choices=UdiCoding.choices, empty_label=_("全部"))

    class Meta:
        model = ManufacturerUdi
        fields = ["q", "unit", "batch", "coding"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(enterprise__name__icontains=value) | Q(enterprise__credit_code__icontains=value.upper())
                               | Q(products__icontains=value))


def filtered(request, *, queryset: QuerySet, filterset_class):
    """(filterset, rows): the rows as filtered, or all of them when the filters are invalid."""
    filterset = filterset_class(request.GET or None, queryset=queryset, request=request)
    rows = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
    return filterset, rows
