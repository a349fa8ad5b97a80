import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign


class CampaignFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    year = django_filters.NumberFilter(label=_("年度"))
    is_active = django_filters.BooleanFilter(label=_("进行中"))
    ordering = django_filters.OrderingFilter(
        label=_("排序"), fields=(("year", "year"), ("start_date", "start_date"), ("name", "name")),
        field_labels={"year": _("年度"), "start_date": _("开始日期"), "name": _("名称")},
    )

    class Meta:
        model = Campaign
        fields = ["q", "year", "is_active"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(doc_number__icontains=value))
