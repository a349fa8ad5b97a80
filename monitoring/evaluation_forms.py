"""HTML forms of the evaluation pages: input shape only (the rules are in the services)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise, Unit
from monitoring.choices import Causality
from regsys.forms import ScopedForm
from regsys.versioning import VersionedFormMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StyledMixin:
    def _style(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            widget.attrs.setdefault("class", "form-select" if isinstance(widget, forms.Select) else "form-control")


class EvaluateForm(StyledMixin, VersionedFormMixin, ScopedForm):
    opinion = forms.CharField(label=_("评价意见"), widget=forms.Textarea(attrs={"rows": 4}))
    causality = forms.ChoiceField(label=_("关联性"), choices=[("", "---------"), *Causality.choices])
    evaluated_on = forms.DateField(label=_("评价日期"), widget=DATE)
    measures = forms.CharField(label=_("处置措施"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                               help_text=_("约谈、有因检查请在详情页用对应按钮建立记录，系统会自动关联并记入此处"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class CloseForm(StyledMixin, VersionedFormMixin, ScopedForm):
    closed_on = forms.DateField(label=_("关闭日期"), widget=DATE)
    closure_note = forms.CharField(label=_("关闭说明"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class MeasureEnterpriseMixin:
    def _limit_enterprises(self, enterprises) -> None:
        self.fields["enterprise"].queryset = enterprises


class InterviewMeasureForm(StyledMixin, MeasureEnterpriseMixin, ScopedForm):
    enterprise = forms.ModelChoiceField(label=_("约谈企业"), queryset=Enterprise.objects.none())
    held_on = forms.DateField(label=_("约谈日期"), widget=DATE)
    persons = forms.CharField(label=_("被约谈人员"), max_length=200)
    record = forms.CharField(label=_("约谈记录"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_enterprises(enterprises)
        self._style()


class InspectionMeasureForm(StyledMixin, MeasureEnterpriseMixin, ScopedForm):
    enterprise = forms.ModelChoiceField(label=_("被检查企业"), queryset=Enterprise.objects.none())
    unit = forms.ModelChoiceField(label=_("检查单位"), queryset=Unit.objects.all(), required=False,
                                  empty_label=_("企业所属监管所"))
    start_date = forms.DateField(label=_("检查日期"), widget=DATE,
                                 help_text=_("建立的是草稿，检查完成后由检查人员在检查记录中补全并完成"))

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_enterprises(enterprises)
        self._style()
