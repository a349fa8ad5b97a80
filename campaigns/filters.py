import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, CampaignKind
from enterprises.filters import OrderingFilter
from enterprises.grading.filters import yes_no_widget
from regsys.filters import IntegerFilter


class CampaignFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    year = IntegerFilter(label=_("年度"))
    kind = django_filters.ChoiceFilter(label=_("类别"), choices=CampaignKind.choices, empty_label=_("全部类别"))
    is_active = django_filters.BooleanFilter(label=_("进行中"), widget=yes_no_widget())
    ordering = OrderingFilter(
        label=_("排序"), empty_label=_("默认排序"),
        fields=(("year", "year"), ("start_date", "start_date"), ("name", "name")),
        field_labels={"year": _("年度"), "start_date": _("开始日期"), "name": _("名称")},
    )

    class Meta:
        model = Campaign
        fields = ["q", "year", "kind", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            css = "form-select form-select-sm" if isinstance(field.widget, forms.Select) else "form-control form-control-sm"
            field.widget.attrs.setdefault("class", css)
        self.form.fields["q"].widget.attrs.setdefault("placeholder", _("名称或文号"))
        self.form.fields["year"].widget.attrs.setdefault("placeholder", _("年度"))

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(doc_number__icontains=value))


def template_list_qs(params):
    """Form templates as the template list filters them (``year``, ``q`` on the code)."""
    from campaigns.models import FormTemplate

    templates = FormTemplate.objects.prefetch_related("rows", "columns")
    year = params.get("year")
    if year and year.isdigit():
        templates = templates.filter(year=int(year))
    if params.get("q"):
        templates = templates.filter(code__icontains=params["q"])
    return templates
