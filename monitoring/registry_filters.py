"""FilterSets of the registry-side AE inputs, shared by the list pages, their Excel exports and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from enterprises.filters import _StyledFilterSet
from enterprises.models import Enterprise, Subdistrict, Unit
from monitoring.models import PopulationFigure, RegistrantRegistration, TrainingCourse
from monitoring.registry_selectors import registered_q
from regsys.filters import IntegerFilter
from regsys.validators import MAX_YEAR, MIN_YEAR

REGISTERED_CHOICES = (("yes", _("已注册")), ("no", _("未注册")))


class RegistrantFilterSet(_StyledFilterSet):
    """The registrant registration list: every 注册人/备案人 with its registration (or none yet)."""

    q = django_filters.CharFilter(label=_("搜索"), method="filter_q", help_text=_("企业名称或统一社会信用代码"))
    unit = django_filters.ModelChoiceFilter(
        label=_("监管单位"), field_name="owning_unit", queryset=Unit.objects.all(), empty_label=_("全部单位"),
    )
    subdistrict = django_filters.ModelChoiceFilter(
        label=_("街道/镇"), queryset=Subdistrict.objects.all(), empty_label=_("全部街道/镇"),
    )
    registered = django_filters.ChoiceFilter(
        label=_("注册情况"), choices=REGISTERED_CHOICES, method="filter_registered", empty_label=_("全部"),
    )

    class Meta:
        model = Enterprise
        fields = ["q", "unit", "subdistrict", "registered"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(credit_code__icontains=value.upper()))

    def filter_registered(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(registered_q(value == "yes")) if value else queryset


class RegistrationFilterSet(django_filters.FilterSet):
    """The API's registration records (rows exist once a registrant was edited or ensured)."""

    registered = django_filters.BooleanFilter(label=_("已注册"))
    unit = django_filters.ModelChoiceFilter(label=_("监管单位"), field_name="enterprise__owning_unit",
                                            queryset=Unit.objects.all())
    enterprise = IntegerFilter(label=_("企业ID"), field_name="enterprise_id")

    class Meta:
        model = RegistrantRegistration
        fields = ["registered", "unit", "enterprise"]


class PopulationFilterSet(django_filters.FilterSet):
    year = IntegerFilter(label=_("年度"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    unit = django_filters.ModelChoiceFilter(label=_("监管所"), field_name="subdistrict__unit",
                                            queryset=Unit.objects.all())
    subdistrict = django_filters.ModelChoiceFilter(label=_("街道/镇"), queryset=Subdistrict.objects.all())

    class Meta:
        model = PopulationFigure
        fields = ["year", "unit", "subdistrict"]


class TrainingFilterSet(_StyledFilterSet):
    year = IntegerFilter(label=_("年度"), field_name="held_on__year", min_value=MIN_YEAR, max_value=MAX_YEAR)
    unit = django_filters.ModelChoiceFilter(
        label=_("组织单位"), field_name="unit", queryset=Unit.objects.all(), empty_label=_("全部单位"),
    )
    q = django_filters.CharFilter(label=_("搜索"), method="filter_q", help_text=_("培训主题、地点或参训企业"))

    class Meta:
        model = TrainingCourse
        fields = ["year", "unit", "q"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        attended = TrainingCourse.objects.filter(attendances__enterprise__name__icontains=value).values("pk")
        return queryset.filter(Q(topic__icontains=value) | Q(location__icontains=value) | Q(pk__in=attended))
