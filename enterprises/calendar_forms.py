"""Forms of the working-day calendar page: a day (holiday or 调休 workday) and the 工作日计算器."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from enterprises.models import CalendarDayKind
from regsys.forms import ScopedForm
from regsys.validators import MAX_YEAR, MIN_YEAR
from regsys.versioning import VersionedFormMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_CALC_DAYS = 365


class _Styled:
    def _style(self) -> None:
        for field in self.fields.values():
            if isinstance(field.widget, forms.HiddenInput):
                continue
            field.widget.attrs.setdefault("class", "form-select" if isinstance(field.widget, forms.Select)
                                          else "form-control")


class CalendarDayForm(_Styled, VersionedFormMixin, ScopedForm):
    date = forms.DateField(label=_("日期"), widget=DATE)
    kind = forms.ChoiceField(label=_("类型"), choices=CalendarDayKind.choices)
    name = forms.CharField(label=_("名称"), max_length=50, help_text=_("如“春节”“国庆节调休上班”"))
    source = forms.CharField(label=_("依据"), max_length=200, required=False,
                             help_text=_("如国务院办公厅放假安排通知的文号"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class WorkdayCalculatorForm(_Styled, ScopedForm):
    """日期 ± N 个工作日."""

    start = forms.DateField(label=_("起算日期"), widget=DATE)
    direction = forms.ChoiceField(label=_("方向"), choices=[("add", _("之后")), ("subtract", _("之前"))])
    days = forms.IntegerField(label=_("工作日数"), min_value=0, max_value=MAX_CALC_DAYS,
                              widget=forms.NumberInput(attrs={"inputmode": "numeric"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()

    def clean_start(self):
        start = self.cleaned_data["start"]
        if not MIN_YEAR <= start.year <= MAX_YEAR:
            raise forms.ValidationError(_("日期须在%(a)s–%(b)s年之间") % {"a": MIN_YEAR, "b": MAX_YEAR})
        return start
