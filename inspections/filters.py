"""FilterSets shared by the list pages, the API and the Excel exports."""

from __future__ import annotations

from datetime import timedelta

import django_filters as filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from campaigns.models import Campaign
from enterprises.filters import OrderingFilter, limit_choices
from enterprises.models import Unit
from inspections.choices import (
    CaseProcedure,
    CaseStatus,
    Conclusion,
    InspectionKind,
    InspectionStatus,
    ReferralTarget,
    Severity,
)
from inspections.deadlines import provincial_entry_due_q
from inspections.models import AnnualTarget, Case, Finding, Inspection, Interview, Rectification, Referral
from inspections.planning.targets import target_inspections
from inspections.selectors import provincial_late_ids
from regsys.filters import IntegerFilter

DATE = forms.DateInput(attrs={"type": "date"})
ALL = _("全部")


class OverdueChoice:
    ANY = "any"
    RECTIFICATION = "rectification"
    PROVINCIAL = "provincial"
    CHOICES = [
        (ANY, _("任一逾期")),
        (RECTIFICATION, _("整改逾期")),
        (PROVINCIAL, _("录入省局逾期")),
    ]


class ScopedUnitsMixin:
    """Offer only the units the user may see in the unit filter."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = kwargs.get("request") or getattr(self, "request", None)
        field = self.filters.get("unit")
        if request is not None and field is not None and request.user.is_authenticated:
            from inspections.selectors import units_for

            limit_choices(self, "unit", units_for(request.user))


def _search(queryset, prefix: str, value: str):
    value = (value or "").strip()
    if not value:
        return queryset
    return queryset.filter(
        Q(**{f"{prefix}name__icontains": value}) | Q(**{f"{prefix}credit_code__icontains": value})
    )


@extend_schema_field(OpenApiTypes.INT)
class AnnualTargetFilter(filters.ModelChoiceFilter):
    """An annual target by id (its method filters; the schema documents the id as an integer)."""


class InspectionFilterSet(ScopedUnitsMixin, filters.FilterSet):
    q = filters.CharFilter(label=_("企业名称/信用代码"), method="filter_q")
    unit = filters.ModelChoiceFilter(label=_("检查单位"), queryset=Unit.objects.all(),
                                   empty_label=ALL)
    kind = filters.ChoiceFilter(label=_("检查类型"), choices=InspectionKind.choices, empty_label=ALL)
    date_from = filters.DateFilter(label=_("检查日期自"), field_name="start_date", lookup_expr="gte", widget=DATE)
    date_to = filters.DateFilter(label=_("检查日期至"), field_name="start_date", lookup_expr="lte", widget=DATE)
    campaign = filters.ModelChoiceFilter(
        label=_("专项整治"), field_name="campaigns", queryset=Campaign.objects.all(), distinct=True, empty_label=ALL
    )
    conclusion = filters.ChoiceFilter(label=_("检查结论"), choices=Conclusion.choices, empty_label=ALL)
    status = filters.ChoiceFilter(label=_("状态"), choices=InspectionStatus.choices, empty_label=ALL)
    overdue = filters.ChoiceFilter(label=_("逾期"), choices=OverdueChoice.CHOICES, empty_label=ALL, method="filter_overdue")
    enterprise = IntegerFilter(label=_("企业ID"), field_name="enterprise_id")
    # the cockpit's drill-downs (reporting.cockpit.ind_inspections): a target's figure counts enterprises by
    # their 监管单位; provincial entry figures count late entries as of a day
    enterprise_unit = filters.ModelChoiceFilter(label=_("企业监管单位"), field_name="enterprise__owning_unit",
                                              queryset=Unit.objects.all(), empty_label=ALL)
    target = AnnualTargetFilter(label=_("计入年度指标"), queryset=AnnualTarget.objects.filter(is_active=True),
                                       empty_label=ALL, method="filter_target")
    provincial_late_on = filters.DateFilter(label=_("截至该日录入省局逾期"), method="filter_provincial_late",
                                            widget=DATE)
    o = OrderingFilter(
        label=_("排序"), empty_label=_("默认"),
        fields=(("start_date", "start_date"), ("enterprise__name", "enterprise"), ("kind", "kind"),
                ("unit__sort_order", "unit"), ("provincial_entry_due", "provincial_entry_due")),
        field_labels={"start_date": _("检查日期"), "enterprise__name": _("企业"), "kind": _("检查类型"),
                      "unit__sort_order": _("检查单位"), "provincial_entry_due": _("录入期限")},
    )

    class Meta:
        model = Inspection
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        return _search(queryset, "enterprise__", value)

    def filter_overdue(self, queryset, name, value):
        today = timezone.localdate()
        rect = Exists(Rectification.objects.filter(
            inspection=OuterRef("pk"), completed_on__isnull=True, deadline__lt=today
        ))
        provincial = Q(provincial_entry_due_q(on_or_before=today - timedelta(days=1)),
                       status=InspectionStatus.FINALISED, provincial_entry_date__isnull=True)
        if value == OverdueChoice.RECTIFICATION:
            return queryset.filter(rect)
        if value == OverdueChoice.PROVINCIAL:
            return queryset.filter(provincial)
        if value == OverdueChoice.ANY:
            return queryset.filter(rect | provincial)
        return queryset

    def filter_target(self, queryset, name, value):
        """The inspections behind a target's numerator: one per counted enterprise (its first of the year)."""
        if value is None:
            return queryset
        return queryset.filter(pk__in=target_inspections(value).values("pk"))

    def filter_provincial_late(self, queryset, name, value):
        """Finalised inspections due in the provincial system by ``value`` and not entered on time by then."""
        if value is None:
            return queryset
        return queryset.filter(pk__in=provincial_late_ids(queryset, as_of=value))


class CaseFilterSet(ScopedUnitsMixin, filters.FilterSet):
    q = filters.CharFilter(label=_("案件编号/企业"), method="filter_q")
    unit = filters.ModelChoiceFilter(label=_("办案单位"), queryset=Unit.objects.all(),
                                   empty_label=ALL)
    status = filters.ChoiceFilter(label=_("案件状态"), choices=CaseStatus.choices, empty_label=ALL)
    procedure = filters.ChoiceFilter(label=_("程序"), choices=CaseProcedure.choices, empty_label=ALL)
    date_from = filters.DateFilter(label=_("立案日期自"), field_name="filed_on", lookup_expr="gte", widget=DATE)
    date_to = filters.DateFilter(label=_("立案日期至"), field_name="filed_on", lookup_expr="lte", widget=DATE)
    campaign = filters.ModelChoiceFilter(
        label=_("专项整治"), field_name="campaigns", queryset=Campaign.objects.all(), distinct=True, empty_label=ALL
    )
    suspension_ordered = filters.BooleanFilter(label=_("责令停产停业"))
    listed_serious_dishonest = filters.BooleanFilter(label=_("列入严重违法失信名单"))
    revoked = filters.BooleanFilter(label=_("吊销许可证"), field_name="revoked_licence", lookup_expr="isnull",
                                    exclude=True)
    enterprise = IntegerFilter(label=_("企业ID"), field_name="enterprise_id")
    o = OrderingFilter(
        label=_("排序"), empty_label=_("默认"),
        fields=(("filed_on", "filed_on"), ("number", "number"), ("enterprise__name", "enterprise"),
                ("fine_amount", "fine_amount"), ("status", "status")),
        field_labels={"filed_on": _("立案日期"), "number": _("案件编号"), "enterprise__name": _("企业"),
                      "fine_amount": _("罚款"), "status": _("状态")},
    )

    class Meta:
        model = Case
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value) | Q(enterprise__name__icontains=value)
            | Q(enterprise__credit_code__icontains=value)
        )


class FindingFilterSet(ScopedUnitsMixin, filters.FilterSet):
    q = filters.CharFilter(label=_("企业名称/信用代码"), method="filter_q")
    inspection = IntegerFilter(label=_("检查ID"), field_name="inspection_id")
    unit = filters.ModelChoiceFilter(label=_("检查单位"), field_name="inspection__unit", queryset=Unit.objects.all(),
                                   empty_label=ALL)
    severity = filters.ChoiceFilter(label=_("缺陷等级"), choices=Severity.choices, empty_label=ALL)
    date_from = filters.DateFilter(label=_("检查日期自"), field_name="inspection__start_date", lookup_expr="gte", widget=DATE)
    date_to = filters.DateFilter(label=_("检查日期至"), field_name="inspection__start_date", lookup_expr="lte", widget=DATE)
    enterprise = IntegerFilter(label=_("企业ID"), field_name="inspection__enterprise_id")

    class Meta:
        model = Finding
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        return _search(queryset, "inspection__enterprise__", value)


class RectificationFilterSet(ScopedUnitsMixin, filters.FilterSet):
    q = filters.CharFilter(label=_("企业名称/信用代码"), method="filter_q")
    unit = filters.ModelChoiceFilter(label=_("检查单位"), field_name="inspection__unit", queryset=Unit.objects.all(),
                                   empty_label=ALL)
    completed = filters.BooleanFilter(label=_("已完成整改"), field_name="completed_on", lookup_expr="isnull",
                                      exclude=True)
    overdue = filters.BooleanFilter(label=_("整改逾期"), method="filter_overdue")
    deadline_from = filters.DateFilter(label=_("整改期限自"), field_name="deadline", lookup_expr="gte", widget=DATE)
    deadline_to = filters.DateFilter(label=_("整改期限至"), field_name="deadline", lookup_expr="lte", widget=DATE)
    campaign = filters.ModelChoiceFilter(
        label=_("专项整治"), field_name="inspection__campaigns", queryset=Campaign.objects.all(), distinct=True, empty_label=ALL
    )
    enterprise = IntegerFilter(label=_("企业ID"), field_name="inspection__enterprise_id")

    class Meta:
        model = Rectification
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        return _search(queryset, "inspection__enterprise__", value)

    def filter_overdue(self, queryset, name, value):
        today = timezone.localdate()
        overdue = Q(completed_on__isnull=True, deadline__lt=today)
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class InterviewFilterSet(ScopedUnitsMixin, filters.FilterSet):
    q = filters.CharFilter(label=_("企业名称/信用代码"), method="filter_q")
    unit = filters.ModelChoiceFilter(label=_("约谈单位"), queryset=Unit.objects.all(),
                                   empty_label=ALL)
    date_from = filters.DateFilter(label=_("约谈日期自"), field_name="held_on", lookup_expr="gte", widget=DATE)
    date_to = filters.DateFilter(label=_("约谈日期至"), field_name="held_on", lookup_expr="lte", widget=DATE)
    campaign = filters.ModelChoiceFilter(
        label=_("专项整治"), field_name="campaigns", queryset=Campaign.objects.all(), distinct=True, empty_label=ALL
    )
    enterprise = IntegerFilter(label=_("企业ID"), field_name="enterprise_id")
    o = OrderingFilter(label=_("排序"), empty_label=_("默认"), fields=(("held_on", "held_on"), ("enterprise__name", "enterprise")),
                               field_labels={"held_on": _("约谈日期"), "enterprise__name": _("企业")})

    class Meta:
        model = Interview
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        return _search(queryset, "enterprise__", value)


class ReferralFilterSet(ScopedUnitsMixin, filters.FilterSet):
    q = filters.CharFilter(label=_("企业名称/信用代码"), method="filter_q")
    unit = filters.ModelChoiceFilter(label=_("移送单位"), queryset=Unit.objects.all(),
                                   empty_label=ALL)
    target = filters.ChoiceFilter(label=_("移送对象"), choices=ReferralTarget.choices, empty_label=ALL)
    date_from = filters.DateFilter(label=_("移送日期自"), field_name="referred_on", lookup_expr="gte", widget=DATE)
    date_to = filters.DateFilter(label=_("移送日期至"), field_name="referred_on", lookup_expr="lte", widget=DATE)
    campaign = filters.ModelChoiceFilter(
        label=_("专项整治"), field_name="campaigns", queryset=Campaign.objects.all(), distinct=True, empty_label=ALL
    )
    case = IntegerFilter(label=_("案件ID"), field_name="case_id")
    enterprise = IntegerFilter(label=_("企业ID"), field_name="enterprise_id")
    o = OrderingFilter(
        label=_("排序"), empty_label=_("默认"), fields=(("referred_on", "referred_on"), ("target", "target")),
        field_labels={"referred_on": _("移送日期"), "target": _("移送对象")},
    )

    class Meta:
        model = Referral
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        return _search(queryset, "enterprise__", value)


def filtered(request, *, queryset, filterset_class):
    """The FilterSet of a list and its rows: all when unfiltered, none when a filter is invalid.

    Shared by the list page and its export (regsys/exports.py), so the file holds what the page lists.
    """
    filterset = filterset_class(request.GET or None, queryset=queryset, request=request)
    qs = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
    if filterset.is_bound and not filterset.is_valid():
        qs = queryset.none()
    return filterset, qs
