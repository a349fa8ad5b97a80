"""FilterSets of the registry, shared by the list pages, the API and the Excel exports."""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from enterprises.choices import (
    HOSPITAL_GRADES_2_PLUS,
    EnterpriseStatus,
    HospitalGrade,
    InstitutionType,
    LicenceKind,
    LicenceStatus,
    Link,
)
from enterprises.links import link_q
from enterprises.models import Enterprise, Licence, Subdistrict, Tag, Unit
from enterprises.selectors import tag_with_descendants
from regsys.filters import IntegerFilter
from regsys.scoping import scope_for


class OrderingFilter(django_filters.OrderingFilter):
    """django-filter's ordering with Chinese labels only: the descending choices read "（降序）" (it ships no
    zh-hans text), and every field must have a label.

    ``field_labels`` may be keyed by the model field (``owning_unit__sort_order``), as in django-filter, or by
    the query parameter (``unit``). django-filter itself reads only the model field and silently falls back to
    the English parameter name ("Unit"), so a field without a label is refused when the filter is built.
    """

    descending_fmt = _("%s（降序）")

    def build_choices(self, fields, labels):
        by_field = {}
        for model_field, param in fields.items():
            label = labels.get(model_field, labels.get(param))
            if label is None:
                raise ImproperlyConfigured(f"ordering field {model_field!r} ({param!r}) has no Chinese label")
            by_field[model_field] = label
        return super().build_choices(fields, by_field)


# Role filter: the role flags a user picks from (医院 and 非医院类 split the use units).
ROLE_FILTERS: dict[str, tuple[str, Q]] = {
    "manufacturer": (_("生产企业"), Q(is_manufacturer=True)),
    "registrant": (_("注册人/备案人"), Q(is_registrant=True)),
    "entrusts_production": (_("委托生产的注册人"), Q(entrusts_production=True)),
    "contract_manufacturer": (_("受托生产企业"), Q(is_contract_manufacturer=True)),
    "operator": (_("经营企业"), Q(is_operator=True)),
    "operates_class3": (_("第三类经营许可"), Q(operates_class3=True)),
    "operates_class2": (_("第二类经营备案"), Q(operates_class2=True)),
    "logistics": (_("提供贮存配送服务"), Q(provides_logistics=True)),
    "vbp_distributor": (_("集采中选产品配送单位"), Q(is_vbp_distributor=True)),
    "user_unit": (_("使用单位"), Q(is_user_unit=True)),
    "hospital": (_("医院"), Q(is_user_unit=True, institution_type=InstitutionType.HOSPITAL)),
    "non_hospital": (
        _("非医院类医疗机构"), Q(is_user_unit=True) & ~Q(institution_type=InstitutionType.HOSPITAL)
    ),
    "online_seller": (_("网络销售企业"), Q(is_online_seller=True)),
    "platform": (_("网络交易服务第三方平台"), Q(is_platform=True)),
    "remote_warehouse": (_("异地设库"), Q(is_remote_warehouse=True)),
}

# Hospital grade filter: 二级以上 (the AE-coverage quota's hospitals) first, then each grade.
GRADE_2_PLUS = "2plus"
HOSPITAL_GRADE_FILTER_CHOICES = [(GRADE_2_PLUS, _("二级以上")), *HospitalGrade.choices]

ENTERPRISE_ORDERING = (
    ("name", "name"),
    ("credit_code", "credit_code"),
    ("owning_unit__sort_order", "unit"),
    ("subdistrict__code", "subdistrict"),
    ("status", "status"),
    ("updated_at", "updated"),
)


def limit_choices(filterset: django_filters.FilterSet, name: str, queryset: QuerySet) -> None:
    """Offer only ``queryset`` in the filter ``name`` (its form field is rebuilt from the new queryset)."""
    flt = filterset.filters.get(name)
    if flt is None:
        return
    flt.queryset = queryset  # ModelChoiceFilter builds its field from .queryset (QuerySetRequestMixin)
    flt.extra["queryset"] = queryset
    flt.__dict__.pop("_field", None)  # a field built (and deep-copied) earlier would keep every choice


class _StyledFilterSet(django_filters.FilterSet):
    """Bootstrap classes on the filter form's widgets (the pages render the form directly).

    A user of one unit is offered only that unit and its 街道/镇 in the filters.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is not None and user.is_authenticated:
            scope = scope_for(user)
            if not scope.district_wide:
                limit_choices(self, "unit", Unit.objects.filter(pk=scope.unit_id))
                limit_choices(self, "subdistrict", Subdistrict.objects.filter(
                    Q(unit_id=scope.unit_id) | Q(enterprises__owning_unit_id=scope.unit_id)
                ).distinct().order_by("code"))
        for field in self.form.fields.values():
            css = "form-select form-select-sm" if hasattr(field, "choices") else "form-control form-control-sm"
            field.widget.attrs.setdefault("class", css)


class EnterpriseFilterSet(_StyledFilterSet):
    """Search and filter the enterprise list (pages, API and export use this one class)."""

    q = django_filters.CharFilter(label=_("搜索"), method="filter_q",
                                  help_text=_("企业名称、统一社会信用代码或证照编号"))
    unit = django_filters.ModelChoiceFilter(
        label=_("监管单位"), field_name="owning_unit", queryset=Unit.objects.all(), empty_label=_("全部单位"),
    )
    role = django_filters.ChoiceFilter(
        label=_("企业类别"), method="filter_role", empty_label=_("全部类别"),
        choices=[(key, label) for key, (label, _q) in ROLE_FILTERS.items()],
    )
    link = django_filters.ChoiceFilter(
        label=_("环节"), method="filter_link", choices=Link.choices, empty_label=_("全部环节"),
    )
    tag = django_filters.ModelChoiceFilter(
        label=_("产品领域"), queryset=Tag.objects.filter(is_active=True).select_related("parent"),
        method="filter_tag", empty_label=_("全部领域"),
    )
    status = django_filters.ChoiceFilter(
        label=_("经营状态"), choices=EnterpriseStatus.choices, empty_label=_("全部状态"),
    )
    subdistrict = django_filters.ModelChoiceFilter(
        label=_("街道/镇"), queryset=Subdistrict.objects.all(), empty_label=_("全部街道/镇"),
    )
    hospital_grade = django_filters.ChoiceFilter(
        label=_("医院等级"), choices=HOSPITAL_GRADE_FILTER_CHOICES, method="filter_hospital_grade",
        empty_label=_("全部等级"),
    )
    ordering = OrderingFilter(
        label=_("排序"), fields=ENTERPRISE_ORDERING,
        field_labels={
            "name": _("企业名称"), "credit_code": _("信用代码"), "owning_unit__sort_order": _("监管单位"),
            "subdistrict__code": _("街道/镇"), "status": _("经营状态"), "updated_at": _("更新时间"),
        },
        empty_label=_("默认排序"),
    )

    class Meta:
        model = Enterprise
        fields = ["q", "unit", "role", "link", "tag", "status", "subdistrict", "hospital_grade"]

    def filter_hospital_grade(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        grades = HOSPITAL_GRADES_2_PLUS if value == GRADE_2_PLUS else (value,)
        return queryset.filter(is_user_unit=True, institution_type=InstitutionType.HOSPITAL,
                               hospital_grade__in=grades)

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        licence_match = Licence.objects.filter(enterprise=OuterRef("pk"), number__icontains=value)
        return queryset.filter(
            Q(name__icontains=value) | Q(credit_code__icontains=value.upper()) | Q(Exists(licence_match))
        )

    def filter_role(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(ROLE_FILTERS[value][1]) if value else queryset

    def filter_link(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(link_q(value))

    def filter_tag(self, queryset: QuerySet, name: str, value: Tag | None) -> QuerySet:
        if value is None:
            return queryset
        tagged = Enterprise.tags.through.objects.filter(
            enterprise_id=OuterRef("pk"), tag_id__in=tag_with_descendants(value)
        )
        return queryset.filter(Exists(tagged))


class LicenceFilterSet(_StyledFilterSet):
    """Search and filter licences (expiry list, API and export)."""

    q = django_filters.CharFilter(label=_("搜索"), method="filter_q",
                                  help_text=_("证照编号、企业名称或统一社会信用代码"))
    kind = django_filters.ChoiceFilter(label=_("证照类型"), choices=LicenceKind.choices,
                                       empty_label=_("全部类型"))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=LicenceStatus.choices,
                                         empty_label=_("全部状态"))
    unit = django_filters.ModelChoiceFilter(
        label=_("监管单位"), field_name="enterprise__owning_unit", queryset=Unit.objects.all(),
        empty_label=_("全部单位"),
    )
    enterprise = IntegerFilter(label=_("企业ID"), field_name="enterprise_id")
    expires_after = django_filters.DateFilter(
        label=_("有效期起"), field_name="expires_on", lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    expires_before = django_filters.DateFilter(
        label=_("有效期止"), field_name="expires_on", lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    ordering = OrderingFilter(
        label=_("排序"),
        fields=(("expires_on", "expires_on"), ("number", "number"), ("enterprise__name", "enterprise"),
                ("kind", "kind")),
        field_labels={"expires_on": _("有效期至"), "number": _("证照编号"), "enterprise__name": _("企业名称"),
                      "kind": _("证照类型")},
        empty_label=_("默认排序"),
    )

    class Meta:
        model = Licence
        fields = ["q", "kind", "status", "unit", "enterprise", "expires_after", "expires_before"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value)
            | Q(enterprise__name__icontains=value)
            | Q(enterprise__credit_code__icontains=value.upper())
        )
