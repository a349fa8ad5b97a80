"""HTML form of complaints and public opinion: input shape only (``monitoring.services.complaints`` decides)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise, Unit
from monitoring.choices import ComplaintKind
from monitoring.services.complaints import ComplaintInput
from regsys.forms import ScopedForm
from regsys.versioning import VersionedFormMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SUBSTANTIATED = [("", _("未核查")), ("true", _("属实")), ("false", _("不属实"))]


def _tri(value):
    return {"true": True, "false": False, True: True, False: False}.get(value)


class ComplaintForm(VersionedFormMixin, ScopedForm):
    kind = forms.ChoiceField(label=_("类别"), choices=ComplaintKind.choices,
                             widget=forms.RadioSelect(attrs={"class": "form-check-input"}))
    received_on = forms.DateField(label=_("受理/发现日期"), widget=DATE)
    source = forms.CharField(label=_("来源渠道"), max_length=100,
                             help_text=_("如12315平台、12345热线、来信来访、媒体报道、网络平台"))
    reference = forms.CharField(label=_("编号"), max_length=60, required=False, help_text=_("工单号或登记编号"))
    unit = forms.ModelChoiceField(label=_("承办单位"), queryset=Unit.objects.order_by("sort_order", "code"),
                                  required=False, empty_label=_("涉及企业的监管所（未选企业时为本人单位）"))
    enterprise = forms.ModelChoiceField(
        label=_("涉及企业"), queryset=Enterprise.objects.all(), required=False, widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("该企业不在你的监管范围内")})
    subject_name = forms.CharField(label=_("涉及单位名称"), max_length=200, required=False,
                                   help_text=_("企业不在名录中（如网店、外地企业）时填写"))
    product = forms.CharField(label=_("涉及产品"), max_length=200, required=False)
    summary = forms.CharField(label=_("内容摘要"), widget=forms.Textarea(attrs={"rows": 3}))
    handling = forms.CharField(label=_("处理情况"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    substantiated = forms.TypedChoiceField(label=_("核查结论"), choices=SUBSTANTIATED, required=False,
                                           coerce=_tri, empty_value=None)
    handled_on = forms.DateField(label=_("办结日期"), required=False, widget=DATE,
                                 help_text=_("办结后填写；未填写的为办理中"))

    def __init__(self, *args, district: bool, kept_enterprise_id: int | None = None, **kwargs):
        self.kept_enterprise_id = kept_enterprise_id
        super().__init__(*args, **kwargs)
        if not district:
            del self.fields["unit"]
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput | forms.RadioSelect):
                continue
            widget.attrs.setdefault("class", "form-select" if isinstance(widget, forms.Select) else "form-control")

    def scope_choices(self) -> None:
        super().scope_choices()
        if self.kept_enterprise_id:  # the record's own enterprise stays a valid choice on edit
            field = self.fields["enterprise"]
            field.queryset = field.queryset | Enterprise.objects.filter(pk=self.kept_enterprise_id)

    def to_input(self) -> ComplaintInput:
        data = self.cleaned_data
        return ComplaintInput(
            kind=data["kind"], received_on=data["received_on"], source=data["source"], summary=data["summary"],
            reference=data.get("reference") or "", enterprise=data.get("enterprise"),
            subject_name=data.get("subject_name") or "", product=data.get("product") or "",
            handling=data.get("handling") or "", substantiated=data.get("substantiated"),
            handled_on=data.get("handled_on"))
