"""FilterSets shared by the returns page, its Excel export and the API."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, FormTemplate
from enterprises.filters import OrderingFilter, limit_choices
from enterprises.grading.filters import date_widget, yes_no_widget
from enterprises.models import Unit
from regsys.scoping import scope_for
from reporting.choices import ReturnStatus
from reporting.models import Return

ALL = _("全部")


class ReturnFilter(django_filters.FilterSet):
    """Returns list filters. Pass ``request=`` so a 所 user is offered only its own unit."""

    campaign = django_filters.ModelChoiceFilter(label=_("专项整治"), queryset=Campaign.objects.all(), empty_label=ALL)
    template = django_filters.ModelChoiceFilter(label=_("报表"), queryset=FormTemplate.objects.all(), empty_label=ALL)
    unit = django_filters.ModelChoiceFilter(label=_("填报单位"), queryset=Unit.objects.all(), empty_label=ALL)
    district = django_filters.BooleanFilter(label=_("全区汇总"), field_name="unit", lookup_expr="isnull",
                                            widget=yes_no_widget())
    unscheduled = django_filters.BooleanFilter(label=_("临时报送"), widget=yes_no_widget())
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ReturnStatus.choices, empty_label=ALL)
    cutoff_from = django_filters.DateFilter(label=_("截止日期从"), field_name="cutoff", lookup_expr="gte",
                                            widget=date_widget())
    cutoff_to = django_filters.DateFilter(label=_("截止日期到"), field_name="cutoff", lookup_expr="lte",
                                          widget=date_widget())
    # the cockpit's drill-down (reporting.cockpit.ind_returns): the returns due in a period
    due_from = django_filters.DateFilter(label=_("报送期限从"), field_name="due_date__due_on", lookup_expr="gte",
                                         widget=date_widget())
    due_to = django_filters.DateFilter(label=_("报送期限到"), field_name="due_date__due_on", lookup_expr="lte",
                                       widget=date_widget())
    submitted_to = django_filters.DateFilter(label=_("上报日期到"), field_name="submitted_at__date", lookup_expr="lte",
                                             widget=date_widget())
    reviewed_to = django_filters.DateFilter(label=_("审核日期到"), field_name="reviewed_at__date", lookup_expr="lte",
                                            widget=date_widget())
    all_versions = django_filters.BooleanFilter(label=_("含历史版本"), method="versions", widget=yes_no_widget())
    ordering = OrderingFilter(
        label=_("排序"), empty_label=_("默认排序"),
        fields=(("cutoff", "cutoff"), ("created_at", "created_at"), ("status", "status"), ("unit__sort_order", "unit")),
        field_labels={"cutoff": _("截止日期"), "created_at": _("生成时间"), "status": _("状态"), "unit__sort_order": _("单位")},
    )

    class Meta:
        model = Return
        fields = ["campaign", "template", "unit", "district", "unscheduled", "status", "cutoff_from", "cutoff_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is not None and user.is_authenticated:
            scope = scope_for(user)
            if not scope.district_wide:
                limit_choices(self, "unit", Unit.objects.filter(pk=scope.unit_id))
        for field in self.form.fields.values():
            css = "form-select form-select-sm" if isinstance(field.widget, forms.Select) else "form-control form-control-sm"
            field.widget.attrs.setdefault("class", css)

    def versions(self, queryset, name, value):
        return queryset if value else queryset.filter(is_current=True)

    @property
    def qs(self):
        queryset = super().qs
        if not self.form.cleaned_data.get("all_versions"):
            queryset = queryset.filter(is_current=True)
        return queryset
