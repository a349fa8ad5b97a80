"""The filters of the yearly-filing list, shared by the page, its Excel export and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.duties.choices import FilingKind, Sector
from enterprises.duties.filing_rules import FilingStatus
from enterprises.duties.filing_selectors import FilingRow, filing_rows, filing_years
from enterprises.filters import _StyledFilterSet
from enterprises.models import AnnualFiling, Enterprise, Unit
from regsys.filters import IntegerFilter
from regsys.validators import MAX_YEAR, MIN_YEAR


def _noop(queryset: QuerySet, name: str, value) -> QuerySet:
    return queryset


class FilingFilterSet(_StyledFilterSet):
    """Year, kind, sector and status pick the filings; unit and search narrow the enterprises."""

    year = django_filters.ChoiceFilter(label=_("年度"), method=_noop, empty_label=None, choices=[])
    kind = django_filters.ChoiceFilter(label=_("类别"), method=_noop, choices=FilingKind.choices, empty_label=None)
    sector = django_filters.ChoiceFilter(label=_("环节"), method=_noop, choices=Sector.choices,
                                         empty_label=_("全部环节"))
    status = django_filters.ChoiceFilter(label=_("提交状态"), method=_noop, choices=FilingStatus.choices,
                                         empty_label=_("全部状态"))
    unit = django_filters.ModelChoiceFilter(label=_("监管单位"), field_name="owning_unit",
                                            queryset=Unit.objects.all(), empty_label=_("全部单位"))
    q = django_filters.CharFilter(label=_("企业"), method="filter_q", help_text=_("企业名称或统一社会信用代码"))

    class Meta:
        model = Enterprise
        fields = ["year", "kind", "sector", "status", "unit", "q"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["year"].choices = [(str(y), f"{y}年") for y in filing_years()]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(credit_code__icontains=value.upper()))

    def params(self) -> dict:
        """The year, kind, sector and status asked for (defaults: this year, 自查报告, all)."""
        data = self.form.cleaned_data if self.is_bound and self.is_valid() else {}
        year = int(data.get("year") or timezone.localdate().year)
        return {"year": year, "kind": data.get("kind") or FilingKind.SELF_REPORT,
                "sector": data.get("sector") or "", "status": data.get("status") or ""}


def filtered_rows(request) -> tuple[FilingFilterSet, dict, list[FilingRow]]:
    """The filter set, its parameters and the rows it selects for ``request.user`` (page and export)."""
    data = request.GET.copy()
    data.setdefault("year", str(timezone.localdate().year))
    data.setdefault("kind", FilingKind.SELF_REPORT)
    filterset = FilingFilterSet(data, queryset=Enterprise.objects.all(), request=request)
    params = filterset.params()
    if filterset.is_bound and not filterset.is_valid():
        return filterset, params, []
    rows = filing_rows(params["year"], params["kind"], user=request.user, enterprises=filterset.qs)
    rows = [r for r in rows if (not params["sector"] or r.sector == params["sector"])
            and (not params["status"] or r.status == params["status"])]
    return filterset, params, rows


class AnnualFilingFilterSet(django_filters.FilterSet):
    """The API's filters of recorded filings."""

    year = IntegerFilter(label=_("年度"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    kind = django_filters.ChoiceFilter(label=_("类别"), choices=FilingKind.choices)
    sector = django_filters.ChoiceFilter(label=_("环节"), choices=Sector.choices)
    enterprise = IntegerFilter(label=_("企业ID"), field_name="enterprise_id")
    unit = IntegerFilter(label=_("监管单位ID"), field_name="enterprise__owning_unit_id")

    class Meta:
        model = AnnualFiling
        fields = ["year", "kind", "sector", "enterprise", "unit"]
