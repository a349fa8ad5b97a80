"""The FilterSet of the clean-up cases, shared by the page, the API and the Excel export."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enterprises.duties.choices import ZombieReason, ZombieStage
from enterprises.filters import OrderingFilter
from enterprises.models import Unit, ZombieCase
from regsys.filters import IntegerFilter


def _search(queryset, name, value):
    if not value:
        return queryset
    return queryset.filter(Q(enterprise__name__icontains=value) | Q(enterprise__credit_code__icontains=value)
                           | Q(decision_no__icontains=value) | Q(notice_ref__icontains=value))


class ZombieCaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("企业名称/信用代码/文号"), method=_search)
    year = IntegerFilter(label=_("清理年度"))
    unit = django_filters.ModelChoiceFilter(label=_("承办单位"), queryset=Unit.objects.all())
    stage = django_filters.ChoiceFilter(label=_("进度"), choices=ZombieStage.choices)
    reason = django_filters.ChoiceFilter(label=_("候选原因"), choices=ZombieReason.choices, method="filter_reason")
    o = OrderingFilter(
        label=_("排序"),
        fields=(("enterprise__name", "enterprise"), ("created_at", "created_at"), ("decision_on", "decision_on")),
        field_labels={"enterprise": _("企业"), "created_at": _("发起时间"), "decision_on": _("办结日期")},
    )

    class Meta:
        model = ZombieCase
        fields = ["q", "year", "unit", "stage", "reason"]

    def filter_reason(self, queryset, name, value):
        if not value:
            return queryset
        # JSON "contains" is not available on SQLite: the reasons are short codes, so match the quoted code.
        return queryset.filter(reasons__icontains=f'"{value}"')
