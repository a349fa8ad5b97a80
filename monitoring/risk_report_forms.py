"""The form of the risk-consultation report page: which quarter, for the district or one 所."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from enterprises.choices import UnitKind
from enterprises.models import Unit
from monitoring.services.risk_report import FIRST_YEAR, QUARTER_NAMES
from regsys.forms import ScopedForm


class RiskReportForm(ScopedForm):
    """年度, 季度 and 报告范围 (empty: 全区, the 药械科's report; a 所 user's form offers only its own unit)."""

    year = forms.IntegerField(label=_("年度"), min_value=FIRST_YEAR, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("季度"), coerce=int,
        choices=[(q, _("第%(q)s季度") % {"q": name}) for q, name in QUARTER_NAMES.items()],
    )
    unit = forms.ModelChoiceField(
        label=_("报告范围"), queryset=Unit.objects.filter(kind=UnitKind.STATION).order_by("sort_order", "code"),
        required=False, empty_label=_("全区（药械科）"),
    )

    def __init__(self, *args, district: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not district:  # a 所 builds its own unit's report only
            self.scope_choices()
            self.fields["unit"].required = True
            self.fields["unit"].empty_label = None
            self.fields["unit"].error_messages["required"] = _("监管所只能生成本所的报告，请选择本所")

    @staticmethod
    def initial_for(today: dt.date) -> dict:
        """The quarter just ended (the report is written after the quarter's meeting)."""
        quarter = (today.month - 1) // 3 + 1
        return {"year": today.year - (quarter == 1), "quarter": 4 if quarter == 1 else quarter - 1}
