"""FilterSets shared by the returns page, its Excel export and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, FormTemplate
from enterprises.models import Unit
from reporting.choices import ReturnStatus
from reporting.models import Return


class ReturnFilter(django_filters.FilterSet):
    campaign = django_filters.ModelChoiceFilter(label=_("专项整治"), queryset=Campaign.objects.all())
    template = django_filters.ModelChoiceFilter(label=_("报表"), queryset=FormTemplate.objects.all())
    unit = django_filters.ModelChoiceFilter(label=_("填报单位"), queryset=Unit.objects.all())
    district = django_filters.BooleanFilter(label=_("全区汇总"), field_name="unit", lookup_expr="isnull")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ReturnStatus.choices)
    cutoff_from = django_filters.DateFilter(label=_("截止日期从"), field_name="cutoff", lookup_expr="gte")
    cutoff_to = django_filters.DateFilter(label=_("截止日期到"), field_name="cutoff", lookup_expr="lte")
    all_versions = django_filters.BooleanFilter(label=_("含历史版本"), method="versions")
    ordering = django_filters.OrderingFilter(
        label=_("排序"),
        fields=(("cutoff", "cutoff"), ("created_at", "created_at"), ("status", "status"), ("unit__sort_order", "unit")),
        field_labels={"cutoff": _("截止日期"), "created_at": _("生成时间"), "status": _("状态"), "unit__sort_order": _("单位")},
    )

    class Meta:
        model = Return
        fields = ["campaign", "template", "unit", "district", "status", "cutoff_from", "cutoff_to"]

    def versions(self, queryset, name, value):
        return queryset if value else queryset.filter(is_current=True)

    @property
    def qs(self):
        queryset = super().qs
        if not self.form.cleaned_data.get("all_versions"):
            queryset = queryset.filter(is_current=True)
        return queryset
