"""HTML forms of the reporting app: input shape only."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, FormTemplate
from enterprises.models import Unit
from regsys.forms import ScopedForm
from regsys.scoping import scope_for
from reporting.selectors import next_due_dates

DISTRICT = "district"


class ReturnRequestForm(ScopedForm):
    campaign = forms.ModelChoiceField(label=_("专项整治"), queryset=Campaign.objects.order_by("-year", "-start_date"),
                                      empty_label=_("请选择专项整治"))
    template = forms.ModelChoiceField(label=_("报表"), queryset=FormTemplate.objects.filter(is_active=True),
                                      empty_label=_("请选择报表"))
    unit = forms.ChoiceField(label=_("填报单位"))
    cutoff = forms.DateField(label=_("数据截止日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                             help_text=_("默认为所选专项整治的下一个报送期限"))
    unscheduled = forms.BooleanField(
        label=_("临时报送"), required=False,
        help_text=_("年终或临时报表，不对应报送期限；截止日期在最后一个报送期限之后的自动作为临时报送"),
    )
    filled_by = forms.CharField(label=_("填报人"), max_length=50, required=False)
    contact = forms.CharField(label=_("联系方式"), max_length=60, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        scope = scope_for(user)
        if "campaign" not in self.initial:  # the campaign in progress is the usual choice
            current = Campaign.objects.filter(is_active=True).order_by("-year", "-start_date", "-pk").first()
            self.initial["campaign"] = current.pk if current else None
        due = next_due_dates()
        if "cutoff" not in self.initial and self.initial.get("campaign") in due:
            self.initial["cutoff"] = due[self.initial["campaign"]]
        # the page's script moves the cut-off to the next due date of the campaign chosen
        self.fields["campaign"].widget.attrs["data-next-due"] = json.dumps(
            {str(k): v.isoformat() for k, v in due.items()})
        if scope.district_wide:
            choices = [(DISTRICT, _("全区汇总"))] + [(str(u.pk), u.name) for u in Unit.objects.exclude(kind="bureau")]
        else:
            choices = [(str(user.unit_id), user.unit.name)] if user.unit_id else []
        self.fields["unit"].choices = choices
        self.fields["filled_by"].initial = user.display_name
        self.fields["contact"].initial = user.phone or (user.unit.phone if user.unit_id else "")
        for field in self.fields.values():
            if isinstance(field, forms.BooleanField):
                css = "form-check-input"
            else:
                css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def clean_unit(self):
        value = self.cleaned_data["unit"]
        if value == DISTRICT:
            return None
        return Unit.objects.get(pk=int(value))


class ReviewForm(ScopedForm):
    comment = forms.CharField(label=_("审核意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RecomputeForm(ScopedForm):
    """重新计算 of a return that has an approved version: the reason, and the numbers the user checked."""

    reason = forms.CharField(label=_("重新计算原因"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
                             error_messages={"required": _("请填写重新计算的原因")})
    digest = forms.CharField(widget=forms.HiddenInput, max_length=64)
