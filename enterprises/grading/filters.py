"""FilterSets shared by the grade pages, the API and the Excel exports."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enterprises.filters import OrderingFilter
from enterprises.grading.choices import CreditKind, GradeStatus, Sector
from enterprises.models import CreditRecord, EnterpriseGrade, GradeLevel, Unit
from regsys.filters import IntegerFilter


def yes_no_widget() -> forms.Select:
    """A yes/no filter whose empty choice reads 全部 (the default reads 未知, which confuses users)."""
    return forms.Select(choices=[("", _("全部")), ("true", _("是")), ("false", _("否"))])


def level_choices() -> list[tuple[str, str]]:
    """Level codes (stable across years) named as in the latest scheme, e.g. o1 → 经营一级."""
    levels: dict[str, str] = {}
    for level in GradeLevel.objects.order_by("-scheme__year", "sector", "-rank"):
        levels.setdefault(level.code, str(level))
    return list(levels.items())


def date_widget() -> forms.DateInput:
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def _search(queryset, name, value):
    if not value:
        return queryset
    return queryset.filter(
        Q(enterprise__name__icontains=value) | Q(enterprise__credit_code__icontains=value)
    )


class GradeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("企业名称/信用代码"), method=_search)
    year = IntegerFilter(label=_("年度"))
    unit = django_filters.ModelChoiceFilter(
        label=_("监管单位"), field_name="enterprise__owning_unit", queryset=Unit.objects.all()
    )
    sector = django_filters.ChoiceFilter(label=_("环节"), choices=Sector.choices)
    level = django_filters.ChoiceFilter(label=_("监管等级"), field_name="level__code", choices=level_choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=GradeStatus.choices)
    is_key = django_filters.BooleanFilter(label=_("年度重点监管"), widget=yes_no_widget())
    changed = django_filters.BooleanFilter(label=_("人工调整"), method="filter_changed", widget=yes_no_widget())
    o = OrderingFilter(
        label=_("排序"),
        fields=(("enterprise__name", "enterprise"), ("level__rank", "level"), ("status", "status"),
                ("enterprise__owning_unit__sort_order", "unit"), ("approved_at", "approved_at")),
        field_labels={"enterprise": _("企业"), "level": _("等级"), "status": _("状态"), "unit": _("单位"),
                      "approved_at": _("审批时间")},
    )

    class Meta:
        model = EnterpriseGrade
        fields = ["q", "year", "unit", "sector", "level", "status", "is_key"]

    def filter_changed(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.exclude(change_reason="") if value else queryset.filter(change_reason="")


class CreditRecordFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("企业名称/信用代码"), method=_search)
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=CreditKind.choices)
    unit = django_filters.ModelChoiceFilter(
        label=_("监管单位"), field_name="enterprise__owning_unit", queryset=Unit.objects.all()
    )
    recorded_after = django_filters.DateFilter(label=_("记录日期起"), field_name="recorded_on", lookup_expr="gte",
                                            widget=date_widget())
    recorded_before = django_filters.DateFilter(label=_("记录日期止"), field_name="recorded_on", lookup_expr="lte",
                                             widget=date_widget())
    o = OrderingFilter(
        label=_("排序"), fields=(("recorded_on", "recorded_on"), ("enterprise__name", "enterprise")),
        field_labels={"recorded_on": _("记录日期"), "enterprise": _("企业")},
    )

    class Meta:
        model = CreditRecord
        fields = ["q", "kind", "unit"]
