"""The cockpit's forms: the period selector (year + quarter or 截至今日) and the on-demand freeze."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from inspections.models import AnnualTarget
from regsys.forms import ScopedForm
from reporting.cockpit.base import QUARTER_LABELS, Period
from reporting.models import QuarterSnapshot

NOW = "now"


def cockpit_years(today: dt.date) -> list[int]:
    """The years the cockpit offers, newest first: this year, last year (the comparison year), and every
    earlier year that has inspection targets or quarter snapshots."""
    years = {today.year, today.year - 1}
    years |= set(AnnualTarget.objects.filter(year__lte=today.year).values_list("year", flat=True).distinct())
    years |= set(QuarterSnapshot.objects.filter(year__lte=today.year).values_list("year", flat=True).distinct())
    return sorted(years, reverse=True)


def quarters_begun(year: int, today: dt.date) -> list[int]:
    """The quarters of ``year`` that have begun by ``today``."""
    if year < today.year:
        return [1, 2, 3, 4]
    if year > today.year:
        return []
    return list(range(1, (today.month - 1) // 3 + 2))


class PeriodForm(ScopedForm):
    """``?year=2026&quarter=2`` (quarter 1–4, or ``now`` = 截至今日). Blank: 截至今日 of this year."""

    year = forms.TypedChoiceField(label=_("年度"), coerce=int, required=False)
    quarter = forms.ChoiceField(label=_("季度"), required=False)

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.years = cockpit_years(today)
        self.fields["year"].choices = [(y, _("%(year)s年") % {"year": y}) for y in self.years]
        self.fields["quarter"].choices = [(NOW, _("截至今日")), *((str(q), label) for q, label in QUARTER_LABELS.items())]

    def clean(self):
        data = super().clean()
        year = data.get("year") or self.today.year
        quarter = data.get("quarter") or NOW
        if quarter != NOW and int(quarter) not in quarters_begun(year, self.today):
            self.add_error("quarter", _("%(year)s年%(quarter)s尚未开始") % {
                "year": year, "quarter": QUARTER_LABELS[int(quarter)]})
        data["year"], data["quarter"] = year, quarter
        return data

    def period(self) -> Period:
        """The chosen period (call after ``is_valid``); 截至今日 of this year when the choice was invalid."""
        if not self.is_valid():
            return Period(self.today.year, None, self.today)
        quarter = self.cleaned_data["quarter"]
        return Period(self.cleaned_data["year"], None if quarter == NOW else int(quarter), self.today)


class SnapshotForm(ScopedForm):
    """冻结季度数据: the quarter and, when it has a snapshot already, the reason to freeze it again."""

    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label=_("季度"), coerce=int,
                                     choices=[(q, label) for q, label in QUARTER_LABELS.items()])
    reason = forms.CharField(label=_("重新冻结原因"), required=False, max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))
