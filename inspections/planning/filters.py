"""FilterSets shared by planning pages, the API and the Excel exports."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enterprises.filters import OrderingFilter
from enterprises.grading.choices import Sector
from enterprises.grading.filters import yes_no_widget
from enterprises.models import Unit
from inspections.choices import InspectionKind, PlanKind, PlanStatus
from inspections.models import AnnualTarget, ConflictOfInterest, InspectionPlan, PlanItem, RandomDraw
from inspections.planning.choices import ItemSource
from regsys.filters import IntegerFilter


def _enterprise_search(queryset, name, value):
    if not value:
        return queryset
    return queryset.filter(Q(enterprise__name__icontains=value) | Q(enterprise__credit_code__icontains=value))


class PlanFilter(django_filters.FilterSet):
    year = IntegerFilter(label=_("年度"))
    unit = django_filters.ModelChoiceFilter(label=_("单位"), queryset=Unit.objects.all())
    kind = django_filters.ChoiceFilter(label=_("计划类型"), choices=PlanKind.choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=PlanStatus.choices)
    o = OrderingFilter(
        label=_("排序"), fields=(("year", "year"), ("unit__sort_order", "unit"), ("status", "status")),
        field_labels={"year": _("年度"), "unit": _("单位"), "status": _("状态")},
    )

    class Meta:
        model = InspectionPlan
        fields = ["year", "unit", "kind", "status"]


class PlanItemFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("企业名称/信用代码"), method=_enterprise_search)
    plan = IntegerFilter(label=_("计划"), field_name="plan_id")
    year = IntegerFilter(label=_("年度"), field_name="plan__year")
    unit = django_filters.ModelChoiceFilter(label=_("单位"), field_name="plan__unit", queryset=Unit.objects.all())
    kind = django_filters.ChoiceFilter(label=_("检查类型"), choices=InspectionKind.choices)
    source = django_filters.ChoiceFilter(label=_("来源"), choices=ItemSource.choices)
    month = IntegerFilter(label=_("计划月份"), field_name="target_month")
    quarter = IntegerFilter(label=_("计划季度"), field_name="target_quarter")
    done = django_filters.BooleanFilter(label=_("已完成"), method="filter_done", widget=yes_no_widget())
    o = OrderingFilter(
        label=_("排序"),
        fields=(("target_month", "month"), ("target_quarter", "quarter"), ("enterprise__name", "enterprise"),
                ("kind", "kind")),
        field_labels={"month": _("月份"), "quarter": _("季度"), "enterprise": _("企业"), "kind": _("类型")},
    )

    class Meta:
        model = PlanItem
        fields = ["q", "plan", "year", "unit", "kind", "source", "month", "quarter"]

    def filter_done(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(done_on__isnull=not value)


class DrawFilter(django_filters.FilterSet):
    year = IntegerFilter(label=_("年度"))
    unit = django_filters.ModelChoiceFilter(label=_("单位"), queryset=Unit.objects.all())
    sector = django_filters.ChoiceFilter(label=_("环节"), choices=Sector.choices)
    published = django_filters.BooleanFilter(label=_("已公示"), field_name="published_at", lookup_expr="isnull",
                                             exclude=True, widget=yes_no_widget())
    o = OrderingFilter(
        label=_("排序"), fields=(("created_at", "created_at"), ("unit__sort_order", "unit"), ("year", "year")),
        field_labels={"created_at": _("抽取时间"), "unit": _("单位"), "year": _("年度")},
    )

    class Meta:
        model = RandomDraw
        fields = ["year", "unit", "sector"]


class ConflictFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("企业名称/信用代码"), method=_enterprise_search)
    officer = django_filters.CharFilter(label=_("检查人员"), method="filter_officer")
    is_active = django_filters.BooleanFilter(label=_("有效"), widget=yes_no_widget())
    o = OrderingFilter(
        label=_("排序"), fields=(("declared_on", "declared_on"), ("enterprise__name", "enterprise"),
                                 ("officer__username", "officer")),
        field_labels={"declared_on": _("申报日期"), "enterprise": _("企业"), "officer": _("检查人员")},
    )

    class Meta:
        model = ConflictOfInterest
        fields = ["q", "officer", "is_active"]

    def filter_officer(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Q(officer__full_name__icontains=value) | Q(officer__username__icontains=value))


class TargetFilter(django_filters.FilterSet):
    year = IntegerFilter(label=_("年度"))

    class Meta:
        model = AnnualTarget
        fields = ["year"]
