"""Forms of graded supervision: input shape only."""

from django import forms
from django.utils.translation import gettext_lazy as _

from enterprises.grading.choices import CreditKind
from enterprises.models import Enterprise, GradeLevel
from regsys.forms import ScopedForm
from regsys.versioning import VersionedFormMixin


class GradeChangeForm(VersionedFormMixin, ScopedForm):
    level = forms.ModelChoiceField(label=_("调整为"), queryset=GradeLevel.objects.none())
    is_key = forms.BooleanField(label=_("列入年度重点监管"), required=False)
    reason = forms.CharField(label=_("调整理由"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, grade, **kwargs):
        super().__init__(*args, versioned=grade, **kwargs)
        self.fields["level"].queryset = GradeLevel.objects.filter(
            scheme__year=grade.year, sector=grade.sector
        ).order_by("-rank")
        self.fields["level"].initial = grade.level_id
        self.fields["is_key"].initial = grade.is_key


class CreditRecordForm(ScopedForm):
    enterprise = forms.ModelChoiceField(
        label=_("企业统一社会信用代码"), queryset=Enterprise.objects.none(), to_field_name="credit_code",
        widget=forms.TextInput(attrs={"placeholder": "18位统一社会信用代码"}),
        error_messages={"invalid_choice": _("没有该信用代码的企业，或不在本单位监管范围内")},
    )
    kind = forms.ChoiceField(label=_("类型"), choices=CreditKind.choices)
    recorded_on = forms.DateField(label=_("记录日期"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    valid_until = forms.DateField(
        label=_("有效期至"), required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("事由"), max_length=300)

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
