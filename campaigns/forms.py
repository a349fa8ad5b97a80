"""HTML forms of the campaigns app: input shape only."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, CampaignKind, FormTemplate
from enterprises.models import Unit
from regsys.forms import ScopedForm, ScopedModelForm
from regsys.versioning import VersionedFormMixin

DUE_PRESETS = {
    "yongding": ((6, 25), (9, 25), (12, 25)),
    "lucheng": ((3, 15), (6, 15), (9, 15), (11, 15)),
}


class CampaignForm(VersionedFormMixin, ScopedModelForm):
    """Create or edit a campaign; editing carries the version (optimistic locking)."""

    due_preset = forms.ChoiceField(
        label=_("报送截止日期"), required=False,
        choices=[("", _("按下方填写")), ("yongding", _("6月25日、9月25日、12月25日（永定）")),
                 ("lucheng", _("每季度：3、6、9、11月15日（鹿城）"))],
    )
    due_dates_text = forms.CharField(
        label=_("自定义截止日期"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一个日期，或用逗号分隔，格式如 2025-06-25"),
    )

    class Meta:
        model = Campaign
        fields = ["kind", "name", "doc_number", "year", "start_date", "end_date", "units", "forms", "description", "is_active"]
        labels = {"name": _("名称")}
        help_texts = {"kind": _("年度工作数据报送（如计划的附件1）统计本单位的全部记录；专项整治/专项行动只统计关联本专项的记录")}
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "units": forms.CheckboxSelectMultiple,
            "forms": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        instance = kwargs.get("instance")
        super().__init__(*args, versioned=instance if instance is not None and instance.pk else None, **kwargs)
        self.fields["kind"].required = False  # omitted (older clients): a special campaign, the model's default
        self.fields["units"].queryset = Unit.objects.order_by("sort_order", "code")
        self.fields["forms"].queryset = FormTemplate.objects.filter(is_active=True)
        if self.instance.pk:
            self.initial["due_dates_text"] = "\n".join(
                f"{d.due_on:%Y-%m-%d}" for d in self.instance.due_dates.order_by("due_on")
            )

    def clean(self):
        data = super().clean()
        data["kind"] = data.get("kind") or CampaignKind.CAMPAIGN
        year = data.get("year")
        preset = data.get("due_preset")
        days: list[dt.date] = []
        if preset and year:
            days = [dt.date(year, m, d) for m, d in DUE_PRESETS[preset]]
        else:
            for token in re.split(r"[\s,，;；]+", data.get("due_dates_text") or ""):
                if not token:
                    continue
                try:
                    days.append(dt.date.fromisoformat(token))
                except ValueError:
                    self.add_error("due_dates_text", _("日期格式不正确：%(t)s") % {"t": token})
        data["due_dates"] = sorted(set(days))  # checked with the campaign by services.campaign_check
        return data


class TemplateCopyForm(ScopedForm):
    year = forms.IntegerField(label=_("新年度"), min_value=2000, max_value=2100)
