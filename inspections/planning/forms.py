"""Planning forms: input shape only."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.grading.choices import Sector
from enterprises.models import Enterprise, GradeLevel, Tag, Unit, User
from inspections.choices import InspectionKind
from regsys.forms import ScopedForm
from regsys.versioning import VersionedFormMixin


def _enterprise_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("企业统一社会信用代码"), queryset=Enterprise.objects.none(), to_field_name="credit_code",
        widget=forms.TextInput(attrs={"placeholder": "18位统一社会信用代码"}),
        error_messages={"invalid_choice": _("没有该信用代码的企业，或不在本单位监管范围内")},
    )


class GenerateForm(ScopedForm):
    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.none())
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["year"].initial = timezone.localdate().year


class PlanItemForm(VersionedFormMixin, ScopedForm):
    kind = forms.ChoiceField(label=_("检查类型"), choices=InspectionKind.choices)
    target_month = forms.TypedChoiceField(
        label=_("计划月份"), required=False, coerce=int, empty_value=None,
        choices=[("", "—")] + [(m, f"{m}月") for m in range(1, 13)],
    )
    target_quarter = forms.TypedChoiceField(
        label=_("计划季度"), required=False, coerce=int, empty_value=None,
        choices=[("", "—")] + [(q, f"第{q}季度") for q in range(1, 5)],
    )
    officers = forms.ModelMultipleChoiceField(
        label=_("检查人员"), required=False, queryset=User.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    note = forms.CharField(label=_("备注"), required=False, max_length=200)

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officers"].queryset = officers

    def clean(self):
        data = super().clean()
        if data.get("target_month"):
            data["target_quarter"] = None  # a month decides the quarter
        return data


class PlanItemAddForm(PlanItemForm):
    enterprise = _enterprise_field()
    field_order = ["enterprise", "kind", "target_month", "target_quarter", "officers", "note"]

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises


class LinkInspectionForm(ScopedForm):
    inspection = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)


class ReturnForm(ScopedForm):
    reason = forms.CharField(label=_("退回理由"), max_length=200,
                             widget=forms.TextInput(attrs={"placeholder": _("退回理由")}))


class DrawForm(ScopedForm):
    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.none())
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    name = forms.CharField(label=_("名称"), max_length=100)
    sector = forms.ChoiceField(label=_("环节"), required=False, choices=[("", "不限")] + list(Sector.choices))
    level_codes = forms.MultipleChoiceField(label=_("监管等级"), required=False, help_text=_("不选为不限等级"),
                                            widget=forms.SelectMultiple(attrs={"size": 4}))
    tag_codes = forms.MultipleChoiceField(label=_("产品领域"), required=False, help_text=_("不选为不限产品领域"),
                                          widget=forms.SelectMultiple(attrs={"size": 4}))
    ratio = forms.DecimalField(label=_("抽取比例"), min_value=0, max_value=1, decimal_places=3,
                               initial="0.25")
    officers_per_enterprise = forms.IntegerField(label=_("每户检查人员数"), min_value=2, max_value=5, initial=2)
    seed = forms.CharField(label=_("随机种子"), required=False, max_length=40,
                           help_text=_("为空时系统随机生成并记录"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["year"].initial = timezone.localdate().year
        levels = {}
        for level in GradeLevel.objects.order_by("-scheme__year", "sector", "-rank"):
            levels.setdefault(level.code, str(level))  # the stable code, named as in the latest scheme
        self.fields["level_codes"].choices = list(levels.items())
        self.fields["tag_codes"].choices = list(Tag.objects.values_list("code", "name"))

    def clean_level_codes(self) -> str:
        return ",".join(self.cleaned_data["level_codes"])

    def clean_tag_codes(self) -> str:
        return ",".join(self.cleaned_data["tag_codes"])


class ConflictForm(ScopedForm):
    officer = forms.ModelChoiceField(label=_("检查人员"), queryset=User.objects.none())
    enterprise = _enterprise_field()
    reason = forms.CharField(label=_("回避理由"), max_length=200)
    declared_on = forms.DateField(label=_("申报日期"), initial=timezone.localdate,
                                  widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))

    def __init__(self, *args, officers, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers
        self.fields["enterprise"].queryset = enterprises
